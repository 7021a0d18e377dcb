#!/usr/bin/env python3
"""lint_docs.py AF DOCDIR OUTDIR: runs `AF lint` on the Bad and Good example of every check page
DOCDIR/<id>.md. The Bad example must draw a finding of <id>; the Good example must draw none of
<id> and no error. Pages without examples must say which test covers them. So the docs are the
tests, and cannot drift from the checks."""
import json
import os
import re
import subprocess
import sys

af, docdir, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
failures = []
pages = 0
for name in sorted(os.listdir(docdir)):
    if not name.endswith(".md") or name == "README.md":
        continue
    check = name[:-3]
    text = open(os.path.join(docdir, name)).read()
    blocks = {}
    for part in ("Bad", "Good"):
        m = re.search(r"^## " + part + r"\n+```rules\n(.*?)^```", text, re.M | re.S)
        if m:
            blocks[part] = m.group(1)
    if not blocks:
        if "tests/lit/lint/" not in text:
            failures.append(f"{check}: no Bad/Good example and no test named")
        continue
    pages += 1
    for part in ("Bad", "Good"):
        if part not in blocks:
            failures.append(f"{check}: no {part} example")
            continue
        path = os.path.join(out, f"{check}.{part.lower()}.rules")
        with open(path, "w") as f:
            f.write(blocks[part])
        run = subprocess.run([af, "lint", "--format", "json", path], capture_output=True, text=True)
        if run.returncode not in (0, 1):
            failures.append(f"{check}: {part}: exit {run.returncode}: {run.stderr.strip()}")
            continue
        findings = json.loads(run.stdout)["findings"]
        mine = [f for f in findings if f["check"] == check]
        errors = [f for f in findings if f["severity"] == "error"]
        if part == "Bad" and not mine:
            failures.append(f"{check}: the Bad example draws no [{check}]: {findings}")
        if part == "Good" and mine:
            failures.append(f"{check}: the Good example draws {mine}")
        if part == "Good" and errors:
            failures.append(f"{check}: the Good example has errors: {errors}")
for f in failures:
    print("FAIL", f)
print(f"{pages} pages with examples, {len(failures)} failures")
sys.exit(1 if failures else 0)
