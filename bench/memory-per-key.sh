#!/bin/bash
# RSS growth of one server after a full GC: bench/memory-per-key.sh respite|redis PORT "load command using $port"
# e.g. bench/memory-per-key.sh redis 7802 'redis-cli -p $port debug populate 1000000 key 16'
# Respite starts through bin/respite-server, so the launcher's JVM options apply (RESPITE_JAVA_OPTS replaces them).
# Also prints the heap the JVM has committed and the live heap after the collection (jcmd GC.heap_info).
kind=$1; port=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $kind = respite ]; then "$root/bin/respite-server" --port $port --save '' >/dev/null 2>&1 & pid=$!
else /usr/bin/redis-server --port $port --save '' --appendonly no --enable-debug-command yes >/dev/null 2>&1 & pid=$!; fi
until redis-cli -p $port ping >/dev/null 2>&1; do sleep 0.2; done
rss() { [ $kind = respite ] && jcmd $pid GC.run >/dev/null; sleep 1; awk '/VmRSS/{print $2*1024}' /proc/$pid/status; }
pss() { awk '/^Pss:/{print $2*1024}' /proc/$pid/smaps_rollup; }
e=$(rss); ep=$(pss)
eval "$@"
f=$(rss); fp=$(pss)
echo "$kind: empty RSS $e, loaded RSS $f, delta $((f-e)) bytes (Pss delta $((fp-ep))), used_memory $(redis-cli -p $port info memory | grep '^used_memory:' | tr -d '\r')"
[ $kind = respite ] && jcmd $pid GC.heap_info | sed -n 2,3p
kill $pid; wait $pid 2>/dev/null
