#!/usr/bin/env bash
# Configures and builds one flavour of auditforge.
#   scripts/build.sh release    -> build/        (-Werror, optimised)
#   scripts/build.sh sanitize   -> build-asan/   (-Werror, ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAF_WERROR=ON) ;;
  sanitize) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DAF_WERROR=ON -DAF_SANITIZE=ON -DAF_BENCH=OFF) ;;
  *) echo "usage: $0 release|sanitize" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
# Two cores: the grammar and the compiler are the heavy parts.
ninja -C "$dir" -j 2
