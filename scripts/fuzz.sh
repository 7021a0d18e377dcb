#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and fuzzes one for
# SECONDS (default 600): `classic` (default; both rule front ends, seeded with the corpus's
# rule files) or `log` (the simulator's reader and evaluator, seeded with the corpus's logs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
target=${2:-classic}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAF_FUZZ=ON -DAF_SANITIZE=ON -DAF_BENCH=OFF >/dev/null
ninja -C build-fuzz -j 2 "af_fuzz_$target"
corpus=build-fuzz/fuzz-corpus-$target
mkdir -p "$corpus"
if [[ $target == log ]]; then
  cp -n ../shared/corpus/logs/*.log ../shared/corpus/logs/*.txt tests/lit/simulate/Inputs/*.log "$corpus"/ 2>/dev/null || true
else
  cp -n ../shared/corpus/rules/* examples/classic/*.rules "$corpus"/ 2>/dev/null || true
fi
build-fuzz/tests/"af_fuzz_$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 "$corpus"
