#!/usr/bin/env bash
# EVALSHA (a script that calls SET and GET, and one that returns 1), PFADD of 10 elements, PFCOUNT of 3
# keys and GEOSEARCH BYRADIUS in a 1M-member geo set, measured with redis-benchmark against Respite and the
# system's redis-server, unpipelined and pipelined 16, alternating Respite and Redis ROUNDS times (the order
# swaps each round). Prints per row the median requests per second of each, the Respite/Redis ratio, and
# the median server CPU time (utime+stime from /proc) per request of each.
# Usage: bench/geo-hll-benchmark.sh
#   env: ROUNDS [3], CLIENTS [50], REQUESTS [200000], GEO_REQUESTS [50000], PIPELINES ["1 16"],
#        ROWS [regex over row names, e.g. 'EVALSHA|PFADD'; default all], JAR [cli/target/respite-server.jar],
#        WARM [2000000: requests per row, -P16, sent to Respite first]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
REQUESTS=${REQUESTS:-200000}
GEO_REQUESTS=${GEO_REQUESTS:-50000}
WARM=${WARM:-2000000}
PIPELINES=${PIPELINES:-"1 16"}
ROWS=${ROWS:-.}
JAR=${JAR:-$root/cli/target/respite-server.jar}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
RESPITE_PORT=$(free_port)
workdir=$(mktemp -d)
(cd "$workdir" && exec redis-server --port $REDIS_PORT --save '' --appendonly no --logfile /dev/null) &
REDIS_PID=$!
# The launcher's JVM options, with the jar under test.
(cd "$workdir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port $RESPITE_PORT --save '' > /dev/null 2>&1) &
RESPITE_PID=$!
trap 'kill $REDIS_PID $RESPITE_PID 2>/dev/null || true; rm -rf "$workdir"' EXIT
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
SETGET="redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])"
for port in $REDIS_PORT $RESPITE_PORT; do
  load | redis-cli -p $port --pipe > /dev/null
  [ "$(redis-cli -p $port zcard points)" = 1000000 ] || { echo "loading port $port failed" >&2; exit 1; }
  SETGET_SHA=$(redis-cli -p $port script load "$SETGET")
  RET1_SHA=$(redis-cli -p $port script load "return 1")
done

EVALSHA_SETGET=(EVALSHA "$SETGET_SHA" 1 key:__rand_int__ value)
EVALSHA_RET1=(EVALSHA "$RET1_SHA" 0)
PFADD=(PFADD hll __rand_int__ e2:__rand_int__ e3:__rand_int__ e4:__rand_int__ e5:__rand_int__ e6:__rand_int__
       e7:__rand_int__ e8:__rand_int__ e9:__rand_int__ e10:__rand_int__)
PFCOUNT=(PFCOUNT hll1 hll2 hll3)
GEOSEARCH=(GEOSEARCH points FROMLONLAT 13.361389 38.115556 BYRADIUS 100 km)
echo "GEOSEARCH finds $(redis-cli -p $REDIS_PORT "${GEOSEARCH[@]}" | wc -l) members (redis), $(redis-cli -p $RESPITE_PORT "${GEOSEARCH[@]}" | wc -l) (respite)" >&2

cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
ticks_per_s=$(getconf CLK_TCK)
# One run: prints "rps cpu_us_per_request".
run() { # port pid requests pipeline command...
  local port=$1 pid=$2 n=$3 pl=$4; shift 4
  local before after rps
  before=$(cpu_ticks "$pid")
  rps=$(redis-benchmark -p "$port" -c "$CLIENTS" -n "$n" -P "$pl" -r 100000000 --csv "$@" | tail -1 | cut -d, -f2 | tr -d '"')
  after=$(cpu_ticks "$pid")
  awk -v r="$rps" -v t=$((after - before)) -v hz="$ticks_per_s" -v n="$n" 'BEGIN {printf "%s %.3f\n", r, t * 1e6 / hz / n}'
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# A warm-up pass on Respite: the JIT compiles the hot paths, and the heap gets past its first pages (until the
# collector's first cycle every new page is a page fault: see docs/performance.md, "Heap pages").
for test in EVALSHA_SETGET EVALSHA_RET1 PFADD PFCOUNT GEOSEARCH; do
  [[ $test =~ $ROWS ]] || continue
  declare -n args=$test
  warm=$WARM
  [ $test = GEOSEARCH ] && warm=$((GEO_REQUESTS * 2))
  run $RESPITE_PORT $RESPITE_PID $warm 16 "${args[@]}" > /dev/null
  run $RESPITE_PORT $RESPITE_PID 20000 1 "${args[@]}" > /dev/null
done
printf '%-18s %10s %10s %6s %12s %12s\n' row respite redis ratio 'cpu_us resp' 'cpu_us redis'
for test in EVALSHA_SETGET EVALSHA_RET1 PFADD PFCOUNT GEOSEARCH; do
  [[ $test =~ $ROWS ]] || continue
  declare -n args=$test
  for pl in $PIPELINES; do
    n=$REQUESTS
    [ $test = GEOSEARCH ] && n=$GEO_REQUESTS
    a=""; b=""; ca=""; cb=""
    for round in $(seq "$ROUNDS"); do
      if ((round % 2)); then
        read -r r c < <(run $RESPITE_PORT $RESPITE_PID $n $pl "${args[@]}"); a="$a $r"; ca="$ca $c"
        read -r r c < <(run $REDIS_PORT $REDIS_PID $n $pl "${args[@]}"); b="$b $r"; cb="$cb $c"
      else
        read -r r c < <(run $REDIS_PORT $REDIS_PID $n $pl "${args[@]}"); b="$b $r"; cb="$cb $c"
        read -r r c < <(run $RESPITE_PORT $RESPITE_PID $n $pl "${args[@]}"); a="$a $r"; ca="$ca $c"
      fi
    done
    echo "$test -P$pl respite:[$a ] cpu[$ca ] redis:[$b ] cpu[$cb ]" >&2
    awk -v t="$test -P$pl" -v a="$(echo $a | median)" -v b="$(echo $b | median)" \
      -v ca="$(echo $ca | median)" -v cb="$(echo $cb | median)" \
      'BEGIN {printf "%-18s %10.0f %10.0f %6.2f %12.2f %12.2f\n", t, a, b, a / b, ca, cb}'
  done
done
