#!/usr/bin/env python3
"""Real-kernel conformance for `auditforge fmt --listing` and the binary encoding.

For every rule file (the shared corpus plus tests/kernel/cases), load it with `auditctl -R`
on this machine's kernel and compare:
  * `auditctl -l` with `auditforge fmt --listing`            (text, byte for byte)
  * the rules the kernel lists back (AUDIT_LIST_RULES bytes) with auditforge's encoding.

Files auditctl cannot load completely are compared on the part it did load: the lines
before the first line auditforge rejects (or, after -c/-i, every line auditforge accepts).

Kernel rules of conduct: runs alone (ctest RUN_SERIAL), saves the rules and settings first and
restores them in a `finally`, never loads -e, -f, -b, -r, --backlog_wait_time or
--loginuid-immutable lines (they are dropped from the scratch copies; they do not change what
`auditctl -l` prints), and exits 77 (skipped, loudly) where the kernel refuses.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from kernel_guard import LOCK_PATH

SKIP = 77
SETTING_OPTIONS = ("-e", "-f", "-b", "-r", "--backlog_wait_time", "--loginuid-immutable",
                   "--reset-lost", "--reset_backlog_wait_time_actual", "--signal", "-s", "-l",
                   "-m", "-t", "-q")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def skip(why):
    print(f"SKIPPED: kernel conformance test not run: {why}", file=sys.stderr)
    print(f"*** SKIPPED (kernel): {why} ***")
    sys.exit(SKIP)


def status():
    out = run(["auditctl", "-s"], text=True)
    if out.returncode != 0:
        return None
    values = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            values[parts[0]] = parts[1]
    return values


def first_word(line):
    words = [w for w in line.split(" ") if w]
    return words[0] if words else ""


class Scratch:
    """Rewrites watch, path, dir and exe paths into a scratch tree so that every parent
    directory exists and nothing on the host is touched."""

    def __init__(self, root):
        self.root = root

    def place(self, path, kind):
        new = self.root + path
        if kind == "dir" or (kind == "watch" and os.path.isdir(path)):
            os.makedirs(new.rstrip("/") or new, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(new.rstrip("/")), exist_ok=True)
        return new

    def rewrite(self, line):
        words = line.split(" ")
        out = []
        i = 0
        while i < len(words):
            w = words[i]
            if w in ("-w", "-W") and i + 1 < len(words) and words[i + 1].startswith("/"):
                out += [w, self.place(words[i + 1], "watch")]
                i += 2
                continue
            m = re.match(r"^(path|dir|exe)=(/.*)$", w)
            if m and i > 0 and words[i - 1] == "-F":
                kind = {"path": "path", "dir": "dir", "exe": "path"}[m.group(1)]
                out.append(f"{m.group(1)}={self.place(m.group(2), kind)}")
                i += 1
                continue
            out.append(w)
            i += 1
        return " ".join(out)


def sanitise(src, dst, scratch):
    lines = []
    with open(src, "rb") as f:
        raw = f.read().decode("latin-1")
    for line in raw.split("\n"):
        if first_word(line) in SETTING_OPTIONS:
            lines.append("# (dropped by the kernel test) " + line)
        else:
            lines.append(scratch.rewrite(line))
    with open(dst, "wb") as f:
        f.write("\n".join(lines).encode("latin-1"))
    os.chmod(dst, 0o600)


def error_lines(af, path):
    """Line numbers auditforge rejects, from `check --format json`."""
    out = run([af, "check", "--format", "json", path], text=True)
    import json
    try:
        data = json.loads(out.stdout)
    except ValueError:
        return None
    return sorted({d["line"] for d in data["diagnostics"] if d["severity"] == "error"})


def keep_lines(src, dst, keep):
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    with open(dst, "wb") as f:
        f.write(b"\n".join(l if keep(n) else b"" for n, l in enumerate(lines, 1)))
    os.chmod(dst, 0o600)


FORBIDDEN = re.compile(r"(^| )(-e *2|-f *2|--loginuid-immutable|--signal)( |$)")


def run_line_cases(args, work, scratch):
    """Each line of each *.lines file is one case: auditctl and auditforge must both accept it
    (and list it the same way) or both reject it."""
    results = []
    for name in sorted(os.listdir(args.lines)):
        if not name.endswith(".lines"):
            continue
        with open(os.path.join(args.lines, name), "rb") as f:
            cases = f.read().decode("latin-1").split("\n")
        for number, line in enumerate(cases, 1):
            if line.startswith("##") or line == "":
                continue
            if FORBIDDEN.search(line):
                raise SystemExit(f"{name}:{number}: refusing to run a case that would lock the kernel")
            case = os.path.join(work, "line.rules")
            with open(case, "wb") as f:
                f.write((scratch.rewrite(line) + "\n").encode("latin-1"))
            os.chmod(case, 0o600)
            run(["auditctl", "-D"])
            loaded = run(["auditctl", "-R", case], text=True, errors="replace")
            kernel_text = run(["auditctl", "-l"], text=True, errors="replace").stdout
            errors = error_lines(args.af, case)
            ours = run([args.af, "fmt", "--listing", case], text=True, errors="replace")
            accepted = loaded.returncode == 0
            agree = accepted == (not errors)
            text_ok = (not accepted) or (not errors and ours.stdout == kernel_text)
            label = f"{name}:{number}: {line[:60]!r}"
            results.append((label, loaded.returncode, 0 if kernel_text.strip() == "No rules"
                            else len(kernel_text.splitlines()), text_ok, True, agree,
                            "both accept" if accepted and agree else
                            "both reject" if agree else
                            f"auditctl {'accepts' if accepted else 'rejects'}, auditforge "
                            f"{'rejects' if errors else 'accepts'}"))
            if not (agree and text_ok) or args.v:
                print(f"--- {label}: auditctl rc={loaded.returncode} {loaded.stderr.strip()[:200]}")
                if accepted and not text_ok:
                    print(f"auditctl -l: {kernel_text.strip()}\nauditforge:  {ours.stdout.strip()}")
    return results


def run_packs(args, work, scratch):
    """Each policy pack, compiled for x86_64, must load with auditctl -R without any error
    and list exactly what `fmt --listing` of the compiled file predicts."""
    results = []
    for name in sorted(os.listdir(args.packs)):
        if not name.endswith(".audit"):
            continue
        compiled = os.path.join(work, "pack.rules")
        out = run([args.af, "compile", "--arch", "x86_64", "--target", "audit.rules", "-o",
                   compiled, os.path.join(args.packs, name)], text=True)
        if out.returncode != 0:
            results.append((f"pack {name}", out.returncode, 0, False, True, False,
                            "compile failed: " + out.stderr.strip()[:200]))
            continue
        case = os.path.join(work, "pack-case.rules")
        sanitise(compiled, case, scratch)
        run(["auditctl", "-D"])
        loaded = run(["auditctl", "-R", case], text=True)
        kernel_text = run(["auditctl", "-l"], text=True).stdout
        ours = run([args.af, "fmt", "--listing", case], text=True)
        clean = loaded.returncode == 0 and "rror" not in loaded.stderr
        text_ok = ours.stdout == kernel_text
        n = 0 if kernel_text.strip() == "No rules" else len(kernel_text.splitlines())
        results.append((f"pack {name}", loaded.returncode, n, text_ok, True, clean,
                        "loads with zero errors" if clean else loaded.stderr.strip()[:200]))
        if not (clean and text_ok):
            print(f"--- pack {name}: auditctl rc={loaded.returncode} {loaded.stderr.strip()[:300]}")
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--probe", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--cases", required=True)
    p.add_argument("--lines", help="folder of *.lines files: one single-line case per line")
    p.add_argument("--packs", help="folder of policy packs (*.audit): each compiles for x86_64 "
                                   "and loads with zero errors")
    p.add_argument("-v", action="store_true")
    args = p.parse_args()

    if os.geteuid() != 0:
        skip("needs root (CAP_AUDIT_CONTROL)")
    if shutil.which("auditctl") is None:
        skip("auditctl is not installed")
    # One kernel test at a time, across ctest runs and build trees (see kernel_guard.py).
    import fcntl
    os.makedirs(os.path.dirname(LOCK_PATH), exist_ok=True)
    lock = open(LOCK_PATH, "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    before = status()
    if before is None:
        skip("`auditctl -s` fails: no kernel audit support or no capability")
    if before.get("enabled") == "2":
        skip("the kernel audit configuration is immutable (enabled 2)")
    saved = run(["auditctl", "-l"], text=True).stdout
    status_af = run([args.af, "status"], text=True).stdout
    status_ctl = run(["auditctl", "-s"], text=True).stdout
    if status_af != status_ctl:
        print(f"--- auditforge status differs from auditctl -s:\n{status_af}\n{status_ctl}")
        return 1

    files = []
    for d in (args.corpus, args.cases):
        if os.path.isdir(d):
            files += [os.path.join(d, n) for n in sorted(os.listdir(d))]
    work = tempfile.mkdtemp(prefix="af-kernel-")
    scratch = Scratch(os.path.join(work, "root"))
    results = []
    try:
        for src in files:
            name = os.path.basename(src)
            case = os.path.join(work, "case.rules")
            sanitise(src, case, scratch)
            run(["auditctl", "-D"])
            loaded = run(["auditctl", "-R", case], text=True)
            kernel_text = run(["auditctl", "-l"], text=True).stdout
            kernel_bytes = run([args.probe, "list"], text=True)
            # `auditforge list` reads the same rules over netlink and must print them as
            # auditctl -l does.
            listed = run([args.af, "list"], text=True)
            list_ok = listed.returncode == 0 and listed.stdout == kernel_text
            if kernel_bytes.returncode == SKIP:
                skip("AUDIT_LIST_RULES refused")
            errors = error_lines(args.af, case)
            compare = case
            note = ""
            if loaded.returncode != 0 or errors:
                text = open(case, "rb").read()
                lenient = re.search(rb"(?m)^ *-[ci]( |$)", text) is not None
                if errors and lenient:
                    keep_lines(case, case + ".ok", lambda n: n not in errors)
                    note = f"-c/-i file; compared without rejected lines {errors}"
                elif errors:
                    keep_lines(case, case + ".ok", lambda n: n < errors[0])
                    note = f"auditforge rejects line {errors[0]}; compared the lines before it"
                else:
                    note = "auditctl failed but auditforge found no error"
                compare = case + ".ok" if errors else case
                if loaded.returncode == 0 and errors and not lenient:
                    note += "; but auditctl loaded the whole file"
            ours_text = run([args.af, "fmt", "--listing", compare], text=True)
            ours_bytes = run([args.probe, "encode", compare], text=True)
            text_ok = ours_text.returncode == 0 and ours_text.stdout == kernel_text and list_ok
            if not list_ok:
                print(f"--- {name}: auditforge list differs from auditctl -l")
            bytes_ok = ours_bytes.stdout == kernel_bytes.stdout
            # With -c/-i auditctl exits 0 even when lines fail; then the listing itself shows
            # whether both rejected the same lines (a missing or extra rule would differ).
            lenient_file = re.search(rb"(?m)^ *-[ci]( |$)", open(case, "rb").read()) is not None
            agree = (loaded.returncode == 0) == (not errors) or (lenient_file and text_ok)
            # The compiled audit.rules must load without error and list the same rules.
            compiled = run([args.af, "compile", "--target", "audit.rules", "-o",
                            case + ".compiled", compare], text=True)
            if compiled.returncode == 0:
                os.chmod(case + ".compiled", 0o600)
                run(["auditctl", "-D"])
                reloaded = run(["auditctl", "-R", case + ".compiled"], text=True)
                relisted = run(["auditctl", "-l"], text=True).stdout
                if reloaded.returncode != 0 or relisted != kernel_text:
                    text_ok = False
                    note += "; compiled audit.rules does not reload identically"
                    print(f"--- {name}: compiled audit.rules: rc={reloaded.returncode} "
                          f"{reloaded.stderr.strip()[:300]}")
            else:
                text_ok = False
                note += "; compile failed"
                print(f"--- {name}: compile failed: {compiled.stderr[:500]}")
            n_rules = 0 if kernel_text.strip() == "No rules" else len(kernel_text.splitlines())
            results.append((name, loaded.returncode, n_rules, text_ok, bytes_ok, agree, note))
            if args.v or not (text_ok and bytes_ok and agree):
                print(f"--- {name}: auditctl rc={loaded.returncode} {loaded.stderr.strip()[:300]}")
                if not text_ok:
                    import difflib
                    diff = difflib.unified_diff(kernel_text.splitlines(), ours_text.stdout.splitlines(),
                                                "auditctl -l", "auditforge fmt --listing", lineterm="")
                    print("\n".join(list(diff)[:40]))
                    if ours_text.stderr:
                        print(ours_text.stderr[:1500])
                if not bytes_ok:
                    k = kernel_bytes.stdout.splitlines()
                    o = ours_bytes.stdout.splitlines()
                    for i, (a, b) in enumerate(zip(k, o)):
                        if a != b:
                            pos = next(j for j in range(min(len(a), len(b))) if a[j] != b[j]) if a[:min(len(a),len(b))] != b[:min(len(a),len(b))] else min(len(a), len(b))
                            print(f"rule {i}: bytes differ at byte {pos // 2}: kernel ...{a[pos:pos+24]} ours ...{b[pos:pos+24]}")
                            break
                    if len(k) != len(o):
                        print(f"kernel holds {len(k)} rules, auditforge encodes {len(o)}")
        if args.lines:
            results += run_line_cases(args, work, scratch)
        if args.packs:
            results += run_packs(args, work, scratch)
    finally:
        run(["auditctl", "-D"])
        if saved.strip() and saved.strip() != "No rules":
            restore = os.path.join(work, "restore.rules")
            with open(restore, "w") as f:
                f.write(saved)
            os.chmod(restore, 0o600)
            run(["auditctl", "-R", restore])
        for opt, key in (("-f", "failure"), ("-r", "rate_limit"), ("-b", "backlog_limit"),
                         ("--backlog_wait_time", "backlog_wait_time"), ("-e", "enabled")):
            if key in before and not (opt == "-e" and before[key] == "2") and not (opt == "-f" and before[key] == "2"):
                run(["auditctl", opt, before[key]])
        shutil.rmtree(work, ignore_errors=True)
        after = status() or {}
        for key in ("enabled", "failure", "rate_limit", "backlog_limit", "backlog_wait_time"):
            if before.get(key) != after.get(key):
                print(f"WARNING: kernel setting {key} was {before.get(key)}, now {after.get(key)}")

    print(f"{'file':<100} {'rc':>2} {'rules':>5} text bytes agree  note")
    for name, rc, n, t, b, a, note in results:
        print(f"{name[:100]:<100} {rc:>2} {n:>5} {'ok' if t else 'DIFF':>4} {'ok' if b else 'DIFF':>5} "
              f"{'yes' if a else 'NO':>5}  {note}")
    failed = [r for r in results if not (r[3] and r[4] and r[5])]
    total_rules = sum(r[2] for r in results)
    print(f"kernel: {len(results) - len(failed)} passed, {len(failed)} failed "
          f"({len(results)} files, {total_rules} rules listed by the kernel)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
