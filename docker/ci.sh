#!/bin/sh
# CI's container stage, after the Maven tests: base images, image build, end-to-end check.
#   1. installs docker.io, debootstrap and curl with apt-get if missing;
#   2. starts dockerd by hand if none answers (no systemd), and stops it at the end only if it started it;
#   3. docker/make-base-images.sh (local debootstrap bases: no image registry needed);
#   4. docker build with those bases, timed (cold = dependency layer downloaded, warm = taken from the cache);
#   5. prints the image size and runs docker/e2e.sh;
#   6. serves a bring-your-own ONNX model checked by a Python client;
#   7. runs a multi-model endpoint round and the Open Inference Protocol client.
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

# --- 6. Bring your own ONNX model, with a Python client: the image serves the committed test CNN (a folder holding
# only cnn.onnx) and container/src/test/resources/python/byo_onnx_client.py (urllib + numpy) checks NPY and JSON
# answers against the PyTorch outputs recorded with the model, and a wrong shape's 400.
onnx_dir=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-onnx.XXXXXX")
cp "$here/engine/src/test/resources/onnx/cnn.onnx" "$onnx_dir/cnn.onnx"
chmod -R a+rX "$onnx_dir"
onnx_cid=$($DOCKER run -d -p 127.0.0.1::8080 -v "$onnx_dir:/opt/ml/model:ro" "$image" serve)
onnx_url="http://$($DOCKER port "$onnx_cid" 8080/tcp | head -1)"
onnx_ok=""
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$onnx_url/ping")" = 200 ] && { onnx_ok=1; break; }
  sleep 0.1
done
onnx_rc=0
if [ -z "$onnx_ok" ]; then
  log "byo onnx: /ping never answered 200"; $DOCKER logs "$onnx_cid" 2>&1 | tail -20 >&2; onnx_rc=1
elif ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  log "byo onnx: /usr/bin/python3 with numpy is required for the Python client check"; onnx_rc=1
elif ! /usr/bin/python3 "$here/container/src/test/resources/python/byo_onnx_client.py" "$onnx_url" \
    "$here/engine/src/test/resources/onnx/cnn.json"; then
  log "byo onnx: the Python client check failed"; $DOCKER logs "$onnx_cid" 2>&1 | tail -20 >&2; onnx_rc=1
fi
$DOCKER rm -f "$onnx_cid" >/dev/null 2>&1 || true
rm -rf "$onnx_dir"
[ "$onnx_rc" = 0 ] || exit 1
log "byo onnx: served cnn.onnx; Python client (NPY, JSON, 400 on a wrong shape) ok"

# --- 7. A multi-model endpoint round (SAGEMAKER_MULTI_MODEL=true): an XGBoost model and an ONNX model loaded
# from /opt/ml/models, invoked, listed and unloaded with curl as SageMaker does; then the Open Inference Protocol
# client (container/src/test/resources/python/oip_client.py, urllib only) against the loaded ONNX model.
mme_dir=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-mme.XXXXXX")
mkdir -p "$mme_dir/xgb/model" "$mme_dir/mlp/model"
cp "$here/engine/src/test/resources/xgboost-models/binary_logistic.json" "$mme_dir/xgb/model/xgboost-model.json"
cp "$here/engine/src/test/resources/onnx/mlp.onnx" "$mme_dir/mlp/model/model.onnx"
chmod -R a+rX "$mme_dir"
mme_cid=$($DOCKER run -d -p 127.0.0.1::8080 -e SAGEMAKER_MULTI_MODEL=true -v "$mme_dir:/opt/ml/models:ro" "$image" serve)
mme_url="http://$($DOCKER port "$mme_cid" 8080/tcp | head -1)"
mme_rc=0
mme_fail() { log "mme: $*"; $DOCKER logs "$mme_cid" 2>&1 | tail -20 >&2; mme_rc=1; }
mme_ok=""
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$mme_url/ping")" = 200 ] && { mme_ok=1; break; }
  sleep 0.1
done
code() { curl -s -o "$work/mme.out" -m 30 -w '%{http_code}' "$@"; }
if [ -z "$mme_ok" ]; then
  mme_fail "/ping never answered 200"
elif [ "$(code -X POST -H 'Content-Type: application/json' -d '{"model_name":"xgb","url":"/opt/ml/models/xgb/model"}' "$mme_url/models")" != 200 ]; then
  mme_fail "loading xgb: $(cat "$work/mme.out")"
elif [ "$(code -X POST -H 'Content-Type: application/json' -d '{"model_name":"xgb","url":"/opt/ml/models/xgb/model"}' "$mme_url/models")" != 409 ]; then
  mme_fail "a second load of xgb did not answer 409"
elif [ "$(code -X POST -H 'Content-Type: application/json' -d '{"model_name":"mlp","url":"/opt/ml/models/mlp/model"}' "$mme_url/models")" != 200 ]; then
  mme_fail "loading mlp: $(cat "$work/mme.out")"
elif [ "$(code -X POST -H 'Content-Type: text/csv' --data-binary '1,2,3,4,5' "$mme_url/models/xgb/invoke")" != 200 ]; then
  mme_fail "invoking xgb: $(cat "$work/mme.out")"
elif [ "$(code "$mme_url/models")" != 200 ] || ! grep -q '"modelName":"mlp"' "$work/mme.out"; then
  mme_fail "listing: $(cat "$work/mme.out")"
elif ! /usr/bin/python3 "$here/container/src/test/resources/python/oip_client.py" "$mme_url" mlp >/dev/null; then
  mme_fail "the Open Inference Protocol client failed"
elif [ "$(code -X DELETE "$mme_url/models/xgb")" != 200 ] \
    || [ "$(code -X POST -H 'Content-Type: text/csv' --data-binary '1,2,3,4,5' "$mme_url/models/xgb/invoke")" != 404 ]; then
  mme_fail "unloading xgb"
elif [ "$(code -X POST -H 'Content-Type: application/json' -d '{"model_name":"x","url":"../../etc"}' "$mme_url/models")" != 400 ]; then
  mme_fail "a url outside /opt/ml/models was not refused"
fi
$DOCKER rm -f "$mme_cid" >/dev/null 2>&1 || true
rm -rf "$mme_dir"
[ "$mme_rc" = 0 ] || exit 1
log "mme: load, 409, invoke, list, Open Inference Protocol client, unload, 404, path refused: ok"
