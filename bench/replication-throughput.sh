#!/bin/bash
# SET throughput of a Respite master alone and with one Respite replica attached (redis-benchmark -P 16),
# in alternating rounds, with the largest gap between the master's and the replica's offsets seen meanwhile.
# Usage: bench/replication-throughput.sh [rounds]   (ports 27301 and 27302; builds nothing)
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/cli/target/respite-server.jar"
rounds=${1:-3}
work=$(mktemp -d)
cd "$work"
start() {
  java -Xmx1g -jar "$jar" --port "$1" --save '' --dir "$work" "${@:2}" > "srv-$1.log" 2>&1 &
  for _ in $(seq 120); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.5; done
}
offset() { redis-cli -p "$1" info replication | grep "^$2:" | cut -d: -f2 | tr -d '\r'; }
bench() {
  redis-benchmark -p 27301 -t set -n 1000000 -c 50 -P 16 -r 100000 -q 2>/dev/null \
    | grep -o '[0-9.]* requests per second' | cut -d' ' -f1
}
start 27301
bench >/dev/null
for round in $(seq "$rounds"); do
  alone=$(bench)
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
  with=$(bench)
  kill "$sampler"; wait "$sampler" 2>/dev/null
  echo "round $round: alone=$alone with_replica=$with max_offset_gap_bytes=$(cat gap 2>/dev/null || echo 0)"
  rm -f gap
  redis-cli -p 27302 shutdown nosave >/dev/null 2>&1
  sleep 1
done
redis-cli -p 27301 shutdown nosave >/dev/null 2>&1
rm -rf "$work"
