#!/usr/bin/env bash
# Minor page faults and CPU time per request of a pipelined redis-benchmark row: a deterministic view of
# what fresh heap pages cost, where throughput on a shared machine is not. Starts Respite through
# bin/respite-server (launcher defaults, or RESPITE_JAVA_OPTS), warms it with 1,000,000 requests, then
# counts over 2,000,000 (-c 50 -P 16 -r 10000).
# Usage: bench/page-faults.sh [TEST ...]     e.g. bench/page-faults.sh mset set     env: JAR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$root/cli/target/respite-server.jar}
hz=$(getconf CLK_TCK)
for test in "${@:-mset}"; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -d)
  (cd "$dir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port "$port" --save '' > /dev/null 2>&1) &
  pid=$!
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
  redis-benchmark -p "$port" -c 50 -P 16 -r 10000 -n 1000000 -t "$test" -q > /dev/null
  read -r faults0 user0 sys0 < <(awk '{print $10, $14, $15}' "/proc/$pid/stat")
  redis-benchmark -p "$port" -c 50 -P 16 -r 10000 -n 2000000 -t "$test" -q > /dev/null
  read -r faults1 user1 sys1 < <(awk '{print $10, $14, $15}' "/proc/$pid/stat")
  awk -v t="$test" -v f=$((faults1 - faults0)) -v c=$((user1 + sys1 - user0 - sys0)) -v hz="$hz" \
    'BEGIN {printf "%s: %.1f faults per 1000 requests, %.2f us CPU per request\n", t, f / 2000, c * 1e6 / hz / 2000000}'
  kill "$pid"; wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
done
