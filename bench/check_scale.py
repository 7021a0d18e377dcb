#!/usr/bin/env python3
"""Whole-process benchmark: `auditforge check` and `fmt --listing` on generated rule files of
1,000, 10,000 and 100,000 rules. Reports wall time (best of N runs) and peak memory (max RSS)
so that growth can be read off directly; time per rule should stay flat (linear growth).

    python3 bench/check_scale.py --af build/cli/auditforge [--sizes 1000,10000,100000] [--runs 3]

The rules mix the shapes real files have (watches, syscall rules with arch and filters,
exclude and user rules, comments), each unique so that the kernel would accept them all."""
import argparse
import os
import resource
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
    "-a always,exit -F path=/usr/bin/tool{i} -F perm=x -F auid!=-1 -k tools",
]


def generate(path, n):
    with open(path, "w") as f:
        f.write("-D\n-b 8192\n")
        for i in range(n):
            f.write(SHAPES[i % len(SHAPES)].format(i=i) + "\n")
        f.write("-e 1\n")


def measure(cmd, runs):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    # ru_maxrss of children is the largest peak of any child so far (KiB): run the sizes in
    # increasing order so the figure belongs to the current size.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return best, peak


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'rules':>8} {'bytes':>11} {'command':<20} {'best s':>8} {'us/rule':>8} {'peak MiB':>9}")
        for n in sizes:
            path = os.path.join(tmp, f"r{n}.rules")
            generate(path, n)
            size = os.path.getsize(path)
            for name, cmd in (("check", [args.af, "check", "--no-stat", path]),
                              ("fmt --listing", [args.af, "fmt", "--no-stat", "--listing", path])):
                t, peak = measure(cmd, args.runs)
                print(f"{n:>8} {size:>11} {name:<20} {t:>8.3f} {t / n * 1e6:>8.2f} {peak / 1024:>9.1f}")


if __name__ == "__main__":
    main()
