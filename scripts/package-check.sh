#!/usr/bin/env bash
# The Debian package from end to end on this machine: build the .deb, run
# lintian, install it with apt-get, run what got installed (--version, a
# whole headless session, the window app from its launcher entry under
# Xvfb, with its screenshot and WM_CLASS checked), then purge it and check
# that every installed file is gone and the user's data folder is untouched.
# Needs root (apt-get). Usage: scripts/package-check.sh [test-build-dir]
#   test-build-dir  a build with tests (default: build); its session test and
#                   png_check drive the installed programs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tests=${1:-$root/build}
id=org.attune.Attune
[ "$(id -u)" -eq 0 ] || { echo "package-check: run as root (it installs and purges the package)" >&2; exit 1; }
work=$(mktemp -d)
installed_here=0
xvfb_pid=
fail() { echo "FAIL: $*" >&2; exit 1; }
apt() { DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 "$@"; }
cleanup() {
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  [ "$installed_here" = 0 ] || apt purge -y attune >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Polls a condition (a command) every 0.1 s until it holds or SECONDS pass.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}
# Waits up to SECONDS for the process PID (a child) to exit and fails with
# WHAT if it is still running then, after printing where its threads are, so
# a window app that never quits fails the check in words instead of hanging CI.
wait_exit() {
  local pid=$1 seconds=$2 what=$3
  if ! wait_for "$seconds" eval '! kill -0 '"$pid"' 2>/dev/null'; then
    if command -v gdb >/dev/null; then
      gdb -p "$pid" -batch -ex 'thread apply all bt' 2>/dev/null | grep -E '^(Thread|#)' | head -120 >&2 || true
    fi
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    fail "$what was still running $seconds s after it should have quit"
  fi
  wait "$pid"
}

"$root/scripts/install-deps.sh"
if dpkg-query -W -f='${Status}' attune 2>/dev/null | grep -q "ok installed"; then
  fail "attune is installed on this machine already; remove it first (apt-get purge attune)"
fi
[ -f "$tests/CMakeCache.txt" ] || cmake -S "$root" -B "$tests" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$tests" -j "$(nproc)" --target peer_process_test png_check >/dev/null

echo "-- building the package"
# Packed from the test build itself: the package ships the binaries the suite
# ran, and CI compiles the app once instead of twice.
deb=$("$root/scripts/package.sh" "$tests" "$work" | tail -n 1)
[[ $(basename "$deb") =~ ^attune_[0-9.]+_$(dpkg --print-architecture)\.deb$ ]] || fail "unexpected package name $deb"
dpkg-deb -f "$deb" Depends | grep -q "libc6" || fail "Depends did not come from shlibdeps"

echo "-- lintian (errors fail the check; warnings are listed)"
lintian --fail-on error --display-info "$deb" || fail "lintian found errors in $(basename "$deb")"

echo "-- apt-get install ./$(basename "$deb")"
(cd "$work" && apt install -y "./$(basename "$deb")") >/dev/null
installed_here=1
dpkg -L attune >"$work/installed.txt"
while read -r path; do [ -d "$path" ] || echo "$path"; done <"$work/installed.txt" >"$work/installed-files.txt"
[ "$(command -v attune)" = /usr/bin/attune ] || fail "attune is not /usr/bin/attune on PATH"
attune --version | grep -q "^attune [0-9]" || fail "installed attune --version said: $(attune --version)"
man -w attune | grep -q "^/usr/share/man/man1/attune.1.gz$" || fail "man attune does not find the page"
desktop-file-validate "/usr/share/applications/$id.desktop" || fail "desktop-file-validate refused the installed entry"
appstreamcli validate --no-net "/usr/share/metainfo/$id.metainfo.xml" >/dev/null ||
  fail "appstreamcli refused the installed metainfo"

# A user of the installed app, with their own data folder.
home=$work/home
mkdir -p "$home"
export HOME=$home
unset XDG_DATA_HOME
printf 'quit\n' | attune --headless host --name Alex --bind 127.0.0.1 >"$work/headless.txt" ||
  fail "the installed headless host did not start and stop cleanly"
data=$home/.local/share/attune
[ -f "$data/attune.db" ] || fail "the headless host kept no data in $data"

echo "-- a whole session between installed headless peers (127.0.0.1)"
ATTUNE_TEST_BINARY=/usr/bin/attune "$tests/tests/peer_process_test" \
  --gtest_filter=SessionOverNetwork.ThreePeersCompleteAllNineSteps --gtest_brief=1 ||
  fail "installed peers did not complete a session"

echo "-- the window app from its launcher entry, under Xvfb"
desktop=/usr/share/applications/$id.desktop
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1 | sed -E 's/ ?%[a-zA-Z]//g')
[ -n "$exec_line" ] || fail "$desktop has no Exec line"
# -noreset: by default Xvfb resets when its last client leaves, and a window
# started in that moment fails with "Failed to open display" (seen once, when
# the hosting window started right after the first window exited).
Xvfb -displayfd 3 -nolisten tcp -noreset -screen 0 1280x800x24 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
wait_for 20 test -s "$work/display" || fail "Xvfb did not start"
export DISPLAY=:$(cat "$work/display")
shots=$work/shots
mkdir -p "$shots"
read -r -a command <<<"$exec_line"
# The window app browses for sessions nearby: give it a network namespace
# with loopback only, so the check never talks to the real network (X11
# still reaches Xvfb through its socket file).
offline() { unshare --net -- sh -c 'ip link set lo up && exec "$@"' offline "$@"; }
offline "${command[@]}" --screenshot-dir "$shots" --exit-after 20 >"$work/app.out" 2>"$work/app.err" &
app_pid=$!
window_up() { [ -n "$(xdotool search --onlyvisible --class "$id" 2>/dev/null)" ]; }
wait_for 20 window_up || fail "no window of class $id appeared ($(cat "$work/app.err"))"
wid=$(xdotool search --onlyvisible --class "$id" | head -n 1)
wm_class=$(xprop -id "$wid" WM_CLASS)
[ "$wm_class" = "WM_CLASS(STRING) = \"attune\", \"$id\"" ] || fail "the window's WM_CLASS is $wm_class"
grep -qx "StartupWMClass=$id" "$desktop" || fail "the launcher's StartupWMClass does not match the window"
title=$(xdotool getwindowname "$wid")
[ "$title" = Attune ] || fail "the start screen's title is '$title'"

# A second launch on the same data folder comes forward instead of opening twice.
timeout 20 unshare --net -- "${command[@]}" >"$work/second.out" 2>"$work/second.err" || fail "the second launch failed: $(cat "$work/second.err")"
grep -q "already open" "$work/second.err" || fail "the second launch said: $(cat "$work/second.err")"
[ "$(xdotool search --onlyvisible --class "$id" | wc -l)" = 1 ] || fail "a second launch opened a second window"

# F12 saves the window; the picture must be the window's size and not blank.
xdotool mousemove --window "$wid" 200 200
xdotool keydown F12
wait_for 15 test -s "$shots/main-1.png" || fail "F12 saved no screenshot"
xdotool keyup F12
size=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Geometry: //p')
"$tests/tests/tools/png_check" "$shots/main-1.png" "${size%x*}" "${size#*x}" || fail "the screenshot is not right"
cp "$shots/main-1.png" "$tests/installed-window.png"
wait_exit "$app_pid" 30 "the window app (--exit-after 20)" || fail "the window app did not exit cleanly ($(cat "$work/app.err"))"

# Hosting a named session (loopback only, in its own namespace): the title names it.
offline attune --data-dir "$work/host-data" --exit-after 12 host --name Alex --session-name "Sunday talk" \
  >"$work/host.out" 2>"$work/host.err" &
host_pid=$!
named() { [ -n "$(xdotool search --onlyvisible --name "^Sunday talk — Attune$" 2>/dev/null)" ]; }
wait_for 12 named || fail "the hosting window's title never named the session ($(cat "$work/host.err"))"
wait_exit "$host_pid" 30 "the hosting window app (--exit-after 12)" || fail "the hosting window app did not exit cleanly ($(cat "$work/host.err"))"
kill "$xvfb_pid" && wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=

echo "-- apt-get purge attune"
(cd "$home" && find . -printf '%P %y %m\n' | sort && find . -type f -exec sha256sum {} + | sort) >"$work/data-before.txt"
apt purge -y attune >/dev/null
installed_here=0
left=()
while read -r path; do [ ! -e "$path" ] || left+=("$path"); done <"$work/installed-files.txt"
[ ${#left[@]} -eq 0 ] || fail "purge left these behind: ${left[*]}"
while read -r path; do
  [ ! -d "$path" ] || dpkg -S "$path" >/dev/null 2>&1 || fail "purge left the folder $path behind"
done <"$work/installed.txt"
(cd "$home" && find . -printf '%P %y %m\n' | sort && find . -type f -exec sha256sum {} + | sort) >"$work/data-after.txt"
diff "$work/data-before.txt" "$work/data-after.txt" || fail "purging changed the user's data folder"
echo "package check: built, installed, ran, purged; $(wc -l <"$work/installed-files.txt") files gone, user data kept"
