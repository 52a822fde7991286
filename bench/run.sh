#!/usr/bin/env bash
# Runs the benchmarks (see BENCHMARKS.md). Not part of CI; CI only compiles them.
#   bench/run.sh jmh [regex] [JMH options...]   JMH micro-benchmarks (default: all, 2 forks x 5 x 2 s;
#                                     any option replaces all defaults, e.g. -f 1 -wi 2 -i 3 -r 1s)
#   bench/run.sh scale [args...]     one full poll cycle, 10,000 clusters x 50 jobs, the simulator in a second
#                                    JVM (ScaleHarness; its javadoc lists --clusters, --warmups, ...)
#   bench/run.sh detection [args...] state change -> webhook latency at 1,000 clusters (DetectionLatencyHarness)
#   bench/run.sh digest [args...]    digest exchanges per call, ours vs challenge-every-call (--calls=20000 --concurrency=64)
#   bench/run.sh heap [jobs [jobsPerCluster]]   heap kept per tracked job (default 100,000 jobs, 500 a cluster)
#   bench/run.sh state [args...]     state store bytes written for a cycle with 1 % of 500,000 jobs changed, and
#                                    the load of 500,000 jobs at a restart (StateWriteHarness: --clusters, --jobs,
#                                    --changed-percent, --saves)
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
  # JMH refuses an option given twice: the defaults apply only when no option is passed.
  local defaults=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
  for arg in "$@"; do
    [[ "$arg" == -* ]] && defaults=()
  done
  java -cp "$cp" org.openjdk.jmh.Main "${defaults[@]}" "$@"
}

# The harnesses that run the monitor log every job it first sees at INFO (500,000 lines at 10,000
# clusters): their log goes to a file, the report to stdout.
run_harness() {
  local name="$1" heap="$2" log="target/$1.log"
  shift 2
  java "-Xmx$heap" -XX:+UseG1GC -cp "$cp" "io.github.atlasexport.bench.$name" "$@" 2> "$log" \
    || { echo "$name failed; see $log" >&2; return 1; }
}

case "$mode" in
  jmh) run_jmh "$@" ;;
  scale) run_harness ScaleHarness 4g "$@" ;;
  detection) run_harness DetectionLatencyHarness 2g "$@" ;;
  digest) run_harness DigestExchangesHarness 1g "$@" ;;
  heap) run_harness HeapPerJobHarness 1g "$@" ;;
  state) run_harness StateWriteHarness 4g "$@" ;;
  all) run_jmh && run_harness ScaleHarness 4g && run_harness DetectionLatencyHarness 2g \
         && run_harness DigestExchangesHarness 1g && run_harness HeapPerJobHarness 1g \
         && run_harness StateWriteHarness 4g ;;
  *) echo "usage: bench/run.sh [jmh|scale|detection|digest|heap|state|all] [args...]" >&2; exit 2 ;;
esac
