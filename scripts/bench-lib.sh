# Shell functions shared by the load-test scripts (scripts/bench.sh,
# scripts/bench-gateway.sh). Sourced, not run: `. scripts/bench-lib.sh`.
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
