#!/usr/bin/env bash
# The randomized fault-injection mode (bootstrap's ChaosIT) alone, for as long as you like:
#
#   scripts/chaos.sh [--minutes N] [--seed S]
#
# A seeded schedule mixes every kind of fault the suite knows (workers killed, restarted, paused and terminated,
# schedulers killed, PostgreSQL restarted or read-only, RabbitMQ restarted or under a memory alarm, connections cut,
# garbage, oversized and misrouted messages, a second process under a live worker name) against a steady load of
# submissions, then checks the whole history. It starts its own PostgreSQL and RabbitMQ (scripts/test-services.sh),
# prints the seed first (run again with --seed to replay the same schedule) and the summary last. Default: 3
# minutes, a new seed.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=3
seed=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos.sh: unknown argument '$1': expected --minutes N or --seed S" >&2; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+$ && $minutes -ge 1 ]] || { echo "chaos.sh: --minutes '$minutes': expected a whole number >= 1" >&2; exit 2; }
[[ -z $seed || $seed =~ ^-?[0-9]+$ ]] || { echo "chaos.sh: --seed '$seed': expected a whole number" >&2; exit 2; }

properties=(-Dattune.chaos.seconds=$((minutes * 60)))
[[ -n $seed ]] && properties+=(-Dattune.chaos.seed="$seed")
rm -f bootstrap/target/chaos-summary.txt
status=0
ATTUNE_TEST_SKIP_CONTAINERS=1 scripts/test-services.sh mvn -B -ntp -pl bootstrap -am verify -DskipITs=false \
  -Dit.test=ChaosIT -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dattune.log.level=warn \
  "${properties[@]}" || status=$?
if [[ -f bootstrap/target/chaos-summary.txt ]]; then
  cat bootstrap/target/chaos-summary.txt
else
  echo "chaos.sh: no summary was written; see the Maven output above" >&2
fi
exit "$status"
