#!/usr/bin/env python3
"""run_each.py 'COMMAND {}' PATTERN...: runs COMMAND once per file matching the glob
patterns ({} is the file) and fails if any run exits non-zero, naming it. lit's internal shell
has neither loops nor globs."""
import glob
import shlex
import subprocess
import sys

template = sys.argv[1]
files = [f for pattern in sys.argv[2:] for f in sorted(glob.glob(pattern))]
failed = 0
for f in files:
    cmd = template.replace("{}", shlex.quote(f))
    rc = subprocess.call(cmd, shell=True)
    if rc != 0:
        print(f"run_each: exit {rc}: {cmd}", file=sys.stderr)
        failed += 1
print(f"{len(files)} runs, {failed} failed")
sys.exit(1 if failed else 0)
