#!/usr/bin/env bash
# The long soak: N complete sessions back to back through real headless
# peers on loopback, with flat memory checked and a figure row per session.
# Usage: scripts/soak.sh [sessions=200] [build-dir=build]
# Builds only what the soak needs; exits non-zero if any session fails or
# memory grows beyond the bounds stated in tests/load/soak_test.cpp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sessions=${1:-200}
build=${2:-$root/build}
cmake -S "$root" -B "$build" -DATTUNE_WERROR=ON >/dev/null
cmake --build "$build" -j2 --target load_test
ATTUNE_SOAK_SESSIONS="$sessions" "$build/tests/load_test" --gtest_filter="Soak.*"
