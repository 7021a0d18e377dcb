#!/usr/bin/env python3
"""`auditforge load` against the real kernel.

Each scenario loads rule files into this machine's kernel and checks what the kernel then
holds: `auditctl -l` against `auditforge fmt --listing`, and the rule bytes the kernel lists
(af_kernel_rules list) before and after a failed load. Prints a table of scenarios.

Kernel rules of conduct: everything runs inside KernelGuard (lock, save, restore, loud skip);
no input here sets -e, -f 2 or --loginuid-immutable. The immutable refusal (enabled 2) is
covered by the unit tests (LoadPlan.ImmutableKernelIsRefused,
Load.ImmutableKernelIsRefusedAndNothingIsSent), never by locking this kernel.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from kernel_guard import KernelGuard, status

OWN_MARK = "auditforge-own"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class Scenarios:
    def __init__(self, af, probe):
        self.af = af
        self.probe = probe
        self.rows = []

    def check(self, name, ok, detail=""):
        self.rows.append((name, bool(ok), detail))
        if not ok:
            print(f"--- FAILED: {name}: {detail}")

    def listing(self):
        return run(["auditctl", "-l"]).stdout

    def kernel_bytes(self):
        return run([self.probe, "list"]).stdout

    def fmt_listing(self, path):
        out = run([self.af, "fmt", "--listing", path])
        assert out.returncode == 0, out.stderr
        return out.stdout

    def load(self, *args):
        return run([self.af, "load", *args])


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def rule_files(work):
    watched = os.path.join(work, "watched")
    os.makedirs(os.path.join(watched, "etc"), exist_ok=True)
    for name in ("passwd", "shadow", "group", "sudoers"):
        write(os.path.join(watched, "etc", name), "x\n")
    w = watched + "/etc"
    v1 = [
        "-a always,exit -F arch=b64 -S openat -F exit=-EACCES -k access",
        "-a always,exit -F arch=b64 -S unlink,unlinkat,rename -F auid>=1000 -F auid!=-1 -k delete",
        f"-w {w}/passwd -p wa -k identity",
        f"-w {w}/shadow -p wa -k identity",
        "-a always,exit -F arch=b64 -S init_module,finit_module -k modules",
        f"-w {w}/ -p wa -k etc-dir",
        "-a never,exclude -F msgtype=CWD",
        "-a always,exit -F arch=b32 -S chmod -F auid>=1000 -k perm",
    ]
    # v2: the first rule gone, one rule changed in the middle, one new at the end.
    v2 = list(v1[1:])
    v2[3] = "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules"
    v2.append(f"-w {w}/sudoers -p wa -k sudo")
    # v3: v2 with a new setting and, in the middle, a watch whose parent folder does not exist.
    v3 = ["-b 320"] + v2[:3] + ["-w /nonexistent-dir-auditforge/x -p w -k bad"] + v2[3:]
    return w, v1, v2, v3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--probe", required=True)
    p.add_argument("--unit", help="af_unit_tests: its immutable-refusal tests join the table")
    args = p.parse_args()

    with KernelGuard("auditforge load against the kernel"):
        work = tempfile.mkdtemp(prefix="af-load-")
        s = Scenarios(args.af, args.probe)
        try:
            run_scenarios(s, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            # The guard puts back the rules and settings found; the scratch watches go first.
            run(["auditctl", "-D"])
    if args.unit:
        # enabled 2 cannot be undone until reboot, so the refusal is tested on a fake kernel.
        tests = "LoadPlan.ImmutableKernelIsRefused:Load.ImmutableKernelIsRefusedAndNothingIsSent" \
                ":Load.EnabledTwoIsNeverSentWithoutTheFlag:LoadPlan.ImmutableSettings*"
        r = run([args.unit, f"--gtest_filter={tests}"])
        s.check("immutable refusal (unit tests, fake kernel)", r.returncode == 0,
                "enabled 2 -> refused, 0 messages; -e 2 and --loginuid-immutable skipped "
                "without --allow-immutable")
    width = max(len(r[0]) for r in s.rows)
    print(f"{'scenario'.ljust(width)}  result  detail")
    for name, ok, detail in s.rows:
        print(f"{name.ljust(width)}  {'pass' if ok else 'FAIL'}    {detail}")
    return 0 if all(ok for _, ok, _ in s.rows) else 1


def run_scenarios(s, work):
    w, v1, v2, v3 = rule_files(work)
    f1 = write(os.path.join(work, "v1.rules"), "-D\n" + "\n".join(v1) + "\n")
    f2 = write(os.path.join(work, "v2.rules"), "-D\n" + "\n".join(v2) + "\n")
    f3 = write(os.path.join(work, "v3.rules"), "-D\n" + "\n".join(v3) + "\n")
    bad_line = 1 + v3.index("-w /nonexistent-dir-auditforge/x -p w -k bad") + 1

    # 1. Into an empty kernel: the kernel lists exactly the compiled rules.
    run(["auditctl", "-D"])
    r = s.load(f1)
    s.check("load into an empty kernel", r.returncode == 0 and s.listing() == s.fmt_listing(f1),
            f"rc={r.returncode}, {len(v1)} rules added; auditctl -l == fmt --listing")

    # 2. The same file again: an empty difference and nothing sent.
    before = s.kernel_bytes()
    r = s.load("--diff", f1)
    s.check("reload of the same file", r.returncode == 0 and r.stdout == "" and
            "0 deleted, 0 added, 0 settings changed" in r.stderr and s.kernel_bytes() == before,
            f"diff empty, {r.stderr.strip().split(': ', 1)[-1]}")

    # 3. Dry run of a changed file: prints the difference, the kernel is unchanged.
    before_status = status()
    r = s.load("--dry-run", f2)
    expected_diff = [l for l in r.stdout.splitlines()]
    s.check("dry run prints the diff, changes nothing",
            r.returncode == 0 and s.kernel_bytes() == before and status() == before_status and
            len(expected_diff) > 0,
            f"{len(expected_diff)} diff lines, kernel bytes and status unchanged")

    # 4. The changed file: the minimal difference is applied.
    r = s.load("--diff", f2)
    plus = [l for l in r.stdout.splitlines() if l.startswith("+ ")]
    minus = [l for l in r.stdout.splitlines() if l.startswith("- ")]
    # Kept: v1[1..3] (the run that v2 starts with); deleted: v1[0] and v1[4..]; added: v2[3..].
    # Exit list: v2 starts with the run v1[1..4) (delete, passwd, shadow), so v1[0] and the
    # exit rules after the run go, and v2's exit rules after the run come; the exclude rule
    # (a list of its own) stays.
    ok = (r.returncode == 0 and s.listing() == s.fmt_listing(f2) and
          r.stdout.splitlines() == expected_diff and len(minus) == 4 and len(plus) == 4 and
          "4 rules kept, 4 deleted, 4 added" in r.stderr)
    s.check("changed file: minimal diff applied", ok,
            f"-{len(minus)} +{len(plus)}, 4 of {len(v1)} kept; auditctl -l == fmt --listing")

    # 5. Rollback: the kernel rejects a rule in the middle of a set.
    before = s.kernel_bytes()
    before_status = status()
    r = s.load(f3)
    message = (f"v3.rules:{bad_line}:1: error: the kernel rejected this rule: "
               "No such file or directory (ENOENT) [kernel-rejected]")
    ok = (r.returncode == 1 and message in r.stderr and "rolled back" in r.stderr and
          s.kernel_bytes() == before and status() == before_status)
    said = next((l for l in r.stderr.splitlines() if "[kernel-rejected]" in l), "")
    s.check("rejected rule mid-set rolls back", ok,
            f"rc={r.returncode}; '{said.split('error: ')[-1]}'; rule bytes and backlog_limit "
            "identical after the rollback")
    if not ok:
        print(r.stderr)

    # 6. Settings: -b, -r, --backlog_wait_time diffed and applied (the guard puts them back).
    st = status()
    fs = write(os.path.join(work, "settings.rules"),
               f"-b {int(st['backlog_limit']) + 100}\n-r {int(st['rate_limit']) + 50}\n"
               f"--backlog_wait_time {int(st['backlog_wait_time']) + 1000}\n" +
               "\n".join(v2) + "\n")
    d = s.load("--dry-run", fs)
    want = [f"~ rate_limit {st['rate_limit']} -> {int(st['rate_limit']) + 50}",
            f"~ backlog_limit {st['backlog_limit']} -> {int(st['backlog_limit']) + 100}",
            f"~ backlog_wait_time {st['backlog_wait_time']} -> "
            f"{int(st['backlog_wait_time']) + 1000}"]
    r = s.load(fs)
    after = status()
    again = s.load("--diff", fs)
    ok = (d.stdout.splitlines() == want and r.returncode == 0 and
          after["backlog_limit"] == str(int(st["backlog_limit"]) + 100) and
          after["rate_limit"] == str(int(st["rate_limit"]) + 50) and
          after["backlog_wait_time"] == str(int(st["backlog_wait_time"]) + 1000) and
          again.stdout == "")
    s.check("settings diff and apply", ok, "; ".join(want) + "; reload: no diff")
    for opt, key in (("-b", "backlog_limit"), ("-r", "rate_limit"),
                     ("--backlog_wait_time", "backlog_wait_time")):
        run(["auditctl", opt, st[key]])

    # 7. --own: foreign rules loaded by auditctl survive; ours are replaced.
    run(["auditctl", "-D"])
    foreign = [["-a", "always,exit", "-F", "arch=b64", "-S", "mount", "-k", "foreign1"],
               ["-w", f"{w}/group", "-p", "wa", "-k", "foreign2"]]
    for f in foreign:
        run(["auditctl", *f])
    foreign_listing = s.listing()
    # auditctl lists the mark as one more key: "-k" on a watch, "-F key=" on other rules.
    def marked(path):
        return "".join(l + (f" -k {OWN_MARK}\n" if l.startswith("-w ") else
                            f" -F key={OWN_MARK}\n") for l in s.fmt_listing(path).splitlines())
    r1 = s.load("--own", f1)
    ours = lambda: "".join(l + "\n" for l in s.listing().splitlines() if OWN_MARK in l)
    theirs = lambda: "".join(l + "\n" for l in s.listing().splitlines() if OWN_MARK not in l)
    ok1 = r1.returncode == 0 and ours() == marked(f1) and theirs() == foreign_listing
    r2 = s.load("--own", f2)
    ok2 = r2.returncode == 0 and ours() == marked(f2) and theirs() == foreign_listing
    r3 = s.load("--own", "--diff", f2)
    ok3 = r3.returncode == 0 and r3.stdout == ""
    s.check("--own coexists with foreign rules", ok1 and ok2 and ok3,
            f"2 foreign rules kept through 2 loads; ours == fmt --listing with the mark; "
            f"reload no diff")
    if not (ok1 and ok2 and ok3):
        print(s.listing(), r1.stderr, r2.stderr, r3.stdout)

    # 8. Without --own, load replaces everything, foreign rules included (as -D would).
    r = s.load(f2)
    s.check("full load removes foreign rules", r.returncode == 0 and
            s.listing() == s.fmt_listing(f2), "auditctl -l == fmt --listing of v2")


if __name__ == "__main__":
    sys.exit(main())
