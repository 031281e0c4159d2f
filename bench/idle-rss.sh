#!/usr/bin/env bash
# Resident memory of an idle Respite: starts the server through bin/respite-server (launcher defaults, or
# RESPITE_JAVA_OPTS), waits until it answers PING, waits SECONDS more, prints VmRSS in kB; RUNS times.
# Usage: bench/idle-rss.sh        env: RUNS [3], SECONDS_IDLE [10], JAR [cli/target/respite-server.jar]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
SECONDS_IDLE=${SECONDS_IDLE:-10}
JAR=${JAR:-$root/cli/target/respite-server.jar}
for run in $(seq "$RUNS"); do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -d)
  (cd "$dir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port "$port" --save '' > /dev/null 2>&1) &
  pid=$!
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
  sleep "$SECONDS_IDLE"
  echo "run $run: $(awk '/VmRSS/ {print $2}' /proc/$pid/status) kB"
  kill "$pid"; wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
done
