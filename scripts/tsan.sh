#!/usr/bin/env bash
# Builds the networking code and its tests with ThreadSanitizer (GCC) and
# runs the networking tests: real `attune` processes on loopback and the
# CLI driving them. The GUI and the network
# namespace tests are left out. Any race report (from a test or from a
# spawned peer) fails the run; reports are kept in <build>/tsan-reports/.
# Usage: scripts/tsan.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build-tsan}")  # Absolute: TSan log paths are opened from each process's own folder.
# Only suites where threads meet: real peers (an io thread beside the UI or
# the stdin reader) talking over loopback. The single-threaded unit suites
# (the store, the command parser, the connector) can hold no race for TSan to
# see, and building peer_test for them cost a sixth of this stage.
targets=(attune peer_process_test load_test)
tests='^(Abuse|SessionOverNetwork|KillAtEveryStep|Outage|WireRobustness|VersionCheck|Liveness|Cli|TextDoor)\.'

cmake -S "$root" -B "$build" -DATTUNE_TSAN=ON -DATTUNE_WERROR=ON -DATTUNE_BUILD_GUI=OFF \
  -DATTUNE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

reports="$build/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
# log_path: every process (tests and the peers they spawn) writes its own
# report file, so races inside a child peer are not lost with its stderr.
export TSAN_OPTIONS="log_path=$reports/tsan second_deadlock_stack=1 history_size=4 suppressions=$root/tests/tsan.supp"
status=0
(cd "$build" && ctest -R "$tests" --output-on-failure -j2 --timeout 900) || status=1
if compgen -G "$reports/tsan.*" >/dev/null; then
  echo "ThreadSanitizer reported problems:"
  for f in "$reports"/tsan.*; do
    echo "---- $f"
    head -60 "$f"
  done
  status=1
fi
exit $status
