#!/bin/sh
# CI's container stage, after the Maven tests: base images, image build, end-to-end check.
#   1. installs docker.io, debootstrap and curl with apt-get if missing;
#   2. starts dockerd by hand if none answers (no systemd), and stops it at the end only if it started it;
#   3. docker/make-base-images.sh (local debootstrap bases: no image registry needed);
#   4. docker build with those bases, timed (cold = dependency layer downloaded, warm = taken from the cache);
#   5. prints the image size and runs docker/e2e.sh.
# Usage: docker/ci.sh [IMAGE]   (default sagebox; or $SAGEBOX_IMAGE). Runs as root. Exits non-zero on any failure.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-${SAGEBOX_IMAGE:-sagebox}}
log() { echo "ci-docker: $*" >&2; }
now() { date +%s; }
t_all=$(now)

[ "$(id -u)" = 0 ] || { log "must run as root (apt-get, dockerd, debootstrap)"; exit 1; }

# --- 1. Tools.
missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
  log "apt-get install$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -q update >/dev/null
  # shellcheck disable=SC2086
  apt-get -q -y --no-install-recommends install $missing >/dev/null
fi
# Debian's /usr/bin/docker builds with BuildKit; a newer CLI without the buildx plugin refuses DOCKER_BUILDKIT=1.
if [ -z "${DOCKER:-}" ]; then
  DOCKER=docker
  if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; fi
fi
export DOCKER DOCKER_BUILDKIT=1

# --- 2. dockerd.
dockerd_pid=""
work=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-ci.XXXXXX")
finish() {
  rc=$?
  if [ -n "$dockerd_pid" ]; then
    log "stopping the dockerd this script started (pid $dockerd_pid)"
    kill "$dockerd_pid" 2>/dev/null || true
    i=0; while kill -0 "$dockerd_pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  fi
  rm -rf "$work"
  if [ $rc = 0 ]; then log "passed in $(( $(now) - t_all )) s"; else log "FAILED (exit $rc) after $(( $(now) - t_all )) s"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

if ! $DOCKER info >/dev/null 2>&1; then
  dlog=${TMPDIR:-/tmp}/sagebox-dockerd.log
  log "starting dockerd (log: $dlog)"
  dockerd >"$dlog" 2>&1 &
  dockerd_pid=$!
  i=0
  until $DOCKER info >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 60 ] || ! kill -0 "$dockerd_pid" 2>/dev/null; then
      tail -n 20 "$dlog" >&2; log "dockerd did not start"; exit 1
    fi
    sleep 0.5
  done
fi

# --- 3. Base images.
t=$(now)
"$here/docker/make-base-images.sh"
log "base images ready in $(( $(now) - t )) s"

# --- 4. The image.
t=$(now)
if ! $DOCKER build --progress=plain \
      --build-arg BUILD_IMAGE=sagebox/build-base:bookworm \
      --build-arg BASE_IMAGE=sagebox/runtime-base:bookworm \
      -t "$image" "$here" >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log" >&2; log "docker build failed"; exit 1
fi
secs=$(( $(now) - t ))
# BuildKit's plain progress marks a step taken from the cache with CACHED.
if grep -A2 -E '^#[0-9]+ \[build [0-9]+/[0-9]+\] RUN mvn .* package -DskipTests +&& find' "$work/build.log" | grep -q CACHED; then
  kind="warm (dependency layer cached)"
else
  kind="cold (dependencies downloaded)"
fi
log "docker build: $secs s, $kind"
echo "BUILD_SECONDS=$secs BUILD_KIND=${kind%% *}"

# --- 5. Size and end-to-end check.
size=$($DOCKER image inspect -f '{{.Size}}' "$image")
log "image $image: $size bytes ($(( size / 1024 / 1024 )) MiB)"
echo "IMAGE_SIZE_BYTES=$size"
"$here/docker/e2e.sh" "$image"
