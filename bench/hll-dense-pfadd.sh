#!/usr/bin/env bash
# PFADD into young dense HyperLogLogs, where most calls raise a register (the case that changes the stored
# string): starts Respite with JAR (default cli/target/respite-server.jar), and for each of three passes
# makes 8 fresh dense keys and sends 25,000 `PFADD key` of 10 random elements to each (-P16, 50 clients).
# Prints Respite's CPU time (utime+stime from /proc) per request of each pass.
# Usage: JAR=path/to/respite-server.jar bench/hll-dense-pfadd.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$root/cli/target/respite-server.jar}
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
workdir=$(mktemp -d)
(cd "$workdir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port $PORT --save '' > /dev/null 2>&1) &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$workdir"' EXIT
until redis-cli -p $PORT ping >/dev/null 2>&1; do sleep 0.3; done
args=(-p $PORT -c 50 -P 16 -r 100000000 --csv)
# JIT warm-up on a key of its own.
redis-benchmark "${args[@]}" -n 200000 PFADD warm __rand_int__ a__rand_int__ b__rand_int__ > /dev/null
ticks_per_s=$(getconf CLK_TCK)
for pass in 1 2 3; do
  for k in 0 1 2 3 4 5 6 7; do
    redis-cli -p $PORT pfadd "d$pass:$k" x > /dev/null
    redis-cli -p $PORT pfdebug todense "d$pass:$k" > /dev/null
  done
  before=$(awk '{print $14 + $15}' /proc/$PID/stat)
  for k in 0 1 2 3 4 5 6 7; do
    redis-benchmark "${args[@]}" -n 25000 PFADD "d$pass:$k" __rand_int__ e2:__rand_int__ e3:__rand_int__ \
      e4:__rand_int__ e5:__rand_int__ e6:__rand_int__ e7:__rand_int__ e8:__rand_int__ e9:__rand_int__ e10:__rand_int__ > /dev/null
  done
  after=$(awk '{print $14 + $15}' /proc/$PID/stat)
  awk -v p=$pass -v t=$((after - before)) -v hz="$ticks_per_s" 'BEGIN {printf "pass %d: %.2f us CPU per PFADD\n", p, t * 1e6 / hz / 200000}'
done
