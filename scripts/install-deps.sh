#!/usr/bin/env bash
# Installs every Debian 12 package auditforge needs to build, test and benchmark.
# Idempotent: packages already present are left alone. Must run as root.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang clang-format git
  # grammar: the Debian antlr4 tool (4.7.2) generates code for the 4.9 runtime
  antlr4 libantlr4-runtime-dev
  # libraries
  libaudit-dev nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libfmt-dev libexpected-dev
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev llvm-14-tools libbenchmark-dev python3 python3-yaml
  # 32-bit helpers for the simulator-vs-kernel test (b32 syscalls)
  gcc-multilib
  # renders simulate's HTML report in a test
  chromium
  # the real tools we compare against (auditctl, aureport)
  auditd
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}; run this script as root" >&2
  exit 2
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
