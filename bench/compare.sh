#!/usr/bin/env bash
# Respite against a real redis-server on this machine: the same redis-benchmark runs against each, in
# alternation, for several rounds; medians of requests/s, p50, p99 and server CPU time per request.
#
# Usage: bench/compare.sh            (from any directory; builds the jar and installs Redis when missing)
# Environment:
#   ROUNDS [3; 1 with QUICK=1]   rounds per row; each round runs both servers, the order swapping per round
#   QUICK=1                      far fewer requests and the plain pass only: a smoke run, well under a minute
#   PASSES ["plain aof"; "plain" with QUICK=1]
#                                plain: no persistence; aof: --appendonly yes --appendfsync everysec
#   N_P1, N_P16 [40000, 300000]  requests per unpipelined / pipelined run (LRANGE_100 and the -d/-c rows aside)
#   KEYSPACE [10000]             redis-benchmark -r: keys drawn from this many, so GETs mostly hit
#   RUN_TIMEOUT [120]            seconds before one redis-benchmark run is given up as failed
#   RESPITE_JAVA_OPTS            JVM options, as for bin/respite-server (its defaults otherwise)
#   RESPITE_ARGS                 extra directives for Respite only, e.g. "--io-threads 2 --io-transport io_uring"
#   ROWS                         an extended regular expression: only the rows whose label matches, e.g. 'SET|GET'
# Output: the table on stdout, progress on stderr, and bench/results/<timestamp>.csv (every run) and .md
# (the medians table). Only 127.0.0.1 is contacted; both servers are stopped on exit, whatever the cause.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/cli/target/respite-server.jar"
host=127.0.0.1
quick=${QUICK:-0}
if [ "$quick" = 1 ]; then
  rounds=${ROUNDS:-1}; n_p1=3000; n_p16=30000; n_slow=1000; warm_n=100000; passes=${PASSES:-plain}
else
  rounds=${ROUNDS:-3}; n_p1=40000; n_p16=300000; n_slow=10000; warm_n=2000000; passes=${PASSES:-"plain aof"}
fi
n_p1=${N_P1:-$n_p1}; n_p16=${N_P16:-$n_p16}
keyspace=${KEYSPACE:-10000}
run_timeout=${RUN_TIMEOUT:-120}
clk_tck=$(getconf CLK_TCK)

log() { echo "# $*" >&2; }
die() { echo "compare.sh: $*" >&2; exit 1; }

# ---- prerequisites

if [ ! -f "$jar" ]; then
  log "building $jar"
  (cd "$root" && mvn -B -q -DskipTests package)
fi
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  log "installing Debian's redis-server and redis-tools"
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
fi
# 1,000 benchmark clients need as many descriptors in the benchmark and in each server.
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- servers

workdir=$(mktemp -d "${TMPDIR:-/tmp}/respite-compare.XXXXXX")
respite_pid=""; redis_pid=""

stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
stop_servers() {
  stop_pid "$respite_pid"; respite_pid=""
  stop_pid "$redis_pid"; redis_pid=""
}
cleanup() {
  stop_servers
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port below the kernel's ephemeral range (outgoing connections take those, and a listener cannot bind
# a port a connection holds) that nothing listens on. A port taken meanwhile shows as a failed start.
free_port() {
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % (low - 20000)))
    if ! (exec 3<>"/dev/tcp/$host/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free loopback port found"
}

await_pong() { # port pid name log
  for _ in $(seq 300); do
    [ "$(redis-cli -h "$host" -p "$1" PING 2>/dev/null)" = PONG ] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  tail -5 "$4" >&2
  die "$3 did not answer PING on port $1 (pid $2)"
}

# Persistence settings shared by both servers in a pass.
persistence_args() {
  case $1 in
    plain) echo "--save '' --appendonly no" ;;
    aof) echo "--save '' --appendonly yes --appendfsync everysec" ;;
    *) die "unknown pass '$1' (plain or aof)" ;;
  esac
}

start_servers() { # pass
  local dir=$workdir/$1 persist; persist=$(persistence_args "$1")
  mkdir -p "$dir/respite" "$dir/redis"
  respite_port=$(free_port)
  eval "set -- $persist"
  # bin/respite-server execs java, so $! is the JVM itself and its /proc/PID/stat is the server's CPU.
  # shellcheck disable=SC2086 # RESPITE_ARGS is a list of words
  "$root/bin/respite-server" --port "$respite_port" --bind "$host" "$@" ${RESPITE_ARGS:-} \
    --dir "$dir/respite" --logfile "$dir/respite/respite.log" &
  respite_pid=$!
  await_pong "$respite_port" "$respite_pid" respite "$dir/respite/respite.log"
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind "$host" "$@" --daemonize no \
    --dir "$dir/redis" --logfile "$dir/redis/redis.log" &
  redis_pid=$!
  await_pong "$redis_port" "$redis_pid" redis-server "$dir/redis/redis.log"
}

# The JIT compiles the hot path only after many thousands of calls; a cold round ran at a third of the
# warm speed. Errors from commands Respite lacks are expected here and ignored.
warm_respite() {
  log "warming Respite's JIT ($warm_n pipelined requests, then unpipelined ones)"
  timeout "$run_timeout" redis-benchmark -h "$host" -p "$respite_port" -q -c 50 -P 16 -r "$keyspace" \
    -n "$warm_n" -t set,get,incr,mset,ping_mbulk >/dev/null 2>&1 || true
  timeout "$run_timeout" redis-benchmark -h "$host" -p "$respite_port" -q -c 50 -r "$keyspace" \
    -n $((warm_n / 10)) -t set,get >/dev/null 2>&1 || true
}

cpu_ticks() { # pid: utime+stime of the whole process, in clock ticks
  local stat; stat=$(cat "/proc/$1/stat")
  stat=${stat##*) }  # the command name may hold spaces; fields after it are plain
  awk '{print $12 + $13}' <<<"$stat"
}

# ---- one run

results_dir="$root/bench/results"
mkdir -p "$results_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
csv="$results_dir/$stamp.csv"
md="$results_dir/$stamp.md"
echo "pass,row,test,pipeline,clients,size,round,server,status,rps,avg_ms,min_ms,p50_ms,p95_ms,p99_ms,max_ms,cpu_us_per_req,note" >"$csv"

# Runs redis-benchmark once and appends a CSV line; a failed run is recorded, never fatal.
run_one() { # pass row test pipeline clients size requests round server port pid
  local pass=$1 row=$2 test=$3 pl=$4 clients=$5 size=$6 n=$7 round=$8 server=$9 port=${10} pid=${11}
  local out err before after rows total line status=ok note="" cpu=""
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -5 "$workdir/$pass/$server/$server.log" >&2
    die "$server (pid $pid) is no longer running"
  fi
  before=$(cpu_ticks "$pid")
  set +e
  out=$(timeout "$run_timeout" redis-benchmark -h "$host" -p "$port" -c "$clients" -n "$n" -P "$pl" -d "$size" \
    -r "$keyspace" -t "$test" --csv 2>"$workdir/err")
  local rc=$?
  set -e
  after=$(cpu_ticks "$pid")
  err=$(grep -v '^$' "$workdir/err" | head -1 | sed 's/, with args beginning with.*//' | tr -d '",\r' | cut -c1-80 || true)
  # LRANGE_100 first fills the list with an LPUSH run of its own: its row is the one named for the test.
  line=$(awk -F'","' -v t="$test" 'NR > 1 { name = tolower(substr($1, 2)); sub(/ .*/, "", name); if (name == t) print }' <<<"$out" | head -1)
  rows=$(grep -c '^"[A-Z]' <<<"$out" || true)
  if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
    status=failed
    if [ "$rc" = 124 ]; then note="timed out after ${run_timeout}s"; else note=${err:-"redis-benchmark exit $rc"}; fi
    line='"","","","","","","",""'
  else
    total=$((n * rows))
    cpu=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$total" 'BEGIN{printf "%.3f", t / hz * 1e6 / n}')
  fi
  local fields; fields=$(tr -d '"' <<<"$line" | cut -d, -f2-)
  echo "$pass,$row,$test,$pl,$clients,$size,$round,$server,$status,$fields,$cpu,$note" >>"$csv"
  log "$pass $row round $round $server: $status $(cut -d, -f1 <<<"$fields") rps ${cpu:+$cpu µs CPU/req} $note"
}

# ---- the matrix

# row label, test, pipeline, clients, value size, requests
matrix() {
  local t
  for t in set get incr lpush rpush lpop rpop hset mset lrange_100 ping_mbulk; do
    local slow=$n_p1; [ "$t" = lrange_100 ] && slow=$n_slow
    echo "${t^^} -P1 $t 1 50 3 $slow"
  done
  for t in set get incr lpush rpush lpop rpop hset mset lrange_100 ping_mbulk; do
    local slow=$n_p16; [ "$t" = lrange_100 ] && slow=$((n_slow * 4))
    echo "${t^^} -P16 $t 16 50 3 $slow"
  done
  for t in set get; do echo "${t^^} -d1024 $t 1 50 1024 $n_p1"; done
  for t in set get; do echo "${t^^} -c1000 $t 1 1000 3 $n_p1"; done
}

selected_rows() {
  if [ -n "${ROWS:-}" ]; then matrix | grep -E -- "^(${ROWS})" || true; else matrix; fi
}

run_pass() { # pass
  pass=$1
  log "pass '$pass': $(persistence_args "$pass")"
  start_servers "$pass"
  log "respite pid $respite_pid port $respite_port; redis-server $(redis-server --version | awk '{print $3}') pid $redis_pid port $redis_port"
  warm_respite
  local name pl_label test pl clients size n round
  while read -r name pl_label test pl clients size n; do
    for round in $(seq "$rounds"); do
      # Swapping who goes first each round spreads drift in the machine's load over both servers.
      if [ $((round % 2)) = 1 ]; then
        run_one "$pass" "$name $pl_label" "$test" "$pl" "$clients" "$size" "$n" "$round" respite "$respite_port" "$respite_pid"
        run_one "$pass" "$name $pl_label" "$test" "$pl" "$clients" "$size" "$n" "$round" redis "$redis_port" "$redis_pid"
      else
        run_one "$pass" "$name $pl_label" "$test" "$pl" "$clients" "$size" "$n" "$round" redis "$redis_port" "$redis_pid"
        run_one "$pass" "$name $pl_label" "$test" "$pl" "$clients" "$size" "$n" "$round" respite "$respite_port" "$respite_pid"
      fi
    done
  done < <(selected_rows)
  run_mixed "$pass"
  if [ "$pass" = aof ] && [ -z "$(ls -A "$workdir/$pass/respite" | grep -v '\.log$' || true)" ]; then
    echo "note: Respite wrote no persistence file in the aof pass: it does not implement the append-only file yet," \
         "so that pass compares Respite without persistence against Redis with it." | tee -a "$workdir/notes" >&2
  fi
  stop_servers
}

# memtier_benchmark's mixed SET:GET 1:10 on random keys, a second view when Debian ships it.
run_mixed() { # pass
  if ! command -v memtier_benchmark >/dev/null; then
    if [ -n "$(apt-cache policy memtier-benchmark 2>/dev/null)" ]; then
      log "installing memtier-benchmark"
      apt-get install -y -qq memtier-benchmark >/dev/null 2>&1 || true
    fi
  fi
  if ! command -v memtier_benchmark >/dev/null; then
    grep -q memtier "$workdir/notes" 2>/dev/null ||
      echo "note: memtier-benchmark is not available from this machine's Debian sources; the mixed 1:10 SET:GET view was skipped." \
        | tee -a "$workdir/notes" >&2
    return
  fi
  local secs=10; [ "$quick" = 1 ] && secs=2
  local server port pid before after out total
  for round in $(seq "$rounds"); do
    for server in respite redis; do
      if [ $server = respite ]; then port=$respite_port pid=$respite_pid; else port=$redis_port pid=$redis_pid; fi
      before=$(cpu_ticks "$pid")
      out=$(timeout "$run_timeout" memtier_benchmark -s "$host" -p "$port" --protocol=redis --ratio=1:10 \
        --key-pattern=R:R --key-maximum="$keyspace" -t 2 -c 25 --test-time="$secs" --hide-histogram 2>/dev/null) || true
      after=$(cpu_ticks "$pid")
      # Totals line: Type Ops/sec Hits/sec Misses/sec Avg.Latency p50 p99 p99.9 KB/sec
      total=$(awk '/^Totals/ {print $2, $6, $7; exit}' <<<"$out")
      if [ -z "$total" ]; then
        echo "$pass,MIXED 1:10,mixed,1,50,32,$round,$server,failed,,,,,,,,,memtier_benchmark failed" >>"$csv"
        continue
      fi
      read -r ops p50 p99 <<<"$total"
      local cpu; cpu=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$ops" -v s="$secs" 'BEGIN{printf "%.3f", t / hz * 1e6 / (n * s)}')
      echo "$pass,MIXED 1:10,mixed,1,50,32,$round,$server,ok,$ops,,,$p50,,$p99,,$cpu," >>"$csv"
    done
  done
}

# ---- summary

summarize() {
  awk -F, '
    NR == 1 { next }
    {
      key = $1 SUBSEP $2 SUBSEP $8
      if (!(($1 SUBSEP $2) in seen)) { seen[$1 SUBSEP $2] = 1; order[++rows] = $1 SUBSEP $2 }
      if ($9 != "ok") { fails[key]++; if (note[key] == "") note[key] = $18; next }
      n[key]++; rps[key, n[key]] = $10; p50[key, n[key]] = $13; p99[key, n[key]] = $15; cpu[key, n[key]] = $17
    }
    function median(arr, key, cnt,    i, j, v, t) {
      for (i = 1; i <= cnt; i++) v[i] = arr[key, i] + 0
      for (i = 2; i <= cnt; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2
    }
    function cell(arr, key, fmt) { return n[key] ? sprintf(fmt, median(arr, key, n[key])) : "-" }
    function ratio(arr, a, b) { return (n[a] && n[b] && median(arr, b, n[b]) > 0) ? sprintf("%.2f", median(arr, a, n[a]) / median(arr, b, n[b])) : "-" }
    END {
      print "| pass | row | Respite ops/s | Redis ops/s | ratio | Respite p50 ms | Redis p50 ms | Respite p99 ms | Redis p99 ms | Respite CPU µs/req | Redis CPU µs/req | CPU ratio |"
      print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= rows; i++) {
        split(order[i], k, SUBSEP); a = order[i] SUBSEP "respite"; b = order[i] SUBSEP "redis"
        if (!n[a] && fails[a]) {
          printf "| %s | %s | FAILED: %s | %s | - | - | %s | - | %s | - | %s | - |\n", k[1], k[2], note[a],
            cell(rps, b, "%.0f"), cell(p50, b, "%.3f"), cell(p99, b, "%.3f"), cell(cpu, b, "%.2f")
          continue
        }
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k[1], k[2],
          cell(rps, a, "%.0f"), n[b] ? cell(rps, b, "%.0f") : "FAILED: " note[b], ratio(rps, a, b),
          cell(p50, a, "%.3f"), cell(p50, b, "%.3f"), cell(p99, a, "%.3f"), cell(p99, b, "%.3f"),
          cell(cpu, a, "%.2f"), cell(cpu, b, "%.2f"), ratio(cpu, a, b)
      }
    }' "$csv"
}

started=$(date +%s)
for pass in $passes; do run_pass "$pass"; done
elapsed=$(( $(date +%s) - started ))

{
  echo "# Respite vs Redis, $stamp"
  echo
  echo "- commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(redis-server --version | awk '{print "redis-server", $3}'), $(java -version 2>&1 | head -1)"
  echo "- $(nproc) cores shared by redis-benchmark and the server (and anything else running); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- medians of $rounds round(s); -r $keyspace; QUICK=$quick; ${elapsed}s in all; CPU µs/req is the server process's utime+stime per request"
  echo "- Respite: JVM options ${RESPITE_JAVA_OPTS:-(launcher defaults)}; extra directives ${RESPITE_ARGS:-(none)}"
  if [ "$quick" = 1 ]; then
    echo "- QUICK=1 is a smoke run: Respite's JIT is only partly warm after the short warm-up, so these ratios are not for comparison"
  fi
  echo
  summarize
  if [ -f "$workdir/notes" ]; then echo; sed 's/^/- /' "$workdir/notes"; fi
} >"$md"
cat "$md"
echo
echo "raw runs: $csv"
echo "table:    $md"
