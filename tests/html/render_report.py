#!/usr/bin/env python3
"""Renders `simulate --html` in headless Chromium and checks what a reader would see: the
totals, one table row per rule with its hits, a chart for the rules that fired, and a page
that loads nothing from outside. Skips loudly (exit 77) where Chromium is not installed."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--log", required=True)
    args = p.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("*** SKIPPED: HTML report rendering not checked: chromium is not installed ***")
        return SKIP
    work = tempfile.mkdtemp(prefix="af-html-")
    try:
        page = os.path.join(work, "report.html")
        r = subprocess.run([args.af, "simulate", "--no-stat", args.rules, "--log", args.log, "--html", page],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("simulate failed:", r.stderr)
            return 1
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--user-data-dir={work}/profile", "--virtual-time-budget=2000"]
        dom = subprocess.run([browser, *flags, "--dump-dom", "file://" + page],
                             capture_output=True, text=True, timeout=120)
        shot = os.path.join(work, "report.png")
        subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1400,900", "file://" + page],
                       capture_output=True, timeout=120)
        text = dom.stdout
        problems = []
        # The totals as rendered (tags removed, as a reader sees them).
        totals = re.search(r'<p id="totals">(.*?)</p>', text, re.S)
        visible = re.sub(r"<[^>]+>", "", totals.group(1)) if totals else ""
        if "6 syscall events: 4 fired, 1 suppressed, 0 unmatched, 1 undetermined" not in visible:
            problems.append(f"totals not rendered as expected: {visible!r}")
        rows = re.findall(r"<tr class=\"(fired|never)\">(.*?)</tr>", text, re.S)
        if len(rows) != 5:
            problems.append(f"expected 5 rule rows, the DOM has {len(rows)}")
        fired = [r for r in rows if r[0] == "fired"]
        if len(fired) != 4 or any("<rect" not in body for _, body in fired):
            problems.append("every rule that fired must have a chart with bars")
        if not any("-w /etc/shadow -p r -k shadow-read" in body for _, body in rows):
            problems.append("the watch rule's text is missing")
        if re.search(r"<script|\bsrc=|\bhref=", text):
            problems.append("the page loads or runs something")
        if not os.path.exists(shot) or os.path.getsize(shot) < 2000:
            problems.append("no screenshot was rendered")
        for x in problems:
            print("FAIL:", x)
        if not problems:
            print(f"html report rendered by {os.path.basename(browser)}: totals, 5 rule rows, 4 charts, "
                  f"screenshot {os.path.getsize(shot)} bytes")
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
