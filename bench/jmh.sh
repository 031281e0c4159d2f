#!/usr/bin/env bash
# Builds and runs Respite's JMH microbenchmarks (the bench module).
#
# Usage: bench/jmh.sh [JMH arguments...]     e.g. bench/jmh.sh RespDecoder    bench/jmh.sh -prof gc KeyTable
#   JMH_OPTS  replaces the modest defaults below (one fork, 2 warm-up and 3 measured iterations of a few
#             seconds: about three minutes for everything). JMH refuses an option given twice, so put
#             changed counts here rather than in the arguments, e.g. JMH_OPTS="-f 3 -wi 5 -i 10".
# `mvn verify` only compiles the benchmarks; the runnable jar comes from the jmh profile, built here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/bench/target/respite-benchmarks.jar"
(cd "$root" && mvn -B -q -Pjmh -pl bench -am -DskipTests package)
# shellcheck disable=SC2086 # JMH_OPTS is a list of options, split on purpose
exec java -jar "$jar" ${JMH_OPTS:--f 1 -wi 2 -i 3 -w 2s -r 3s} "$@"
