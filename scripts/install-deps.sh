#!/usr/bin/env bash
# Installs the Debian packages Attune needs to build, run and test, skipping
# the ones already present. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libasio-dev protobuf-compiler libprotobuf-dev
  libglfw3-dev libimgui-dev libstb-dev libgl1-mesa-dri
  libsodium-dev libsqlite3-dev libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libsystemd-dev dbus-daemon dunst tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  fonts-inter fonts-noto-core
  xvfb xauth xdotool
  iproute2 iptables libnetfilter-queue-dev zlib1g-dev jq util-linux mount
  clang libclang-rt-14-dev
  librsvg2-bin desktop-file-utils appstream lintian dpkg-dev
  python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
