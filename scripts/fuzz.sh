#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and fuzzes the classic
# front end for SECONDS (default 600), starting from the shared corpus's rule files.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAF_FUZZ=ON -DAF_SANITIZE=ON -DAF_BENCH=OFF >/dev/null
ninja -C build-fuzz -j 2 af_fuzz_classic
corpus=build-fuzz/fuzz-corpus
mkdir -p "$corpus"
cp -n ../shared/corpus/rules/* examples/classic/*.rules "$corpus"/ 2>/dev/null || true
build-fuzz/tests/af_fuzz_classic -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 "$corpus"
