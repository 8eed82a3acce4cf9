#!/usr/bin/env bash
# Every benchmark, one command. Each prints its figures beside a baseline measured in the same run; none is a test
# and none asserts a speed. Runs under scripts/test-services.sh (a throwaway PostgreSQL and RabbitMQ).
#
#   scripts/bench.sh                 all of them, in the order below
#   ATTUNE_BENCH_JAVA_OPTS='-Dbench.batch=200' scripts/bench.sh endtoend   a harness option of one's own
#   scripts/bench.sh NAME...         some of them: placement probe launch postgres rabbitmq pgwrites fleet floor
#                                    overhead endtoend healthcheck
#
# A benchmark reports its headline figures on lines `[summary] metric|figure|baseline|ratio|target|holds`; the
# last thing printed is the table of all of them (also written to target/bench-summary.txt).
#
#   placement    JMH: one placement decision over 10,000 workers vs a naive filter of a plain list
#   probe        `capabilities` with six probes, one hanging, vs the same probes one after another
#   launch       the no-op shell action through the runner vs spawning it directly, per JDK launch mechanism
#   postgres     heartbeat writes of the adapter vs plain JDBC; statements per scheduling decision
#   rabbitmq     raw persistent RabbitMQ throughput with publisher confirms
#   pgwrites     PostgreSQL alone (pgbench): an execution's four writes vs one INSERT per execution
#   fleet        placements/s through the real scheduler path at 10, 1,000 and 10,000 workers vs deciding on the
#                registry's candidate query; two schedulers at once
#   floor        the protocol alone (an execution's 4 writes and 3 messages, no logic), with and without a child
#                process: the ceiling of overhead and endtoend on this machine, against their baselines
#   overhead     executions end to end with a runner that does no work vs raw persistent RabbitMQ throughput
#   endtoend     no-op shell executions end to end vs spawning the same action directly; submit-to-start latency
#   healthcheck  the images' shell health check vs the JVM `health` command it replaced (builds the images)
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(placement probe launch postgres rabbitmq pgwrites fleet floor overhead endtoend healthcheck)
if [[ ${ATTUNE_TEST_SERVICES:-} != required ]]; then
  exec scripts/test-services.sh "$0" "$@"
fi
selected=("$@")
((${#selected[@]})) || selected=("${ALL[@]}")
for name in "${selected[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || { echo "bench.sh: unknown benchmark '$name'; expected one of: ${ALL[*]}" >&2; exit 2; }
done

log() { printf '\n[bench] === %s\n' "$*" >&2; }

mkdir -p target
SUMMARY=target/bench-summary.txt
: >"$SUMMARY.log"
# keeps a benchmark's output on the terminal and in a log, whose [summary] lines make the table
summarised() { "$@" | tee -a "$SUMMARY.log"; }

# Every harness lives in the benchmarks module's tests (the JMH benchmarks in its main classes, benchmarks.jar).
BENCH=benchmarks/target
# test_main CLASS [JVM options...]: runs a harness on the benchmarks module's test class path; the options in
# ATTUNE_BENCH_JAVA_OPTS come last, so a harness option given there (e.g. -Dbench.warmUp=20) wins over the script's
test_main() {
  local class=$1; shift
  local extra=()
  read -ra extra <<<"${ATTUNE_BENCH_JAVA_OPTS:-}"
  java "$@" "${extra[@]}" -cp "$BENCH/test-classes:$BENCH/classes:$(cat "$BENCH/bench.classpath")" "$class"
}

log "building (tests compiled, not run)"
# the jars (benchmarks.jar, attune-worker.jar for pgwrites), then the harnesses' class path; a second reactor run
# that stops at test-compile, so the other modules resolve to their class folders and nothing is installed
mvn -B -ntp -q package -DskipTests
mvn -B -ntp -q -pl benchmarks -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null

# run_benchmark NAME: one benchmark, its output kept for the summary table
run_benchmark() {
  local name=$1
  case $name in
    placement) summarised java -jar benchmarks/target/benchmarks.jar ;;
    probe) summarised test_main io.attune.worker.benchmarks.probe.CapabilitiesProbeBenchmark ;;
    launch)
      for mechanism in POSIX_SPAWN VFORK; do
        summarised test_main io.attune.worker.benchmarks.launch.ProcessLaunchBenchmark \
          -Djdk.lang.Process.launchMechanism=$mechanism || return 1
      done ;;
    postgres) summarised test_main io.attune.worker.benchmarks.postgres.PostgresAdapterBenchmark ;;
    rabbitmq) summarised test_main io.attune.worker.benchmarks.rabbitmq.RawThroughputBenchmarkMain ;;
    pgwrites) summarised scripts/bench-pg-writes.sh ;;
    fleet) summarised test_main io.attune.worker.benchmarks.system.PlacementAtScaleBenchmark \
      -Dattune.log.level=warn ;;
    floor)
      for spawn in false true; do
        summarised test_main io.attune.worker.benchmarks.system.BareProtocolBenchmark -Dbench.spawn=$spawn \
          || return 1
      done ;;
    overhead) summarised test_main io.attune.worker.benchmarks.system.EndToEndBenchmark -Dbench.runner=in-process ;;
    endtoend) summarised test_main io.attune.worker.benchmarks.system.EndToEndBenchmark ;;
    healthcheck) summarised scripts/bench-healthcheck.sh ;;
  esac
}

failed=()
for name in "${selected[@]}"; do
  start=$SECONDS
  log "$name"
  # one that fails does not keep the others from running, nor the table from being printed
  if ! run_benchmark "$name"; then
    failed+=("$name")
    printf '[bench] %s FAILED\n' "$name" >&2
  fi
  printf '[bench] %s took %d s\n' "$name" $((SECONDS - start)) >&2
done

printf '\n' >&2
{
  printf '%s\n' 'metric|figure|baseline|ratio|target|holds'
  grep '^\[summary\] ' "$SUMMARY.log" | cut -c11-
} | awk -F'|' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > width[i]) width[i] = length($i) }
                 if (NF > columns) columns = NF }
           END { for (r = 1; r <= NR; r++) { line = ""
                   for (i = 1; i <= columns; i++) line = line sprintf("%-" width[i] + 2 "s", cell[r, i])
                   sub(/ +$/, "", line); print line } }' | tee "$SUMMARY"
if ((${#failed[@]})); then
  printf '[bench] failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
