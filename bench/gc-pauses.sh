#!/bin/bash
# Collection pauses while redis-benchmark writes a dataset of about 1M keys, then unpipelined SET/GET.
#   bench/gc-pauses.sh PORT "JVM options" OUTDIR      (N=8000000 requests pipelined by default; JAR= to override)
# e.g. bench/gc-pauses.sh 7810 "-XX:+UseShenandoahGC" /tmp/gc-shenandoah
# Prints the GC safepoints (count, p50, p90, max), the largest safepoint of any kind, SET/GET ops/s and p99
# from redis-benchmark --csv, and the server's RSS at the end.
port=$1; opts=$2; out=$3; n=${N:-8000000}
jar=${JAR:-$(cd "$(dirname "$0")/.." && pwd)/cli/target/respite-server.jar}
mkdir -p "$out"
java $opts -Xss512k -Xlog:gc*:file="$out/gc.log" -Xlog:safepoint:file="$out/safepoint.log" \
  -jar "$jar" --port $port --save '' >"$out/server.log" 2>&1 & pid=$!
until redis-cli -p $port ping >/dev/null 2>&1; do sleep 0.2; done
t0=$(date +%s)
redis-benchmark -p $port -t set,get -n $n -r 1000000 -d 64 -c 50 -P 16 --csv >"$out/p16.csv"
t1=$(date +%s)
redis-benchmark -p $port -t set,get -n 300000 -r 1000000 -d 64 -c 50 --csv >"$out/p1.csv"
rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
pss=$(awk '/^Pss:/{print $2}' /proc/$pid/smaps_rollup)
keys=$(redis-cli -p $port dbsize)
kill $pid; wait $pid 2>/dev/null
echo "options: $opts; pipelined run ${n} requests in $((t1 - t0)) s; $keys keys; RSS at end ${rss} kB (Pss ${pss} kB)"
python3 - "$out" <<'PY'
import re, sys, csv
out = sys.argv[1]
gc, alls = [], []
for line in open(out + "/safepoint.log"):
    m = re.search(r'Safepoint "([^"]+)".*Total: (\d+) ns', line)
    if not m:
        continue
    ms = int(m.group(2)) / 1e6
    alls.append((ms, m.group(1)))
    if re.search(r'G1|Shenandoah|^Z|Collect|GC', m.group(1)):
        gc.append(ms)
gc.sort()
def pct(p):
    return gc[min(len(gc) - 1, int(p * len(gc)))] if gc else 0
print("GC pauses: count %d, p50 %.3f ms, p90 %.3f ms, max %.3f ms, over 5 ms: %d; largest safepoint of any kind %.3f ms (%s)"
      % (len(gc), pct(0.5), pct(0.9), gc[-1] if gc else 0, sum(1 for x in gc if x > 5), *max(alls)))
for name in ("p16", "p1"):
    for row in csv.DictReader(open("%s/%s.csv" % (out, name))):
        print("%s %s: %s ops/s, p50 %s ms, p99 %s ms, max %s ms" % (name, row["test"], row["rps"], row["p50_latency_ms"], row["p99_latency_ms"], row["max_latency_ms"]))
PY
