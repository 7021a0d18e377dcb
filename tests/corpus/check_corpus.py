#!/usr/bin/env python3
"""Runs `auditforge check` over every rule file of the shared corpus and compares each file's
verdict (exit code, and the error and warning ids with their lines) with the pinned list in
check_expected.txt. A change in any verdict fails the test and prints the difference; rerun
with --update after checking the new verdicts against auditctl (tests/kernel)."""
import argparse
import difflib
import json
import os
import subprocess
import sys


def verdict(af, path):
    out = subprocess.run([af, "check", "--no-stat", "--format", "json", path],
                         capture_output=True, text=True)
    try:
        diags = json.loads(out.stdout)["diagnostics"]
    except ValueError:
        return f"exit {out.returncode}; unreadable output: {out.stderr.strip()[:200]}"
    parts = []
    for sev in ("error", "warning"):
        found = [f"{d['id']}@{d['line']}" for d in diags if d["severity"] == sev]
        if found:
            parts.append(f"{sev}s: " + " ".join(found))
    return f"exit {out.returncode}" + ("; " + "; ".join(parts) if parts else "; clean")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--update", action="store_true")
    args = p.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"corpus.check: FAILED: no corpus at {args.corpus}")
        return 1
    lines = []
    for name in sorted(os.listdir(args.corpus)):
        lines.append(f"{name}: {verdict(args.af, os.path.join(args.corpus, name))}")
    text = "\n".join(lines) + "\n"
    if args.update:
        with open(args.expected, "w") as f:
            f.write(text)
        print(f"wrote {len(lines)} verdicts to {args.expected}")
        return 0
    with open(args.expected) as f:
        expected = f.read()
    clean = sum(1 for l in lines if l.endswith("; clean"))
    errors = sum(1 for l in lines if "errors:" in l)
    print(f"{len(lines)} corpus files: {clean} clean, {errors} with errors, "
          f"{len(lines) - clean - errors} with warnings only")
    if text != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                   "check_expected.txt", "now"))
        print("corpus.check: 0 passed, 1 failed")
        return 1
    print("corpus.check: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
