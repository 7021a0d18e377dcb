#!/usr/bin/env python3
"""exit_is.py N CMD ARGS...: run CMD, pass its stdout/stderr through, and succeed only if its
exit status is exactly N."""
import subprocess
import sys

want = int(sys.argv[1])
rc = subprocess.call(sys.argv[2:])
if rc != want:
    sys.stderr.write(f"exit_is: expected exit status {want}, got {rc}: {' '.join(sys.argv[2:])}\n")
    sys.exit(1)
