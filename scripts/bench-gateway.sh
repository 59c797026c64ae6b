#!/usr/bin/env bash
# `corsgate serve` (the CORS gateway) under wrk on loopback, against the same job done by
# nginx, Caddy and cors-anywhere, all proxying to one upstream with no CORS of its own (the
# tutorial's app: `examples/bench_server.rs --layer none`), and against that upstream
# reached directly.
#
#   scripts/bench-gateway.sh                         # about 7 minutes on 2 cores
#   ROUNDS=1 DURATION=2 DURATION_RSS=2 scripts/bench-gateway.sh   # quick end-to-end check
#
# Environment: DURATION (s per wrk run, default 3), ROUNDS (default 9), CONNS (default 32),
# RSS_CONNS (connections of the memory run, default 256), DURATION_RSS (s of it, default 5),
# ONLY (preflight or get: run just that scenario), PORT (first of 7 consecutive ports,
# default 3200: upstream, corsgate, nginx, Caddy, cors-anywhere, corsgate's admin,
# hyper-floor),
# IDLE_WAIT (max s to wait for other processes to calm down before a round, default 30),
# CORSGATE (the corsgate binary, default $CARGO_TARGET_DIR/release/corsgate, built here),
# CORSGATE_SERVE_ARGS (more arguments for `corsgate serve`, word-split),
# CORSGATE_LOG_LEVEL (default warn: no line per request, as the others keep no access log;
# info is `serve`'s default),
# CA_KEEPALIVE (1, the default: cors-anywhere reaches the upstream through a keep-alive
# agent, like nginx's pool and Caddy's; 0: as it ships, a new connection per request),
# GATEWAY_STANDIN=nginx (while `corsgate serve` does not exist: a second nginx runs in its
# place, to check the script end to end; its numbers are not corsgate's and no target is
# judged).
#
# Installs what is missing, and says so: `apt-get install -y nginx-light caddy wrk` (then
# stops and disables the services Debian starts for them: nothing is left on port 80), and
# `npm install cors-anywhere` into $CARGO_TARGET_DIR/bench-gateway/. Every server listens
# on 127.0.0.1 only and is stopped on exit.
#
# Method (that of scripts/bench.sh, whose functions scripts/bench-lib.sh holds): every
# server runs pinned to CPU 0 (corsgate: one thread, --workers 1; nginx: one
# worker process; Caddy: GOMAXPROCS=1; node: one event loop; the upstream: one tokio
# thread, on CPU 0 too, so that all the server side of a
# request is on CPU 0 and all the load generation on CPU 1: `direct` is then measured as the
# other servers are), every wrk one thread pinned to CPU 1. corsgate is compared in pairs
# with each other server, the two **loaded at the same time**, each by its own wrk, so that
# the machine's noise hits both alike; each round runs every pair, a different one first.
# Per pair and round: both sides' requests/s, p99 latency (wrk --latency) and proxy CPU
# time per request (/proc/PID/schedstat, all the server's processes; not for `direct`, whose
# upstream also serves the proxies' requests); the summary gives medians of the per-round
# ratios [lowest-highest round]. The CPU ratio leaves out the upstream's share, which the
# requests/s ratio of two proxies includes on both sides.
#
# `hyper-floor` (crates/corsgate-gateway/examples/hyper_floor.rs) is the floor under corsgate:
# the same stack (hyper 1's HTTP/1.1 server, hyper-util's pooled client, tokio's
# current-thread runtime) answering the same preflight with fixed headers and proxying the
# GET, with no CORS decision, routing, limits, timers, metrics or logs. It runs in two more
# pairs, corsgate:hyper-floor (what corsgate's own work costs) and hyper-floor:nginx (what
# the stack costs against nginx: no code on top of it can do better).
#
# Scenarios: `preflight` (OPTIONS /data, Origin https://site1.example.org,
# Access-Control-Request-Method: PUT, Access-Control-Request-Headers: content-type: answered
# by each proxy itself; the upstream has no CORS and answers 405, so no `direct` pair) and
# `get` (GET /data with that Origin: proxied, CORS lines added). Then memory: each server
# alone under `wrk -c$RSS_CONNS` proxied GETs; VmRSS sampled every 0.5 s (largest sample)
# and VmHWM at the end, summed over the server's processes (nginx: master + worker).
#
# Before measuring, each server is checked by hand (preflight: 204 with
# Access-Control-Allow-Origin, cors-anywhere's 200 being what it always answers; GET: 200
# with Access-Control-Allow-Origin and the upstream's body); any other answer stops the
# script, so that a misconfigured server never produces numbers. A wrk run with non-2xx
# answers or socket errors is flagged in the per-round lines and the summary.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-9}
CONNS=${CONNS:-32}
RSS_CONNS=${RSS_CONNS:-256}
DURATION_RSS=${DURATION_RSS:-5}
PORT=${PORT:-3200}
IDLE_WAIT=${IDLE_WAIT:-30}
CA_KEEPALIVE=${CA_KEEPALIVE:-1}
CORSGATE_LOG_LEVEL=${CORSGATE_LOG_LEVEL:-warn}
STANDIN=${GATEWAY_STANDIN:-}
ONLY=${ONLY:-}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
TARGET_DIR=$CARGO_TARGET_DIR
CORSGATE=${CORSGATE:-$TARGET_DIR/release/corsgate}

case $ONLY in '' | preflight | get) ;; *)
  echo "ONLY is preflight or get, not $ONLY" >&2
  exit 2
  ;;
esac
case $STANDIN in '' | nginx) ;; *)
  echo "GATEWAY_STANDIN is nginx or unset, not $STANDIN" >&2
  exit 2
  ;;
esac

# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

ORIGIN=https://site1.example.org
UP_PORT=$PORT
ADMIN_PORT=$((PORT + 5))
LABELS=(direct corsgate nginx caddy cors-anywhere hyper-floor)
declare -A SPORT SPID SPATH
SPORT=([direct]=$PORT [corsgate]=$((PORT + 1)) [nginx]=$((PORT + 2)) [caddy]=$((PORT + 3)) [cors-anywhere]=$((PORT + 4)) [hyper-floor]=$((PORT + 6)))
for l in "${LABELS[@]}"; do SPATH[$l]=/data; done
SPATH[cors-anywhere]=/http://127.0.0.1:$UP_PORT/data

TMPD=$(mktemp -d)
ALL_PIDS=()
cleanup() {
  local pid pids=() _
  # The servers' own processes and their children (nginx's worker), by id.
  for pid in "${ALL_PIDS[@]}"; do
    pids+=("$pid")
    while read -r pid; do [ -n "$pid" ] && pids+=("$pid"); done < <(pgrep -P "$pid" 2>/dev/null || true)
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "bench-gateway: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------
# Tools: install what is missing, and say so.

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v curl >/dev/null || missing+=(curl)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "missing ${missing[*]}: run as root, or apt-get install -y ${missing[*]}"
    echo "installing: apt-get install -y ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y "${missing[@]}" >"$TMPD/apt.log" 2>&1 || {
      DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update >>"$TMPD/apt.log" 2>&1 || true
      DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y "${missing[@]}" >>"$TMPD/apt.log" 2>&1 ||
        { tail -20 "$TMPD/apt.log" >&2; fail "apt-get install -y ${missing[*]} failed"; }
    }
    # Debian starts (and enables) nginx on port 80 and Caddy on port 80 where systemd runs:
    # stop them; this benchmark starts its own, on loopback.
    if command -v systemctl >/dev/null; then
      timeout 30 systemctl disable --now nginx caddy >/dev/null 2>&1 || true
    fi
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  CA_DIR=$TARGET_DIR/bench-gateway
  if [ ! -f "$CA_DIR/node_modules/cors-anywhere/package.json" ]; then
    echo "installing: npm install cors-anywhere@0.4.4 (into $CA_DIR)"
    mkdir -p "$CA_DIR"
    [ -f "$CA_DIR/package.json" ] || echo '{"name":"bench-gateway-peers","private":true}' >"$CA_DIR/package.json"
    (cd "$CA_DIR" && timeout 300 npm install --no-audit --no-fund --silent cors-anywhere@0.4.4) ||
      fail "npm install cors-anywhere failed"
  fi
  CA_DIR=$(cd "$CA_DIR" && pwd)
}

build() {
  cargo build --release -p corsgate --example bench_server
  UPSTREAM_BIN=$TARGET_DIR/release/examples/bench_server
  cargo build --release -p corsgate-gateway --example hyper_floor
  FLOOR_BIN=$TARGET_DIR/release/examples/hyper_floor
  if [ -z "$STANDIN" ]; then
    cargo build --release -p corsgate-cli
    if ! "$CORSGATE" serve --help >/dev/null 2>&1; then
      fail "$CORSGATE has no \`serve\` subcommand yet; GATEWAY_STANDIN=nginx runs the script with a second nginx in its place"
    fi
  fi
}

# ---------------------------------------------------------------------------------------
# The servers' configurations: the same policy for all (origin $ORIGIN; GET, POST, PUT;
# header content-type; max age 600; no credentials: cors-anywhere cannot send them).

write_nginx_conf() { # dir port
  write_cors_nginx_conf "$1" "$2" "$UP_PORT" "$ORIGIN" workers
}

write_caddyfile() { # dir port
  local d=$1 port=$2
  mkdir -p "$d"
  cat >"$d/Caddyfile" <<EOF
{
	admin off
	auto_https off
}
http://127.0.0.1:$port {
	bind 127.0.0.1
	@cors header Origin $ORIGIN
	@preflight {
		method OPTIONS
		header Origin $ORIGIN
	}
	handle @preflight {
		header {
			Access-Control-Allow-Origin "$ORIGIN"
			Access-Control-Allow-Methods "GET, POST, PUT"
			Access-Control-Allow-Headers "content-type"
			Access-Control-Max-Age "600"
			Vary Origin
		}
		respond 204
	}
	handle {
		header @cors Access-Control-Allow-Origin "$ORIGIN"
		header Vary Origin
		reverse_proxy 127.0.0.1:$UP_PORT {
			transport http {
				keepalive_idle_conns_per_host 256
			}
		}
	}
}
EOF
}

write_cors_anywhere_js() { # file
  cat >"$1" <<'EOF'
// cors-anywhere as a library (its own server.js adds rate limits and header requirements
// for the public demo), with the benchmark's one origin allowed.
const http = require('http');
const [moduleDir, port, origin, keepAlive] = process.argv.slice(2);
const corsProxy = require(moduleDir);
const httpProxyOptions = keepAlive === '1'
  ? { agent: new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 }) }
  : {};
corsProxy.createServer({
  originWhitelist: [origin],
  corsMaxAge: 600,
  httpProxyOptions,
}).listen(Number(port), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
EOF
}

# Starts server $1 on its port, pinned; records its pid.
start_server() {
  local label=$1 port=${SPORT[$1]} d="$TMPD/$1"
  require_port_free "$port"
  mkdir -p "$d"
  case $label in
    direct)
      "${PIN_SERVER[@]}" "$UPSTREAM_BIN" --layer none --port "$port" >"$d/out.log" 2>&1 &
      ;;
    nginx)
      write_nginx_conf "$d" "$port"
      "${PIN_SERVER[@]}" "$NGINX" -p "$d" -c "$d/nginx.conf" -e "$d/error.log" >"$d/out.log" 2>&1 &
      ;;
    corsgate)
      if [ "$STANDIN" = nginx ]; then
        write_nginx_conf "$d" "$port"
        "${PIN_SERVER[@]}" "$NGINX" -p "$d" -c "$d/nginx.conf" -e "$d/error.log" >"$d/out.log" 2>&1 &
      else
        # One thread (--workers 1: tokio's current-thread runtime, as nginx's one worker
        # process); log level warn, as the others write no access log.
        # shellcheck disable=SC2086 # CORSGATE_SERVE_ARGS: words, by design
        "${PIN_SERVER[@]}" "$CORSGATE" serve --workers 1 --upstream "http://127.0.0.1:$UP_PORT" \
          --allow-origin "$ORIGIN" --allow-method GET,POST,PUT --allow-header content-type --max-age 600 \
          --listen "127.0.0.1:$port" --admin-listen "127.0.0.1:$ADMIN_PORT" --log-level "$CORSGATE_LOG_LEVEL" \
          ${CORSGATE_SERVE_ARGS:-} >"$d/out.log" 2>&1 &
      fi
      ;;
    caddy)
      write_caddyfile "$d" "$port"
      HOME=$d XDG_CONFIG_HOME=$d/config XDG_DATA_HOME=$d/data GOMAXPROCS=1 \
        "${PIN_SERVER[@]}" caddy run --config "$d/Caddyfile" --adapter caddyfile >"$d/out.log" 2>&1 &
      ;;
    hyper-floor)
      "${PIN_SERVER[@]}" "$FLOOR_BIN" "127.0.0.1:$port" "http://127.0.0.1:$UP_PORT" >"$d/out.log" 2>&1 &
      ;;
    cors-anywhere)
      write_cors_anywhere_js "$d/ca.js"
      "${PIN_SERVER[@]}" node "$d/ca.js" "$CA_DIR/node_modules/cors-anywhere" "$port" "$ORIGIN" "$CA_KEEPALIVE" >"$d/out.log" 2>&1 &
      ;;
  esac
  SPID[$label]=$!
  ALL_PIDS+=("$!")
}

# The pid and its descendants, one a line.
tree_pids() {
  local pid
  echo "$1"
  for pid in $(pgrep -P "$1" 2>/dev/null || true); do tree_pids "$pid"; done
}

# CPU ns of a server's processes together, all their threads (Caddy's, node's and a
# multi-threaded runtime's work is not all on the main thread).
tree_cpu_ns() {
  local pid
  for pid in $(tree_pids "$1"); do cat "/proc/$pid/task/"*/schedstat 2>/dev/null; done |
    awk '{ t += $1 } END { printf "%.0f\n", t }'
}

# "VmRSS VmHWM" in kB of a server's processes together.
tree_mem_kb() {
  local pid
  for pid in $(tree_pids "$1"); do cat "/proc/$pid/status" 2>/dev/null; done |
    awk '$1 == "VmRSS:" { r += $2 } $1 == "VmHWM:" { h += $2 } END { print r + 0, h + 0 }'
}

# ---------------------------------------------------------------------------------------
# Checks by hand.

# curl with a bound; headers to $1.h, body to $1.b; prints the status.
fetch() {
  local out=$1
  shift
  curl -s --max-time 5 -o "$out.b" -D "$out.h" -w '%{http_code}' "$@" || true
}

# Value of header $2 in header file $1 (all lines joined by ", "), or "-".
header_of() {
  tr -d '\r' <"$1" | awk -v n="$2" '
    { i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == tolower(n)) { v = v (v == "" ? "" : ", ") substr($0, i + 2) } }
    END { print v == "" ? "-" : v }'
}

url_of() { echo "http://127.0.0.1:${SPORT[$1]}${SPATH[$1]}"; }

# curl arguments of a preflight from origin $1.
preflight_args() {
  PREFLIGHT=(-X OPTIONS -H "Origin: $1" -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Headers: content-type")
}

verify_servers() {
  local f="$TMPD/check" label st want acao
  st=$(fetch "$f" "$(url_of direct)")
  [ "$st" = 200 ] || fail "the upstream (bench_server --layer none) answers GET with $st"
  cp "$f.b" "$TMPD/upstream-body"
  echo
  echo "== checks (each server by hand; a wrong answer stops the script)"
  for label in "${LABELS[@]}"; do
    [ "$label" = direct ] && continue
    want=204
    [ "$label" = cors-anywhere ] && want=200
    preflight_args "$ORIGIN"
    st=$(fetch "$f" "${PREFLIGHT[@]}" "$(url_of "$label")")
    acao=$(header_of "$f.h" access-control-allow-origin)
    if [ "$st" != "$want" ] || [ "$acao" = - ]; then
      fail "$label answers the preflight with $st and Access-Control-Allow-Origin $acao (want $want and the header); $TMPD/$label/ has its logs"
    fi
    printf '  %-14s preflight %s acao=%s methods=%s headers=%s max-age=%s vary=%s\n' "$label" "$st" "$acao" \
      "$(header_of "$f.h" access-control-allow-methods)" "$(header_of "$f.h" access-control-allow-headers)" \
      "$(header_of "$f.h" access-control-max-age)" "$(header_of "$f.h" vary)"
    st=$(fetch "$f" -H "Origin: $ORIGIN" "$(url_of "$label")")
    acao=$(header_of "$f.h" access-control-allow-origin)
    if [ "$st" != 200 ] || [ "$acao" = - ] || ! cmp -s "$f.b" "$TMPD/upstream-body"; then
      fail "$label answers GET with $st, Access-Control-Allow-Origin $acao and body '$(head -c 200 "$f.b")' (want 200, the header and '$(cat "$TMPD/upstream-body")')"
    fi
    printf '  %-14s GET       %s acao=%s vary=%s body=upstream'\''s\n' "$label" "$st" "$acao" "$(header_of "$f.h" vary)"
  done
  echo
  echo "== processes and threads (all pinned to CPU 0 when there are two CPUs)"
  for label in "${LABELS[@]}"; do
    local pids=() threads=0 pid
    mapfile -t pids < <(tree_pids "${SPID[$label]}")
    for pid in "${pids[@]}"; do threads=$((threads + $(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 | wc -l))); done
    printf '  %-14s %s process(es), %s thread(s), CPUs %s\n' "$label" "${#pids[@]}" "$threads" \
      "$(awk '/^Cpus_allowed_list/ { print $2 }' "/proc/${SPID[$label]}/status")"
  done
  echo
  echo "== what each answers otherwise (information, not checked)"
  for label in "${LABELS[@]}"; do
    [ "$label" = direct ] && continue
    local parts=() what
    preflight_args https://evil.example
    st=$(fetch "$f" "${PREFLIGHT[@]}" "$(url_of "$label")")
    parts+=("preflight, other origin: $st acao=$(header_of "$f.h" access-control-allow-origin) vary=$(header_of "$f.h" vary)")
    st=$(fetch "$f" -H "Origin: https://evil.example" "$(url_of "$label")")
    parts+=("GET, other origin: $st acao=$(header_of "$f.h" access-control-allow-origin) vary=$(header_of "$f.h" vary)")
    st=$(fetch "$f" "$(url_of "$label")")
    parts+=("GET, no Origin: $st acao=$(header_of "$f.h" access-control-allow-origin) vary=$(header_of "$f.h" vary)")
    st=$(fetch "$f" -H "Origin: $ORIGIN" "http://127.0.0.1:${SPORT[$label]}${SPATH[$label]%/data}/nowhere")
    parts+=("404 from upstream: $st acao=$(header_of "$f.h" access-control-allow-origin) vary=$(header_of "$f.h" vary)")
    for what in "${parts[@]}"; do printf '  %-14s %s\n' "$label" "$what"; done
  done
}

# ---------------------------------------------------------------------------------------
# Load.

write_preflight_lua() {
  cat >"$1" <<EOF
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "$ORIGIN"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type"
EOF
}

# "req/s requests p99-µs bad" of a wrk --latency output (bad: non-2xx/3xx answers plus
# socket errors).
wrk_stats() {
  awk '
    function us(v) {
      if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /m$/) return v * 60e6; if (v ~ /s$/) return v * 1e6; return v
    }
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { reqs = $1 }
    $1 == "99%" { p99 = us($2) }
    /Non-2xx or 3xx responses:/ { bad += $NF }
    /Socket errors:/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
    END { printf "%s %s %.0f %d\n", rps + 0, reqs + 0, p99, bad }' "$1"
}

# Sets WRK_ARGS to the wrk arguments of scenario $1.
set_wrk_args() {
  if [ "$1" = preflight ]; then WRK_ARGS=(-s "$TMPD/preflight.lua"); else WRK_ARGS=(-H "Origin: $ORIGIN"); fi
}

run_pairs() {
  local results=$1 sc pairs round k n pair a b
  write_preflight_lua "$TMPD/preflight.lua"
  echo
  echo "== wrk -t1 -c$CONNS -d${DURATION}s --latency per server, two servers loaded at once, $ROUNDS rounds"
  printf '%-10s %-24s %5s %19s %19s %17s %5s\n' scenario "a vs b" round "requests/s a b" "proxy µs/req a b" "p99 µs a b" bad
  for sc in preflight get; do
    [ -n "$ONLY" ] && [ "$ONLY" != "$sc" ] && continue
    pairs="corsgate:nginx corsgate:caddy corsgate:cors-anywhere corsgate:hyper-floor hyper-floor:nginx"
    [ "$sc" = get ] && pairs="$pairs corsgate:direct"
    local pair_list
    read -r -a pair_list <<<"$pairs"
    n=${#pair_list[@]}
    set_wrk_args "$sc"
    for round in $(seq "$ROUNDS"); do
      wait_idle
      for k in $(seq 0 $((n - 1))); do
        pair=${pair_list[$(((k + round) % n))]}
        a=${pair%%:*} b=${pair##*:}
        local ta0 tb0 ta1 tb1 wa wb sa sb
        ta0=$(tree_cpu_ns "${SPID[$a]}")
        tb0=$(tree_cpu_ns "${SPID[$b]}")
        "${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${WRK_ARGS[@]}" "$(url_of "$a")" >"$TMPD/a.txt" &
        wa=$!
        "${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${WRK_ARGS[@]}" "$(url_of "$b")" >"$TMPD/b.txt" &
        wb=$!
        wait "$wa" "$wb"
        ta1=$(tree_cpu_ns "${SPID[$a]}")
        tb1=$(tree_cpu_ns "${SPID[$b]}")
        sa=$(wrk_stats "$TMPD/a.txt")
        sb=$(wrk_stats "$TMPD/b.txt")
        local ra qa pa ba rb qb pb bb ua ub
        read -r ra qa pa ba <<<"$sa"
        read -r rb qb pb bb <<<"$sb"
        ua=$(awk -v t=$((ta1 - ta0)) -v q="$qa" 'BEGIN { printf "%.2f", q ? t / q / 1000 : 0 }')
        ub=$(awk -v t=$((tb1 - tb0)) -v q="$qb" 'BEGIN { printf "%.2f", q ? t / q / 1000 : 0 }')
        [ "$b" = direct ] && ub=-
        printf '%-10s %-24s %5s %9s %9s %9s %9s %8s %8s %5s\n' "$sc" "$a vs $b" "$round" "$ra" "$rb" "$ua" "$ub" "$pa" "$pb" \
          "$([ $((ba + bb)) -gt 0 ] && echo "$ba/$bb" || echo 0)"
        echo "$sc $a $b $round $ra $rb $ua $ub $pa $pb $ba $bb" >>"$results"
      done
    done
  done
}

# Each server alone under RSS_CONNS connections of proxied GETs: largest VmRSS sample and
# VmHWM, summed over its processes.
run_rss() {
  local out=$1 label pid w max
  echo
  echo "== memory: each server alone under wrk -t1 -c$RSS_CONNS -d${DURATION_RSS}s (proxied GET), VmRSS sampled every 0.5 s"
  printf '%-14s %12s %12s %12s %10s %6s\n' server "VmRSS MB" "VmHWM MB" "idle RSS MB" "req/s" "p99 µs"
  for label in "${LABELS[@]}"; do
    pid=${SPID[$label]}
    local idle rss hwm r p bad
    read -r idle _ <<<"$(tree_mem_kb "$pid")"
    wait_idle
    "${PIN_WRK[@]}" wrk -t1 -c"$RSS_CONNS" -d"${DURATION_RSS}s" --latency -H "Origin: $ORIGIN" "$(url_of "$label")" >"$TMPD/rss.txt" &
    w=$!
    max=0
    while kill -0 "$w" 2>/dev/null; do
      read -r rss _ <<<"$(tree_mem_kb "$pid")"
      [ "$rss" -gt "$max" ] && max=$rss
      sleep 0.5
    done
    wait "$w"
    read -r _ hwm <<<"$(tree_mem_kb "$pid")"
    read -r r _ p bad <<<"$(wrk_stats "$TMPD/rss.txt")"
    printf '%-14s %12.1f %12.1f %12.1f %10s %6s%s\n' "$label" "$(bc_div "$max")" "$(bc_div "$hwm")" "$(bc_div "$idle")" "$r" "$p" \
      "$([ "$bad" -gt 0 ] && echo "  ($bad bad answers)")"
    echo "$label $max $hwm $idle $r $p $bad" >>"$out"
  done
}

# PASS or MISS: is $1 $2 (>= or <=) $3?
verdict() {
  if awk -v x="$1" -v l="$3" -v op="$2" 'BEGIN { exit !((op == ">=" && x >= l) || (op == "<=" && x <= l)) }'; then echo PASS; else echo MISS; fi
}

bc_div() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

summarize() {
  local results=$1 rss=$2
  echo
  echo "== summary: per pair corsgate:other (or a:b) loaded at the same time, medians over rounds"
  echo "   [lowest-highest round]. req/s cg/other > 1: corsgate served more. CPU other/cg > 1:"
  echo "   corsgate's processes spent less CPU per request (without the upstream's share)."
  echo "   p99 cg/other < 1: corsgate's 99th-percentile latency is lower."
  awk -v tfile="$TMPD/targets" '
    function median(arr, k,   i, j, t) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
      return k % 2 ? arr[(k + 1) / 2] : (arr[k / 2] + arr[k / 2 + 1]) / 2
    }
    function stat(name, key, k,   i, lo, hi, m) {
      lo = 1e18; hi = -1e18
      for (i = 1; i <= k; i++) { tmp[i] = v[name, key, i]; if (tmp[i] < lo) lo = tmp[i]; if (tmp[i] > hi) hi = tmp[i] }
      m = median(tmp, k); delete tmp
      return sprintf("%.3f [%.3f-%.3f]", m, lo, hi)
    }
    function med(name, key, k,   i, m) {
      for (i = 1; i <= k; i++) tmp[i] = v[name, key, i]
      m = median(tmp, k); delete tmp
      return m
    }
    {
      key = $1 " " ($2 == "corsgate" ? "" : $2 ":") $3
      if (!(key in n)) order[++keys] = key
      k = ++n[key]
      v["q", key, k] = $6 ? $5 / $6 : 0; v["ra", key, k] = $5; v["rb", key, k] = $6
      v["c", key, k] = ($8 != "-" && $7 > 0) ? $8 / $7 : 0; cpu[key] = ($8 != "-")
      v["p", key, k] = $10 ? $9 / $10 : 0; v["pa", key, k] = $9; v["pb", key, k] = $10
      bad[key] += $11 + $12
    }
    END {
      printf "%-24s %9s %9s %-22s %-22s %8s %8s %-22s\n", "scenario vs", "cg req/s", "req/s", "req/s cg/other", "CPU other/cg", "cg p99", "p99", "p99 cg/other"
      for (o = 1; o <= keys; o++) {
        key = order[o]; k = n[key]
        printf "%-24s %9.0f %9.0f %-22s %-22s %6.0fµs %6.0fµs %-22s%s\n", key, med("ra", key, k), med("rb", key, k), stat("q", key, k),
          cpu[key] ? stat("c", key, k) : "-", med("pa", key, k), med("pb", key, k), stat("p", key, k),
          bad[key] ? "  (" bad[key] " bad answers)" : ""
        split(key, kk, " ")
        if (kk[2] == "nginx") { q[kk[1]] = med("q", key, k); p[kk[1]] = med("p", key, k) }
      }
      for (s in q) print "TARGET " s " " q[s] " " p[s] > tfile
    }' "$results"

  echo
  echo "== targets (corsgate against nginx, medians of the per-round ratios above; memory: VmHWM at $RSS_CONNS connections)"
  if [ -n "$STANDIN" ]; then
    echo "  (not judged: GATEWAY_STANDIN=$STANDIN ran in corsgate's place)"
    return
  fi
  local s qv pv
  while read -r _ s qv pv; do
    if [ "$s" = preflight ]; then
      printf '  %-4s preflight req/s >= 1.0 x nginx: %.3f\n' "$(verdict "$qv" '>=' 1.0)" "$qv"
    else
      printf '  %-4s proxied GET req/s >= 0.9 x nginx: %.3f\n' "$(verdict "$qv" '>=' 0.9)" "$qv"
    fi
    printf '  %-4s %s p99 <= 1.2 x nginx: %.3f\n' "$(verdict "$pv" '<=' 1.2)" "$s" "$pv"
  done < <(sort -r "$TMPD/targets" 2>/dev/null)
  if [ -s "$rss" ]; then
    local hwm
    hwm=$(awk '$1 == "corsgate" { printf "%.1f", $3 / 1024 }' "$rss")
    printf '  %-4s RSS <= 30 MB at %s connections: %s MB (VmHWM)\n' "$(verdict "$hwm" '<=' 30)" "$RSS_CONNS" "$hwm"
  fi
}

# ---------------------------------------------------------------------------------------

print_machine
ensure_tools
build
echo "peers:   $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), caddy $(caddy version | cut -d' ' -f1), node $(node --version)" \
  "cors-anywhere $(node -p "require('$CA_DIR/node_modules/cors-anywhere/package.json').version")$([ "$CA_KEEPALIVE" = 1 ] && echo " (keep-alive agent)"), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
if [ -n "$STANDIN" ]; then
  echo "WARNING: GATEWAY_STANDIN=$STANDIN: a second $STANDIN runs under the name corsgate; none of its numbers is corsgate's"
else
  echo "corsgate: $CORSGATE serve (--workers 1, --log-level $CORSGATE_LOG_LEVEL) ${CORSGATE_SERVE_ARGS:-}"
fi
[ ${#PIN_SERVER[@]} -gt 0 ] || echo "(no pinning: fewer than 2 CPUs or no taskset)"
require_port_free "$ADMIN_PORT"
for l in "${LABELS[@]}"; do start_server "$l"; done
for l in "${LABELS[@]}"; do wait_listening "${SPORT[$l]}" "$l (logs: $TMPD/$l/out.log)"; done
verify_servers
RESULTS=$TMPD/results.txt
RSS=$TMPD/rss.txt.out
: >"$RESULTS"
: >"$RSS"
run_pairs "$RESULTS"
run_rss "$RSS"
summarize "$RESULTS" "$RSS"
