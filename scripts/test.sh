#!/usr/bin/env bash
# The whole test suite: unit tests, then the integration tests against a throwaway PostgreSQL and a private
# RabbitMQ node that this script starts and stops. This is the command README.md and .ci/run give.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/test-services.sh mvn -B -ntp verify -DskipITs=false "$@"
