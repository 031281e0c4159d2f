#!/usr/bin/env bash
# Resident memory of an idle Respite: starts the server through bin/respite-server (launcher defaults, or
# RESPITE_JAVA_OPTS), waits until it answers PING, then prints VmRSS in kB at each of the SECONDS_IDLE
# marks (seconds after that first PING); RUNS times, then the median at each mark. The environment is passed
# on, so MALLOC_ARENA_MAX and the like can be tried without editing the launcher.
# Usage: bench/idle-rss.sh   env: RUNS [3], SECONDS_IDLE [10; several marks: "10 45"], JAR [cli/target/respite-server.jar]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
SECONDS_IDLE=${SECONDS_IDLE:-10}
JAR=$(realpath "${JAR:-$root/cli/target/respite-server.jar}")
declare -A readings
for run in $(seq "$RUNS"); do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -d)
  # shellcheck disable=SC2046 # the launcher's options, split on purpose
  (cd "$dir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port "$port" --save '' > /dev/null 2>&1) &
  pid=$!
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
  start=$(date +%s.%N)
  line="run $run:"
  for mark in $SECONDS_IDLE; do
    sleep "$(echo "$start + $mark - $(date +%s.%N)" | bc | sed 's/^-.*/0/')"
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    readings[$mark]="${readings[$mark]:-} $rss"
    line="$line ${mark}s $rss kB"
  done
  echo "$line"
  kill "$pid"; wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
done
for mark in $SECONDS_IDLE; do
  # shellcheck disable=SC2086 # one reading per word
  echo "median ${mark}s: $(printf '%s\n' ${readings[$mark]} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') kB"
done
