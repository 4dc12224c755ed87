#!/usr/bin/env bash
# The pure core must not read a clock, touch a socket or a file, or start a
# thread. This scans common/ for the calls and headers that would.
set -euo pipefail
dir=${1:?usage: check_purity.sh COMMON_DIR}
pattern='(::now\(\)|<thread>|<fstream>|<filesystem>|<asio|<sys/socket|<netinet|fopen\(|std::thread|getenv\(|<random>|std::random_device|time\(nullptr\)|<glfw|<imgui|sqlite3)'
if hits=$(grep -rnE "$pattern" "$dir" --include='*.cpp' --include='*.hpp' --include='*.h'); then
  echo "common/ must stay pure (no clocks, files, sockets, threads, ambient randomness):"
  echo "$hits"
  exit 1
fi
echo "common/ is pure: no clock reads, sockets, files or threads found."
