#!/usr/bin/env python3
"""`auditforge record` next to a running auditd: both receive the same kernel records at the
same time (auditd as the registered daemon, record from the read-only multicast group).
Compares what each wrote for the recording's window: records, bytes, identical lines, and
what was lost. Changes kernel state (starts auditd, loads a catch-all rule for the marked
command), so it runs under tests/kernel/kernel_guard.py.

usage: bench/record_vs_auditd.py --af build/cli/auditforge [--command 'sh -c ...']
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "kernel"))
from kernel_guard import KernelGuard, run, status  # noqa: E402

MARK = 4245
BUSY = ("find /usr/share -maxdepth 3 > /dev/null 2>&1; ls -lR /etc > /dev/null 2>&1; "
        "for i in $(seq 200); do cat /etc/hostname > /dev/null; done; "
        "tar -cf - /usr/share/doc 2>/dev/null | wc -c > /dev/null")
STAMP = re.compile(r"msg=audit\(\d+\.\d+:(\d+)\)")

AUDITD_CONF = """log_file = {dir}/auditd.log
log_format = RAW
log_group = root
priority_boost = 0
flush = INCREMENTAL_ASYNC
freq = 50
num_logs = 2
max_log_file = 4000
max_log_file_action = ROTATE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
write_logs = yes
name_format = NONE
plugin_dir = {dir}/plugins
q_depth = 8000
overflow_action = SYSLOG
end_of_event_timeout = 2
"""


def serials(lines):
    out = []
    for l in lines:
        m = STAMP.search(l)
        out.append(int(m.group(1)) if m else None)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--command", default=BUSY)
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="af-rec-auditd-")
    os.makedirs(os.path.join(work, "plugins"))
    with open(os.path.join(work, "auditd.conf"), "w") as f:
        f.write(AUDITD_CONF.format(dir=work))
    os.chmod(os.path.join(work, "auditd.conf"), 0o640)
    with KernelGuard("record vs auditd") as guard:
        if guard.before.get("pid", "0") != "0":
            print(f"*** SKIPPED: an audit daemon (pid {guard.before['pid']}) is registered ***")
            return 77
        run(["auditctl", "-D"])
        run(["auditctl", "-b", "8192"])
        auditd = subprocess.Popen(["auditd", "-n", "-c", work, "-s", "nochange"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.monotonic()
        try:
            for _ in range(100):
                if (status() or {}).get("pid") == str(auditd.pid):
                    break
                time.sleep(0.05)
            else:
                print("FAILED: auditd did not register")
                return 1
            time.sleep(1.0)  # let auditd finish starting before traffic begins
            run(["auditctl", "-a", "always,exit", "-F", "arch=b64", "-S", "all", "-F", f"auid={MARK}",
                 "-k", "busy"])
            log = os.path.join(work, "record.log")
            rec = run([args.af, "record", "-o", log, "--mark-auid", str(MARK), "--", "sh", "-c",
                       args.command], text=True)
            print(rec.stderr.strip())
            run(["auditctl", "-D"])
            time.sleep(max(0.0, 3.0 - (time.monotonic() - started)) + 1.0)  # let auditd flush
        finally:
            auditd.send_signal(signal.SIGTERM)
            try:
                auditd.wait(timeout=15)
            except subprocess.TimeoutExpired:
                auditd.kill()
                auditd.wait()
                print("NOTE: auditd did not stop on SIGTERM and was killed")
    ours = open(log, errors="replace").read().splitlines()
    theirs = open(os.path.join(work, "auditd.log"), errors="replace").read().splitlines()
    s_ours = [s for s in serials(ours) if s is not None]
    lo, hi = min(s_ours), max(s_ours)
    window = [l for l, s in zip(theirs, serials(theirs))
              if s is not None and lo <= s <= hi and not l.startswith("type=DAEMON_")]
    ours_set, theirs_set = set(ours), set(window)
    same = len(ours_set & theirs_set)
    b_ours = sum(len(l) + 1 for l in ours)
    b_theirs = sum(len(l) + 1 for l in window)
    print(f"serial window {lo}..{hi}")
    print(f"{'':<28} {'records':>8} {'bytes':>10}")
    print(f"{'auditforge record':<28} {len(ours):>8} {b_ours:>10}")
    print(f"{'auditd (same window)':<28} {len(window):>8} {b_theirs:>10}")
    print(f"identical lines: {same}; only in record: {len(ours_set - theirs_set)}; "
          f"only in auditd: {len(theirs_set - ours_set)}; same order: {ours == window}")
    for l in list(ours_set - theirs_set)[:3]:
        print("  only record:", l[:160])
    for l in list(theirs_set - ours_set)[:3]:
        print("  only auditd:", l[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
