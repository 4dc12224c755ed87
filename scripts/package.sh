#!/usr/bin/env bash
# Builds the Debian package attune_<version>_<arch>.deb through CPack, with
# Debian's hardening build flags, and copies it to the output folder.
# Usage: scripts/package.sh [build-dir] [output-dir]
#   build-dir   default: build-pkg (a Release-like build without tests). A
#               folder configured before (the README's build, say) is packed
#               as it is configured, after building what it lacks, so the
#               package ships the binaries its tests ran; sanitizer, fuzz and
#               unhardened builds are refused.
#   output-dir  default: the repository root
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${1:-$root/build-pkg}
out=${2:-$root}
mkdir -p "$out"
out=$(cd "$out" && pwd)
mkdir -p "$build"
build=$(cd "$build" && pwd)

if [ -f "$build/CMakeCache.txt" ]; then
  cached() { grep -qiE "^$1:BOOL=($2)\$" "$build/CMakeCache.txt"; }
  for option in ATTUNE_SANITIZE ATTUNE_TSAN ATTUNE_FUZZ; do
    if cached "$option" 'ON|TRUE|YES|1'; then
      echo "package: $build is a $option build; a package needs an ordinary one" >&2
      exit 1
    fi
  done
  if cached ATTUNE_HARDENING 'OFF|FALSE|NO|0'; then
    echo "package: $build was configured with ATTUNE_HARDENING=OFF; a package needs the hardened flags" >&2
    exit 1
  fi
else
  # The flags Debian builds its own packages with; CMAKE_BUILD_TYPE=None lets
  # them through unchanged (the project adds the same protections itself).
  eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
  export CPPFLAGS
  export CFLAGS="$CFLAGS $CPPFLAGS"
  export CXXFLAGS="$CXXFLAGS $CPPFLAGS"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=None -DATTUNE_BUILD_TESTS=OFF \
    -DATTUNE_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
rm -f "$build"/package/attune_*.deb
(cd "$build" && cpack -G DEB -B "$build/package" >/dev/null)
deb=$(ls "$build"/package/attune_*.deb)
cp "$deb" "$out/"
echo "$out/$(basename "$deb")"
