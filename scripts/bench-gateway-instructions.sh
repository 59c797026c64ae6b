#!/usr/bin/env bash
# Instructions per request, counted by valgrind (callgrind), for `corsgate serve`, the
# hyper-floor (crates/corsgate-gateway/examples/hyper_floor.rs: the same stack with no
# corsgate code on it) and nginx, on the preflight and the proxied GET of
# scripts/bench-gateway.sh. Counted instructions do not depend on what else the machine is
# doing, where requests per second do: this is the measure to compare builds with, and to
# see how much of a request is the stack's and how much corsgate's.
#
#   scripts/bench-gateway-instructions.sh            # about 2 minutes
#   SECONDS_PER_RUN=4 scripts/bench-gateway-instructions.sh
#
# User-space instructions only (the kernel's share, the same system calls for all three,
# is not counted). Each server runs alone under valgrind, one process, one thread
# (corsgate --workers 1; nginx with master_process off), behind one upstream
# (examples/bench_server.rs --layer none); wrk warms it up for 2 s, then the counters are
# zeroed, wrk runs SECONDS_PER_RUN s more (8 connections), the counters are dumped, and
# instructions are divided by the requests wrk completed in that run. Installs valgrind
# (apt) when missing. Listens on 127.0.0.1 only, ports PORT..PORT+3 (default 3300).
set -euo pipefail
cd "$(dirname "$0")/.."
export IDLE_WAIT=0 # bench-lib.sh reads it (this script never waits)
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
PORT=${PORT:-3300}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
ORIGIN=https://site1.example.org
TMPD=$(mktemp -d)
PIDS=()
cleanup() {
  if [ ${#PIDS[@]} -gt 0 ]; then { kill -KILL "${PIDS[@]}"; wait; } 2>/dev/null || true; fi
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "bench-gateway-instructions: $*" >&2
  exit 1
}

for tool in valgrind wrk; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "missing $tool: apt-get install -y $tool"
    echo "installing: apt-get install -y $tool"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q "$tool" >"$TMPD/apt.log" 2>&1 ||
      { tail -20 "$TMPD/apt.log" >&2; fail "apt-get install -y $tool failed"; }
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || fail "nginx is missing: apt-get install -y nginx-light"

cargo build --release -p corsgate --example bench_server
cargo build --release -p corsgate-gateway --example hyper_floor
cargo build --release -p corsgate-cli
BIN=$CARGO_TARGET_DIR/release

UP=$PORT
for p in "$UP" $((PORT + 1)) $((PORT + 2)) $((PORT + 3)); do require_port_free "$p"; done
"$BIN/examples/bench_server" --layer none --port "$UP" >"$TMPD/upstream.log" 2>&1 &
PIDS+=("$!")

# The recipe of scripts/bench-gateway.sh, in one process.
write_cors_nginx_conf "$TMPD/nginx" $((PORT + 3)) "$UP" "$ORIGIN" single
echo 'wrk.method = "OPTIONS"' >"$TMPD/options.lua"

wait_listening "$UP" "the upstream (bench_server --layer none)"

# Instructions per request of the server started by "$@" on port $1, for scenario $2, and
# the requests counted, into $TMPD/result ("instructions requests"). Runs in this shell (not
# in a command substitution), so a failure stops the script and the cleanup kills valgrind.
measure() {
  local port=$1 scenario=$2 out
  shift 2
  out=$TMPD/cg.$port.$scenario
  valgrind --tool=callgrind --callgrind-out-file="$out.%p" "$@" >"$out.log" 2>&1 &
  local vp=$!
  PIDS+=("$vp")
  # Under valgrind a server takes some seconds to start: up to 30 s.
  wait_listening "$port" "$1 under valgrind ($out.log)" 300
  local args=(-H "Origin: $ORIGIN")
  [ "$scenario" = preflight ] && args+=(-s "$TMPD/options.lua" -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Headers: content-type")
  wrk -t1 -c8 -d2s "${args[@]}" "http://127.0.0.1:$port/data" >/dev/null
  callgrind_control -z "$vp" >/dev/null 2>&1
  wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" "${args[@]}" "http://127.0.0.1:$port/data" >"$out.wrk"
  callgrind_control -d "$vp" >/dev/null 2>&1
  kill -KILL "$vp" 2>/dev/null || true
  wait "$vp" 2>/dev/null || true
  local requests dump
  requests=$(awk '/requests in/ { print $1 }' "$out.wrk")
  dump=$(find "$TMPD" -name "cg.$port.$scenario.*.1" | head -1)
  if [ -z "$dump" ] || [ "${requests:-0}" -eq 0 ]; then fail "no count for $* ($out.log)"; fi
  awk -v r="$requests" '$1 == "summary:" { printf "%.0f %d\n", $2 / r, r }' "$dump" >"$TMPD/result"
}

echo "== user-space instructions per request (callgrind), ${SECONDS_PER_RUN} s of wrk -c8 each"
printf '%-10s %-12s %14s %10s %18s\n' scenario server "instr/request" requests "× nginx's"
for scenario in preflight get; do
  measure $((PORT + 3)) "$scenario" "$NGINX" -p "$TMPD/nginx" -c "$TMPD/nginx/nginx.conf" -e "$TMPD/nginx/error.log"
  read -r ng ngr <"$TMPD/result"
  measure $((PORT + 2)) "$scenario" "$BIN/examples/hyper_floor" "127.0.0.1:$((PORT + 2))" "http://127.0.0.1:$UP"
  read -r fl flr <"$TMPD/result"
  measure $((PORT + 1)) "$scenario" "$BIN/corsgate" serve --workers 1 --upstream "http://127.0.0.1:$UP" \
    --allow-origin "$ORIGIN" --allow-method GET,POST,PUT --allow-header content-type --max-age 600 \
    --listen "127.0.0.1:$((PORT + 1))" --log-level warn
  read -r cg cgr <"$TMPD/result"
  for row in "nginx $ng $ngr" "hyper-floor $fl $flr" "corsgate $cg $cgr"; do
    read -r name n r <<<"$row"
    printf '%-10s %-12s %14s %10s %18s\n' "$scenario" "$name" "$n" "$r" "$(awk -v a="$n" -v b="$ng" 'BEGIN { printf "%.2f", a / b }')"
  done
done
