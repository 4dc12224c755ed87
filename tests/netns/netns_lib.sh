# Shared helpers for the network-namespace tests and the discovery benchmark.
# Source it; it never touches the machine's own network: every address lives
# inside namespaces this script creates (names carry the PID) and removes on
# exit, even on failure.
#
# Topology: one bridge namespace "<tag>-br" holding br0, and peer namespaces
# "<tag>-a", "<tag>-b", ... each with eth0 (10.77.0.N/24) on that bridge.

NETNS_TAG=${NETNS_TAG:-at$$}
NETNS_LIST=()
NETNS_PIDS=()
NETNS_SKIP_CODE=77

# Skip (exit 77) outside CI; fail in CI, where these tests must run.
netns_skip() {
  echo "SKIPPED: $*"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true, so this counts as a failure: CI must be able to run the namespace tests."
    exit 1
  fi
  exit "$NETNS_SKIP_CODE"
}

netns_require() {
  [ "$(id -u)" = 0 ] || netns_skip "creating network namespaces needs root (run as root, or in CI)."
  command -v ip >/dev/null || netns_skip "the 'ip' tool (iproute2) is not installed."
  command -v jq >/dev/null || netns_skip "'jq' is not installed (scripts/install-deps.sh adds it)."
  local probe="${NETNS_TAG}-probe"
  local why
  if ! why=$(ip netns add "$probe" 2>&1); then
    netns_skip "this machine does not let us create network namespaces: $why"
  fi
  ip netns del "$probe" 2>/dev/null || true
}

netns_cleanup() {
  local pid ns
  for pid in "${NETNS_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${NETNS_PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for ns in "${NETNS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  NETNS_PIDS=()
  NETNS_LIST=()
}

# netns_up a b c: the bridge plus one namespace per peer letter.
netns_up() {
  local br="${NETNS_TAG}-br"
  ip netns add "$br"
  NETNS_LIST+=("$br")
  # No multicast snooping: the bridge floods the discovery group like a switch would.
  ip -n "$br" link add br0 type bridge mcast_snooping 0
  ip -n "$br" link set br0 up
  local n=1 peer ns
  for peer in "$@"; do
    ns="${NETNS_TAG}-${peer}"
    ip netns add "$ns"
    NETNS_LIST+=("$ns")
    # Link-local IPv6 usable at once (no duplicate-address wait).
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
    ip link add eth0 netns "$ns" type veth peer name "v${peer}" netns "$br"
    ip -n "$br" link set "v${peer}" master br0
    ip -n "$br" link set "v${peer}" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "10.77.0.${n}/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add 224.0.0.0/4 dev eth0
    n=$((n + 1))
  done
}

netns_name() { echo "${NETNS_TAG}-$1"; }
netns_addr() { local i; i=$(( $(printf '%d' "'$1") - 96 )); echo "10.77.0.${i}"; }

# netns_run PEER OUTFILE cmd...: starts cmd in the background inside PEER's
# namespace with stdout to OUTFILE; sets NETNS_LAST_PID.
netns_run() {
  local peer=$1 out=$2
  shift 2
  ip netns exec "$(netns_name "$peer")" "$@" >"$out" 2>"$out.err" &
  NETNS_LAST_PID=$!
  NETNS_PIDS+=("$NETNS_LAST_PID")
}

# wait_for FILE JQ_FILTER TIMEOUT_S: waits until a JSON line in FILE matches
# the jq select() filter; prints that line. Fails after the deadline.
wait_for() {
  local file=$1 filter=$2 timeout=$3 line
  local deadline=$(( $(date +%s%3N) + ${timeout%.*} * 1000 ))
  while :; do
    if [ -s "$file" ]; then
      line=$(jq -c "select($filter)" "$file" 2>/dev/null | head -n 1)
      if [ -n "$line" ]; then
        echo "$line"
        return 0
      fi
    fi
    [ "$(date +%s%3N)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

now_ms() { date +%s%3N; }

fail() {
  echo "FAIL: $*"
  local f
  for f in "${NETNS_OUTS[@]:-}"; do
    [ -n "$f" ] && [ -f "$f" ] && { echo "--- $f"; cat "$f"; [ -s "$f.err" ] && { echo "--- $f.err"; cat "$f.err"; }; }
  done
  exit 1
}
