#!/usr/bin/env bash
# Builds the Debian package attune_<version>_<arch>.deb through CPack, with
# Debian's hardening build flags, and copies it to the output folder.
# Usage: scripts/package.sh [build-dir] [output-dir]
#   build-dir   default: build-pkg (a Release-like build without tests)
#   output-dir  default: the repository root
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${1:-$root/build-pkg}
out=${2:-$root}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The flags Debian builds its own packages with (fortify, stack protector,
# RELRO, bind-now); CMAKE_BUILD_TYPE=None lets them through unchanged.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
export CPPFLAGS
export CFLAGS="$CFLAGS $CPPFLAGS"
export CXXFLAGS="$CXXFLAGS $CPPFLAGS"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=None -DATTUNE_BUILD_TESTS=OFF \
  -DATTUNE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
rm -f "$build"/package/attune_*.deb
(cd "$build" && cpack -G DEB -B "$build/package" >/dev/null)
deb=$(ls "$build"/package/attune_*.deb)
cp "$deb" "$out/"
echo "$out/$(basename "$deb")"
