#!/usr/bin/env bash
# Benchmark: what PostgreSQL alone needs for the writes of an execution's path, with nothing else on the machine.
# pgbench runs, from 8 clients, one execution's four writes in turn, each its own transaction as in the system:
# submit (INSERT), placement with the slot reservation on its worker, start, end with the slot given back. The
# statements are simplified hand-written forms of the adapter's (same tables, indexes, trigger and RETURNING; no
# conditions beyond status, attempt and capacity: no heartbeat, cordon or GPU checks); BareProtocolBenchmark
# (scripts/bench.sh floor) runs the same four over JDBC, so a change to one belongs in the other. The baseline, in
# the same run: a single INSERT per execution, the least a queue kept in PostgreSQL writes.
#
#   scripts/bench-pg-writes.sh [SECONDS]       SECONDS measured per script (default 20); part of scripts/bench.sh
#
# The figure says how many executions per second the database alone could carry on this machine: the ceiling of
# the whole system, whose RabbitMQ and JVM share the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${ATTUNE_TEST_SERVICES:-} != required || -z ${ATTUNE_TEST_PG_PORT:-} ]]; then
  exec scripts/test-services.sh "$0" "$@"
fi
SECONDS_MEASURED=${1:-20}
[[ $SECONDS_MEASURED =~ ^[1-9][0-9]*$ ]] || {
  echo "bench-pg-writes.sh: SECONDS must be a positive whole number, was '$SECONDS_MEASURED'" >&2; exit 2; }
command -v pgbench >/dev/null || {
  echo "bench-pg-writes.sh: pgbench is missing: it comes with PostgreSQL's client programs (apt-get install postgresql-client)" >&2
  exit 1; }
JAR=bootstrap/target/attune-worker.jar
[[ -f $JAR ]] || { echo "bench-pg-writes.sh: $JAR is missing: build first (mvn -o package -DskipTests)" >&2; exit 1; }

WORK=$(mktemp -d)
# a database of its own, migrated from scratch, dropped at the end
DB=attune_bench_writes_$$
export PGHOST=127.0.0.1 PGPORT=$ATTUNE_TEST_PG_PORT PGUSER=$ATTUNE_TEST_DATABASE_USER PGDATABASE=$DB
export PGPASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD
trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
psql -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
ATTUNE_DATABASE_URL=${ATTUNE_TEST_DATABASE_URL%/*}/$DB ATTUNE_DATABASE_USER=$ATTUNE_TEST_DATABASE_USER \
  ATTUNE_DATABASE_PASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD java -jar "$JAR" migrate >"$WORK/migrate.log" 2>&1 \
  || { cat "$WORK/migrate.log" >&2; exit 1; }
capabilities='{"runtimes": ["shell"], "max_concurrent_executions": 4}'
read -r w1 w2 < <(psql -qAt -c "INSERT INTO worker (name, worker_type, host, status, capabilities,
    heartbeat_interval_seconds, last_heartbeat) VALUES
    ('bench-1', 'local', 'bench', 'active', '$capabilities', 10, now()),
    ('bench-2', 'local', 'bench', 'active', '$capabilities', 10, now()) RETURNING id" | paste -sd' ')

submit="INSERT INTO execution (action_ref, requirements, parameters, status, attempt, requested_at, status_since,
    attempts, reserves) VALUES ('bench.noop', '{\"action_ref\": \"bench.noop\", \"runtime\": \"shell\"}', '{}',
    'requested', 0, now(), now(), '[]', '{\"slots\": 1}') RETURNING *"
cat >"$WORK/insert.sql" <<EOF
$submit;
EOF
# 8 clients, 4 on each worker of 4 slots: a placement always finds its worker's slot free
cat >"$WORK/path.sql" <<EOF
\\set w :w1 + (:client_id % 2) * (:w2 - :w1)
$submit \\gset e_
WITH e AS (SELECT * FROM execution WHERE id = :e_id FOR UPDATE),
     w AS (UPDATE worker SET running = running + 1 WHERE id = :w AND running < 4 RETURNING id)
UPDATE execution SET status = 'scheduled', worker = (SELECT id FROM w), attempt = 1, status_since = now()
 WHERE id = :e_id AND status = 'requested' AND EXISTS (SELECT FROM w) RETURNING *;
WITH e AS (SELECT * FROM execution WHERE id = :e_id FOR UPDATE)
UPDATE execution SET status = 'running', started_at = now(), status_since = now()
 WHERE id = :e_id AND status = 'scheduled' AND attempt = 1 RETURNING *;
WITH x AS (UPDATE execution SET status = 'succeeded', ended_at = now(), result = '{}', exit_code = 0, stdout = '{}',
                  stderr = '', message = 'exit status 0', status_since = now()
            WHERE id = :e_id AND status = 'running' AND attempt = 1 RETURNING *),
     w AS (UPDATE worker SET running = greatest(running - 1, 0) WHERE id = (SELECT worker FROM x))
SELECT * FROM x;
EOF

busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
# run SCRIPT SECONDS: prints "executions/s machine-CPU-ms-per-execution"
run() {
  local before after rate
  before=$(busy_ticks)
  rate=$(pgbench -n -M prepared -c 8 -j 2 -T "$2" -D "w1=$w1" -D "w2=$w2" -f "$1" 2>&1 \
    | awk '/^tps = /{print $3}')
  after=$(busy_ticks)
  [[ -n $rate ]] || { echo "bench-pg-writes.sh: pgbench reported no rate for $1" >&2; exit 1; }
  awk -v r="$rate" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s="$2" \
    'BEGIN { printf "%.0f %.3f\n", r, t / hz * 1000 / (r * s) }'
}

echo "PostgreSQL alone, 8 pgbench clients, $(nproc) cores; warming up, then ${SECONDS_MEASURED} s per script" >&2
run "$WORK/path.sql" 5 >/dev/null
run "$WORK/insert.sql" 5 >/dev/null
read -r path_rate path_cpu < <(run "$WORK/path.sql" "$SECONDS_MEASURED")
read -r insert_rate insert_cpu < <(run "$WORK/insert.sql" "$SECONDS_MEASURED")
printf '  %-52s %8s/s   machine CPU %s ms per execution\n' "the path's four writes per execution" "$path_rate" \
  "$path_cpu" "one INSERT per execution (baseline)" "$insert_rate" "$insert_cpu"
ratio=$(awk -v a="$path_rate" -v b="$insert_rate" 'BEGIN { printf "%.2f", a / b }')
echo "[summary] database alone: executions/s, the path's 4 writes (pgbench)|$path_rate|$insert_rate single INSERTs/s|$ratio|-|-"
echo "[summary] database alone: machine CPU per execution, 4 writes (ms)|$path_cpu|$insert_cpu single INSERT|-|-|-"
