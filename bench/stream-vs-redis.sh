#!/bin/bash
# Stream memory per entry (RSS without collection) and XADD, XRANGE, XREADGROUP throughput,
# Respite (bin/respite-server) against redis-server in the same run. Uses ports 24601 and 24602.
cd "$(dirname "$0")/.."
RP=24601; DP=24602
rss() { ps -o rss= -p $1 | tr -d ' '; }
bin/respite-server --port $RP --save '' > /dev/null 2>&1 & RPID=$!
redis-server --port $DP --save '' --appendonly no > /dev/null 2>&1 & DPID=$!
for i in $(seq 1 60); do redis-cli -p $RP ping >/dev/null 2>&1 && redis-cli -p $DP ping >/dev/null 2>&1 && break; sleep 0.5; done
echo "== memory: 1,000,000 XADD s * user <rand> action click amount 42 (-P 16)"
for side in respite redis; do
  if [ $side = respite ]; then P=$RP; PID=$RPID; else P=$DP; PID=$DPID; fi
  # warm the JIT on another key first so that RSS growth is the data's
  redis-benchmark -p $P -n 200000 -P 16 -c 10 -r 1000000 XADD warm '*' user __rand_int__ action click amount 42 >/dev/null
  redis-cli -p $P del warm >/dev/null
  sleep 3
  before=$(rss $PID)
  redis-benchmark -p $P -n 1000000 -P 16 -c 10 -r 1000000 XADD s '*' user __rand_int__ action click amount 42 >/dev/null
  sleep 5
  after=$(rss $PID)
  len=$(redis-cli -p $P xlen s)
  mu=$(redis-cli -p $P memory usage s)
  echo "$side: xlen=$len rss_before_kb=$before rss_after_kb=$after bytes_per_entry=$(( (after - before) * 1024 / len )) memory_usage=$mu used_memory=$(redis-cli -p $P info memory | grep '^used_memory:' | tr -d '\r')"
done
echo "== XRANGE of 100 entries of the 1M stream (-P 1, 20000 requests)"
for side in respite redis; do
  if [ $side = respite ]; then P=$RP; else P=$DP; fi
  redis-benchmark -p $P -n 20000 -c 10 XRANGE s - + COUNT 100 | grep -E "requests per second" | sed "s/^/$side XRANGE 100: /"
done
redis-cli -p $RP del s >/dev/null; redis-cli -p $DP del s >/dev/null
echo "== XADD throughput, alternating, 3 rounds (-c 50, 200000 requests)"
for pipe in 1 16; do
  for round in 1 2 3; do
    for side in respite redis; do
      if [ $side = respite ]; then P=$RP; else P=$DP; fi
      rps=$(redis-benchmark -p $P -n 200000 -c 50 -P $pipe -r 1000000 -q XADD "t$round" '*' user __rand_int__ action click amount 42 | grep -o '[0-9.]* requests per second' | cut -d' ' -f1)
      echo "XADD P$pipe round $round $side $rps"
      redis-cli -p $P del "t$round" >/dev/null
    done
  done
done
echo "== XREADGROUP COUNT 1 throughput on a 1M stream (-c 50, 200000 requests)"
for side in respite redis; do
  if [ $side = respite ]; then P=$RP; else P=$DP; fi
  redis-benchmark -p $P -n 1000000 -P 16 -c 10 XADD q '*' user 1 action click amount 42 >/dev/null
  redis-cli -p $P xgroup create q g 0 >/dev/null
  for pipe in 1 16; do
    rps=$(redis-benchmark -p $P -n 200000 -c 50 -P $pipe -q XREADGROUP GROUP g c COUNT 1 STREAMS q '>' | grep -o '[0-9.]* requests per second' | cut -d' ' -f1)
    echo "XREADGROUP P$pipe $side $rps"
  done
done
kill $RPID $DPID
