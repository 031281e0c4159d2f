#!/usr/bin/env bash
# RSS growth while a dataset is loaded and after, for Respite and redis-server in the same run: starts both
# (Respite through bin/respite-server, so the launcher's JVM options or RESPITE_JAVA_OPTS), records each
# one's idle RSS, runs LOAD against it while sampling VmRSS every 0.1 s, and keeps sampling for AFTER
# seconds. Prints per server the growth (RSS minus idle RSS) at its peak, at the end of the load, and 2, 10
# and AFTER seconds later, then Respite/Redis for each. Nothing is collected by force: what is measured is
# what a user's server holds.
# Usage: bench/fill-rss.sh    env: LOAD ['redis-cli -p $port debug populate 1000000 key 16'], AFTER [40],
#   ROUNDS [1], JAR [cli/target/respite-server.jar], SERVERS ['respite redis': one alone prints no ratio]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD=${LOAD:-'redis-cli -p $port debug populate 1000000 key 16'}
AFTER=${AFTER:-40}
ROUNDS=${ROUNDS:-1}
read -r -a servers <<< "${SERVERS:-respite redis}"
JAR=$(realpath "${JAR:-$root/cli/target/respite-server.jar}")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Runs LOAD on a fresh server of kind $1 and prints "peak end +2s +10s +AFTERs" growth in kB.
measure() {
  local kind=$1 port dir pid idle samples start end_at
  port=$(free_port)
  dir=$(mktemp -d)
  if [ "$kind" = redis ]; then
    (cd "$dir" && exec redis-server --port "$port" --save '' --appendonly no --enable-debug-command yes \
      --logfile /dev/null) &
  else
    # shellcheck disable=SC2046 # the launcher's options, split on purpose
    (cd "$dir" && exec java $(RESPITE_PRINT_JAVA_OPTS=1 "$root/bin/respite-server") -jar "$JAR" --port "$port" \
      --save '' > /dev/null 2>&1) &
  fi
  pid=$!
  until redis-cli -p "$port" ping > /dev/null 2>&1; do sleep 0.2; done
  sleep 10 # past the start-up collection
  idle=$(rss "$pid")
  samples=$dir/samples
  (while kill -0 "$pid" 2> /dev/null; do rss "$pid" >> "$samples"; sleep 0.1; done) &
  local sampler=$!
  start=$(date +%s.%N)
  eval "$LOAD" > /dev/null
  end_at=$(wc -l < "$samples")
  local at2 at10 atN
  sleep 2; at2=$(rss "$pid")
  sleep 8; at10=$(rss "$pid")
  sleep $((AFTER - 10)); atN=$(rss "$pid")
  kill "$sampler" 2> /dev/null || true
  local peak end
  peak=$(sort -n "$samples" | tail -1)
  end=$(sed -n "${end_at}p" "$samples")
  echo "$((peak - idle)) $((end - idle)) $((at2 - idle)) $((at10 - idle)) $((atN - idle)) $(echo "$(date +%s.%N) - $start" | bc)" 
  kill "$pid"; wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
}

printf '%-8s %5s %10s %10s %10s %10s %10s\n' server round "peak MB" "end MB" "+2s MB" "+10s MB" "+${AFTER}s MB"
for round in $(seq "$ROUNDS"); do
  declare -A got=()
  for kind in "${servers[@]}"; do
    read -r peak end a2 a10 aN _ <<< "$(measure "$kind")"
    got[$kind]="$peak $end $a2 $a10 $aN"
    printf '%-8s %5s %10.1f %10.1f %10.1f %10.1f %10.1f\n' "$kind" "$round" \
      "$(bc -l <<< "$peak/1024")" "$(bc -l <<< "$end/1024")" "$(bc -l <<< "$a2/1024")" \
      "$(bc -l <<< "$a10/1024")" "$(bc -l <<< "$aN/1024")"
  done
  [ -n "${got[respite]:-}" ] && [ -n "${got[redis]:-}" ] || continue
  read -r -a r <<< "${got[respite]}"
  read -r -a d <<< "${got[redis]}"
  printf '%-8s %5s %10.2f %10.2f %10.2f %10.2f %10.2f\n' ratio "$round" \
    "$(bc -l <<< "${r[0]}/${d[0]}")" "$(bc -l <<< "${r[1]}/${d[1]}")" "$(bc -l <<< "${r[2]}/${d[2]}")" \
    "$(bc -l <<< "${r[3]}/${d[3]}")" "$(bc -l <<< "${r[4]}/${d[4]}")"
done
