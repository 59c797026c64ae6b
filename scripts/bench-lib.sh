# Shell functions shared by the load-test scripts (scripts/bench.sh,
# scripts/bench-gateway.sh, scripts/bench-gateway-instructions.sh). Sourced, not run: `. scripts/bench-lib.sh`.
#
# Uses IDLE_WAIT (max s wait_idle waits, set by the caller). Sets PIN_SERVER and PIN_WRK.
# shellcheck shell=bash
# shellcheck disable=SC2034 # PIN_SERVER, PIN_WRK: used by the scripts that source this

# One line each: the machine, the date, rustc.
print_machine() {
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "rustc:   $(rustc --version)"
}

# Percentage of CPU time not idle over one second, all CPUs together.
busy_percent() {
  local t0 t1
  # shellcheck disable=SC2207 # /proc/stat's first line: words are numbers
  t0=($(head -1 /proc/stat))
  sleep 1
  # shellcheck disable=SC2207
  t1=($(head -1 /proc/stat))
  local idle=$((t1[4] + t1[5] - t0[4] - t0[5])) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + t1[i] - t0[i])); done
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

# CPU time a process has had, in ns (/proc/PID/schedstat: finer than /proc/PID/stat's ticks).
cpu_ns() {
  awk '{print $1}' "/proc/$1/schedstat"
}

# Waits (at most 10 s, or $3 tenths of a second) until something listens on 127.0.0.1:$1;
# exits the script with a message naming $2 if nothing does.
wait_listening() {
  local port=$1 what=$2 tries=${3:-100}
  for _ in $(seq "$tries"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$what did not start on port $port" >&2
  exit 1
}

# Exits the script if something already listens on 127.0.0.1:$1.
require_port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "something already listens on 127.0.0.1:$1; set PORT" >&2
    exit 1
  fi
}

# The usual nginx CORS recipe (`map $http_origin`, `add_header ... always`, OPTIONS → 204)
# proxying to 127.0.0.1:$3 for origin $4, in dir $1 (config, pid, logs, temp files), listening
# on 127.0.0.1:$2. $5: `workers` (a master and one worker process) or `single` (one process,
# master_process off: what valgrind can follow).
write_cors_nginx_conf() { # dir port upstream-port origin workers|single
  local d=$1 port=$2 UP_PORT=$3 ORIGIN=$4 master=on
  [ "${5:-workers}" = single ] && master=off
  mkdir -p "$d"
  cat >"$d/nginx.conf" <<EOF
# One worker, as the other servers have one thread; keep-alive limits raised (the defaults
# close a client connection, and an upstream one, every 1,000 requests).
master_process $master;
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    keepalive_requests 1000000;

    map \$http_origin \$cors_origin {
        "$ORIGIN" \$http_origin;
        default "";
    }
    upstream api {
        server 127.0.0.1:$UP_PORT;
        keepalive 256;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            if (\$request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin \$cors_origin always;
                add_header Access-Control-Allow-Methods "GET, POST, PUT" always;
                add_header Access-Control-Allow-Headers "content-type" always;
                add_header Access-Control-Max-Age 600 always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin \$cors_origin always;
            add_header Vary Origin always;
            proxy_pass http://api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
}
