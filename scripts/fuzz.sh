#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for N
# seconds (default 60) from its committed seed corpus, one per core at a time
# (ATTUNE_FUZZ_JOBS overrides). Fails on any crash,
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

# One fuzzer per core at a time (each is single-threaded).
jobs=${ATTUNE_FUZZ_JOBS:-$(nproc)}

# Runs one target for the time given; its log is kept beside the build.
run_one() {
  local t=$1 work="$build/corpus/$1" findings="$build/findings/$1"  # What the fuzzer learns; the committed seeds stay untouched.
  mkdir -p "$work" "$findings"
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$root/tests/fuzz/corpus/$t" \
    >"$build/fuzz_$t.log" 2>&1
}

# Reports one finished target: its figures, or the failure and its log's tail.
report() {
  local t=$1 rc=$2
  if [ "$rc" -ne 0 ]; then
    echo "fuzz_$t FAILED; see $build/fuzz_$t.log and $build/findings/$t/"
    tail -40 "$build/fuzz_$t.log"
    return 1
  fi
  echo "fuzz_$t ran ${seconds}s: $(grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz_$t.log" | tr '\n' ' ')$(grep -oE 'cov: [0-9]+' "$build/fuzz_$t.log" | tail -1)"
}

status=0
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  batch=("${targets[@]:i:jobs}")
  echo "== ${batch[*]/#/fuzz_} for ${seconds}s =="
  pids=()
  for t in "${batch[@]}"; do
    run_one "$t" &
    pids+=($!)
  done
  for k in "${!batch[@]}"; do
    rc=0
    wait "${pids[$k]}" || rc=$?
    report "${batch[$k]}" "$rc" || status=1
  done
done
exit $status
