#!/usr/bin/env bash
# Runs the benchmarks (see BENCHMARKS.md). Not part of CI; CI only compiles them.
#   bench/run.sh jmh [JMH args...]   JMH micro-benchmarks (default: all, 2 forks x 5 x 2 s)
#   bench/run.sh scale [args...]     one full poll cycle, 10,000 clusters x 50 jobs, the simulator in a second
#                                    JVM (ScaleHarness; its javadoc lists --clusters, --warmups, ...)
#   bench/run.sh detection [args...] state change -> webhook latency at 1,000 clusters (DetectionLatencyHarness)
#   bench/run.sh all                 all of them, as reported in BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-all}"
[ $# -gt 0 ] && shift

# The test classpath: benchmarks live in src/test/java/io/github/atlasexport/bench.
mvn -B -q test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

run_jmh() {
  java -cp "$cp" org.openjdk.jmh.Main -f 2 -wi 3 -w 2s -i 5 -r 2s "$@"
}

# The harnesses run the monitor in their own JVM, and it logs every job it first sees at INFO (500,000
# lines at 10,000 clusters): its log goes to a file, the report to stdout.
run_harness() {
  local name="$1" heap="$2" log="target/$1.log"
  shift 2
  java "-Xmx$heap" -cp "$cp" "io.github.atlasexport.bench.$name" "$@" 2> "$log" \
    || { echo "$name failed; see $log" >&2; return 1; }
}

case "$mode" in
  jmh) run_jmh "$@" ;;
  scale) run_harness ScaleHarness 4g "$@" ;;
  detection) run_harness DetectionLatencyHarness 2g "$@" ;;
  all) run_jmh && run_harness ScaleHarness 4g && run_harness DetectionLatencyHarness 2g ;;
  *) echo "usage: bench/run.sh [jmh|scale|detection|all] [args...]" >&2; exit 2 ;;
esac
