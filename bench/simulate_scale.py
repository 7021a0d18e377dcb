#!/usr/bin/env python3
"""Benchmark: `auditforge simulate` over a large audit log, against `aureport` and `cat`.

The log is built from a real recording (bench/data/busy-sample.log.gz: 40,000 records that
`auditforge record` captured on a Debian 12 VM while a busy shell script ran under a
catch-all rule), repeated with shifted timestamps and serials until it reaches --size-mb.

For each rule count (1, 100, 500, 5,000 by default) a rule set mixing the shapes real rule
files use (syscall rules with auid and argument filters, dir= and path= watches, exe rules,
-S all never rules) is replayed over the whole log on one thread and on every core (after
checking that both give the same summary), and compared in the same run with
`cat LOG > /dev/null` and `aureport -if LOG --key --summary`. Times are wall-clock medians
(cat is timed before every auditforge run and its median taken over all of them); memory is
the child's peak RSS. The page cache is warm for every command (each reads the file
once before timing).

usage: bench/simulate_scale.py --af build/cli/auditforge [--size-mb 1024] [--reps 3]
                               [--rules 1,100,500,5000] [--no-aureport]
"""
import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = re.compile(rb"msg=audit\((\d+)\.(\d{3}):(\d+)\)")


def build_log(path, size_mb):
    target = size_mb * 1024 * 1024
    if os.path.exists(path) and os.path.getsize(path) >= target:
        return
    sample = gzip.open(os.path.join(HERE, "data", "busy-sample.log.gz")).read()
    stamps = [(int(s), int(ms), int(n)) for s, ms, n in HEADER.findall(sample)]
    t0 = min(s * 1000 + ms for s, ms, _ in stamps)
    t1 = max(s * 1000 + ms for s, ms, _ in stamps)
    serial_span = max(n for _, _, n in stamps) - min(n for _, _, n in stamps) + 1
    time_span = t1 - t0 + 1000
    with open(path + ".tmp", "wb") as out:
        written, copy = 0, 0
        while written < target:
            shift_ms, shift_serial = copy * time_span, copy * serial_span

            def shifted(m):
                t = int(m.group(1)) * 1000 + int(m.group(2)) + shift_ms
                return b"msg=audit(%d.%03d:%d)" % (t // 1000, t % 1000, int(m.group(3)) + shift_serial)

            chunk = HEADER.sub(shifted, sample)
            out.write(chunk)
            written += len(chunk)
            copy += 1
    os.rename(path + ".tmp", path)


def make_rules(n):
    """n rules of the shapes real files use; the last is a catch-all so that events fire."""
    hot = ["read", "write", "close", "mmap", "newfstatat", "openat", "fstat", "lseek", "brk", "rt_sigaction"]
    lines = []
    for i in range(n - 1):
        kind = i % 6
        if kind == 0:
            lines.append(f"-a always,exit -F arch=b64 -S openat,open -F dir=/srv/d{i} -F auid>=1000 -F auid!=unset -k dir{i}")
        elif kind == 1:
            lines.append(f"-w /etc/watched/f{i} -p wa -k watch{i}")
        elif kind == 2:
            lines.append(f"-a always,exit -F arch=b64 -S execve -F exe=/usr/local/bin/tool{i} -k exe{i}")
        elif kind == 3:
            lines.append(f"-a always,exit -F arch=b64 -S {hot[i % len(hot)]} -F a0={1000 + i} -F uid!=0 -k arg{i}")
        elif kind == 4:
            lines.append(f"-a never,exit -F arch=b64 -S all -F uid={20000 + i} -F auid={30000 + i}")
        else:
            lines.append(f"-a always,exit -F arch=b64 -S chmod,fchmodat,chown -F exit=-{1 + i % 30} -F auid={40000 + i} -k fail{i}")
    lines.append("-a always,exit -F arch=b64 -S all -k catchall")
    return "\n".join(lines) + "\n"


def timed(cmd):
    """Wall time and peak RSS (MB) of cmd, measured by GNU time so that the parent's memory
    (a fork of this Python process) does not count."""
    start = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - start
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[:500]}")
    return elapsed, int(r.stderr.strip().splitlines()[-1]) / 1024.0


CAT_RUNS = []  # cat is timed before every timed command: the page cache's speed drifts on VMs


def median_run(cmd, reps, log=None):
    runs = []
    for _ in range(reps):
        if log:
            CAT_RUNS.append(timed(["cat", log]))
        runs.append(timed(cmd))
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--af", required=True)
    p.add_argument("--size-mb", type=int, default=1024)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--rules", default="1,100,500,5000")
    p.add_argument("--work", default="/tmp/af-bench-simulate")
    p.add_argument("--no-aureport", action="store_true",
                   help="skip aureport (minutes per GB): for quick comparisons, not the table")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    log = os.path.join(args.work, f"busy-{args.size_mb}mb.log")
    build_log(log, args.size_mb)
    size_mb = os.path.getsize(log) / 1e6
    subprocess.run(["cat", log], stdout=subprocess.DEVNULL)  # warm the page cache

    # auditforge first, then cat, then aureport (which takes minutes): all in this one run.
    rows = []
    threads = os.cpu_count()
    for n in [int(x) for x in args.rules.split(",")]:
        rules = os.path.join(args.work, f"rules-{n}.rules")
        with open(rules, "w") as f:
            f.write(make_rules(n))
        cmd = [args.af, "simulate", "--no-stat", "--no-progress", rules, "--log", log, "--format", "json"]
        one = cmd + ["--threads", "1"]
        # The parallel replay must give the single-threaded summary, byte for byte.
        outputs = [subprocess.run(c, capture_output=True, check=True).stdout for c in (cmd, one)]
        if outputs[0] != outputs[1]:
            sys.exit(f"{n} rules: the summary on {threads} threads differs from the one on 1 thread")
        rows.append((f"simulate, {n} rules, 1 thread", *median_run(one, args.reps, log)))
        rows.append((f"simulate, {n} rules, {threads} threads", *median_run(cmd, args.reps, log)))
    cat_t = statistics.median(t for t, _ in CAT_RUNS)
    cat_m = max(m for _, m in CAT_RUNS)
    if args.no_aureport:
        aur_t, aur_m = float("nan"), float("nan")
    else:
        aur_t, aur_m = median_run(["aureport", "-if", log, "--key", "--summary"], 1)
    print(f"log: {log}, {size_mb:,.0f} MB")
    print(f"{'command':<38} {'time s':>8} {'MB/s':>8} {'peak MB':>8} {'x aureport':>10} {'/ cat':>6}")
    print(f"{'cat LOG > /dev/null':<38} {cat_t:>8.2f} {size_mb / cat_t:>8.0f} {cat_m:>8.1f} {'':>10} {'1.00':>6}")
    print(f"{'aureport --key --summary':<38} {aur_t:>8.2f} {size_mb / aur_t:>8.1f} {aur_m:>8.1f} {'1.0':>10} "
          f"{cat_t / aur_t:>6.3f}")
    for name, t, m in rows:
        print(f"{name:<38} {t:>8.2f} {size_mb / t:>8.0f} {m:>8.1f} {aur_t / t:>10.1f} {cat_t / t:>6.2f}")


if __name__ == "__main__":
    main()
