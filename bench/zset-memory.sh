#!/usr/bin/env bash
# Memory per member of a 1,000,000-member sorted set in Respite and in a real redis-server.
# Redis: used_memory before and after. Respite: live heap after a full GC (jcmd GC.class_histogram
# forces one and totals the live objects), before and after.
# Usage: bench/zset-memory.sh [path/to/respite-server.jar]
set -euo pipefail
JAR=${1:-cli/target/respite-server.jar}
N=1000000
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
RESPITE_PORT=$(free_port)
load=$(mktemp)
python3 - "$N" > "$load" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
for start in range(0, n, 1000):
    args = ["ZADD", "z"]
    for i in range(start, start + 1000):
        args += [str(i * 1.5), "member:%d" % i]
    out.write("*%d\r\n" % len(args))
    for a in args:
        out.write("$%d\r\n%s\r\n" % (len(a), a))
PY
redis-server --port $REDIS_PORT --save '' --appendonly no --daemonize yes --logfile /dev/null
java -Xmx2g -jar "$JAR" --port $RESPITE_PORT --save '' > /dev/null 2>&1 &
RESPITE_PID=$!
trap 'redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true; kill $RESPITE_PID 2>/dev/null || true; rm -f "$load"' EXIT
until redis-cli -p $RESPITE_PORT ping >/dev/null 2>&1; do sleep 0.2; done
used() { redis-cli -p $REDIS_PORT info memory | tr -d '\r' | awk -F: '/^used_memory:/{print $2}'; }
live() { jcmd $RESPITE_PID GC.class_histogram | awk '/^Total/{print $3}'; }
r0=$(used); j0=$(live)
redis-cli -p $REDIS_PORT --pipe < "$load" > /dev/null
redis-cli -p $RESPITE_PORT --pipe < "$load" > /dev/null
echo "redis   ZCARD $(redis-cli -p $REDIS_PORT zcard z)  encoding $(redis-cli -p $REDIS_PORT object encoding z)"
echo "respite ZCARD $(redis-cli -p $RESPITE_PORT zcard z)"
r1=$(used); j1=$(live)
echo "redis-server: $(( (r1 - r0) / N )) bytes per member"
echo "respite:      $(( (j1 - j0) / N )) bytes per member"
