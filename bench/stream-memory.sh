#!/bin/bash
# Bytes per stream entry: RSS of Respite after a full collection, 1,000,000 three-field XADDs.
# Usage: bench/stream-memory.sh (needs redis-benchmark, redis-cli and jcmd; uses port 24611).
cd "$(dirname "$0")/.."
RP=24611
bin/respite-server --port $RP --save '' > /dev/null 2>&1 & RPID=$!
for i in $(seq 1 60); do redis-cli -p $RP ping >/dev/null 2>&1 && break; sleep 0.5; done
JPID=$(pgrep -P $RPID java || echo $RPID)
redis-benchmark -p $RP -n 200000 -P 16 -c 10 -r 1000000 XADD warm '*' user __rand_int__ action click amount 42 >/dev/null
redis-cli -p $RP del warm >/dev/null
jcmd $JPID GC.run >/dev/null; sleep 5
b=$(ps -o rss= -p $JPID | tr -d ' ')
redis-benchmark -p $RP -n 1000000 -P 16 -c 10 -r 1000000 XADD s '*' user __rand_int__ action click amount 42 >/dev/null
jcmd $JPID GC.run >/dev/null; sleep 10
a=$(ps -o rss= -p $JPID | tr -d ' ')
echo "respite after full GC: rss_before_kb=$b rss_after_kb=$a rss_bytes_per_entry=$(( (a-b)*1024/1000000 ))"
jcmd $JPID GC.heap_info | head -3
kill $RPID
