#!/usr/bin/env python3
"""Whole-process benchmark: `auditforge lint` on generated rule files of 1,000, 10,000 and
50,000 rules, beside `auditforge check` on the same file (lint = check + the checks, so the
difference is the linter's cost). Reports wall time (best of N runs) and peak memory (max RSS).
The issue's target: 10,000 rules in under 1 s.

    python3 bench/lint_scale.py --af build/cli/auditforge [--sizes 1000,10000,50000] [--runs 3]

The rules are check_scale.py's mix (watches, syscall rules with arch and filters, never rules,
exclude and user rules), each unique. A tenth of them also share one syscall and differ only in
range conditions, the case the rule-order index cannot narrow by an equality anchor: they are
compared with every earlier rule of their syscall bucket."""
import argparse
import os
import subprocess
import tempfile
import time

SHAPES = [
    "-w /etc/app{i}/config -p wa -k app{i}",
    "-a always,exit -F arch=b64 -S openat,open -F exit=-EACCES -F auid>=1000 -F auid!=unset -F uid={i} -k access{i}",
    "-a always,exit -F arch=b32 -S execve -F auid={i} -F key=exec",
    "-a never,exit -F arch=b64 -S adjtimex -F uid={i} -F subj_type=chronyd_t",
    "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F a1&0111 -F filetype=file -F pid={i}",
    "-a always,exit -F arch=b64 -S connect -F a2=16 -F success=1 -F ppid={i} -k net",
    "## comment {i}",
    "-a never,exclude -F msgtype=CWD -F pid={i}",
    "-a always,user -F uid={i}",
    "-a always,exit -F arch=b64 -S mount -F auid>={i} -F auid<{j} -k mounts",
]


def generate(path, n):
    with open(path, "w") as f:
        f.write("-D\n-b 8192\n")
        for i in range(n):
            # The range shape counts down, so no earlier rule covers a later one.
            f.write(SHAPES[i % len(SHAPES)].format(i=n - i, j=n - i + 2) + "\n")
        f.write("-e 1\n")


def measure(cmd, runs):
    """Best wall time of `runs` runs and the largest peak RSS (KiB) of this command's runs,
    read per process with wait4 so that check and lint are measured apart."""
    best, peak = None, 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        rc = os.waitstatus_to_exitcode(status)
        if rc not in (0, 1):
            raise SystemExit(f"exit {rc}: {' '.join(cmd)}")
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, usage.ru_maxrss)
    return best, peak


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--sizes", default="1000,10000,50000")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'rules':>8} {'bytes':>11} {'command':<12} {'best s':>8} {'us/rule':>8} {'peak MiB':>9} {'findings':>9}")
        for n in sizes:
            path = os.path.join(tmp, f"r{n}.rules")
            generate(path, n)
            size = os.path.getsize(path)
            lint = [args.af, "lint", "--no-stat", "--format", "json", path]
            findings = subprocess.run(lint, capture_output=True, text=True).stdout.count('"check":')
            for name, cmd in (("check", [args.af, "check", "--no-stat", path]), ("lint", lint)):
                t, peak = measure(cmd, args.runs)
                count = findings if name == "lint" else ""
                print(f"{n:>8} {size:>11} {name:<12} {t:>8.3f} {t / n * 1e6:>8.2f} {peak / 1024:>9.1f} {count:>9}")


if __name__ == "__main__":
    main()
