#!/usr/bin/env python3
"""Whole-process benchmark on the real kernel: loading 1,000 distinct rules with
`auditctl -D; auditctl -R FILE` against `auditforge load FILE`, into an empty kernel and as a
reload of the same file (a no-op for load), in one run, interleaved, several repetitions.
Reports the median wall time of each and the ratios.

    sudo python3 bench/load_scale.py --af build/cli/auditforge [--rules 1000] [--runs 7]

Runs inside KernelGuard (tests/kernel/kernel_guard.py): one kernel test at a time, rules and
settings saved and put back, skipped (77) where the kernel refuses. The file sets no -e, -f,
-b or --loginuid-immutable; watches point into a scratch folder."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "kernel"))
from kernel_guard import KernelGuard  # noqa: E402

# A realistic mix: watches, syscall rules with arch and filters, exclude and user rules.
SHAPES = [
    "-w {root}/app{i}/config -p wa -k app{i}",
    "-a always,exit -F arch=b64 -S openat,open -F exit=-EACCES -F auid>=1000 -F auid!=unset "
    "-F uid={i} -k access{i}",
    "-a always,exit -F arch=b32 -S execve -F auid={i} -F key=exec",
    "-a never,exit -F arch=b64 -S adjtimex -F uid={i}",
    "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F a1&0111 -F filetype=file -F pid={i}",
    "-a always,exit -F arch=b64 -S connect -F a2=16 -F success=1 -F ppid={i} -k net",
    "-w {root}/dir{i}/ -p rwa -k dir{i}",
    "-a never,exclude -F msgtype=CWD -F pid={i}",
    "-a always,user -F uid={i}",
    "-a always,exit -F path={root}/bin/tool{i} -F perm=x -F auid!=-1 -k tools",
]


def generate(path, root, n):
    os.makedirs(os.path.join(root, "bin"), exist_ok=True)
    with open(path, "w") as f:
        f.write("-D\n")
        for i in range(n):
            line = SHAPES[i % len(SHAPES)].format(i=i, root=root)
            if "/app" in line:
                os.makedirs(os.path.join(root, f"app{i}"), exist_ok=True)
                open(os.path.join(root, f"app{i}", "config"), "w").close()
            if "/dir" in line:
                os.makedirs(os.path.join(root, f"dir{i}"), exist_ok=True)
            f.write(line + "\n")


def timed(*cmds):
    start = time.perf_counter()
    for cmd in cmds:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr[-500:]}")
    return time.perf_counter() - start


def listing():
    return subprocess.run(["auditctl", "-l"], capture_output=True, text=True).stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--rules", type=int, default=1000)
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    af = os.path.abspath(args.af)
    with KernelGuard("load benchmark"):
        work = tempfile.mkdtemp(prefix="af-load-bench-")
        try:
            rules = os.path.join(work, "bench.rules")
            generate(rules, os.path.join(work, "root"), args.rules)
            os.chmod(rules, 0o600)
            clear = ["auditctl", "-D"]
            times = {k: [] for k in ("auditctl_empty", "load_empty", "auditctl_reload",
                                     "load_reload")}
            for _ in range(args.runs):
                timed(clear)
                times["auditctl_empty"].append(timed(clear, ["auditctl", "-R", rules]))
                expected = listing()
                times["auditctl_reload"].append(timed(clear, ["auditctl", "-R", rules]))
                timed(clear)
                times["load_empty"].append(timed([af, "load", rules]))
                if listing() != expected:
                    raise SystemExit("auditforge load left other rules than auditctl -R")
                times["load_reload"].append(timed([af, "load", rules]))
            held = len(expected.splitlines())
        finally:
            subprocess.run(["auditctl", "-D"], capture_output=True)
            shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.rules} rules in the file, {held} held by the kernel; median of {args.runs} runs")
    print(f"{'case':<44} {'median':>9} {'min':>9} {'max':>9}")
    labels = {
        "auditctl_empty": "auditctl -D; auditctl -R (empty kernel)",
        "load_empty": "auditforge load (empty kernel)",
        "auditctl_reload": "auditctl -D; auditctl -R (same rules loaded)",
        "load_reload": "auditforge load (same rules loaded: no-op)",
    }
    for k, label in labels.items():
        v = times[k]
        print(f"{label:<44} {med[k] * 1000:8.1f}ms {min(v) * 1000:8.1f}ms {max(v) * 1000:8.1f}ms")
    print(f"ratio load/auditctl, empty kernel: {med['load_empty'] / med['auditctl_empty']:.2f}")
    print(f"ratio load/auditctl, reload:       {med['load_reload'] / med['auditctl_reload']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
