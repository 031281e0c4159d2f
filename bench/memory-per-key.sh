#!/bin/bash
# RSS growth of one server after a full GC: bench/memory-per-key.sh respite|redis PORT "load command using $port"
# e.g. bench/memory-per-key.sh redis 7802 'redis-cli -p $port debug populate 1000000 key 16'
kind=$1; port=$2; shift 2
if [ $kind = respite ]; then java -jar $(dirname "$0")/../cli/target/respite-server.jar --port $port --save '' >/dev/null 2>&1 & pid=$!
else /usr/bin/redis-server --port $port --save '' --appendonly no --enable-debug-command yes >/dev/null 2>&1 & pid=$!; fi
until redis-cli -p $port ping >/dev/null 2>&1; do sleep 0.2; done
rss() { [ $kind = respite ] && jcmd $pid GC.run >/dev/null; sleep 1; awk '/VmRSS/{print $2*1024}' /proc/$pid/status; }
e=$(rss)
eval "$@"
f=$(rss)
echo "$kind: empty RSS $e, loaded RSS $f, delta $((f-e)) bytes, used_memory $(redis-cli -p $port info memory | grep '^used_memory:' | tr -d '\r')"
kill $pid; wait $pid 2>/dev/null
