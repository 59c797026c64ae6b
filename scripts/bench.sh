#!/usr/bin/env bash
# corsgate's benchmarks: the tutorial's axum app under wrk (loopback) with no CORS layer,
# corsgate's layer and tower-http's CorsLayer, side by side; the same servers' instructions
# per request; then the criterion benchmarks and the in-process instruction counts.
#
#   scripts/bench.sh                      # all four (about 20 minutes on 2 cores)
#   scripts/bench.sh wrk                  # load test only
#   scripts/bench.sh server-instructions  # the load-test servers under cachegrind (valgrind)
#   scripts/bench.sh criterion            # cargo bench --bench decision --bench layer
#   scripts/bench.sh instructions         # cargo bench --bench instructions (valgrind)
#
# Environment: DURATION (s per wrk run, default 3), ROUNDS (default 9), CONNS (default 32),
# ONLY (a scenario name: run just that one, e.g. ONLY=actual-1-origin),
# PORT (first of 6 consecutive ports, default 3100), IDLE_WAIT (max s to wait for other
# processes to calm down before a round, default 30), DURATION_VG (s of wrk per server
# under valgrind, default 4).
#
# Load test: every server runs one tokio thread pinned to CPU 0, every wrk one thread
# pinned to CPU 1 (when there are two CPUs and taskset exists). Servers are compared in
# pairs loaded at the same time, each by its own wrk, so that the machine's noise (this is
# a VM: ±40 % between runs seconds apart) hits both alike; each round runs every pair, a
# different one first. Per pair and round: both servers' requests/s and their CPU time per
# request (from /proc/PID/schedstat); the summary gives medians of the per-round ratios.
# `none:none-again` (two identical servers) shows what the method reads for no difference.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
case $what in all | wrk | criterion | instructions | server-instructions) ;; *)
  echo "usage: scripts/bench.sh [all|wrk|criterion|instructions|server-instructions]" >&2
  exit 2
  ;;
esac

DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-9}
CONNS=${CONNS:-32}
PORT=${PORT:-3100}
IDLE_WAIT=${IDLE_WAIT:-30}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
print_machine

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
  write_preflight_lua "$lua"

  # scenario | --origins | wrk arguments | pairs (a:b, loaded at the same time)
  local scenarios=(
    "actual-1-origin|1|-H|Origin: https://site1.example.org|corsgate:none corsgate:same-bytes corsgate:tower-http corsgate:corsgate-route none:none-again"
    "preflight-1-origin|1|-s|$lua|corsgate:none corsgate:tower-http corsgate:corsgate-route"
    "actual-1000-origins-wildcard|1000|-H|Origin: https://app.tenant42.example.net|corsgate:none corsgate:tower-http corsgate:corsgate-route"
  )
  echo
  echo "== wrk -t1 -c$CONNS -d${DURATION}s per server, two servers loaded at once, $ROUNDS rounds"
  printf '%-30s %-30s %5s %20s %20s\n' scenario "a vs b" round "requests/s a b" "server µs/req a b"
  local sc name origins flag arg pairs round out i k n
  for sc in "${scenarios[@]}"; do
    IFS='|' read -r name origins flag arg pairs <<<"$sc"
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    # Every server of the scenario runs at once, each on its own port, all pinned to the
    # same CPU; `none-again` is a second `none`, so that none:none-again shows what the
    # method reads when there is no difference.
    local labels=() pids=() ports=() label port
    for label in $(tr ' :' '\n\n' <<<"$pairs" | awk '!seen[$0]++'); do
      labels+=("$label")
    done
    for i in "${!labels[@]}"; do
      port=$((PORT + i))
      ports+=("$port")
      require_port_free "$port"
      "${PIN_SERVER[@]}" "$server" --layer "${labels[$i]%-again}" --port "$port" --origins "$origins" >/dev/null &
      pids+=($!)
      SERVER_PIDS="${pids[*]}"
    done
    for i in "${!labels[@]}"; do
      wait_listening "${ports[$i]}" "bench_server --layer ${labels[$i]}"
      echo "  $name: ${labels[$i]} answers $(probe "${ports[$i]}" "$flag" "$arg")"
    done
    local pair_list=($pairs)
    n=${#pair_list[@]}
    for round in $(seq "$ROUNDS"); do
      wait_idle
      # A different pair starts each round.
      for k in $(seq 0 $((n - 1))); do
        local pair=${pair_list[$(((k + round) % n))]}
        local a=${pair%%:*} b=${pair##*:} ia= ib=
        for i in "${!labels[@]}"; do
          [ "${labels[$i]}" = "$a" ] && ia=$i
          [ "${labels[$i]}" = "$b" ] && ib=$i
        done
        local ta0 tb0 ta1 tb1
        ta0=$(cpu_ns "${pids[$ia]}")
        tb0=$(cpu_ns "${pids[$ib]}")
        "${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "$flag" "$arg" "http://127.0.0.1:${ports[$ia]}/data" >"$TMPD/a.txt" &
        local wa=$!
        "${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "$flag" "$arg" "http://127.0.0.1:${ports[$ib]}/data" >"$TMPD/b.txt" &
        local wb=$!
        wait "$wa" "$wb"
        ta1=$(cpu_ns "${pids[$ia]}")
        tb1=$(cpu_ns "${pids[$ib]}")
        out=$(awk -v ta=$((ta1 - ta0)) -v tb=$((tb1 - tb0)) '
          FNR == 1 { f++ }
          /^Requests\/sec:/ { rps[f] = $2 }
          /requests in/ { reqs[f] = $1 }
          END { printf "%s %s %.2f %.2f", rps[1], rps[2], reqs[1] ? ta / reqs[1] / 1000 : 0, reqs[2] ? tb / reqs[2] / 1000 : 0 }
        ' "$TMPD/a.txt" "$TMPD/b.txt")
        read -r ra rb ua ub <<<"$out"
        printf '%-30s %-30s %5s %10s %9s %10s %9s\n' "$name" "$a vs $b" "$round" "$ra" "$rb" "$ua" "$ub"
        echo "$name $a $b $round $ra $rb $ua $ub" >>"$results"
      done
    done
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    SERVER_PIDS=
  done

  echo
  echo "== wrk summary, per pair a:b loaded at the same time: medians over rounds"
  echo "   [lowest-highest round]. req/s a/b > 1: a served more requests. CPU b/a > 1: a"
  echo "   spent less server CPU per request (b's µs / a's µs: the requests/s ratio of the"
  echo "   two servers when each has a CPU to itself)."
  awk '
    function median(arr, k,   i, j, t) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
      return k % 2 ? arr[(k + 1) / 2] : (arr[k / 2] + arr[k / 2 + 1]) / 2
    }
    {
      key = $1 " " $2 ":" $3
      if (!(key in n)) order[++keys] = key
      k = ++n[key]
      q[key, k] = $5 / $6; c[key, k] = $8 / $7; ra[key, k] = $5; rb[key, k] = $6; ua[key, k] = $7; ub[key, k] = $8
    }
    END {
      for (o = 1; o <= keys; o++) {
        key = order[o]; k = n[key]
        delete x; delete y; delete s1; delete s2; delete s3; delete s4
        qlo = clo = 1e9; qhi = chi = 0
        for (i = 1; i <= k; i++) {
          x[i] = q[key, i]; y[i] = c[key, i]; s1[i] = ra[key, i]; s2[i] = rb[key, i]; s3[i] = ua[key, i]; s4[i] = ub[key, i]
          if (x[i] < qlo) qlo = x[i]; if (x[i] > qhi) qhi = x[i]
          if (y[i] < clo) clo = y[i]; if (y[i] > chi) chi = y[i]
        }
        printf "%-52s req/s a/b %.3f [%.3f-%.3f]  CPU b/a %.3f [%.3f-%.3f]  (%.0f vs %.0f req/s, %.2f vs %.2f µs)\n", key, median(x, k), qlo, qhi, median(y, k), clo, chi, median(s1, k), median(s2, k), median(s3, k), median(s4, k)
      }
    }' "$results"
}

# The wrk script of the preflight scenarios.
write_preflight_lua() {
  cat >"$1" <<'EOF2'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://site1.example.org"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type,x-requested-with"
EOF2
}

# Instructions the server executes per request under wrk, counted by cachegrind: the
# server's own (user-space) work, which does not move with the machine's noise. Each
# layer runs twice: idle (started, probed once, stopped) and under DURATION_VG seconds of
# wrk; (loaded - idle) / requests.
run_server_instructions() {
  command -v valgrind >/dev/null || {
    echo "valgrind is not installed (apt-get install -y valgrind)" >&2
    return 1
  }
  command -v wrk >/dev/null || {
    echo "wrk is not installed (apt-get install wrk)" >&2
    exit 1
  }
  cargo build --release -p corsgate --example bench_server
  local server="$TARGET_DIR/release/examples/bench_server"
  local lua="$TMPD/preflight.lua"
  write_preflight_lua "$lua"
  local secs=${DURATION_VG:-4}
  echo
  echo "== server instructions per request (cachegrind; bench_server under wrk -t1 -c4 -d${secs}s)"
  printf '%-30s %-15s %10s %14s %12s\n' scenario layer requests "instr/request" "vs none"
  local sc name origins flag arg layers layer port=$PORT
  local scenarios=(
    "actual-1-origin|1|-H|Origin: https://site1.example.org|none same-bytes corsgate corsgate-route tower-http"
    "preflight-1-origin|1|-s|$lua|none corsgate tower-http"
    "actual-1000-origins-wildcard|1000|-H|Origin: https://app.tenant42.example.net|none corsgate tower-http"
  )
  for sc in "${scenarios[@]}"; do
    IFS='|' read -r name origins flag arg layers <<<"$sc"
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    local base=
    for layer in $layers; do
      local idle loaded reqs
      idle=$(server_ir "$server" "$layer" "$port" "$origins" "" "$flag" "$arg" "$secs")
      read -r loaded reqs <<<"$(server_ir "$server" "$layer" "$port" "$origins" load "$flag" "$arg" "$secs")"
      local per=$(((loaded - idle) / reqs))
      [ "$layer" = none ] && base=$per
      printf '%-30s %-15s %10s %14s %12s\n' "$name" "$layer" "$reqs" "$per" \
        "$([ -n "$base" ] && [ "$layer" != none ] && printf '%+d' $((per - base)))"
    done
  done
}

# One run of bench_server under cachegrind; prints its instruction count (and, with
# load=load, the number of requests wrk completed).
server_ir() {
  local server=$1 layer=$2 port=$3 origins=$4 load=$5 flag=$6 arg=$7 secs=$8
  local log="$TMPD/vg.txt" wrkout="$TMPD/vg-wrk.txt" pid
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$server" --layer "$layer" --port "$port" --origins "$origins" >/dev/null 2>"$log" &
  pid=$!
  SERVER_PIDS=$pid
  wait_listening "$port" "bench_server --layer $layer (valgrind)" 600
  probe "$port" "$flag" "$arg" >/dev/null
  if [ "$load" = load ]; then
    "${PIN_WRK[@]}" wrk -t1 -c4 -d"${secs}s" "$flag" "$arg" "http://127.0.0.1:$port/data" >"$wrkout"
  fi
  # valgrind's children ignore SIGINT when started from a non-interactive shell.
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  SERVER_PIDS=
  local ir
  ir=$(awk '/I *refs:/ { gsub(",", "", $NF); print $NF }' "$log")
  if [ "$load" = load ]; then
    echo "$ir $(awk '/requests in/{print $1}' "$wrkout")"
  else
    echo "$ir"
  fi
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
  server-instructions) run_server_instructions ;;
  all)
    run_wrk
    run_server_instructions
    run_criterion
    run_instructions
    ;;
esac
