#!/usr/bin/env bash
# What io-threads does: Respite with io-threads 1, 2 and 3 (and a real redis-server for reference) under the
# same redis-benchmark runs, reporting requests/s, the server's CPU per request, and the CPU per request of
# the keyspace thread alone. The keyspace thread runs every command, so 1 / (its CPU per request) bounds
# the throughput any number of cores could reach; the rest of the work moves to I/O threads.
#
# Usage: bench/io-threads.sh   Environment: THREADS ["1 2 3"], ROUNDS [3], TESTS ["set get"], PIPELINES ["1 16"],
#   REQUESTS_P1 [100000], REQUESTS_P16 [1000000], CLIENTS [50], RESPITE_ARGS (more directives for Respite).
# Output: a markdown table of medians on stdout, progress on stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/cli/target/respite-server.jar"
threads=${THREADS:-"1 2 3"}
rounds=${ROUNDS:-3}
tests=${TESTS:-"set get"}
pipelines=${PIPELINES:-"1 16"}
clients=${CLIENTS:-50}
host=127.0.0.1
clk_tck=$(getconf CLK_TCK)

log() { echo "# $*" >&2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null || {
  echo "io-threads.sh: needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)" >&2; exit 1; }

workdir=$(mktemp -d "${TMPDIR:-/tmp}/respite-io-threads.XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

port=$((20000 + RANDOM % 10000))
ticks() { local s; s=$(cat "$1"); s=${s##*) }; awk '{print $12 + $13}' <<<"$s"; }
keyspace_stat() { # the keyspace thread's stat file, or the main thread's for redis-server
  local t
  for t in /proc/"$pid"/task/*; do
    if [ "$(cat "$t/comm")" = respite-keyspac ] || [ "$(cat "$t/comm")" = redis-server ]; then echo "$t/stat"; return; fi
  done
}

start() { # server threads
  if [ "$1" = redis ]; then
    redis-server --port "$port" --bind "$host" --save '' --appendonly no --dir "$workdir" >/dev/null 2>&1 &
  else
    # shellcheck disable=SC2086
    "$root/bin/respite-server" --port "$port" --bind "$host" --save '' --dir "$workdir" --io-threads "$2" ${RESPITE_ARGS:-} >/dev/null 2>&1 &
  fi
  pid=$!
  until redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; do sleep 0.2; done
  if [ "$1" = respite ]; then
    log "warming Respite (io-threads $2)"
    redis-benchmark -h "$host" -p "$port" -q -c 50 -P 16 -r 10000 -n 2000000 -t set,get >/dev/null
    redis-benchmark -h "$host" -p "$port" -q -c 50 -r 10000 -n 200000 -t set,get >/dev/null
  fi
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; port=$((port + 1)); }

results="$workdir/results"
measure() { # label test pipeline
  local n=${REQUESTS_P1:-100000} out total0 total1 ks0 ks1 ksfile rps
  [ "$3" = 1 ] || n=${REQUESTS_P16:-1000000}
  ksfile=$(keyspace_stat)
  total0=$(ticks /proc/"$pid"/stat); ks0=$(ticks "$ksfile")
  out=$(redis-benchmark -h "$host" -p "$port" -c "$clients" -P "$3" -r 10000 -n "$n" -t "$2" --csv | grep '^"[A-Z]')
  total1=$(ticks /proc/"$pid"/stat); ks1=$(ticks "$ksfile")
  rps=$(cut -d, -f2 <<<"$out" | tr -d '"')
  echo "$1,${2^^} -P$3,$rps,$(awk -v a="$total0" -v b="$total1" -v n="$n" -v t="$clk_tck" 'BEGIN{printf "%.2f", (b-a)/t*1e6/n}'),$(awk -v a="$ks0" -v b="$ks1" -v n="$n" -v t="$clk_tck" 'BEGIN{printf "%.2f", (b-a)/t*1e6/n}')" >>"$results"
  log "$1 ${2^^} -P$3: $rps rps"
}

for round in $(seq "$rounds"); do
  for th in redis $threads; do
    if [ "$th" = redis ]; then start redis; label=redis-server; else start respite "$th"; label="Respite io-threads $th"; fi
    for t in $tests; do for p in $pipelines; do measure "$label" "$t" "$p"; done; done
    stop
  done
done

echo "| server | test | ops/s | server CPU µs/req | keyspace (main) thread CPU µs/req | ceiling set by that thread, ops/s |"
echo "|---|---|---:|---:|---:|---:|"
awk -F, '
  { key = $1 SUBSEP $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    c[key]++; rps[key, c[key]] = $3; cpu[key, c[key]] = $4; ks[key, c[key]] = $5 }
  function median(arr, key, cnt,    i, j, v, t) {
    for (i = 1; i <= cnt; i++) v[i] = arr[key, i] + 0
    for (i = 2; i <= cnt; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return (cnt % 2) ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2 }
  END { for (i = 1; i <= n; i++) { k = order[i]; split(k, parts, SUBSEP); m = median(ks, k, c[k])
    printf "| %s | %s | %.0f | %.2f | %.2f | %s |\n", parts[1], parts[2], median(rps, k, c[k]), median(cpu, k, c[k]), m, (m > 0 ? sprintf("%.0f", 1e6 / m) : "-") } }
' "$results"
