#!/usr/bin/env bash
# Measures issue 12's figures against one attune binary, on loopback.
# usage: tests/tools/measure_text_door.sh BINARY oversize|hostname|latin1
#   oversize: B writes 65,500 characters; counts B's reconnects and the host's
#             peer_problem lines over 8 s, and whether B's next intent is answered.
#   hostname: the host's --name is 70,000 characters; latin1: it is $'Jos\xe9'.
#             Counts the joiner's link events over 8 s and whether it got a seat.
set -u
bin=$1; mode=$2; d=$(mktemp -d)
mkfifo "$d/a.in" "$d/b.in"
name=Alex
case $mode in
  hostname) name=$(head -c 70000 /dev/zero | tr '\0' x) ;;
  latin1) name=$'Jos\xe9' ;;
esac
"$bin" --headless --data-dir "$d/a" host --name "$name" --bind 127.0.0.1 <"$d/a.in" >"$d/a.out" 2>"$d/a.err" &
apid=$!
exec 3>"$d/a.in"
for _ in $(seq 100); do grep -q '"pairing_code"' "$d/a.out" 2>/dev/null && break; kill -0 $apid 2>/dev/null || break; sleep 0.1; done
if ! kill -0 $apid 2>/dev/null; then wait $apid; echo "host exited with $?: $(head -c 300 "$d/a.err")"; exit 0; fi
port=$(grep -o '"port":[0-9]*' "$d/a.out" | head -1 | cut -d: -f2)
code=$(grep '"pairing_code"' "$d/a.out" | head -1 | grep -o '"code":"[0-9]*"' | cut -d'"' -f4)
"$bin" --headless --data-dir "$d/b" join "127.0.0.1:$port" --name Blake --code "$code" <"$d/b.in" >"$d/b.out" 2>"$d/b.err" &
bpid=$!
exec 4>"$d/b.in"
if [ "$mode" != oversize ]; then
  sleep 8
  echo "joiner link events in 8 s: $(grep -c '"event":"link"' "$d/b.out"); joiner seated: $(grep -q '"display_name":"Blake"' "$d/b.out" && echo yes || echo no)"
else
  for _ in $(seq 100); do grep -q 'Blake' "$d/a.out" && break; sleep 0.1; done
  echo "admit partner-b" >&3; sleep 1
  a0=$(wc -l <"$d/a.out"); b0=$(wc -l <"$d/b.out")
  printf 'write %s\n' "$(head -c 65500 /dev/zero | tr '\0' x)" >&4
  sleep 6
  echo ready >&4; sleep 2
  id=$(tail -n +$((b0+1)) "$d/b.out" | grep '"input":"ready"' | grep -o '"intent_id":"[0-9a-f]*"' | head -1)
  echo "reconnects in 8 s: $(tail -n +$((b0+1)) "$d/b.out" | grep -c '"link":"reconnecting"')," \
       "host peer_problem lines: $(tail -n +$((a0+1)) "$d/a.out" | grep -c '"peer_problem"')," \
       "B's next intent answered: $( [ -n "$id" ] && tail -n +$((b0+1)) "$d/b.out" | grep '"ack"\|"refused"' | grep -q "$id" && echo yes || echo no)"
fi
kill $apid $bpid 2>/dev/null; wait 2>/dev/null
rm -rf "$d"
