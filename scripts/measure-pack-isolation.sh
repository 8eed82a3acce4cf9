#!/usr/bin/env bash
# What starting an action in a container of its own would cost per execution (docs/worker-containerization.md,
# "Pack isolation"): wall time of a trivial command started directly vs through Podman, N runs each, the median
# printed per way. Usage: scripts/measure-pack-isolation.sh [IMAGE] [RUNS]
# IMAGE defaults to attune-worker:base (scripts/test-containers.sh builds it); it must be present locally.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers/containers.conf}
image=${1:-localhost/attune-worker:base}
runs=${2:-7}
tag=attune-isolation-$$
packs=$(cd "$here/.." && pwd)/packs

cleanup() { podman rm -f -t 0 "$tag-created" "$tag-warm" >/dev/null 2>&1 || true; }
trap cleanup EXIT

podman image exists "$image" || { echo "image $image is not present: build it first (scripts/test-containers.sh)" >&2; exit 2; }

# runs the command RUNS times, prints the median wall time in milliseconds and every run's time
measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "$label: failed: $*" >&2; exit 1; }
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-64s median %5s ms   runs: %s\n' "$label" "$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")" \
    "$(tr '\n' ' ' <<<"$sorted")"
}

run=(podman run --rm --no-healthcheck --network none --entrypoint)
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(podman --version), image $image"
measure "direct: /bin/true" /bin/true
# the system's Python, not a version manager's shim, which would add its own start-up
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
measure "direct: $python -c pass" "$python" -c pass
measure "podman run --rm --network none: /bin/true" "${run[@]}" /bin/true "$image"
measure "podman run --rm (default network): /bin/true" podman run --rm --no-healthcheck --entrypoint /bin/true "$image"
measure "podman run --rm, read-only, limits, packs mounted: /bin/true" "${run[@]}" /bin/true --read-only \
  --memory 256m --cpus 1 --pids-limit 256 --cap-drop ALL --security-opt no-new-privileges \
  -v "$packs:/opt/attune/packs:ro" "$image"
if podman image exists localhost/attune-worker:python; then
  measure "podman run --rm --network none (python image): python3 -c pass" "${run[@]}" python3 \
    localhost/attune-worker:python -c pass
fi
podman create --name "$tag-created" --no-healthcheck --network none --entrypoint /bin/true "$image" >/dev/null
measure "podman start -a of a container created once: /bin/true" podman start -a "$tag-created"
podman run -d --name "$tag-warm" --no-healthcheck --network none --entrypoint sleep "$image" 3600 >/dev/null
measure "podman exec into a running container: /bin/true" podman exec "$tag-warm" /bin/true
