#!/usr/bin/env bash
# `attune join HOST:PORT --name Casey --role coach --code N` in window mode
# opens straight into that session as a coach, with the code used (not the
# start screen with "a partner" picked and the code gone). A headless host
# on 127.0.0.1; the real window app under a virtual display; what the window
# drew is read from its --report-frames JSON lines.
# Usage: window_join_coach_test.sh XVFB_RUN ATTUNE
set -euo pipefail
xvfb=${1:?xvfb-run}
attune=${2:?attune}
work=$(mktemp -d)
host_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${KEEP_WORK:-}" ] && trap "exec 3>&-; kill \$host_pid 2>/dev/null; echo kept \$work" EXIT

# Polls (at most $2 seconds) until jq filter $3 holds over the JSON lines in $1.
wait_for() {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ -s "$1" ] && jq -e -s "$3" "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

mkfifo "$work/host.in"
"$attune" --headless --data-dir "$work/alex" host --name Alex --bind 127.0.0.1 --port 0 \
  <"$work/host.in" >"$work/host.out" 2>"$work/host.err" &
host_pid=$!
exec 3>"$work/host.in"  # Keeps the host's stdin open.
wait_for "$work/host.out" 30 'any(.[]; .event == "listening") and any(.[]; .event == "pairing_code")' ||
  { echo "FAIL: the host never listened"; cat "$work/host.err"; exit 1; }
port=$(jq -r 'select(.event == "listening") | .port' "$work/host.out" | head -1)
code=$(jq -r 'select(.event == "pairing_code") | .code' "$work/host.out" | head -1)

"$xvfb" -a -s '-screen 0 1280x800x24' bash -c '
  "$1" --data-dir "$2" --report-frames "$3" --no-discovery join "127.0.0.1:$4" --name Casey --role coach --code "$5" \
    >"$6" 2>&1 &
  app=$!
  for _ in $(seq 300); do
    grep -q "Waiting to be let in" "$3" 2>/dev/null && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
' _ "$attune" "$work/casey" "$work/frames.jsonl" "$port" "$code" "$work/app.log"

fail=0
if ! jq -e -s 'any(.[]; .screen == "waiting" and .role == "ROLE_COACH" and (.lines | index("Waiting to be let in")))' "$work/frames.jsonl" >/dev/null 2>&1; then
  echo "FAIL: the window never showed Casey waiting to be let in as the coach"
  jq -c '{screen, role, lines}' "$work/frames.jsonl" 2>/dev/null | tail -5
  cat "$work/app.log"
  fail=1
fi
if jq -e -s 'any(.[]; .screen == "start")' "$work/frames.jsonl" >/dev/null 2>&1; then
  echo "FAIL: the window fell back to the start screen"
  fail=1
fi
if ! wait_for "$work/host.out" 10 \
  'any(.[]; .event == "state" and any(.state.participants[]?; .display_name == "Casey" and .role == "ROLE_COACH"))'; then
  echo "FAIL: the host never saw Casey ask to join as the coach"
  fail=1
fi
[ "$fail" = 0 ] && echo "ok: joined straight into the session as the coach, with the code"
exit "$fail"
