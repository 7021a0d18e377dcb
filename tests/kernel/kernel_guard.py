"""Shared rules of conduct for every test that changes the kernel's audit state.

    with KernelGuard("what this test checks") as guard:
        ...  # free to run auditctl -D / -R / -e 1 / -b N here

* skips (exit 77, loudly) without root, auditctl or kernel audit support, and when the kernel
  is immutable (enabled 2);
* takes an exclusive lock on LOCK_PATH so that no two kernel tests (from two ctest runs, two
  build trees or two developers' shells) interleave; ctest's RESOURCE_LOCK only covers one run;
* saves the rules and settings first and restores them on the way out, even after an
  exception, and warns if a setting could not be put back;
* never restores `-e 2` or `-f 2` (a test could never have set them: the guard refuses to run
  on an immutable kernel, and tests must not use either).
"""
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
LOCK_PATH = "/run/lock/auditforge-kernel-tests.lock"
SETTINGS = (("-f", "failure"), ("-r", "rate_limit"), ("-b", "backlog_limit"),
            ("--backlog_wait_time", "backlog_wait_time"), ("-e", "enabled"))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def skip(test, why):
    print(f"SKIPPED: {test} not run: {why}", file=sys.stderr)
    print(f"*** SKIPPED (kernel): {test}: {why} ***")
    sys.exit(SKIP)


def status():
    """`auditctl -s` as a dict of strings, or None when it fails."""
    out = run(["auditctl", "-s"], text=True)
    if out.returncode != 0:
        return None
    values = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            values[parts[0]] = parts[1]
    return values


class KernelGuard:
    def __init__(self, test):
        self.test = test
        self.before = None
        self.saved_rules = ""
        self.lock = None

    def __enter__(self):
        if os.geteuid() != 0:
            skip(self.test, "needs root (CAP_AUDIT_CONTROL)")
        if shutil.which("auditctl") is None:
            skip(self.test, "auditctl is not installed")
        os.makedirs(os.path.dirname(LOCK_PATH), exist_ok=True)
        self.lock = open(LOCK_PATH, "w")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        self.before = status()
        if self.before is None:
            self.release()
            skip(self.test, "`auditctl -s` fails: no kernel audit support or no capability")
        if self.before.get("enabled") == "2":
            self.release()
            skip(self.test, "the kernel audit configuration is immutable (enabled 2)")
        self.saved_rules = run(["auditctl", "-l"], text=True).stdout
        return self

    def __exit__(self, *exc):
        try:
            self.restore()
        finally:
            self.release()
        return False

    def restore(self):
        run(["auditctl", "-D"])
        if self.saved_rules.strip() and self.saved_rules.strip() != "No rules":
            with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as f:
                f.write(self.saved_rules)
            os.chmod(f.name, 0o600)
            run(["auditctl", "-R", f.name])
            os.unlink(f.name)
        for opt, key in SETTINGS:
            value = self.before.get(key)
            if value is not None and not (key in ("enabled", "failure") and value == "2"):
                run(["auditctl", opt, value])
        after = status() or {}
        for _, key in SETTINGS:
            if self.before.get(key) != after.get(key):
                print(f"WARNING: kernel setting {key} was {self.before.get(key)}, "
                      f"now {after.get(key)}")
        if run(["auditctl", "-l"], text=True).stdout != self.saved_rules:
            print("WARNING: the kernel's rules differ from those saved before the test")

    def release(self):
        if self.lock is not None:
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            self.lock.close()
            self.lock = None
