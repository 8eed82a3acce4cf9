#!/bin/sh
# The HEALTHCHECK of the worker images: a few milliseconds of shell instead of a second JVM.
#
# The worker writes ATTUNE_HEALTH_FILE each time a heartbeat of its reaches the database, as one line
#   <epoch seconds of that heartbeat> <seconds after which it is stale> <worker name>
# (stale after 3 heartbeat intervals, the rule the scheduler applies). Healthy while that heartbeat is younger than
# that; unhealthy when the file is missing (not registered yet, or the worker stopped), unreadable or stale, so a
# worker whose heartbeats no longer reach the database turns unhealthy although its process still runs.
# Exit status 0 healthy, 1 unhealthy, with one line saying why.
file=${ATTUNE_HEALTH_FILE:-/tmp/attune-worker.health}
if [ ! -r "$file" ]; then
  echo "unhealthy: no heartbeat has reached the database yet ($file does not exist)"
  exit 1
fi
read -r stored stale name < "$file"
case "$stored:$stale" in
  :* | *: | *[!0-9:]*)
    echo "unhealthy: $file does not hold '<epoch seconds> <stale seconds> <name>'"
    exit 1 ;;
esac
age=$(( $(date +%s) - stored ))
if [ "$age" -ge "$stale" ]; then
  echo "unhealthy: worker $name's last heartbeat reached the database $age s ago (stale after $stale s)"
  exit 1
fi
echo "healthy: worker $name's last heartbeat reached the database $age s ago"
