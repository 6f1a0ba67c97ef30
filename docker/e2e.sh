#!/bin/sh
# End-to-end check of the Sagebox image, as SageMaker would run it: train, serve, stop, failures, --user.
#
# Usage: docker/e2e.sh [--build] [IMAGE]      (IMAGE defaults to sagebox)
#   --build  build IMAGE from this checkout first; with the local bases of docker/make-base-images.sh when they
#            exist, else the Dockerfile's defaults. Extra `docker build` arguments: $SAGEBOX_BUILD_ARGS.
# Needs a running dockerd, curl, and the sample tree opt-ml-sample/xgboost. Publishes on 127.0.0.1 only.
# Prints one PASS/FAIL line per check (INFO lines are measurements); exits 1 if any check failed.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
sample=$here/opt-ml-sample/xgboost
build=0
image=sagebox
for arg in "$@"; do
  case $arg in
    --build) build=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "e2e: unknown option $arg" >&2; exit 2 ;;
    *) image=$arg ;;
  esac
done

# Debian's /usr/bin/docker builds with BuildKit; a newer CLI without the buildx plugin refuses DOCKER_BUILDKIT=1.
if [ -z "${DOCKER:-}" ]; then
  DOCKER=docker
  if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; fi
fi
export DOCKER_BUILDKIT=1

failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
info() { echo "INFO $*"; }
check() { # $1 description, then a command: PASS if it succeeds
  d=$1; shift
  if "$@"; then pass "$d"; else fail "$d"; fi
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

command -v curl >/dev/null || { echo "e2e: curl is required" >&2; exit 2; }
$DOCKER info >/dev/null 2>&1 || { echo "e2e: dockerd is not reachable with '$DOCKER'" >&2; exit 2; }
[ -f "$sample/input/config/hyperparameters.json" ] || { echo "e2e: no sample tree at $sample" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-e2e.XXXXXX")
containers=""
cleanup() {
  for c in $containers; do $DOCKER rm -f "$c" >/dev/null 2>&1; done
  [ -n "${net:-}" ] && $DOCKER network rm "$net" >/dev/null 2>&1
  # Containers write as root: if we are not root, remove their files from inside one.
  rm -rf "$tmp" 2>/dev/null ||
    { $DOCKER run --rm --user 0 --entrypoint rm -v "$tmp:/e2e" "$image" -rf /e2e/ml /e2e/fail /e2e/user /e2e/term /e2e/ll /e2e/lenet /e2e/mh >/dev/null 2>&1
      rm -rf "$tmp"; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $build = 1 ]; then
  args=${SAGEBOX_BUILD_ARGS:-}
  if [ -z "$args" ] && $DOCKER image inspect sagebox/build-base:bookworm sagebox/runtime-base:bookworm >/dev/null 2>&1; then
    args="--build-arg BUILD_IMAGE=sagebox/build-base:bookworm --build-arg BASE_IMAGE=sagebox/runtime-base:bookworm"
  fi
  info "docker build $args -t $image $here"
  # shellcheck disable=SC2086
  $DOCKER build $args -t "$image" "$here" || { fail "docker build"; exit 1; }
fi
$DOCKER image inspect "$image" >/dev/null 2>&1 || { echo "e2e: no image '$image' (use --build)" >&2; exit 2; }

# --- The image itself.
inspect() { $DOCKER image inspect -f "$1" "$image"; }
check "image: exec-form ENTRYPOINT [/opt/sagebox/bin/sagebox]" \
  test "$(inspect '{{json .Config.Entrypoint}}')" = '["/opt/sagebox/bin/sagebox"]'
check "image: label accept-bind-to-port=true" \
  test "$(inspect '{{index .Config.Labels "com.amazonaws.sagemaker.capabilities.accept-bind-to-port"}}')" = true
check "image: exposes 8080" sh -c "$DOCKER image inspect -f '{{json .Config.ExposedPorts}}' '$image' | grep -q '8080/tcp'"
check "image: a JRE, no JDK or Maven (no javac, mvn, ~/.m2)" \
  $DOCKER run --rm --entrypoint sh "$image" -c \
    'java -version 2>/dev/null && ! command -v javac && ! command -v mvn && [ ! -e /root/.m2 ] && [ ! -e /m2 ]'
check "image: libgomp1 present" $DOCKER run --rm --entrypoint sh "$image" -c 'ldconfig -p | grep -q libgomp.so.1'
info "image size: $(inspect '{{.Size}}') bytes"

# --- Train on a copy of the sample tree.
ml=$tmp/ml
cp -R "$sample" "$ml"
rm -rf "$ml/model"/* "$ml/output"/*
start=$(now_ms)
$DOCKER run --rm -v "$ml:/opt/ml" "$image" train >"$tmp/train.log" 2>&1
rc=$?
info "train took $(( $(now_ms) - start )) ms (docker run to exit)"
if [ $rc = 0 ]; then pass "train exits 0"; else fail "train exits 0 (got $rc)"; tail -n 20 "$tmp/train.log"; fi
check "train wrote model/xgboost-model" test -s "$ml/model/xgboost-model"
check "train wrote model/sagebox-model.json" test -s "$ml/model/sagebox-model.json"
check "train wrote no output/failure" test ! -e "$ml/output/failure"
# The class-data archive made when the image was built (bin/make-class-archive) fits the image's JVM and jars.
shared=$($DOCKER run --rm -v "$ml:/opt/ml" -e JAVA_OPTS="-XX:MaxRAMPercentage=75 -Xlog:class+load" "$image" train 2>&1 \
  | grep -c 'shared objects file (top)')
check "train: classes mapped from the image's class-data archive ($shared of them)" test "$shared" -gt 500

# --- Serve the trained model.
start=$(now_ms)
cid=$($DOCKER run -d -p 127.0.0.1::8080 -v "$ml/model:/opt/ml/model" "$image" serve)
containers="$containers $cid"
port=$($DOCKER port "$cid" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n 1)
url=http://127.0.0.1:$port
code=000; saw503=no
deadline=$(( start + 240000 ))   # SageMaker: passing /ping within 4 minutes
while [ "$(now_ms)" -lt $deadline ]; do
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url/ping") || true
  [ "$code" = 503 ] && saw503=yes
  [ "$code" = 200 ] && break
  if [ "$code" = 000 ] && [ "$($DOCKER inspect -f '{{.State.Running}}' "$cid")" != true ]; then break; fi
  sleep 0.05
done
if [ "$code" = 200 ]; then
  pass "serve: /ping 200 after $(( $(now_ms) - start )) ms from docker run (a 503 seen while loading: $saw503)"
else
  fail "serve: /ping 200 (last status $code)"; $DOCKER logs "$cid" 2>&1 | tail -n 20
fi
check "serve: PID 1 is java (signals reach the JVM)" test "$($DOCKER exec "$cid" cat /proc/1/comm)" = java
check "serve: /ping body is empty" test -z "$(curl -s -m 2 "$url/ping")"

csv=$(curl -s -m 10 -H 'Content-Type: text/csv' --data-binary "@$sample/request.csv" "$url/invocations")
if echo "$csv" | awk 'BEGIN { ok = 1 }
      !/^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/ { ok = 0 }
      NR == 1 && !($1 < 0.5) { ok = 0 }
      NR == 2 && !($1 > 0.5) { ok = 0 }
      END { exit !(ok && NR == 5) }'; then
  pass "invocations text/csv: 5 scores, first < 0.5, second > 0.5 ($(echo $csv))"
else
  fail "invocations text/csv: 5 scores, first < 0.5, second > 0.5 (got: $csv)"
fi

body=$(awk 'BEGIN { printf "{\"instances\": [" } { printf "%s[%s]", (NR > 1 ? "," : ""), $0 } END { print "]}" }' \
  "$sample/request.csv")
json=$(curl -s -m 10 -H 'Content-Type: application/json' -H 'Accept: application/json' -d "$body" "$url/invocations")
# The number of elements of the top-level "predictions" array, by bracket depth (no jq or python needed).
n=$(printf '%s' "$json" | tr -d ' \n\r\t' | awk '{
      i = index($0, "\"predictions\":["); if (i == 0) { print -1; exit }
      s = substr($0, i + 15); depth = 1; n = 0; empty = 1
      for (k = 1; k <= length(s) && depth > 0; k++) {
        c = substr(s, k, 1)
        if (c == "[" || c == "{") depth++
        else if (c == "]" || c == "}") depth--
        else if (c == "," && depth == 1) n++
        if (depth > 0) empty = 0
      }
      print (empty ? 0 : n + 1) }')
check "invocations application/json: predictions list of 5 (got $n: $(echo "$json" | cut -c1-120))" test "$n" = 5

code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/x-sagebox-unknown' -d 'x' \
  "$url/invocations")
check "invocations unknown Content-Type: 415 (got $code)" test "$code" = 415

start=$(now_ms)
$DOCKER stop -t 30 "$cid" >/dev/null
took=$(( $(now_ms) - start ))
check "serve: docker stop took $took ms (< 30 s)" test $took -lt 30000
code=$($DOCKER inspect -f '{{.State.ExitCode}}' "$cid")
check "serve: exit status after SIGTERM is 0 or 143 (got $code)" sh -c "[ '$code' = 0 ] || [ '$code' = 143 ]"

# --- A failing training job: a bad hyperparameter.
bad=$tmp/fail
cp -R "$sample" "$bad"
rm -rf "$bad/model"/* "$bad/output"/*
sed 's/"num_round": *"[^"]*"/"num_round": "zero"/' "$sample/input/config/hyperparameters.json" \
  >"$bad/input/config/hyperparameters.json"
$DOCKER run --rm -v "$bad:/opt/ml" "$image" train >"$tmp/fail.log" 2>&1
rc=$?
check "bad num_round: train exits non-zero (got $rc)" test $rc != 0
check "bad num_round: output/failure mentions num_round" grep -q num_round "$bad/output/failure"
[ -f "$bad/output/failure" ] && info "output/failure: $(head -c 200 "$bad/output/failure" | tr '\n' ' ')"

# --- Train as an unprivileged user on a world-writable tree.
user=$tmp/user
cp -R "$sample" "$user"
rm -rf "$user/model"/* "$user/output"/*
chmod -R a+rwX "$user"
$DOCKER run --rm --user 1000:1000 -v "$user:/opt/ml" "$image" train >"$tmp/user.log" 2>&1
rc=$?
if [ $rc = 0 ]; then pass "train --user 1000:1000 exits 0"; else fail "train --user 1000:1000 exits 0 (got $rc)"; tail -n 20 "$tmp/user.log"; fi
check "train --user 1000:1000 wrote model/xgboost-model owned by uid 1000" \
  sh -c "[ -s '$user/model/xgboost-model' ] && [ \"\$(stat -c %u '$user/model/xgboost-model')\" = 1000 ]"

# --- XGBoost from external memory inside the image (the JRE's foreign linker reaches XGBoost's C API; the pages go
#     to the container's /tmp): as the unprivileged user, so the pages folder must be writable by it.
ext=$tmp/ext
cp -R "$sample" "$ext"
rm -rf "$ext/model"/* "$ext/output"/*
chmod -R a+rwX "$ext"
$DOCKER run --rm --user 1000:1000 -e SAGEBOX_EXTERNAL_MEMORY=true -v "$ext:/opt/ml" "$image" train >"$tmp/ext.log" 2>&1
rc=$?
if [ $rc = 0 ]; then pass "train SAGEBOX_EXTERNAL_MEMORY=true exits 0"; else fail "train SAGEBOX_EXTERNAL_MEMORY=true exits 0 (got $rc)"; tail -n 20 "$tmp/ext.log"; fi
check "external memory: the log says the pages were built" grep -q 'external memory: pages built in' "$tmp/ext.log"
check "external memory: wrote model/xgboost-model" test -s "$ext/model/xgboost-model"

# --- SIGTERM during training: a long job (no early stopping) must stop cleanly, well within SageMaker's 120 s,
#     keeping the partial model (save_model_on_termination, as in AWS's XGBoost container).
term=$tmp/term
cp -R "$sample" "$term"
rm -rf "$term/model"/* "$term/output"/*
echo '{"objective": "binary:logistic", "num_round": "1000000", "max_depth": "6", "eta": "0.001",
      "save_model_on_termination": "true"}' \
  >"$term/input/config/hyperparameters.json"
tid=$($DOCKER run -d -v "$term:/opt/ml" "$image" train)
containers="$containers $tid"
started=no
for _ in $(seq 1 300); do   # wait for the first training round (up to 30 s)
  if $DOCKER logs "$tid" 2>&1 | grep -q '^\[[0-9]'; then started=yes; break; fi
  [ "$($DOCKER inspect -f '{{.State.Running}}' "$tid")" = true ] || break
  sleep 0.1
done
if [ $started = yes ] && [ "$($DOCKER inspect -f '{{.State.Running}}' "$tid")" = true ]; then
  start=$(now_ms)
  $DOCKER kill -s TERM "$tid" >/dev/null
  code=$($DOCKER wait "$tid")
  took=$(( $(now_ms) - start ))
  check "SIGTERM during train: exited $took ms after SIGTERM (< 30 s), exit status $code" test $took -lt 30000
  check "SIGTERM during train: partial model saved (save_model_on_termination=true)" test -s "$term/model/xgboost-model"
  [ -f "$term/output/failure" ] && info "SIGTERM during train: output/failure: $(head -c 120 "$term/output/failure" | tr '\n' ' ')"
else
  fail "SIGTERM during train: training did not start"; $DOCKER logs "$tid" 2>&1 | tail -n 20
fi

# --- Linear learner (ND4J): train the sample as an unprivileged user (the native libraries unpack into /tmp),
#     serve it, and send the SageMaker notebook's JSON.
ll=$tmp/ll
cp -R "$here/opt-ml-sample/linear-learner" "$ll"
rm -rf "$ll/model"/* "$ll/output"/*
chmod -R a+rwX "$ll"
start=$(now_ms)
$DOCKER run --rm --user 1000:1000 -v "$ll:/opt/ml" "$image" train >"$tmp/ll.log" 2>&1
rc=$?
info "linear-learner train took $(( $(now_ms) - start )) ms (docker run to exit)"
if [ $rc = 0 ]; then pass "linear-learner: train --user 1000:1000 exits 0"; else fail "linear-learner: train exits 0 (got $rc)"; tail -n 20 "$tmp/ll.log"; fi
check "linear-learner: metric line validation binary_classification_accuracy" \
  grep -q '^#quality_metric: host=algo-1, epoch=final, validation binary_classification_accuracy <score>=' "$tmp/ll.log"
lid=$($DOCKER run -d -p 127.0.0.1::8080 -v "$ll/model:/opt/ml/model" "$image" serve)
containers="$containers $lid"
lport=$($DOCKER port "$lid" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n 1)
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$lport/ping")" = 200 ] && break
  sleep 0.1
done
ljson=$(curl -s -m 10 -H 'Content-Type: application/json' -H 'Accept: application/json' \
  --data-binary "@$ll/request.json" "http://127.0.0.1:$lport/invocations")
nlabels=$(printf '%s' "$ljson" | grep -o '"predicted_label":[01]' | wc -l)
nscores=$(printf '%s' "$ljson" | grep -o '"score":' | wc -l)
check "linear-learner: JSON instances get 5 score + predicted_label ($(echo "$ljson" | cut -c1-100))" \
  sh -c "[ $nlabels = 5 ] && [ $nscores = 5 ]"
$DOCKER stop -t 30 "$lid" >/dev/null

# --- LeNet (DL4J): train the MNIST sample (1,000 images, 3 epochs), serve it, classify the sample PNG (a 7).
ln=$tmp/lenet
cp -R "$here/opt-ml-sample/lenet" "$ln"
rm -rf "$ln/model"/* "$ln/output"/*
start=$(now_ms)
$DOCKER run --rm -v "$ln:/opt/ml" "$image" train >"$tmp/lenet.log" 2>&1
rc=$?
info "lenet train took $(( $(now_ms) - start )) ms (docker run to exit)"
if [ $rc = 0 ]; then pass "lenet: train exits 0"; else fail "lenet: train exits 0 (got $rc)"; tail -n 20 "$tmp/lenet.log"; fi
check "lenet: metric line validation accuracy" grep -q '^#quality_metric: host=algo-1, epoch=2, validation accuracy <score>=' "$tmp/lenet.log"
nid=$($DOCKER run -d -p 127.0.0.1::8080 -v "$ln/model:/opt/ml/model" "$image" serve)
containers="$containers $nid"
nport=$($DOCKER port "$nid" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n 1)
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$nport/ping")" = 200 ] && break
  sleep 0.1
done
npng=$(curl -s -m 10 -H 'Content-Type: image/png' -H 'Accept: application/json' \
  --data-binary "@$ln/request.png" "http://127.0.0.1:$nport/invocations")
check "lenet: the sample PNG is a 7 ($(echo "$npng" | cut -c1-60))" sh -c "echo '$npng' | grep -q '\"predicted_label\":7,'"
$DOCKER stop -t 30 "$nid" >/dev/null

# --- XGBoost on two hosts, as SageMaker runs InstanceCount=2: containers algo-1 and algo-2 on their own docker
#     network (the names resolve there), each with half of the sample's train rows (ShardedByS3Key) and the
#     resourceconfig.json SageMaker writes; compared with one container on all the rows.
net="sagebox-e2e-$$"
if $DOCKER network create "$net" >/dev/null 2>&1; then
  mh=$tmp/mh
  for h in 1 2; do
    mkdir -p "$mh/algo-$h"
    cp -R "$sample/input" "$mh/algo-$h/input"
    mkdir -p "$mh/algo-$h/model" "$mh/algo-$h/output"
    awk -v k=$((h - 1)) 'NR % 2 == k' "$sample/input/data/train/breast_cancer.csv" \
      >"$mh/algo-$h/input/data/train/breast_cancer.csv"
    printf '{"current_host": "algo-%s", "hosts": ["algo-1", "algo-2"], "network_interface_name": "eth0"}\n' "$h" \
      >"$mh/algo-$h/input/config/resourceconfig.json"
    sed 's/"train": {\([^}]*\)"FullyReplicated"/"train": {\1"ShardedByS3Key"/' \
      "$sample/input/config/inputdataconfig.json" >"$mh/algo-$h/input/config/inputdataconfig.json"
  done
  start=$(now_ms)
  c2=$($DOCKER run -d --network "$net" --network-alias algo-2 --hostname algo-2 -v "$mh/algo-2:/opt/ml" "$image" train)
  c1=$($DOCKER run -d --network "$net" --network-alias algo-1 --hostname algo-1 -v "$mh/algo-1:/opt/ml" "$image" train)
  containers="$containers $c1 $c2"
  rc1=$($DOCKER wait "$c1"); rc2=$($DOCKER wait "$c2")
  info "two hosts: both trainers finished $(( $(now_ms) - start )) ms after start"
  $DOCKER logs "$c1" >"$tmp/mh1.log" 2>&1; $DOCKER logs "$c2" >"$tmp/mh2.log" 2>&1
  if [ "$rc1" = 0 ] && [ "$rc2" = 0 ]; then pass "two hosts: algo-1 and algo-2 exit 0"; else
    fail "two hosts: algo-1 and algo-2 exit 0 (got $rc1, $rc2)"; tail -n 15 "$tmp/mh1.log" "$tmp/mh2.log"; fi
  check "two hosts: both joined the collective" sh -c "grep -q 'joined the collective of 2 hosts' '$tmp/mh1.log' \
    && grep -q 'joined the collective of 2 hosts' '$tmp/mh2.log'"
  check "two hosts: rows per host logged (algo-1 227, algo-2 228)" \
    grep -q "channel 'train' rows per host: algo-1 227, algo-2 228" "$tmp/mh1.log"
  check "two hosts: the leader wrote model/xgboost-model" test -s "$mh/algo-1/model/xgboost-model"
  check "two hosts: algo-2 wrote no model, only output/success" \
    sh -c "[ ! -e '$mh/algo-2/model/xgboost-model' ] && [ -e '$mh/algo-2/output/success' ]"
  check "two hosts: metric lines only from the leader" \
    sh -c "grep -q '^\[0\]' '$tmp/mh1.log' && ! grep -q '^\[0\]' '$tmp/mh2.log'"
  # The best validation AUC beside the one-container run's on all rows (the log's "Stopping. Best iteration" line).
  best() { grep -A1 'Best iteration' "$1" | grep -o 'validation-auc:[0-9.]*' | tail -n 1 | cut -d: -f2; }
  a1=$(best "$tmp/mh1.log"); a0=$(best "$tmp/train.log")
  info "two hosts: best validation-auc $a1 against $a0 on one host with all rows"
  check "two hosts: validation AUC within 0.02 of one host ($a1 vs $a0)" \
    awk -v a="$a1" -v b="$a0" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= 0.02) }'
  $DOCKER network rm "$net" >/dev/null 2>&1
else
  fail "two hosts: docker network create $net"
fi

# --- `docker run IMAGE api`: the local SageMaker API starts in the image and answers in AWS's shapes.
acid=$($DOCKER run -d -p 127.0.0.1::8090 -e SAGEBOX_API_BIND=0.0.0.0 "$image" api)
containers="$containers $acid"
aport=$($DOCKER port "$acid" 8090/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n 1)
api() { # $1 operation -> the body of SageMaker.$1 with an empty request
  curl -s -m 5 -X POST -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: SageMaker.$1" -d '{}' \
    "http://127.0.0.1:$aport/"
}
listed=""
for _ in $(seq 1 120); do
  listed=$(api ListTrainingJobs) && [ -n "$listed" ] && break
  sleep 0.5
done
has() { printf '%s' "$1" | grep -q -- "$2"; }
check "api: ListTrainingJobs answers an empty list (got: $listed)" has "$listed" '"TrainingJobSummaries": *\[\]'
unknown=$(api CreateHyperParameterTuningJob || true)
check "api: an unsupported operation is a JSON error naming the supported ones (got: $(echo "$unknown" | cut -c1-100))" \
  sh -c 'printf "%s" "$1" | grep -q "\"__type\":\"UnknownOperationException\"" && printf "%s" "$1" | grep -q CreateTrainingJob' \
  _ "$unknown"
[ -n "$listed" ] || $DOCKER logs "$acid" 2>&1 | tail -n 20

if [ $failures = 0 ]; then echo "e2e: all checks passed ($image)"; exit 0; fi
echo "e2e: $failures check(s) failed ($image)"
exit 1
