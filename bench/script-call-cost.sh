#!/usr/bin/env bash
# What one redis.call costs inside a script, apart from the network: one EVAL loops a million times over
# redis.call('PING') (or SCRIPT_BODY), and the server's CPU time for it (utime+stime from /proc) is divided by
# the calls. Each server given (a Respite jar, started with the launcher's JVM options, or the word "redis" for
# the reference redis-server 7.2.5) is warmed with WARM loops, then measured RUNS times; read the minimum.
# Usage: bench/script-call-cost.sh RUNS SERVER...   e.g. bench/script-call-cost.sh 5 cli/target/respite-server.jar redis
#   env: WARM [8], CALLS [1000000], SCRIPT_BODY [redis.call('PING')], REDIS_SERVER [the reference build]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=$1
shift
WARM=${WARM:-8}
CALLS=${CALLS:-1000000}
body=${SCRIPT_BODY:-"redis.call('PING')"}
script="for i = 1, $CALLS do $body end return 1"
redis_server=${REDIS_SERVER:-$HOME/.cache/respite-reference/redis-7.2.5/src/redis-server}
tick=$(getconf CLK_TCK)
workdir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$workdir"' EXIT
for s in "$@"; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$s" = redis ]; then
    (cd "$workdir" && exec "$redis_server" --port "$port" --save '' --logfile /dev/null) &
  else
    jar=$(realpath "$s")
    # shellcheck disable=SC2046 # the launcher's options, split on purpose
    (cd "$workdir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$jar" \
      --port "$port" --save '' > /dev/null 2>&1) &
  fi
  pid=$!
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
  redis-cli -p "$port" config set busy-reply-threshold 0 > /dev/null
  for _ in $(seq "$WARM"); do redis-cli -p "$port" eval "$script" 0 > /dev/null; done
  for run in $(seq "$runs"); do
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    redis-cli -p "$port" eval "$script" 0 > /dev/null
    after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    echo "$s run $run: $(( (after - before) * 1000000000 / tick / CALLS )) ns per call"
  done
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  pid=
done
