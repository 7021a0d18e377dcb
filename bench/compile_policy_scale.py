#!/usr/bin/env python3
"""Whole-process benchmark: compile a policy that expands to N kernel rules (each policy rule
gives 2 ABIs x 2 branches = 4 kernel rules) to audit.rules, for N = 1,000, 10,000 and
50,000. Reports wall time (best of --runs) and peak memory.

    python3 bench/compile_policy_scale.py --af build/cli/auditforge"""
import argparse
import os
import resource
import subprocess
import tempfile
import time


def generate(path, kernel_rules):
    with open(path, "w") as f:
        f.write("target arch x86_64\nlist admins = [1000, 1001]\n")
        f.write("condition logged-in = auid >= 1000 and auid != unset\n")
        for i in range(kernel_rules // 4):
            f.write(f'rule r{i} "generated rule {i}" {{\n'
                    f'  tags [T{1000 + i % 500}]\n'
                    f'  syscalls openat, execve, connect\n'
                    f'  where (uid == {i} or euid == {i}) and logged-in and exe != "/opt/app{i}"\n'
                    f'}}\n')


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--sizes", default="1000,10000,50000")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'kernel rules':>12} {'policy bytes':>12} {'best s':>8} {'us/rule':>8} {'peak MiB':>9}")
        for n in sorted(int(s) for s in args.sizes.split(",")):
            src = os.path.join(tmp, f"p{n}.audit")
            generate(src, n)
            out = os.path.join(tmp, "out.rules")
            best = None
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run([args.af, "compile", "--target", "audit.rules", "-o", out, src],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                t = time.perf_counter() - start
                best = t if best is None else min(best, t)
            got = sum(1 for line in open(out) if line.startswith("-a "))
            assert got == n, f"expected {n} kernel rules, compiled {got}"
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{n:>12} {os.path.getsize(src):>12} {best:>8.3f} {best / n * 1e6:>8.2f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
