#!/usr/bin/env bash
# The README's main job on bundled example data: check a shipped rule set, print it in
# canonical form and as the kernel would list it after loading.
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
