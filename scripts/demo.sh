#!/usr/bin/env bash
# The README's main job on bundled example data: check, format, compile and lint a shipped
# classic rule set and the shipped policy packs, then replay a shipped recording through them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
af=build/cli/auditforge
rules=examples/classic/hardening.rules
echo "=== auditforge check $rules ==="
"$af" check "$rules"
echo "=== auditforge fmt $rules (canonical form) ==="
"$af" fmt "$rules"
echo "=== auditforge fmt --listing $rules (what 'auditctl -l' shows after loading it) ==="
"$af" fmt --listing "$rules"
echo "=== auditforge check examples/classic/mistakes.rules (a file with typical errors) ==="
"$af" check examples/classic/mistakes.rules || echo "(exit $? as expected: the file has errors)"
echo "=== auditforge compile rulesets/power-abuse.audit --target audit.rules (x86_64 and aarch64) ==="
"$af" compile --arch x86_64,aarch64 --target audit.rules rulesets/power-abuse.audit
echo "=== auditforge compile rulesets/webroot.audit --target auditbeat ==="
"$af" compile --target auditbeat rulesets/webroot.audit
echo "=== auditforge lint $rules ==="
"$af" lint "$rules"
echo "=== auditforge lint --format sarif (for CI code scanning), first lines ==="
"$af" lint --format sarif examples/classic/mistakes.rules | head -n 12 || true
echo "=== auditforge simulate $rules against a shipped recording (examples/recordings) ==="
zcat examples/recordings/session.log.gz | "$af" simulate "$rules" --log -
echo "=== the same recording: what would rulesets/identity.audit + privileged.audit change? ==="
zcat examples/recordings/session.log.gz | "$af" simulate "$rules" --diff rulesets/identity.audit rulesets/privileged.audit --log -
