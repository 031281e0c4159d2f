#!/usr/bin/env bash
# Server CPU per request in the steady state, for builds compared side by side: starts every server given
# (jars of Respite with the launcher's JVM options, or the word "redis" for the system's redis-server), warms
# each Respite with WARM requests of the row (the JIT, and the heap's first pages: see docs/performance.md),
# then runs the row RUNS times on each server in turn, alternating, and prints per run each server's CPU time
# (utime+stime from /proc) and minor page faults per request. Read the minimum of the runs: on a shared
# machine medians swing by a third.
# Usage: bench/steady-cpu.sh ROW RUNS REQUESTS SERVER...    ROW: pfadd | mset | set | evalsha
#   (evalsha: a script doing one GET and one INCR of a random key, loaded on each server first)
#   e.g. bench/steady-cpu.sh mset 8 400000 /tmp/old.jar cli/target/respite-server.jar redis
#   env: WARM [2000000], CLIENTS [50], PIPELINE [16], ARGS (more server arguments for every server, e.g.
#   ARGS='--appendonly yes --appendfsync everysec')
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
row=$1 runs=$2 requests=$3
shift 3
servers=("$@")
WARM=${WARM:-2000000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-16}
read -r -a args <<< "${ARGS:-}"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
workdir=$(mktemp -d)
ports=()
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$workdir"' EXIT
opts=$(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server")
for s in "${servers[@]}"; do
  port=$(free_port)
  if [ "$s" = redis ]; then
    (mkdir "$workdir/$port" && cd "$workdir/$port" && exec redis-server --port "$port" --save '' --appendonly no --logfile /dev/null "${args[@]}") &
  else
    jar=$(realpath "$s")
    # shellcheck disable=SC2086 # the launcher's options, split on purpose
    (mkdir "$workdir/$port" && cd "$workdir/$port" && exec java $opts -jar "$jar" --port "$port" --save '' "${args[@]}" > /dev/null 2>&1) &
  fi
  pids+=($!)
  ports+=("$port")
done
for port in "${ports[@]}"; do
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
done

EVALSHA_SCRIPT="redis.call('GET', KEYS[1]) return redis.call('INCR', KEYS[1])"
if [ "$row" = evalsha ]; then
  for port in "${ports[@]}"; do
    sha=$(redis-cli -p "$port" script load "$EVALSHA_SCRIPT")
  done
fi
bench() { # port requests
  local common=(-p "$1" -c "$CLIENTS" -n "$2" -P "$PIPELINE" -q)
  case $row in
    pfadd) redis-benchmark "${common[@]}" -r 100000000 PFADD hll __rand_int__ e2:__rand_int__ e3:__rand_int__ \
             e4:__rand_int__ e5:__rand_int__ e6:__rand_int__ e7:__rand_int__ e8:__rand_int__ e9:__rand_int__ \
             e10:__rand_int__ > /dev/null ;;
    mset) redis-benchmark "${common[@]}" -r 10000 -t mset > /dev/null ;;
    set) redis-benchmark "${common[@]}" -r 10000 -t set > /dev/null ;;
    evalsha) redis-benchmark "${common[@]}" -r 100000 EVALSHA "$sha" 1 key:__rand_int__ > /dev/null ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
}
for i in "${!servers[@]}"; do
  [ "${servers[i]}" = redis ] || bench "${ports[i]}" "$WARM"
done
# Fields 10, 14 and 15 of /proc/PID/stat: minor faults, user and system CPU ticks.
stat() { awk '{print $10, $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for run in $(seq "$runs"); do
  line="run $run:"
  for i in "${!servers[@]}"; do
    read -r faults0 ticks0 < <(stat "${pids[i]}")
    bench "${ports[i]}" "$requests"
    read -r faults1 ticks1 < <(stat "${pids[i]}")
    line+=$(awk -v s="$(basename "${servers[i]}")" -v t=$((ticks1 - ticks0)) -v f=$((faults1 - faults0)) \
      -v hz="$hz" -v n="$requests" 'BEGIN {printf "  %s %.2f us %.3f faults", s, t * 1e6 / hz / n, f / n}')
  done
  echo "$line  (load $(cut -d' ' -f1 /proc/loadavg))"
done
