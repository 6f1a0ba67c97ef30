#!/bin/sh
# One command for someone with an NVIDIA GPU: does Sagebox's CUDA variant work here, and how fast is it beside the
# CPU image? Needs docker with nvidia-container-toolkit (`docker run --gpus all` works), python3 with numpy.
#
#   1. takes the images sagebox:cuda and sagebox (or builds them: --build, or when missing);
#   2. prints the CUDA image's start-up "compute:" lines (driver, devices, which library can use which device);
#   3. XGBoost: generates the 1M x 28 binary set (benchmarks/scripts/gen_binary_csv.py), trains 100 rounds with
#      device=cuda on the CUDA image and device=cpu on the CPU image;
#   4. LeNet: one epoch of MNIST on each image (the CUDA image's ND4J needs compute capability <= 8.x: on a Hopper
#      or newer GPU it refuses, and this script says so and goes on);
#   5. serves each trained model on both images, sends the same requests (validation rows; 500 MNIST test images
#      as CSV), and compares the predictions: the same
#      model must answer the same on both images, and the GPU-trained model is compared with the CPU-trained one;
#   6. prints the times side by side (work files stay in --work).
#
# Usage: docker/gpu-check.sh [options]
#   --cuda-image IMG   CUDA image to use (default sagebox:cuda)
#   --cpu-image IMG    CPU image to use (default sagebox)
#   --build            build both images first (docker build [--build-arg VARIANT=cuda]); extra build
#                      arguments from $SAGEBOX_BUILD_ARGS, e.g. the local bases of docker/make-base-images.sh:
#                      "--build-arg BUILD_IMAGE=sagebox/build-base:bookworm --build-arg BASE_IMAGE=sagebox/runtime-base:bookworm"
#   --rows N           rows of the XGBoost set (default 1000000; 80 % train, 20 % validation)
#   --rounds N         XGBoost rounds (default 100)
#   --mnist DIR        MNIST idx files (train-*, t10k-*; default $SAGEBOX_MNIST or ../shared/data/mnist, else the
#                      1,000-image sample in opt-ml-sample/lenet)
#   --work DIR         where data, models and logs go (default a new folder under /tmp)
#   --cpu-only         no GPU: run every step on the CPU image only (checks the script and the CPU side)
#   --dry-run          print the plan (images, data, steps) and exit without running anything
#   -h, --help         this text
# Exit status: 0 when every step that should work worked and the predictions agree, 1 otherwise, 2 for bad usage.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
cuda_image=sagebox:cuda
cpu_image=sagebox
build=0
rows=1000000
rounds=100
mnist=${SAGEBOX_MNIST:-$here/../shared/data/mnist}
work=""
cpu_only=0
dry_run=0
DOCKER=${DOCKER:-docker}

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "gpu-check: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }
positive() { case $2 in ''|*[!0-9]*|0) die "$1 must be a positive integer, not '$2'" ;; esac; }

while [ $# -gt 0 ]; do
  case $1 in
    --cuda-image) need_value "$@"; cuda_image=$2; shift 2 ;;
    --cpu-image) need_value "$@"; cpu_image=$2; shift 2 ;;
    --build) build=1; shift ;;
    --rows) need_value "$@"; positive --rows "$2"; rows=$2; shift 2 ;;
    --rounds) need_value "$@"; positive --rounds "$2"; rounds=$2; shift 2 ;;
    --mnist) need_value "$@"; mnist=$2; shift 2 ;;
    --work) need_value "$@"; work=$2; shift 2 ;;
    --cpu-only) cpu_only=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ "$rows" -ge 1000 ] || die "--rows must be at least 1000"

# MNIST: train-* and t10k-* idx files in one folder, or the sample's train/ and validation/ folders.
if [ -d "$mnist" ] && ls "$mnist"/train-images* >/dev/null 2>&1; then
  mnist_train=$mnist
  mnist_validation=$mnist
  mnist_note="MNIST from $mnist"
else
  mnist_train=$here/opt-ml-sample/lenet/input/data/train
  mnist_validation=$here/opt-ml-sample/lenet/input/data/validation
  mnist_note="the MNIST sample in opt-ml-sample/lenet (no full MNIST at $mnist)"
fi
gpu_image=$cuda_image
gpu_flags="--gpus all"
gpu_device=cuda
if [ $cpu_only = 1 ]; then
  gpu_image=$cpu_image
  gpu_flags=""
  gpu_device=cpu
fi

plan() {
  echo "gpu-check plan:"
  echo "  images:  GPU side $gpu_image ${gpu_flags:-(no --gpus)}, CPU side $cpu_image$([ $build = 1 ] && echo ' (built first)')"
  echo "  XGBoost: $rows x 28 rows (gen_binary_csv.py, seed 42), $rounds rounds, depth 6, device=$gpu_device vs device=cpu"
  echo "  LeNet:   1 epoch on $mnist_note"
  echo "  serving: each model on both images, the same requests, predictions compared"
  echo "  work:    ${work:-a new folder under /tmp}"
}
if [ $dry_run = 1 ]; then
  plan
  exit 0
fi

command -v "$DOCKER" >/dev/null 2>&1 || die "docker not found"
# As docker/ci.sh: a CLI without the buildx plugin refuses DOCKER_BUILDKIT=1; Debian's /usr/bin/docker builds.
if [ "$DOCKER" = docker ] && ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then
  DOCKER=/usr/bin/docker
fi
command -v curl >/dev/null 2>&1 || die "curl not found"
/usr/bin/env python3 -c 'import numpy' 2>/dev/null || die "python3 with numpy is needed (the data generator, the comparisons)"
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-gpu-check.XXXXXX")
mkdir -p "$work"
work=$(cd "$work" && pwd)
plan

now() { date +%s.%N; }
elapsed() { /usr/bin/env python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
problems=0
problem() { echo "gpu-check: PROBLEM: $*" >&2; problems=$((problems + 1)); }
containers=""
cleanup() { for c in $containers; do $DOCKER rm -f "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. Images.
build_image() { # IMAGE VARIANT
  echo "== docker build --build-arg VARIANT=$2 -t $1"
  t=$(now)
  # shellcheck disable=SC2086
  DOCKER_BUILDKIT=1 $DOCKER build --build-arg VARIANT="$2" ${SAGEBOX_BUILD_ARGS:-} -t "$1" "$here" \
    >"$work/build-$2.log" 2>&1 || { tail -n 30 "$work/build-$2.log" >&2; die "building $1 failed (log: $work/build-$2.log)"; }
  echo "   built in $(elapsed "$t" "$(now)") s, $($DOCKER image inspect -f '{{.Size}}' "$1" | awk '{printf "%.2f GB", $1/1e9}')"
}
for pair in "$cpu_image:cpu" "$gpu_image:$([ $cpu_only = 1 ] && echo cpu || echo cuda)"; do
  img=${pair%:*}; variant=${pair##*:}
  if [ $build = 1 ] || ! $DOCKER image inspect "$img" >/dev/null 2>&1; then
    build_image "$img" "$variant"
  fi
done
if [ $cpu_only = 0 ]; then
  echo "== what the CUDA image sees (docker run --gpus all $cuda_image serve, start-up lines)"
  $DOCKER run --rm $gpu_flags -e SAGEMAKER_BIND_TO_PORT=8080 --entrypoint sh "$cuda_image" -c \
    'timeout 20 sagebox serve 2>&1 | grep -m 2 "compute:"' || problem "the CUDA image printed no compute: line"
fi

# --- 2. Data.
echo "== data"
xgb=$work/xgb-data
if [ ! -s "$xgb/train/data.csv" ]; then
  /usr/bin/env python3 "$here/benchmarks/scripts/gen_binary_csv.py" --rows "$rows" --features 28 --seed 42 \
    --out-dir "$xgb" >/dev/null
fi
head -n 10000 "$xgb/validation/data.csv" | cut -d, -f2- > "$work/xgb-request.csv"
echo "   XGBoost: $(wc -l < "$xgb/train/data.csv") train rows, $(wc -l < "$xgb/validation/data.csv") validation rows"
xgb_request_rows=$(wc -l < "$work/xgb-request.csv" | tr -d ' ')
# LeNet: the first 500 validation images as CSV rows of 784 pixels.
/usr/bin/env python3 - "$mnist_validation" "$work/lenet-request.csv" <<'EOF'
import glob, gzip, sys
import numpy as np
path = sorted(glob.glob(sys.argv[1] + "/t10k-images*"))[0]
raw = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
n = min(500, int.from_bytes(raw[4:8], "big"))
images = np.frombuffer(raw, dtype=np.uint8, offset=16, count=n * 784).reshape(n, 784)
np.savetxt(sys.argv[2], images, fmt="%d", delimiter=",")
EOF
echo "   LeNet: $(wc -l < "$work/lenet-request.csv" | tr -d ' ') validation images per request"

# --- 3. Training.
train_job() { # NAME IMAGE FLAGS HYPERPARAMETERS_JSON DATA_KIND -> prints seconds; model in $work/NAME/model
  job=$work/$1
  rm -rf "$job"
  mkdir -p "$job/input/config" "$job/input/data/train" "$job/input/data/validation" "$job/model" "$job/output"
  echo "$4" > "$job/input/config/hyperparameters.json"
  if [ "$5" = xgb ]; then
    ln "$xgb/train/data.csv" "$job/input/data/train/data.csv" 2>/dev/null || cp "$xgb/train/data.csv" "$job/input/data/train/"
    ln "$xgb/validation/data.csv" "$job/input/data/validation/data.csv" 2>/dev/null \
      || cp "$xgb/validation/data.csv" "$job/input/data/validation/"
  else
    cp "$mnist_train"/train-* "$job/input/data/train/"
    cp "$mnist_validation"/t10k-* "$job/input/data/validation/"
  fi
  chmod -R a+rwX "$job"
  t=$(now)
  # shellcheck disable=SC2086
  if $DOCKER run --rm $3 -v "$job:/opt/ml" "$2" train >"$job/train.log" 2>&1; then
    elapsed "$t" "$(now)"
  else
    echo "failed"
  fi
}

xgb_hp() { echo "{\"objective\": \"binary:logistic\", \"num_round\": \"$rounds\", \"max_depth\": \"6\", \"eta\": \"0.1\", \"eval_metric\": \"auc\", \"device\": \"$1\"}"; }
echo "== XGBoost training ($rounds rounds)"
xgb_gpu_s=$(train_job xgb-gpu "$gpu_image" "$gpu_flags" "$(xgb_hp $gpu_device)" xgb)
xgb_cpu_s=$(train_job xgb-cpu "$cpu_image" "" "$(xgb_hp cpu)" xgb)
for side in gpu cpu; do
  if [ "$(eval echo \$xgb_${side}_s)" = failed ]; then
    problem "XGBoost training on the $side side failed:"; tail -n 5 "$work/xgb-$side/train.log" >&2
  fi
done
echo "   device=$gpu_device: $xgb_gpu_s s (docker run to exit; the log's own line: $(grep -o 'training finished in [0-9.]* s' "$work/xgb-gpu/train.log" || echo none))"
echo "   device=cpu:  $xgb_cpu_s s ($(grep -o 'training finished in [0-9.]* s' "$work/xgb-cpu/train.log" || echo none))"

echo "== LeNet training (1 epoch)"
lenet_hp='{"algorithm": "lenet", "epochs": "1", "mini_batch_size": "64", "learning_rate": "0.001"}'
lenet_gpu_s=$(train_job lenet-gpu "$gpu_image" "$gpu_flags" "$lenet_hp" mnist)
lenet_cpu_s=$(train_job lenet-cpu "$cpu_image" "" "$lenet_hp" mnist)
lenet_gpu_note=""
if [ "$lenet_gpu_s" = failed ]; then
  if grep -q "ND4J cannot run on CUDA device" "$work/lenet-gpu/train.log"; then
    lenet_gpu_note="refused as documented: $(grep -o 'ND4J cannot run on CUDA device.*is [0-9.]*' "$work/lenet-gpu/train.log" | head -n 1)"
  else
    problem "LeNet training on the GPU side failed:"; tail -n 5 "$work/lenet-gpu/train.log" >&2
  fi
fi
[ "$lenet_cpu_s" != failed ] || { problem "LeNet training on the CPU image failed:"; tail -n 5 "$work/lenet-cpu/train.log" >&2; }
echo "   GPU side: $lenet_gpu_s s ${lenet_gpu_note}"
echo "   CPU side: $lenet_cpu_s s"

# --- 4. Serving: each model on both images, the same requests.
serve_and_ask() { # IMAGE FLAGS MODEL_DIR CONTENT_TYPE REQUEST_FILE OUT_FILE -> prints "start_s request_s"
  t=$(now)
  # shellcheck disable=SC2086
  cid=$($DOCKER run -d $2 -p 127.0.0.1::8080 -v "$3:/opt/ml/model:ro" "$1" serve)
  port=$($DOCKER port "$cid" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n 1)
  i=0
  until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/ping")" = 200 ]; do
    i=$((i + 1))
    if [ $i -ge 1200 ]; then
      $DOCKER logs "$cid" 2>&1 | tail -n 5 >&2
      $DOCKER rm -f "$cid" >/dev/null 2>&1 || true
      echo "never-ready -"
      return 0
    fi
    sleep 0.1
  done
  ready=$(now)
  curl -s -m 120 -H "Content-Type: $4" -H 'Accept: text/csv' --data-binary "@$5" \
    "http://127.0.0.1:$port/invocations" > "$6"
  echo "$(elapsed "$t" "$ready") $(elapsed "$ready" "$(now)")"
  $DOCKER rm -f "$cid" >/dev/null 2>&1 || true
}
compare() { # FILE_A FILE_B LABEL -> prints the largest absolute difference; counts a problem above TOLERANCE
  /usr/bin/env python3 - "$1" "$2" "$3" "${4:-1e-6}" <<'EOF'
import sys
import numpy as np
a, b, label, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
def load(p):
    rows = [l for l in open(p).read().split() if l]
    return np.array([[float(x) for x in r.split(',')] for r in rows])
try:
    x, y = load(a), load(b)
except Exception as e:
    print("%s: cannot compare (%s)" % (label, e)); sys.exit(1)
if x.shape != y.shape:
    print("%s: shapes differ %s vs %s" % (label, x.shape, y.shape)); sys.exit(1)
d = float(np.max(np.abs(x - y))) if x.size else 0.0
print("%s: %d predictions, largest difference %.3g%s" % (label, x.shape[0], d, "" if d <= tol else " (above %g)" % tol))
sys.exit(0 if d <= tol else 1)
EOF
}

echo "== serving"
report=$work/report.txt
: > "$report"
for model in xgb-gpu xgb-cpu; do
  [ -f "$work/$model/model/xgboost-model" ] || continue
  g=$(serve_and_ask "$gpu_image" "$gpu_flags" "$work/$model/model" text/csv "$work/xgb-request.csv" "$work/$model.pred-gpu-image.csv")
  c=$(serve_and_ask "$cpu_image" "" "$work/$model/model" text/csv "$work/xgb-request.csv" "$work/$model.pred-cpu-image.csv")
  echo "   $model on the GPU-side image: ready after ${g% *} s, $xgb_request_rows rows in ${g#* } s; on the CPU image: ${c% *} s, ${c#* } s" | tee -a "$report"
  compare "$work/$model.pred-gpu-image.csv" "$work/$model.pred-cpu-image.csv" "   $model, GPU-side image vs CPU image" \
    | tee -a "$report" || problem "$model answers differently on the two images"
done
if [ -f "$work/xgb-gpu.pred-cpu-image.csv" ] && [ -f "$work/xgb-cpu.pred-cpu-image.csv" ]; then
  compare "$work/xgb-gpu.pred-cpu-image.csv" "$work/xgb-cpu.pred-cpu-image.csv" \
    "   XGBoost trained with device=$gpu_device vs device=cpu (expected to differ a little: float sums in another order)" 0.05 \
    | tee -a "$report" || problem "the GPU-trained XGBoost model's predictions differ from the CPU-trained one by more than 0.05"
fi
for model in lenet-gpu lenet-cpu; do
  [ -n "$(ls "$work/$model/model" 2>/dev/null)" ] || continue
  g=$(serve_and_ask "$gpu_image" "$gpu_flags" "$work/$model/model" text/csv "$work/lenet-request.csv" "$work/$model.pred-gpu-image.csv")
  c=$(serve_and_ask "$cpu_image" "" "$work/$model/model" text/csv "$work/lenet-request.csv" "$work/$model.pred-cpu-image.csv")
  echo "   $model on the GPU-side image: ready after ${g% *} s, request ${g#* } s; on the CPU image: ${c% *} s, ${c#* } s" | tee -a "$report"
  compare "$work/$model.pred-gpu-image.csv" "$work/$model.pred-cpu-image.csv" "   $model, GPU-side image vs CPU image" 1e-4 \
    | tee -a "$report" || problem "$model answers differently on the two images"
done

# --- 5. Summary.
echo
echo "== gpu-check summary ($([ $cpu_only = 1 ] && echo 'CPU only: both sides are the CPU image' || echo "GPU side: $cuda_image --gpus all"))"
printf '  %-34s %12s %12s\n' "step" "GPU side (s)" "CPU (s)"
printf '  %-34s %12s %12s\n' "XGBoost $rows rows, $rounds rounds" "$xgb_gpu_s" "$xgb_cpu_s"
printf '  %-34s %12s %12s\n' "LeNet 1 epoch" "$lenet_gpu_s" "$lenet_cpu_s"
cat "$report"
echo "  work files: $work"
if [ $problems -gt 0 ]; then
  echo "gpu-check: $problems problem(s), see above" >&2
  exit 1
fi
echo "gpu-check: passed"
