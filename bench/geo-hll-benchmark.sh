#!/usr/bin/env bash
# PFADD of 10 elements, PFCOUNT of 3 keys and GEOSEARCH BYRADIUS in a 1M-member geo set, measured with
# redis-benchmark against Respite and the system's redis-server in one run, alternating Respite and Redis
# ROUNDS times; prints the median requests per second of each and the Respite/Redis ratio.
# Usage: bench/geo-hll-benchmark.sh   (env: ROUNDS [3], CLIENTS [50], REQUESTS [200000], GEO_REQUESTS [50000])
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
REQUESTS=${REQUESTS:-200000}
GEO_REQUESTS=${GEO_REQUESTS:-50000}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
RESPITE_PORT=$(free_port)
redis-server --port $REDIS_PORT --save '' --appendonly no --logfile /dev/null &
REDIS_PID=$!
"$root/bin/respite-server" --port $RESPITE_PORT --save '' > /dev/null 2>&1 &
RESPITE_PID=$!
trap 'kill $REDIS_PID $RESPITE_PID 2>/dev/null || true' EXIT
for port in $REDIS_PORT $RESPITE_PORT; do
  until redis-cli -p $port ping >/dev/null 2>&1; do sleep 0.2; done
done

# The same data in both: three dense HyperLogLogs and one million points spread over the map.
load() {
  python3 - <<'PY'
import random, sys
out = sys.stdout.buffer
def cmd(*args):
    parts = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b'$%d\r\n%s\r\n' % (len(a), a))
    out.write(b''.join(parts))
for k in (1, 2, 3):
    for start in range(0, 50000, 1000):
        cmd('PFADD', 'hll%d' % k, *('k%d:%d' % (k, i) for i in range(start, start + 1000)))
rnd = random.Random(1)
for start in range(0, 1000000, 500):
    args = ['GEOADD', 'points']
    for i in range(start, start + 500):
        args += ['%.6f' % rnd.uniform(-180, 180), '%.6f' % rnd.uniform(-85, 85), 'm%d' % i]
    cmd(*args)
PY
}
for port in $REDIS_PORT $RESPITE_PORT; do
  load | redis-cli -p $port --pipe > /dev/null
  [ "$(redis-cli -p $port zcard points)" = 1000000 ] || { echo "loading port $port failed" >&2; exit 1; }
done

PFADD=(PFADD hll __rand_int__ e2:__rand_int__ e3:__rand_int__ e4:__rand_int__ e5:__rand_int__ e6:__rand_int__
       e7:__rand_int__ e8:__rand_int__ e9:__rand_int__ e10:__rand_int__)
PFCOUNT=(PFCOUNT hll1 hll2 hll3)
GEOSEARCH=(GEOSEARCH points FROMLONLAT 13.361389 38.115556 BYRADIUS 100 km)
echo "GEOSEARCH finds $(redis-cli -p $REDIS_PORT "${GEOSEARCH[@]}" | wc -l) members (redis), $(redis-cli -p $RESPITE_PORT "${GEOSEARCH[@]}" | wc -l) (respite)" >&2

rps() { # port requests command...
  local port=$1 n=$2; shift 2
  redis-benchmark -p "$port" -c "$CLIENTS" -n "$n" -r 100000000 --csv "$@" | tail -1 | cut -d, -f2 | tr -d '"'
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# A warm-up pass on each so the JIT has compiled the hot paths.
rps $RESPITE_PORT 50000 "${PFADD[@]}" > /dev/null
rps $RESPITE_PORT 20000 "${PFCOUNT[@]}" > /dev/null
rps $RESPITE_PORT 10000 "${GEOSEARCH[@]}" > /dev/null
for test in PFADD PFCOUNT GEOSEARCH; do
  declare -n args=$test
  n=$REQUESTS
  [ $test = GEOSEARCH ] && n=$GEO_REQUESTS
  a=""; b=""
  for round in $(seq "$ROUNDS"); do
    a="$a $(rps $RESPITE_PORT $n "${args[@]}")"
    b="$b $(rps $REDIS_PORT $n "${args[@]}")"
  done
  echo "$test respite:[$a ] redis:[$b ]" >&2
  ma=$(echo $a | median); mb=$(echo $b | median)
  awk -v t=$test -v a=$ma -v b=$mb 'BEGIN {printf "%-10s respite %10.0f  redis %10.0f  ratio %.2f\n", t, a, b, a / b}'
done
