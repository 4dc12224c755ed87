#!/usr/bin/env bash
# The window app's own files (history databases, window.json) are the
# owner's alone: the real `attune --demo` under a virtual display, with a
# typical 022 umask and a data folder an older version left open (0755, a
# 0644 window.json). Once it has opened its history, every folder must be
# 0700 and every file 0600.
# Usage: window_data_modes_test.sh XVFB_RUN ATTUNE
set -euo pipefail
xvfb=${1:?xvfb-run}
attune=${2:?attune}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 022
data="$work/data"
mkdir -m 0755 "$data"
echo '{}' > "$data/window.json"
chmod 0644 "$data/window.json"

# Inside the display: start the app, wait (at most 15 s) for both windows'
# history, then stop it.
"$xvfb" -a -s '-screen 0 1280x800x24' bash -c '
  "$1" --data-dir "$2" --demo >"$3/app.log" 2>&1 &
  app=$!
  for _ in $(seq 150); do
    [ -e "$2/history-demo-host.db" ] && [ -e "$2/history-demo-partner.db" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
' _ "$attune" "$data" "$work"

fail=0
[ -e "$data/history-demo-host.db" ] || { echo "FAIL: the app never opened its history"; cat "$work/app.log"; exit 1; }
while IFS= read -r line; do
  mode=${line%% *}
  path=${line#* }
  if [ -d "$path" ]; then want=700; else want=600; fi
  if [ "$mode" != "$want" ]; then
    echo "FAIL: $path is $mode, should be $want"
    fail=1
  fi
done < <(find "$data" \( -type d -o -type f \) -exec stat -c '%a %n' {} \;)
[ "$fail" = 0 ] && echo "ok: every folder 0700, every file 0600"
exit "$fail"
