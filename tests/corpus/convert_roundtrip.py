#!/usr/bin/env python3
"""Converts every corpus rule file to a policy, compiles the policy back to audit.rules, and
compares the kernel's view of both (`fmt --listing`): they must be identical. Files that
`check` rejects are reported as not convertible (their errors are auditctl's too)."""
import argparse
import os
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--corpus", required=True)
    args = p.parse_args()
    same = differ = rejected = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(args.corpus)):
            src = os.path.join(args.corpus, name)
            original = run([args.af, "fmt", "--no-stat", "--listing", src])
            if original.returncode != 0:
                rejected += 1
                print(f"{name}: not converted: check reports errors (as auditctl does)")
                continue
            policy = os.path.join(tmp, "p.audit")
            conv = run([args.af, "convert", "--no-stat", "-o", policy, src])
            compiled = os.path.join(tmp, "c.rules")
            comp = run([args.af, "compile", "--target", "audit.rules", "-o", compiled, policy])
            back = run([args.af, "fmt", "--no-stat", "--listing", compiled])
            if conv.returncode == 0 and comp.returncode == 0 and back.stdout == original.stdout:
                same += 1
            else:
                differ += 1
                print(f"{name}: DIFFERENT: convert rc={conv.returncode} compile rc={comp.returncode}")
                print((conv.stderr + comp.stderr)[:600])
                a, b = original.stdout.splitlines(), back.stdout.splitlines()
                for x, y in zip(a, b):
                    if x != y:
                        print(f"  original: {x}\n  via policy: {y}")
                        break
                if len(a) != len(b):
                    print(f"  {len(a)} rules originally, {len(b)} via the policy")
    print(f"convert round trip: {same} identical, {differ} different, {rejected} not convertible")
    print(f"convert: {same} passed, {differ} failed")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
