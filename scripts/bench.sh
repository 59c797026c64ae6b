#!/usr/bin/env bash
# corsgate's benchmarks: the tutorial's axum app under wrk (loopback) with no CORS layer,
# corsgate's layer and tower-http's CorsLayer, side by side; then the criterion benchmarks.
#
#   scripts/bench.sh             # both (about 5 minutes on 2 cores)
#   scripts/bench.sh wrk         # load test only
#   scripts/bench.sh criterion   # criterion only (= cargo bench -p corsgate, then a summary)
#
# Environment: DURATION (s per wrk run, default 5), ROUNDS (default 3), CONNS (default 32),
# ONLY (a scenario name: run just that one, e.g. ONLY=actual-1-origin),
# PORT (default 3100), IDLE_WAIT (max s to wait for other processes to calm down before a
# run, default 30).
#
# The server runs one tokio thread pinned to CPU 0, wrk one thread pinned to CPU 1 (when
# there are two CPUs and taskset exists). Layers alternate within each round (none,
# corsgate, tower-http, none, ...) so that drift hits all three alike. Besides requests/s,
# the server's CPU time per request is printed (from /proc/PID/stat): it is much less
# disturbed by other processes than throughput is.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
case $what in all | wrk | criterion) ;; *)
  echo "usage: scripts/bench.sh [all|wrk|criterion]" >&2
  exit 2
  ;;
esac

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
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
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMPD"
}
trap cleanup EXIT

run_wrk() {
  command -v wrk >/dev/null || {
    echo "wrk is not installed (apt-get install wrk)" >&2
    exit 1
  }
  cargo build --release -p corsgate --example bench_server
  local server="$TARGET_DIR/release/examples/bench_server"
  local lua="$TMPD/preflight.lua" results="$TMPD/wrk-results.txt"
  cat >"$lua" <<'EOF'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://site1.example.org"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type,x-requested-with"
EOF

  # scenario: name, --origins, wrk arguments
  local scenarios=(
    "actual-1-origin|1|-H|Origin: https://site1.example.org"
    "preflight-1-origin|1|-s|$lua"
    "actual-1000-origins-wildcard|1000|-H|Origin: https://app.tenant42.example.net"
  )
  echo
  echo "== wrk -t1 -c$CONNS -d${DURATION}s, $ROUNDS rounds, http://127.0.0.1:$PORT/data"
  printf '%-30s %-11s %5s %12s %16s %s\n' scenario layer round "requests/s" "server µs/req" "status"
  local sc name origins flag arg round layer pid out rps t0 t1 reqs us code
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "something already listens on 127.0.0.1:$PORT; set PORT" >&2
    exit 1
  fi
  for sc in "${scenarios[@]}"; do
    IFS='|' read -r name origins flag arg <<<"$sc"
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    for round in $(seq "$ROUNDS"); do
      # same-bytes (no CORS logic, corsgate's header lines added statically) is the control
      # for the 1-origin actual request: it separates deciding from sending more bytes.
      local layers="none corsgate tower-http"
      if [ "$name" = actual-1-origin ]; then layers="none same-bytes corsgate tower-http"; fi
      for layer in $layers; do
        "${PIN_SERVER[@]}" "$server" --layer "$layer" --port "$PORT" --origins "$origins" >/dev/null &
        pid=$!
        SERVER_PID=$pid
        local up=0 i
        for i in $(seq 100); do
          if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            up=1
            break
          fi
          sleep 0.1
        done
        if [ "$up" = 0 ]; then
          kill "$pid" 2>/dev/null || true
          echo "bench_server did not start on port $PORT" >&2
          exit 1
        fi
        # One request by hand: status and whether the CORS header came back.
        if [ "$flag" = -s ]; then
          code=$(curl -s -o /dev/null -D - -X OPTIONS -H 'Origin: https://site1.example.org' \
            -H 'Access-Control-Request-Method: PUT' \
            -H 'Access-Control-Request-Headers: content-type,x-requested-with' \
            "http://127.0.0.1:$PORT/data" | tr -d '\r' |
            awk 'NR==1{s=$2} tolower($1)=="access-control-allow-origin:"{a="+acao"} END{print s a}')
        else
          code=$(curl -s -o /dev/null -D - -H "$arg" "http://127.0.0.1:$PORT/data" | tr -d '\r' |
            awk 'NR==1{s=$2} tolower($1)=="access-control-allow-origin:"{a="+acao"} END{print s a}')
        fi
        wait_idle
        t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        out=$("${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "$flag" "$arg" "http://127.0.0.1:$PORT/data")
        t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        SERVER_PID=
        rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
        reqs=$(awk '/requests in/{print $1}' <<<"$out")
        us=$(awk -v t=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", n ? t / hz * 1e6 / n : 0}')
        if grep -q 'Non-2xx' <<<"$out"; then code="$code (non-2xx)"; fi
        printf '%-30s %-11s %5s %12s %16s %s\n' "$name" "$layer" "$round" "$rps" "$us" "$code"
        echo "$name $layer $round $rps $us" >>"$results"
      done
    done
  done

  echo
  echo "== wrk summary (median over rounds; ratio > 1 means corsgate serves more requests/s)"
  printf '%-30s %10s %10s %10s %10s %10s %10s %10s %9s %9s %9s\n' scenario none same-bytes corsgate tower-http \
    "cg/none" "cg/same-b" "cg/t-h" "µs none" "µs cg" "µs t-h"
  local names
  names=$(awk '{print $1}' "$results" | uniq)
  for name in $names; do
    awk -v n="$name" '
      function median(arr, k,   i, j, t) {
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
        return k % 2 ? arr[(k + 1) / 2] : (arr[k / 2] + arr[k / 2 + 1]) / 2
      }
      $1 == n { k[$2]++; r[$2, k[$2]] = $4; u[$2, k[$2]] = $5 }
      END {
        split("none corsgate tower-http same-bytes", L, " ")
        for (l = 1; l <= 4; l++) {
          delete a; delete b
          for (i = 1; i <= k[L[l]]; i++) { a[i] = r[L[l], i]; b[i] = u[L[l], i] }
          m[L[l]] = median(a, k[L[l]]); us[L[l]] = median(b, k[L[l]])
        }
        sb = k["same-bytes"] ? sprintf("%10.0f", m["same-bytes"]) : sprintf("%10s", "-")
        sbr = k["same-bytes"] ? sprintf("%10.3f", m["corsgate"] / m["same-bytes"]) : sprintf("%10s", "-")
        printf "%-30s %10.0f %s %10.0f %10.0f %10.3f %s %10.3f %9.2f %9.2f %9.2f\n", n, m["none"], sb, m["corsgate"], m["tower-http"],
          m["corsgate"] / m["none"], sbr, m["corsgate"] / m["tower-http"], us["none"], us["corsgate"], us["tower-http"]
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

case $what in
  wrk) run_wrk ;;
  criterion) run_criterion ;;
  all)
    run_wrk
    run_criterion
    ;;
esac
