#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for N
# seconds (default 60) from its committed seed corpus. Fails on any crash,
# leak, sanitizer report or broken invariant; the input that did it is saved
# under <build>/findings/<target>/ (copy it into tests/fuzz/corpus/<target>/
# once fixed, so the normal test run keeps checking it).
# Usage: scripts/fuzz.sh [seconds] [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=$(realpath -m "${2:-$root/build-fuzz}")
targets=(frame_decoder handshake engine_intents discovery_packet invite text_validator command_line)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DATTUNE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

status=0
for t in "${targets[@]}"; do
  work="$build/corpus/$t"      # What the fuzzer learns; the committed seeds stay untouched.
  findings="$build/findings/$t"
  mkdir -p "$work" "$findings"
  echo "== fuzz_$t for ${seconds}s =="
  if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$root/tests/fuzz/corpus/$t" \
      >"$build/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED; see $build/fuzz_$t.log and $findings/"
    tail -40 "$build/fuzz_$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz_$t.log" | tr '\n' ' '
    echo "$(grep -oE 'cov: [0-9]+' "$build/fuzz_$t.log" | tail -1)"
  fi
done
exit $status
