#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster and a private RabbitMQ node on free loopback ports,
# and stops both afterwards, whatever the command's outcome.
#
#   scripts/test-services.sh COMMAND [ARG...]
#
# The command sees ATTUNE_TEST_DATABASE_URL / _USER / _PASSWORD and ATTUNE_TEST_MQ_URL, and
# ATTUNE_TEST_SERVICES=required, which makes the integration tests fail (not skip) when a service is unreachable.
# Installs rabbitmq-server from Debian's packages when it is missing. Runs as root or as any user that can
# run PostgreSQL and RabbitMQ (as root, the servers run as the postgres and rabbitmq users).
set -euo pipefail

log() { printf '[test-services] %s\n' "$*" >&2; }

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

as_user() { # run as a service user when root, as ourselves otherwise
  local user=$1; shift
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

WORK=$(mktemp -d /tmp/attune-test-services.XXXXXX)
chmod 755 "$WORK"
PG_STARTED=""
MQ_STARTED=""

cleanup() {
  local status=$?
  set +e
  if [[ -n $PG_STARTED ]]; then
    log "stopping PostgreSQL"
    as_user postgres pg_ctl -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1
  fi
  if [[ -n $MQ_STARTED ]]; then
    log "stopping RabbitMQ"
    # with the pid file, stop waits until the node's process has ended
    "$WORK/mq/ctl" rabbitmqctl stop "$WORK/mq/rabbit.pid" >/dev/null 2>&1
    # epmd outlives the node: stop the one listening on this run's port, and only that one (other runs on the
    # machine have epmds of their own, which their nodes and tools still need)
    local epmd
    epmd=$(ss -ltnpH "sport = :$ERL_EPMD_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
    [[ -n $epmd ]] && kill "$epmd" 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

find_pg_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb ]] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
  return 1
}

start_postgres() {
  local bin
  if ! bin=$(find_pg_bin); then
    log "PostgreSQL server binaries are missing: installing postgresql from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_pg_bin)
  fi
  export PATH="$bin:$PATH"
  local port; port=$(free_port)
  mkdir -p "$WORK/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$WORK/pg"
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_user postgres initdb -N -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local options="-p $port -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200"
  options+=" -c shared_preload_libraries=pg_stat_statements -c fsync=off"
  as_user postgres pg_ctl -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -o "$options" start >/dev/null \
    || { cat "$WORK/pg/server.log" >&2; return 1; }
  PG_STARTED=1
  as_user postgres psql -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE attune" >/dev/null
  # the tests use it to cut the database and bring it back: "$ATTUNE_TEST_PG_CTL" stop; "$ATTUNE_TEST_PG_CTL" start
  local runas=""
  [[ $(id -u) -eq 0 ]] && runas="runuser -u postgres --"
  cat > "$WORK/pg/ctl" <<CTL
#!/usr/bin/env bash
# usage: ctl stop | ctl start (on the same port, with the same options)
case "\$1" in
  stop) exec $runas "$bin/pg_ctl" -D "$WORK/pg/data" -w -m fast stop >/dev/null ;;
  start) exec $runas "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -o "$options" start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
  chmod 755 "$WORK/pg/ctl"
  export ATTUNE_TEST_PG_CTL="$WORK/pg/ctl"
  export ATTUNE_TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/attune"
  export ATTUNE_TEST_DATABASE_USER=postgres
  export ATTUNE_TEST_DATABASE_PASSWORD=""
  export ATTUNE_TEST_PG_PORT=$port
}

MQ_BIN=/usr/lib/rabbitmq/bin

# writes $WORK/mq/ctl: runs a RabbitMQ command against the private node, as the node's user
write_mq_ctl() {
  local runas=""
  [[ $(id -u) -eq 0 ]] && runas="runuser -u $MQ_USER --"
  cat > "$WORK/mq/ctl" <<CTL
#!/usr/bin/env bash
# usage: ctl rabbitmq-server -detached | ctl rabbitmqctl stop_app | ctl rabbitmqctl start_app | ctl rabbitmqctl list_queues
cd "$WORK/mq"
run() {
  $runas env HOME="$WORK/mq" RABBITMQ_NODENAME="$RABBITMQ_NODENAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \\
    RABBITMQ_NODE_PORT=$MQ_PORT ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$ERL_EPMD_PORT RABBITMQ_DIST_PORT=$MQ_DIST_PORT \\
    RABBITMQ_MNESIA_BASE="$WORK/mq/mnesia" RABBITMQ_LOG_BASE="$WORK/mq/log" RABBITMQ_PID_FILE="$WORK/mq/rabbit.pid" \\
    RABBITMQ_CONFIG_FILE="$WORK/mq/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$WORK/mq/enabled_plugins" \\
    "$MQ_BIN/\$@"
}
if [[ \$1 == rabbitmqctl && \$2 == start_app ]]; then
  # RabbitMQ 3.10 sometimes refuses start_app right after stop_app (mnesia still up): stop it again and retry
  for attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
    run rabbitmqctl start_app && exit 0
    run rabbitmqctl stop_app >/dev/null 2>&1
    sleep 2
  done
  exit 1
fi
if [[ \$1 == rabbitmqctl && \$2 == stop_app ]]; then
  # the CLI may fail to reach a busy node at the first try (exit 69): try again
  for attempt in 1 2 3 4 5; do
    run rabbitmqctl stop_app && exit 0
    sleep 2
  done
  exit 1
fi
run "\$@"
CTL
  chmod 755 "$WORK/mq/ctl"
}

start_rabbitmq() {
  if [[ ! -x $MQ_BIN/rabbitmq-server ]]; then
    log "rabbitmq-server is missing: installing it from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
    # the package may start a node of its own: we run a private one
    service rabbitmq-server stop >/dev/null 2>&1 || true
  fi
  MQ_PORT=$(free_port); ERL_EPMD_PORT=$(free_port); MQ_DIST_PORT=$(free_port)
  RABBITMQ_NODENAME="attune-test-$$@localhost"
  mkdir -p "$WORK/mq/mnesia" "$WORK/mq/log"
  # max_message_size as in docker/rabbitmq/20-attune.conf and deploy/kubernetes/rabbitmq-config.yaml: the broker
  # refuses a larger publish itself (the publisher's channel closes), so no consumer ever receives one
  cat > "$WORK/mq/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$MQ_PORT
loopback_users = none
max_message_size = 8388608
CONF
  echo "[]." > "$WORK/mq/enabled_plugins"
  # the Erlang cookie must be private to its owner; the CLI finds it through HOME
  head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/mq/.erlang.cookie"
  chmod 400 "$WORK/mq/.erlang.cookie"
  if [[ $(id -u) -eq 0 ]] && id rabbitmq >/dev/null 2>&1; then
    chown -R rabbitmq:rabbitmq "$WORK/mq"
    MQ_USER=rabbitmq
  else
    MQ_USER=$(id -un)
  fi
  write_mq_ctl
  log "starting RabbitMQ on 127.0.0.1:$MQ_PORT"
  "$WORK/mq/ctl" rabbitmq-server -detached >/dev/null 2>&1
  MQ_STARTED=1
  if ! "$WORK/mq/ctl" rabbitmqctl wait "$WORK/mq/rabbit.pid" --timeout 120 >/dev/null 2>&1; then
    log "RabbitMQ did not start; its log:"; cat "$WORK"/mq/log/*.log >&2 2>/dev/null; return 1
  fi
  export ATTUNE_TEST_MQ_URL="amqp://guest:guest@127.0.0.1:$MQ_PORT/%2F"
  export ATTUNE_TEST_MQ_PORT=$MQ_PORT
  # the tests use it to stop and start the broker: "$ATTUNE_TEST_MQ_CTL" rabbitmqctl stop_app
  export ATTUNE_TEST_MQ_CTL="$WORK/mq/ctl"
}

# the integration tests read /metrics with the Prometheus client's own parser of the text format (Debian's package,
# run by Debian's python3, whatever python3 comes first on PATH)
if ! /usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1; then
  log "python3-prometheus-client is missing: installing it from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-prometheus-client >/dev/null
fi

want_pg=1; want_mq=1
[[ ${ATTUNE_TEST_SKIP_MQ:-} == 1 ]] && want_mq=""
[[ ${ATTUNE_TEST_SKIP_PG:-} == 1 ]] && want_pg=""
[[ -n $want_pg ]] && start_postgres
[[ -n $want_mq ]] && start_rabbitmq
export ATTUNE_TEST_SERVICES=required
log "services ready; running: $*"
"$@"
