#!/usr/bin/env bash
# The whole test suite, the command README.md and .ci/run give:
#   1. unit tests and integration tests (mvn verify) against a throwaway PostgreSQL and a private RabbitMQ node
#      that this script starts and stops (scripts/test-services.sh);
#   2. the worker images built with Podman and checked for real against the same services
#      (scripts/test-containers.sh).
# Extra arguments go to Maven, e.g. scripts/test.sh -pl adapter-postgres -am. ATTUNE_TEST_SKIP_CONTAINERS=1 leaves
# out the second part.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == --with-services ]]; then
  shift
  rm -f bootstrap/target/fault-injection-summary.txt bootstrap/target/chaos-summary.txt
  mvn -B -ntp verify -DskipITs=false "$@"
  if [[ ${ATTUNE_TEST_SKIP_CONTAINERS:-} == 1 ]]; then
    echo "[test] ATTUNE_TEST_SKIP_CONTAINERS=1: container checks left out" >&2
  else
    scripts/test-containers.sh
  fi
  # the fault-injection suites' summaries (bootstrap's FaultInjectionIT and ChaosIT), where a reader looks last
  for summary in bootstrap/target/fault-injection-summary.txt bootstrap/target/chaos-summary.txt; do
    if [[ -f $summary ]]; then
      cat "$summary"
    fi
  done
  exit 0
fi
exec scripts/test-services.sh "$0" --with-services "$@"
