#!/usr/bin/env bash
# Installs what is missing, builds Attune, and starts it. Arguments are
# passed to attune (try --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
exec "$root/build/peer/attune" "$@"
