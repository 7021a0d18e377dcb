#!/usr/bin/env bash
# The README's test command: installs the Debian dependencies, builds auditforge twice (an
# optimised -Werror build and an ASan+UBSan build) and runs every test in both with ctest.
# Kernel tests run serially and report SKIPPED where the kernel refuses.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "=== auditforge: clang-format check ==="
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for flavour in release sanitize; do
  echo "=== auditforge: $flavour build ==="
  bash scripts/build.sh "$flavour"
  dir=build; [[ $flavour == sanitize ]] && dir=build-asan
  echo "=== auditforge: $flavour tests ==="
  ctest --test-dir "$dir" --output-on-failure -j 2
done
