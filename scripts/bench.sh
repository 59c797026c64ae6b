#!/usr/bin/env bash
# corsgate's benchmarks: the tutorial's axum app under wrk (loopback) with no CORS layer,
# corsgate's layer and tower-http's CorsLayer, side by side; then the criterion benchmarks.
#
#   scripts/bench.sh               # all three (about 17 minutes on 2 cores)
#   scripts/bench.sh wrk           # load test only
#   scripts/bench.sh criterion     # criterion only (cargo bench --bench decision --bench layer)
#   scripts/bench.sh instructions  # instruction counts (cargo bench --bench instructions;
#                                  # needs valgrind: apt-get install -y valgrind)
#
# Environment: DURATION (s per wrk run, default 2), ROUNDS (default 15), CONNS (default 32),
# ONLY (a scenario name: run just that one, e.g. ONLY=actual-1-origin),
# PORT (first of 5 consecutive ports, default 3100), IDLE_WAIT (max s to wait for other
# processes to calm down before a round, default 30).
#
# Each server runs one tokio thread pinned to CPU 0, wrk one thread pinned to CPU 1 (when
# there are two CPUs and taskset exists). All servers of a scenario run at once and each
# round loads them one after the other for DURATION seconds, a different one first each
# round, so that the machine's drift hits all of them alike; corsgate's ratio to each is
# taken per round, then the median over rounds. Besides requests/s, the server's CPU time
# per request is printed (from /proc/PID/stat).
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
case $what in all | wrk | criterion | instructions) ;; *)
  echo "usage: scripts/bench.sh [all|wrk|criterion|instructions]" >&2
  exit 2
  ;;
esac

DURATION=${DURATION:-2}
ROUNDS=${ROUNDS:-15}
CONNS=${CONNS:-32}
PORT=${PORT:-3100}
IDLE_WAIT=${IDLE_WAIT:-30}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
CLK_TCK=$(getconf CLK_TCK)

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "rustc:   $(rustc --version)"

# Percentage of CPU time not idle over one second, all CPUs together.
busy_percent() {
  local a b
  a=($(head -1 /proc/stat))
  sleep 1
  b=($(head -1 /proc/stat))
  local idle=$((b[4] + b[5] - a[4] - a[5])) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  [ "$total" -gt 0 ] || total=1
  echo $((100 - 100 * idle / total))
}

# Waits (at most IDLE_WAIT s) until other processes leave the machine nearly idle.
wait_idle() {
  local waited=0 busy
  busy=$(busy_percent)
  while [ "$busy" -gt 15 ] && [ "$waited" -lt "$IDLE_WAIT" ]; do
    waited=$((waited + 1))
    busy=$(busy_percent)
  done
  if [ "$busy" -gt 15 ]; then
    echo "  (machine still ${busy}% busy after ${IDLE_WAIT}s: this run is disturbed)" >&2
  fi
}

# Command prefixes pinning the server to CPU 0 and wrk to CPU 1 (taskset execs the command,
# so `$!` is the server itself).
PIN_SERVER=()
PIN_WRK=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  PIN_SERVER=(taskset -c 0)
  PIN_WRK=(taskset -c 1)
fi

TMPD=$(mktemp -d)
SERVER_PIDS=
cleanup() {
  if [ -n "$SERVER_PIDS" ]; then kill $SERVER_PIDS 2>/dev/null || true; fi
  rm -rf "$TMPD"
}
trap cleanup EXIT

# Sends one request by hand: prints the status and "+acao" when the CORS header came back.
probe() {
  local port=$1 flag=$2 arg=$3
  if [ "$flag" = -s ]; then
    curl -s -o /dev/null -D - -X OPTIONS -H 'Origin: https://site1.example.org' \
      -H 'Access-Control-Request-Method: PUT' \
      -H 'Access-Control-Request-Headers: content-type,x-requested-with' \
      "http://127.0.0.1:$port/data"
  else
    curl -s -o /dev/null -D - -H "$arg" "http://127.0.0.1:$port/data"
  fi | tr -d '\r' | awk 'NR==1{s=$2} tolower($1)=="access-control-allow-origin:"{a="+acao"} END{print s a}'
}

run_wrk() {
  command -v wrk >/dev/null || {
    echo "wrk is not installed (apt-get install wrk)" >&2
    exit 1
  }
  cargo build --release -p corsgate --example bench_server
  local server="$TARGET_DIR/release/examples/bench_server"
  local lua="$TMPD/preflight.lua" results="$TMPD/wrk-results.txt"
  cat >"$lua" <<'EOF2'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://site1.example.org"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type,x-requested-with"
EOF2

  # scenario: name, --origins, wrk arguments
  local scenarios=(
    "actual-1-origin|1|-H|Origin: https://site1.example.org"
    "preflight-1-origin|1|-s|$lua"
    "actual-1000-origins-wildcard|1000|-H|Origin: https://app.tenant42.example.net"
  )
  echo
  echo "== wrk -t1 -c$CONNS -d${DURATION}s, $ROUNDS rounds, http://127.0.0.1:$PORT.../data"
  printf '%-30s %-15s %5s %12s %16s %s\n' scenario layer round "requests/s" "server µs/req" "status"
  local sc name origins flag arg round layer out rps t0 t1 reqs us code i n
  for sc in "${scenarios[@]}"; do
    IFS='|' read -r name origins flag arg <<<"$sc"
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    # same-bytes (no CORS logic, corsgate's header lines added statically) is the control
    # for the 1-origin actual request: it separates deciding from sending more bytes.
    # corsgate-route: corsgate added with Router::layer instead of around the router.
    local layers=(none corsgate tower-http corsgate-route)
    if [ "$name" = actual-1-origin ]; then layers+=(same-bytes); fi
    n=${#layers[@]}
    # Every server of the scenario runs at once (each on its own port, all pinned to the
    # same CPU, idle unless loaded), so that rounds can alternate them every few seconds:
    # the VM's drift, which is slower than that, then hits all of them alike.
    local pids=() port
    for i in "${!layers[@]}"; do
      port=$((PORT + i))
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "something already listens on 127.0.0.1:$port; set PORT" >&2
        exit 1
      fi
      "${PIN_SERVER[@]}" "$server" --layer "${layers[$i]}" --port "$port" --origins "$origins" >/dev/null &
      pids+=($!)
      SERVER_PIDS="${pids[*]}"
    done
    for i in "${!layers[@]}"; do
      port=$((PORT + i))
      local up=0 k
      for k in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
          up=1
          break
        fi
        sleep 0.1
      done
      if [ "$up" = 0 ]; then
        echo "bench_server --layer ${layers[$i]} did not start on port $port" >&2
        exit 1
      fi
    done
    for round in $(seq "$ROUNDS"); do
      wait_idle
      # A different server starts each round.
      for k in $(seq 0 $((n - 1))); do
        i=$(((k + round) % n))
        layer=${layers[$i]}
        port=$((PORT + i))
        code=$(probe "$port" "$flag" "$arg")
        t0=$(awk '{print $14 + $15}' "/proc/${pids[$i]}/stat")
        out=$("${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "$flag" "$arg" "http://127.0.0.1:$port/data")
        t1=$(awk '{print $14 + $15}' "/proc/${pids[$i]}/stat")
        rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
        reqs=$(awk '/requests in/{print $1}' <<<"$out")
        us=$(awk -v t=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", n ? t / hz * 1e6 / n : 0}')
        if grep -q 'Non-2xx' <<<"$out"; then code="$code (non-2xx)"; fi
        printf '%-30s %-15s %5s %12s %16s %s\n' "$name" "$layer" "$round" "$rps" "$us" "$code"
        echo "$name $layer $round $rps $us" >>"$results"
      done
    done
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    SERVER_PIDS=
  done

  echo
  echo "== wrk summary: requests/s (median over rounds), and corsgate's ratio to each other"
  echo "   server as the median of the per-round ratios [lowest-highest round]; > 1 means"
  echo "   corsgate serves more requests/s. µs: server CPU time per request (median)."
  local names
  names=$(awk '{print $1}' "$results" | uniq)
  for name in $names; do
    awk -v n="$name" '
      function median(arr, k,   i, j, t) {
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
        return k % 2 ? arr[(k + 1) / 2] : (arr[k / 2] + arr[k / 2 + 1]) / 2
      }
      $1 == n { rps[$2, $3] = $4; us[$2, $3] = $5; seen[$2] = 1; if ($3 > R) R = $3 }
      END {
        printf "%s\n", n
        split("none corsgate corsgate-route tower-http same-bytes", L, " ")
        for (l = 1; l <= 5; l++) {
          x = L[l]
          if (!seen[x]) continue
          delete a; delete b; delete q; k = 0; lo = 1e9; hi = 0
          for (r = 1; r <= R; r++) {
            k++; a[k] = rps[x, r]; b[k] = us[x, r]
            q[k] = rps["corsgate", r] / rps[x, r]
            if (q[k] < lo) lo = q[k]; if (q[k] > hi) hi = q[k]
          }
          line = sprintf("  %-15s %10.0f req/s %8.2f µs", x, median(a, k), median(b, k))
          if (x != "corsgate") line = line sprintf("   corsgate/%s %.3f [%.3f-%.3f]", x, median(q, k), lo, hi)
          print line
        }
      }' "$results"
  done
}

run_criterion() {
  echo
  echo "== criterion: cargo bench -p corsgate --bench decision --bench layer"
  wait_idle
  cargo bench -p corsgate --bench decision --bench layer
  command -v jq >/dev/null || {
    echo "(install jq for a summary table; the numbers are above and in $TARGET_DIR/criterion)"
    return
  }
  echo
  echo "== criterion summary (mean, ns)"
  local f dir
  while IFS= read -r f; do
    dir=$(dirname "$f")
    [ -f "$dir/estimates.json" ] || continue
    printf '%-62s %12.1f\n' "$(jq -r .full_id "$f")" "$(jq .mean.point_estimate "$dir/estimates.json")"
  done < <(find "$TARGET_DIR/criterion" -path '*/new/benchmark.json' | sort) |
    grep -E "^(decide|cors-handle|layer|baseline)" | sort >"$TARGET_DIR/criterion/summary.txt"
  cat "$TARGET_DIR/criterion/summary.txt"
  echo
  echo "== layer: corsgate vs tower-http and vs no layer (time ratios; < 1 means corsgate is faster)"
  awk '$1 ~ /^layer\// {
      split($1, p, "/"); g = p[2]; v = p[3]; c = p[4]; t[g, c, v] = $2; cases[g "/" c] = 1
    }
    END {
      for (gc in cases) {
        split(gc, q, "/"); g = q[1]; c = q[2]
        line = sprintf("%-42s corsgate %8.1f ns  none %8.1f ns  cg/none %.3f", gc, t[g, c, "corsgate"], t[g, c, "none"], t[g, c, "corsgate"] / t[g, c, "none"])
        for (k in t) { split(k, z, SUBSEP); if (z[1] == g && z[2] == c && z[3] ~ /^tower-http/) line = line sprintf("  cg/%s %.3f", z[3], t[g, c, "corsgate"] / t[k]) }
        print line
      }
    }' "$TARGET_DIR/criterion/summary.txt" | sort
}

run_instructions() {
  echo
  echo "== instructions: cargo bench -p corsgate --bench instructions"
  command -v valgrind >/dev/null || {
    echo "valgrind is not installed (apt-get install -y valgrind)" >&2
    return 1
  }
  cargo bench -p corsgate --bench instructions
}

case $what in
  wrk) run_wrk ;;
  criterion) run_criterion ;;
  instructions) run_instructions ;;
  all)
    run_wrk
    run_criterion
    run_instructions
    ;;
esac
