#!/bin/sh
# Container entry for `attune-worker init-user`: creates the default user unless it exists (idempotent,
# safe when two run at once), then exits. Everything comes from the environment:
#   ATTUNE_DATABASE_URL, ATTUNE_DATABASE_USER, ATTUNE_DATABASE_PASSWORD   where the users live
#   ATTUNE_INIT_USER_LOGIN          default test@attune.local
#   ATTUNE_INIT_USER_PASSWORD       default TestPass123! (init-user warns loudly when it is used)
#   ATTUNE_INIT_USER_DISPLAY_NAME   default Test User
#   ATTUNE_INIT_USER_WAIT_SECONDS   how long to wait for the database, default 60
# Arguments are passed on, so `init-user --help` works. Outside the image, point ATTUNE_JAR at a
# locally built jar: ATTUNE_JAR=bootstrap/target/attune-worker.jar docker/init-user.sh
# See docker/INIT-USER-README.md.
set -eu
# A one-shot JVM: C1 only and the serial collector start fastest; the Argon2 memory (19 MiB) is native,
# outside the heap.
exec "${JAVA:-java}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -jar "${ATTUNE_JAR:-/opt/attune/attune-worker.jar}" init-user "$@"
