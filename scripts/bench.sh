#!/usr/bin/env bash
# Every benchmark, one command. Each prints its figures beside a baseline measured in the same run; none is a test
# and none asserts a speed. Runs under scripts/test-services.sh (a throwaway PostgreSQL and RabbitMQ).
#
#   scripts/bench.sh                 all of them, in the order below
#   scripts/bench.sh NAME...         some of them: placement probe postgres rabbitmq endtoend healthcheck
#
#   placement    JMH: one placement decision over 10,000 workers vs a naive filter of a plain list
#   probe        `capabilities` with six probes, one hanging, vs the same probes one after another
#   postgres     heartbeat writes of the adapter vs plain JDBC; statements per scheduling decision
#   rabbitmq     raw persistent RabbitMQ throughput with publisher confirms
#   endtoend     no-op executions end to end vs raw persistent RabbitMQ throughput; submit-to-start latency
#   healthcheck  the images' shell health check vs the JVM `health` command it replaced (builds the images)
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(placement probe postgres rabbitmq endtoend healthcheck)
if [[ ${ATTUNE_TEST_SERVICES:-} != required ]]; then
  exec scripts/test-services.sh "$0" "$@"
fi
selected=("$@")
((${#selected[@]})) || selected=("${ALL[@]}")
for name in "${selected[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || { echo "bench.sh: unknown benchmark '$name'; expected one of: ${ALL[*]}" >&2; exit 2; }
done

log() { printf '\n[bench] === %s\n' "$*" >&2; }

# test_main MODULE CLASS [JVM options...]: runs a harness from a module's test classes on its test class path
test_main() {
  local module=$1 class=$2; shift 2
  mvn -B -ntp -q -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >/dev/null
  java "$@" -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" "$class"
}

log "building (tests compiled, not run)"
mvn -B -ntp -q install -DskipTests

for name in "${selected[@]}"; do
  start=$SECONDS
  log "$name"
  case $name in
    placement) java -jar benchmarks/target/benchmarks.jar ;;
    probe) test_main bootstrap io.attune.worker.bootstrap.cli.CapabilitiesProbeBenchmark ;;
    postgres) test_main adapter-postgres io.attune.worker.adapter.postgres.bench.PostgresAdapterBenchmark ;;
    rabbitmq) test_main adapter-rabbitmq io.attune.worker.adapter.rabbitmq.bench.RawThroughputBenchmarkMain ;;
    endtoend) test_main bootstrap io.attune.worker.bootstrap.bench.EndToEndBenchmark ;;
    healthcheck) scripts/bench-healthcheck.sh ;;
  esac
  printf '[bench] %s took %d s\n' "$name" $((SECONDS - start)) >&2
done
