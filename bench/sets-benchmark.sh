#!/usr/bin/env bash
# redis-benchmark -t sadd,spop,zadd,zpopmin -q against Respite and a real redis-server, one after the
# other on the same machine, and the Respite/Redis ratio of each.
# Usage: bench/sets-benchmark.sh [path/to/respite-server.jar] [extra redis-benchmark options]
set -euo pipefail
JAR=${1:-cli/target/respite-server.jar}
shift || true
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
RESPITE_PORT=$(free_port)
redis-server --port $REDIS_PORT --save '' --appendonly no --daemonize yes --logfile /dev/null
java -jar "$JAR" --port $RESPITE_PORT --save '' > /dev/null 2>&1 &
RESPITE_PID=$!
trap 'redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true; kill $RESPITE_PID 2>/dev/null || true' EXIT
until redis-cli -p $RESPITE_PORT ping >/dev/null 2>&1; do sleep 0.2; done
# One warm-up pass so the JIT has compiled the hot paths before the measured one.
redis-benchmark -p $RESPITE_PORT -t sadd,spop,zadd,zpopmin -q "$@" > /dev/null
bench() { local port=$1; shift; redis-benchmark -p "$port" -t sadd,spop,zadd,zpopmin -q "$@" | tr '\r' '\n' | grep 'requests per second' | sed 's/ requests per second.*//'; }
paste -d' ' <(bench $REDIS_PORT "$@") <(bench $RESPITE_PORT "$@") | awk -F'[: ]+' '{printf "%-8s redis %10s  respite %10s  ratio %.2f\n", $1, $2, $4, $4 / $2}'
