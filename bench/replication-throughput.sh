#!/bin/bash
# SET throughput of a Respite master alone and with one Respite replica attached (redis-benchmark -P 16),
# in alternating rounds, with the largest gap between the master's and the replica's offsets seen meanwhile.
# Usage: bench/replication-throughput.sh [rounds]   (ports 27301 and 27302; builds nothing)
# REDIS_SERVER=/path/to/redis-server runs the same rounds with Redis itself, as the baseline of the ratio.
# The CPU seconds each process spent in a round (from /proc) show the cost apart from the machine's load.
# PIN=1 runs the master alone on CPU 0, the benchmark client and the offset sampler on CPU 1, and the replica at
# the lowest priority (nice 19), so that it only takes CPU the other two leave: on a 2-core machine that is the
# closest to a replica on a host of its own, and the ratio then shows what the replica costs the master itself.
# LAUNCHER=1 starts both Respite nodes with bin/respite-server's JVM options (its collector and settings)
# instead of the JVM's defaults with -Xmx1g.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/cli/target/respite-server.jar"
rounds=${1:-3}
java_opts=(-Xmx1g)
if [ "${LAUNCHER:-0}" = 1 ]; then
  read -r -a java_opts <<< "$(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server")"
fi
work=$(mktemp -d)
cd "$work"
master_cpu=() others_cpu=() replica_priority=()
if [ "${PIN:-0}" = 1 ]; then
  master_cpu=(taskset -c 0) others_cpu=(taskset -c 1) replica_priority=(nice -n 19)
fi
start() {
  local pin=("${replica_priority[@]}")
  [ "$1" = 27301 ] && pin=("${master_cpu[@]}")
  if [ -n "${REDIS_SERVER:-}" ]; then
    "${pin[@]}" "$REDIS_SERVER" --port "$1" --save '' --appendonly no --dir "$work" "${@:2}" > "srv-$1.log" 2>&1 &
  else
    "${pin[@]}" java "${java_opts[@]}" -jar "$jar" --port "$1" --save '' --dir "$work" "${@:2}" > "srv-$1.log" 2>&1 &
  fi
  eval "pid_$1=$!"
  for _ in $(seq 120); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.5; done
}
offset() { "${others_cpu[@]}" redis-cli -p "$1" info replication | grep "^$2:" | cut -d: -f2 | tr -d '\r'; }
bench() {
  "${others_cpu[@]}" redis-benchmark -p 27301 -t set -n 1000000 -c 50 -P 16 -r 100000 -q 2>/dev/null \
    | grep -o '[0-9.]* requests per second' | cut -d' ' -f1
}
cpu() { awk '{printf "%.2f", ($14+$15)/100}' "/proc/$1/stat"; }
start 27301
bench >/dev/null
for round in $(seq "$rounds"); do
  m0=$(cpu "$pid_27301")
  alone=$(bench)
  m1=$(cpu "$pid_27301")
  start 27302 --replicaof 127.0.0.1 27301
  for _ in $(seq 120); do redis-cli -p 27302 info replication | grep -q "master_link_status:up" && break; sleep 0.5; done
  (
    max=0
    while true; do
      gap=$(( $(offset 27301 master_repl_offset) - $(offset 27302 slave_repl_offset) ))
      if [ "$gap" -gt "$max" ]; then max=$gap; echo "$max" > gap; fi
      sleep 0.05
    done
  ) &
  sampler=$!
  m2=$(cpu "$pid_27301"); r2=$(cpu "$pid_27302")
  with=$(bench)
  m3=$(cpu "$pid_27301")
  kill "$sampler"; wait "$sampler" 2>/dev/null
  # The replica's cost includes catching up after the benchmark ends.
  for _ in $(seq 200); do
    [ "$(offset 27301 master_repl_offset)" = "$(offset 27302 slave_repl_offset)" ] && break
    sleep 0.1
  done
  r3=$(cpu "$pid_27302")
  echo "round $round: alone=$alone with_replica=$with ratio=$(echo "scale=2; $with/$alone" | bc)" \
    "max_offset_gap_bytes=$(cat gap 2>/dev/null || echo 0)" \
    "cpu_s: master_alone=$(echo "$m1-$m0" | bc) master_with=$(echo "$m3-$m2" | bc) replica=$(echo "$r3-$r2" | bc)"
  rm -f gap
  redis-cli -p 27302 shutdown nosave >/dev/null 2>&1
  sleep 1
done
redis-cli -p 27301 shutdown nosave >/dev/null 2>&1
rm -rf "$work"
