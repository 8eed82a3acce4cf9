#!/usr/bin/env bash
# Benchmark: one container health check, the image's shell check (docker/healthcheck.sh, reading the heartbeat file
# the worker writes) beside the JVM-based `attune-worker health` it replaced, in the same run, inside the same
# running attune-worker:python container registered against a real PostgreSQL and RabbitMQ.
#
#   scripts/bench-healthcheck.sh [CHECKS]      CHECKS runs of each (default 20); part of scripts/bench.sh
#
# Prints, per check: CPU time (user + system of the check and everything it starts) and peak resident memory,
# from getrusage(RUSAGE_CHILDREN) in a small Python driver inside the container, each check kind measured by a
# driver of its own so the peaks do not mix. Both must report the worker healthy, or the figures mean nothing.
# A forked child counts the driver's pages until it execs, so every peak includes the driver's own size: the row
# for /bin/true, measured the same way in the same run, shows that floor.
# The last line is machine-readable: `bench healthcheck cpu_ms_old= cpu_ms_new= rss_kb_old= rss_kb_new=`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${ATTUNE_TEST_SERVICES:-} != required || -z ${ATTUNE_TEST_MQ_CTL:-} ]]; then
  exec scripts/test-services.sh "$0" "$@"
fi
source scripts/containers/lib.sh
CHECKS=${1:-20}
trap ct_session_cleanup EXIT INT TERM

ensure_container_tools
install_npm_tools
ct_session_start
step "stand-ins" build_standins
step "worker images" build_worker_images "$WORK/build.log"
run_once --network host -e "ATTUNE_DATABASE_URL=$DB_URL" -e "ATTUNE_DATABASE_USER=$ATTUNE_TEST_DATABASE_USER" \
  -e "ATTUNE_DATABASE_PASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD" -e "ATTUNE_APP_DATABASE_USER=$APP_DB_USER" \
  -e ATTUNE_APP_DATABASE_PASSWORD=unused-with-trust "$IMAGE:base" migrate >/dev/null

name=$RUN_ID-bench
start_container "$name" "$IMAGE:python" worker-python
wait_for 90 podman healthcheck run "$name" || { ctr_log "the worker did not turn healthy"; exit 1; }

# measure KIND COMMAND...: CHECKS runs inside the container; prints "<cpu ms per check> <peak rss kB> <failures>"
measure() {
  podman exec "$name" python3 -c '
import resource, subprocess, sys
runs, command = int(sys.argv[1]), sys.argv[2:]
failures = sum(subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0
               for _ in range(runs))
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{(usage.ru_utime + usage.ru_stime) * 1000 / runs:.1f} {usage.ru_maxrss} {failures}")
' "$CHECKS" "$@"
}

read -r old_cpu old_rss old_failures < <(measure java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m \
  -jar /opt/attune/attune-worker.jar health)
read -r new_cpu new_rss new_failures < <(measure /opt/attune/bin/healthcheck)
read -r floor_cpu floor_rss floor_failures < <(measure /bin/true)

printf '%-44s %14s %16s %9s\n' "one health check ($CHECKS runs each)" "CPU ms/check" "peak RSS kB" "failures"
printf '%-44s %14s %16s %9s\n' "JVM: java ... attune-worker.jar health" "$old_cpu" "$old_rss" "$old_failures"
printf '%-44s %14s %16s %9s\n' "shell: /opt/attune/bin/healthcheck" "$new_cpu" "$new_rss" "$new_failures"
printf '%-44s %14s %16s %9s\n' "floor: /bin/true, measured the same way" "$floor_cpu" "$floor_rss" "$floor_failures"
awk -v oc="$old_cpu" -v nc="$new_cpu" -v or="$old_rss" -v nr="$new_rss" -v fr="$floor_rss" 'BEGIN {
  printf "%-44s %13.0fx\n", "CPU per check, old / new", oc / (nc > 0 ? nc : 0.01)
  printf "%-44s %14d %16d\n", "peak RSS above the floor, kB: old, new", or - fr, nr - fr
}'
awk -v oc="$old_cpu" -v nc="$new_cpu" 'BEGIN {
  printf "[summary] health check, CPU ms per check|%s|%s JVM health|%.0fx less|-|-\n", nc, oc, oc / (nc > 0 ? nc : 0.01)
}'
echo "bench healthcheck cpu_ms_old=$old_cpu cpu_ms_new=$new_cpu rss_kb_old=$old_rss rss_kb_new=$new_rss" \
  "rss_kb_floor=$floor_rss"
if ((old_failures + new_failures > 0)); then
  ctr_log "a check reported the worker unhealthy: the figures are not comparable"
  exit 1
fi
