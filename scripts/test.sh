#!/usr/bin/env bash
# Installs what is missing, builds Attune with warnings as errors, and runs
# the whole test suite through ctest.
# Usage: scripts/test.sh [build-dir] [extra cmake -D options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${1:-$root/build}
shift || true
"$root/scripts/build.sh" "$build" -DATTUNE_WERROR=ON "$@"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
