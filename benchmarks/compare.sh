#!/usr/bin/env bash
# Side-by-side comparison of Sagebox with the Python stack SageMaker users run, on this machine, in one run:
# training end to end (XGBoost, linear learner, LeNet), serving throughput/latency against Flask+gunicorn, model
# quality next to each time, machine facts. Writes benchmarks/RESULTS.md (or $RESULTS).
#   benchmarks/compare.sh          full mode: 1,000,000-row CSV, full MNIST (1 epoch), 10 s per serving level;
#                                  serving XGBoost (CSV; the same request as an Open Inference Protocol JSON body;
#                                  100 copies on one multi-model endpoint) and the bring-your-own test CNN (ONNX)
#                                  against Python
#   benchmarks/compare.sh --short  smoke mode (seconds): 20,000 rows, no LeNet, 2 s per serving level, the OIP and
#                                  multi-model rows at concurrency 8 only; checks the harness works, not the ratios
# Environment switches (either mode): SKIP_TRAINING=1 leaves out the training rows (data generation, XGBoost,
# linear learner, LeNet), SKIP_CNN=1 the CNN serving rows; a run with either writes to a temporary RESULTS.md
# unless $RESULTS names one, so benchmarks/RESULTS.md is only rewritten by complete runs. XGB_RUNS=N: how many times
# the XGBoost end-to-end runs (Sagebox, pandas, native loader in turn) are repeated, medians in the table (default 3
# in full mode, 1 in --short).
# Installs what it needs with apt-get when missing (wrk, python3-flask, gunicorn, python3-xgboost, python3-sklearn,
# python3-pandas; python3-torch and python3-onnx in full mode). Needs a built checkout (mvn -B package -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mode=full
[ "${1:-}" = "--short" ] && mode=short
skip_training=${SKIP_TRAINING:-0}
skip_cnn=${SKIP_CNN:-0}
results=${RESULTS:-$root/benchmarks/RESULTS.md}
if [ $mode = short ] || [ "$skip_training" = 1 ] || [ "$skip_cnn" = 1 ]; then
  results=${RESULTS:-$(mktemp -d)/RESULTS.md}
fi
export OMP_WAIT_POLICY=PASSIVE
threads=2

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v bc >/dev/null || need+=(bc)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
command -v gunicorn >/dev/null || need+=(gunicorn)
/usr/bin/python3 -c 'import flask' 2>/dev/null || need+=(python3-flask)
/usr/bin/python3 -c 'import xgboost, sklearn, pandas' 2>/dev/null || need+=(python3-xgboost python3-sklearn python3-pandas)
if [ $mode = full ] && [ "$skip_cnn" != 1 ]; then /usr/bin/python3 -c 'import torch, onnx' 2>/dev/null || need+=(python3-torch python3-onnx); fi
if ((${#need[@]})); then
  echo "compare: apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null || {
    apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }
fi
[ -f container/target/sagebox-container.jar ] || mvn -B -q package -DskipTests
# Sagebox as the image ships it: training starts from a class-data archive of this build.
bin/make-class-archive >/dev/null || echo "compare: no class-data archive; Sagebox's start-up is measured without one"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=$([ $mode = full ] && echo 1000000 || echo 20000)
duration=$([ $mode = full ] && echo 10 || echo 2)
new_levels=$([ $mode = full ] && echo "1 8 64" || echo 8) # concurrency levels of the OIP and multi-model rows
mme_models=100
echo "compare: mode $mode, $rows rows, $threads threads, load $load_before"
[ "$skip_training" = 1 ] && echo "compare: SKIP_TRAINING=1, no training rows"
[ "$skip_cnn" = 1 ] && echo "compare: SKIP_CNN=1, no CNN serving rows"

tree() { # $1 dir, $2 hyperparameters JSON: a SageMaker tree over the generated CSV
  mkdir -p "$1/input/config" "$1/input/data/train" "$1/input/data/validation"
  ln -f "$work/data/train/data.csv" "$1/input/data/train/data.csv"
  ln -f "$work/data/validation/data.csv" "$1/input/data/validation/data.csv"
  echo "$2" > "$1/input/config/hyperparameters.json"
  echo '{"train": {"ContentType": "text/csv"}, "validation": {"ContentType": "text/csv"}}' \
    > "$1/input/config/inputdataconfig.json"
}
sagebox_train() { # $1 tree; prints "wall_seconds in_jvm_seconds"; log in $1/train.log, peak RSS (MB) in $1/rss
  local t0 t1
  t0=$(date +%s.%N)
  SAGEMAKER_BASE_DIR=$1 SAGEBOX_THREADS=$threads /usr/bin/time -f %M -o "$1/rss.kb" bin/sagebox train \
    >"$1/train.log" 2>&1
  t1=$(date +%s.%N)
  echo $(( $(tail -1 "$1/rss.kb") / 1024 )) > "$1/rss"
  echo "$(printf '%.2f' "$(echo "$t1 - $t0" | bc)") $(sed -n 's/.*training finished in \([0-9.]*\) s.*/\1/p' "$1/train.log")"
}
json() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc 2>/dev/null || echo nan)"; }

train_rows=""
xgb_runs_line=""
if [ "$skip_training" != 1 ]; then
# ---- Data (seeded).
/usr/bin/python3 benchmarks/scripts/gen_binary_csv.py --rows "$rows" --out-dir "$work/data" >/dev/null

# ---- XGBoost training: CSV on disk -> saved model. This VM's speed drifts by 10-20% from one minute to the next,
# so Sagebox, pandas and the native loader run XGB_RUNS times in turn (3 in full mode, 1 in --short), and the table
# takes each side's median run (by Sagebox's process wall and by Python's end_to_end); all runs are listed below it.
xgb_hp='{"objective": "binary:logistic", "num_round": "100", "max_depth": "5", "eta": "0.2", "gamma": "4", "min_child_weight": "6", "subsample": "0.8", "eval_metric": "auc", "tree_method": "hist"}'
xgb_runs=${XGB_RUNS:-$([ $mode = full ] && echo 3 || echo 1)}
case "$xgb_runs" in
  ''|*[!0-9]*|0) echo "compare: XGB_RUNS must be a whole number of at least 1, not '$xgb_runs'" >&2; exit 2 ;;
esac
: > "$work/xgb_sb.runs"; : > "$work/xgb_py_pandas.runs"; : > "$work/xgb_py_native.runs"
for r in $(seq 1 "$xgb_runs"); do
  tree "$work/xgb_$r" "$xgb_hp"
  read -r w j < <(sagebox_train "$work/xgb_$r")
  echo "$w $j $r" >> "$work/xgb_sb.runs"
  for m in pandas native; do # one process per mode, so that each peak RSS is its own
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o "$work/xgb_py_${m}_$r.kb" /usr/bin/python3 benchmarks/scripts/xgb_python_reference.py \
      --data-dir "$work/data" --threads $threads --rounds 100 --mode $m --json-out "$work/xgb_py_${m}_$r.json" >/dev/null
    printf '%.2f' "$(echo "$(date +%s.%N) - $t0" | bc)" > "$work/xgb_py_${m}_$r.wall"
    echo "$(json "$work/xgb_py_${m}_$r.json" "['results'][0]['phases_s']['end_to_end']") $r" >> "$work/xgb_py_$m.runs"
  done
done
median_run() { sort -n "$1" | awk '{ r[NR] = $NF } END { print r[int((NR + 1) / 2)] }'; } # the run number
r=$(median_run "$work/xgb_sb.runs")
ln -s "$work/xgb_$r" "$work/xgb"
read -r xgb_wall xgb_jvm _ < <(awk -v r="$r" '$3 == r' "$work/xgb_sb.runs")
for m in pandas native; do
  r=$(median_run "$work/xgb_py_$m.runs")
  for f in json kb wall; do cp "$work/xgb_py_${m}_$r.$f" "$work/xgb_py_$m.$f"; done
done
xgb_runs_line="XGBoost end to end, $xgb_runs run(s) in turn (s): Sagebox process $(awk '{ printf "%s%s", sep, $1; sep = ", " }' "$work/xgb_sb.runs"); pandas $(awk '{ printf "%s%.2f", sep, $1; sep = ", " }' "$work/xgb_py_pandas.runs"); xgboost loader $(awk '{ printf "%s%.2f", sep, $1; sep = ", " }' "$work/xgb_py_native.runs")."
xgb_auc=$(grep -o 'validation-auc:[0-9.]*' "$work/xgb/train.log" | tail -1 | cut -d: -f2)
py_pandas=$(json "$work/xgb_py_pandas.json" "['results'][0]['phases_s']['end_to_end']")
py_native=$(json "$work/xgb_py_native.json" "['results'][0]['phases_s']['end_to_end']")
py_auc=$(json "$work/xgb_py_pandas.json" "['results'][0]['auc_valid_sklearn']")
py_pandas=$(printf '%.2f' "$py_pandas"); py_native=$(printf '%.2f' "$py_native"); py_auc=$(printf '%.5f' "$py_auc")
# Parse + matrix: Sagebox's two channels' parse times plus its DMatrix time (from the log) against pandas read +
# DMatrix and XGBoost's own CSV loader; peak RSS of each whole process.
sb_load=$(awk '/parsed in/ { for (i = 1; i <= NF; i++) if ($i == "in" && $(i - 1) == "parsed") p += $(i + 1) }
  /DMatrix built in/ { for (i = 1; i <= NF; i++) if ($i == "in" && $(i - 1) == "built") p += $(i + 1) }
  END { printf "%.2f", p }' "$work/xgb/train.log")
py_pandas_load=$(printf '%.2f' "$(json "$work/xgb_py_pandas.json" "['results'][0]['phases_s']['read'] + json.load(open(sys.argv[1]))['results'][0]['phases_s']['dmatrix']")")
py_native_load=$(printf '%.2f' "$(json "$work/xgb_py_native.json" "['results'][0]['phases_s']['dmatrix']")")
py_pandas_rss=$(( $(tail -1 "$work/xgb_py_pandas.kb") / 1024 )); py_native_rss=$(( $(tail -1 "$work/xgb_py_native.kb") / 1024 ))
# External memory: the same training with data_matrix=external and the heap capped at 512 MB.
tree "$work/xgb_ext" "${xgb_hp%\}}, \"data_matrix\": \"external\"}"
read -r ext_wall ext_jvm < <(JAVA_OPTS=-Xmx512m sagebox_train "$work/xgb_ext")
ext_auc=$(grep -o 'validation-auc:[0-9.]*' "$work/xgb_ext/train.log" | tail -1 | cut -d: -f2)

# ---- Linear learner vs SGDClassifier (same epochs).
tree "$work/ll" '{"predictor_type": "binary_classifier", "epochs": "15", "num_models": "1", "early_stopping_patience": "100"}'
read -r ll_wall ll_jvm < <(sagebox_train "$work/ll")
ll_auc=$(sed -n 's/.*epoch=final, validation roc_auc_score <score>=\([0-9.]*\).*/\1/p' "$work/ll/train.log")
/usr/bin/python3 benchmarks/scripts/sgd_python_reference.py --data-dir "$work/data" --epochs 15 > "$work/sgd.json"
sgd_e2e=$(json "$work/sgd.json" "['end_to_end_s']")
sgd_auc=$(json "$work/sgd.json" "['validation_auc']")
ll_auc=$(printf '%.5f' "$ll_auc")

# ---- LeNet, full MNIST, 1 epoch (full mode only).
lenet_row="| LeNet, MNIST 1 epoch (s per epoch) | skipped in --short mode | | | |"
mnist=${SAGEBOX_MNIST:-$root/../shared/data/mnist}
if [ $mode = full ] && [ -d "$mnist" ]; then
  mkdir -p "$work/lenet/input/config" "$work/lenet/input/data/train" "$work/lenet/input/data/validation"
  cp "$mnist"/train-* "$work/lenet/input/data/train/"
  cp "$mnist"/t10k-* "$work/lenet/input/data/validation/"
  echo '{"algorithm": "lenet", "epochs": "1", "mini_batch_size": "64", "learning_rate": "0.001", "progress_every": "300"}' \
    > "$work/lenet/input/config/hyperparameters.json"
  sagebox_train "$work/lenet" >/dev/null
  ln_epoch=$(sed -n 's/.*epoch 0 done in \([0-9.]*\) s.*/\1/p' "$work/lenet/train.log")
  ln_acc=$(sed -n 's/.*epoch=0, validation accuracy <score>=\([0-9.]*\).*/\1/p' "$work/lenet/train.log")
  /usr/bin/python3 benchmarks/scripts/lenet_pytorch_reference.py --mnist "$mnist" --epochs 1 > "$work/torch.json"
  pt_epoch=$(json "$work/torch.json" "['epochs'][0]['seconds']")
  pt_acc=$(printf '%.4f' "$(json "$work/torch.json" "['test_accuracy']")")
  lenet_row="| LeNet, MNIST 1 epoch (s per epoch) | $ln_epoch | $pt_epoch (PyTorch $threads threads) | $(printf '%.2f' "$(echo "scale=4; $ln_epoch / $pt_epoch" | bc)") | accuracy $ln_acc vs $pt_acc |"
fi
# The ratio compares Sagebox's whole process with Python's timed work (after its imports), the harder comparison
# for Sagebox; the process against process ratio follows in parentheses.
py_pandas_wall=$(cat "$work/xgb_py_pandas.wall"); py_native_wall=$(cat "$work/xgb_py_native.wall")
xgb_rounds=$(sed -n 's/.*trained [0-9]* round(s) in \([0-9.]*\) s.*/\1/p' "$work/xgb/train.log")
train_rows="| XGBoost, 100 rounds, CSV on disk -> saved model (s) | $xgb_wall (process; $xgb_jvm in the JVM; rounds $xgb_rounds, process / rounds $(ratio "$xgb_wall" "$xgb_rounds")) | pandas $py_pandas (process $py_pandas_wall), xgboost loader $py_native (process $py_native_wall) | $(ratio "$xgb_wall" "$py_pandas") of pandas, $(ratio "$xgb_wall" "$py_native") of native (process to process: $(ratio "$xgb_wall" "$py_pandas_wall"), $(ratio "$xgb_wall" "$py_native_wall")) | AUC $xgb_auc vs $py_auc |
| XGBoost parse + matrix, train and validation (s); peak RSS of the whole training | $sb_load; $(cat "$work/xgb/rss") MB | pandas $py_pandas_load, $py_pandas_rss MB; xgboost loader $py_native_load, $py_native_rss MB | $(ratio "$sb_load" "$py_pandas_load") of pandas, $(ratio "$sb_load" "$py_native_load") of native | |
| XGBoost from external memory (data_matrix=external, -Xmx512m), 100 rounds (s) | $ext_wall (process; $ext_jvm in the JVM); $(cat "$work/xgb_ext/rss") MB peak RSS | in memory (row above): $xgb_wall | $(ratio "$ext_wall" "$xgb_wall") of in-memory Sagebox | AUC $ext_auc vs $xgb_auc in memory |
| linear learner vs SGDClassifier, 15 epochs, end to end (s) | $ll_wall (process; $ll_jvm in the JVM) | $sgd_e2e | $(ratio "$ll_wall" "$sgd_e2e") | AUC $ll_auc vs $sgd_auc |
$lenet_row"
fi

# ---- Serving: the breast-cancer XGBoost model, one CSV row per request, wrk on loopback.
cp -r opt-ml-sample/xgboost "$work/serve"
SAGEMAKER_BASE_DIR=$work/serve bin/sagebox train >/dev/null 2>&1
row=$(head -1 opt-ml-sample/xgboost/request.csv)
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$row"
wrk.headers["Content-Type"] = "text/csv"
LUA
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ping() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/ping" >/dev/null && return 0; sleep 0.1; done; return 1; }
sb_port=$(free_port)
SAGEMAKER_BASE_DIR=$work/serve SAGEMAKER_BIND_TO_PORT=$sb_port SAGEBOX_BIND_ADDRESS=127.0.0.1 SAGEBOX_ACCESS_LOG=false \
  bin/sagebox serve >"$work/sagebox-serve.log" 2>&1 &
pids+=($!)
gu_port=$(free_port)
MODEL_PATH=$work/serve/model/xgboost-model OMP_NUM_THREADS=1 gunicorn -w 2 -b "127.0.0.1:$gu_port" \
  --chdir benchmarks/scripts flask_xgb_app:app >"$work/gunicorn.log" 2>&1 &
pids+=($!)
wait_ping "$sb_port"; wait_ping "$gu_port"
bench() { # $1 port, $2 connections[, $3 wrk script[, $4 path]] -> "req/s p50_ms p99_ms"
  local c=$2 t=$(( $2 < 2 ? 1 : 2 ))
  wrk -t$t -c"$c" -d"${duration}s" --latency -s "${3:-$work/post.lua}" "http://127.0.0.1:$1${4:-/invocations}" \
    > "$work/wrk.txt" 2>&1
  if grep -q 'Non-2xx' "$work/wrk.txt"; then
    echo "compare: wrk got error answers from port $1${4:-/invocations}:" >&2; cat "$work/wrk.txt" >&2; return 1
  fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  echo "$rps $(ms "$p50") $(ms "$p99")"
}
ms() { # wrk latency (e.g. 812.00us, 1.20ms, 2.01s) -> milliseconds
  echo "$1" | awk '/us$/ {sub("us",""); printf "%.2f", $1/1000; next} /ms$/ {sub("ms",""); printf "%.2f", $1; next}
                   /s$/ {sub("s",""); printf "%.2f", $1*1000; next} {print "nan"}'
}
# Warm both servers up (JIT, connection pools) before measuring.
wrk -t2 -c8 -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$sb_port/invocations" >/dev/null 2>&1
wrk -t2 -c8 -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$gu_port/invocations" >/dev/null 2>&1
serve_rows=""
declare -A csv_sagebox csv_flask csv_sagebox_rps csv_flask_rps
for c in 1 8 64; do
  read -r s_rps s_p50 s_p99 < <(bench "$sb_port" $c)
  read -r g_rps g_p50 g_p99 < <(bench "$gu_port" $c)
  csv_sagebox[$c]="$s_rps req/s (p50 $s_p50 ms, p99 $s_p99 ms)"; csv_flask[$c]="$g_rps req/s (p50 $g_p50 ms, p99 $g_p99 ms)"
  csv_sagebox_rps[$c]=$s_rps; csv_flask_rps[$c]=$g_rps
  ratio=$(printf '%.2f' "$(echo "scale=4; $s_rps / $g_rps" | bc 2>/dev/null || echo nan)")
  serve_rows+="| serving, 1 CSV row, concurrency $c | $s_rps req/s (p50 $s_p50 ms, p99 $s_p99 ms) | $g_rps req/s (p50 $g_p50 ms, p99 $g_p99 ms) | ${ratio}x throughput | |"$'\n'
done

# ---- The same request through the Open Inference Protocol v2: the CSV row as one [1, 30] FP32 tensor in a JSON
# infer body to the same Sagebox server's /v2/models/model/infer (the single model is named by its folder). Put
# beside Flask's /invocations (Python has no OIP server here) and Sagebox's own /invocations measured above.
oip_path=/v2/models/model/infer
/usr/bin/python3 -c 'import json,sys; v=[float(x) for x in sys.argv[1].split(",")]
print(json.dumps({"inputs": [{"name": "input", "shape": [1, len(v)], "datatype": "FP32", "data": v}]}))' "$row" \
  > "$work/oip_body.json"
cat > "$work/oip.lua" <<LUA
local f = io.open("$work/oip_body.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA
# The OIP answer must be the /invocations answer (same model, same row) before it is worth timing.
csv_answer=$(curl -sf -H 'Content-Type: text/csv' --data-binary "$row" "http://127.0.0.1:$sb_port/invocations")
oip_answer=$(curl -sf -H 'Content-Type: application/json' --data-binary @"$work/oip_body.json" \
  "http://127.0.0.1:$sb_port$oip_path")
/usr/bin/python3 -c 'import json,sys; o=json.loads(sys.argv[1])["outputs"][0]["data"]; c=float(sys.argv[2].split()[0])
assert abs(float(o[0]) - c) <= 1e-6 * max(1.0, abs(c)), (o, c)' "$oip_answer" "$csv_answer" || {
  echo "compare: OIP answer $oip_answer differs from /invocations answer $csv_answer" >&2; exit 1; }
wrk -t2 -c8 -d"${duration}s" -s "$work/oip.lua" "http://127.0.0.1:$sb_port$oip_path" >/dev/null 2>&1
for c in $new_levels; do
  read -r o_rps o_p50 o_p99 < <(bench "$sb_port" $c "$work/oip.lua" "$oip_path")
  serve_rows+="| serving, 1 row as an OIP JSON tensor (POST $oip_path), concurrency $c | $o_rps req/s (p50 $o_p50 ms, p99 $o_p99 ms) | Flask /invocations (CSV): ${csv_flask[$c]} | $(ratio "$o_rps" "${csv_flask_rps[$c]}")x throughput | Sagebox /invocations (CSV): ${csv_sagebox[$c]}; OIP / CSV $(ratio "$o_rps" "${csv_sagebox_rps[$c]}") |"$'\n'
done
kill "${pids[@]}" 2>/dev/null || true
pids=()

# ---- A multi-model endpoint: $mme_models copies of the same XGBoost model folder (m0 .. m99) loaded into one
# Sagebox server (SAGEMAKER_MULTI_MODEL=true, POST /models for each), against one gunicorn/Flask app (same workers
# as above) holding a dict of $mme_models boosters (benchmarks/scripts/flask_mme_app.py). wrk picks a random model
# per request (seeded per thread) and POSTs the CSV row to /models/mN/invoke on both.
mkdir -p "$work/models"
for i in $(seq 0 $((mme_models - 1))); do cp -r "$work/serve/model" "$work/models/m$i"; done
cat > "$work/mme.lua" <<LUA
wrk.method = "POST"
wrk.body = "$row"
wrk.headers["Content-Type"] = "text/csv"
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(42 + id)
end
function request()
  return wrk.format(nil, "/models/m" .. math.random(0, $mme_models - 1) .. "/invoke")
end
LUA
mme_port=$(free_port)
SAGEMAKER_MULTI_MODEL=true SAGEBOX_MODELS_ROOT=$work/models SAGEMAKER_BIND_TO_PORT=$mme_port \
  SAGEBOX_BIND_ADDRESS=127.0.0.1 SAGEBOX_ACCESS_LOG=false bin/sagebox serve >"$work/sagebox-mme.log" 2>&1 &
pids+=($!)
fmme_port=$(free_port)
MODELS_DIR=$work/models OMP_NUM_THREADS=1 gunicorn -w 2 -b "127.0.0.1:$fmme_port" \
  --chdir benchmarks/scripts flask_mme_app:app >"$work/gunicorn-mme.log" 2>&1 &
pids+=($!)
wait_ping "$mme_port"; wait_ping "$fmme_port"
t0=$(date +%s.%N)
for i in $(seq 0 $((mme_models - 1))); do
  curl -sf -H 'Content-Type: application/json' -d "{\"model_name\": \"m$i\", \"url\": \"m$i\"}" \
    "http://127.0.0.1:$mme_port/models" >/dev/null || { echo "compare: loading m$i failed" >&2; cat "$work/sagebox-mme.log" >&2; exit 1; }
done
mme_load_s=$(printf '%.2f' "$(echo "$(date +%s.%N) - $t0" | bc)")
for m in m0 m$((mme_models - 1)); do # every copy answers what the single model answered, on both servers
  for p in "$mme_port" "$fmme_port"; do
    a=$(curl -sf -H 'Content-Type: text/csv' --data-binary "$row" "http://127.0.0.1:$p/models/$m/invoke")
    /usr/bin/python3 -c 'import sys; a, c = float(sys.argv[1].split()[0]), float(sys.argv[2].split()[0])
assert abs(a - c) <= 1e-5, (a, c)' "$a" "$csv_answer" || {
      echo "compare: $m on port $p answered $a, the single model $csv_answer" >&2; exit 1; }
  done
done
wrk -t2 -c8 -d"${duration}s" -s "$work/mme.lua" "http://127.0.0.1:$mme_port/" >/dev/null 2>&1
wrk -t2 -c8 -d"${duration}s" -s "$work/mme.lua" "http://127.0.0.1:$fmme_port/" >/dev/null 2>&1
for c in $new_levels; do
  read -r s_rps s_p50 s_p99 < <(bench "$mme_port" $c "$work/mme.lua" /)
  read -r g_rps g_p50 g_p99 < <(bench "$fmme_port" $c "$work/mme.lua" /)
  serve_rows+="| multi-model endpoint, $mme_models XGBoost models, 1 CSV row to a random /models/mN/invoke, concurrency $c | $s_rps req/s (p50 $s_p50 ms, p99 $s_p99 ms) | $g_rps req/s (p50 $g_p50 ms, p99 $g_p99 ms) | $(ratio "$s_rps" "$g_rps")x throughput | Sagebox loaded the $mme_models models in $mme_load_s s (POST /models, one after another) |"$'\n'
done
kill "${pids[@]}" 2>/dev/null || true
pids=()

# ---- Serving a bring-your-own ONNX model: the test CNN (engine/src/test/resources/onnx/cnn.onnx, exported from
# PyTorch by make_test_models.py) from Sagebox through ONNX Runtime, against the same CNN in PyTorch under
# gunicorn/Flask (same workers as above). One 28x28 image per request as JSON. --short serves the Sagebox side only
# (no python3-torch needed).
if [ "$skip_cnn" != 1 ]; then
onnx_dir=engine/src/test/resources/onnx
mkdir -p "$work/cnn/model"
cp "$onnx_dir/cnn.onnx" "$work/cnn/model/model.onnx"
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"instances": r["inputs"]["image"][:1]}))' \
  "$onnx_dir/cnn.json" > "$work/cnn_body.json"
cat > "$work/cnn.lua" <<LUA
local f = io.open("$work/cnn_body.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA
cnn_port=$(free_port)
SM_MODEL_DIR=$work/cnn/model SAGEMAKER_BIND_TO_PORT=$cnn_port SAGEBOX_BIND_ADDRESS=127.0.0.1 SAGEBOX_ACCESS_LOG=false \
  bin/sagebox serve >"$work/sagebox-cnn.log" 2>&1 &
pids+=($!)
torch_port=""
if [ $mode = full ]; then
  torch_port=$(free_port)
  ONNX_PATH=$root/$onnx_dir/cnn.onnx gunicorn -w 2 -b "127.0.0.1:$torch_port" --chdir benchmarks/scripts \
    flask_torch_cnn_app:app >"$work/gunicorn-cnn.log" 2>&1 &
  pids+=($!)
  wait_ping "$torch_port"
fi
wait_ping "$cnn_port"
curl -sf -H 'Content-Type: application/json' --data-binary @"$work/cnn_body.json" \
  "http://127.0.0.1:$cnn_port/invocations" | grep -q '"predictions"'
wrk -t2 -c8 -d"${duration}s" -s "$work/cnn.lua" "http://127.0.0.1:$cnn_port/invocations" >/dev/null 2>&1
[ -n "$torch_port" ] && wrk -t2 -c8 -d"${duration}s" -s "$work/cnn.lua" "http://127.0.0.1:$torch_port/invocations" >/dev/null 2>&1
for c in 1 8 64; do
  read -r s_rps s_p50 s_p99 < <(bench "$cnn_port" $c "$work/cnn.lua")
  if [ -n "$torch_port" ]; then
    read -r g_rps g_p50 g_p99 < <(bench "$torch_port" $c "$work/cnn.lua")
    ratio=$(printf '%.2f' "$(echo "scale=4; $s_rps / $g_rps" | bc 2>/dev/null || echo nan)")
    serve_rows+="| serving the test CNN (ONNX), 1 image as JSON, concurrency $c | $s_rps req/s (p50 $s_p50 ms, p99 $s_p99 ms) | $g_rps req/s (p50 $g_p50 ms, p99 $g_p99 ms) | ${ratio}x throughput | |"$'\n'
  else
    serve_rows+="| serving the test CNN (ONNX), 1 image as JSON, concurrency $c | $s_rps req/s (p50 $s_p50 ms, p99 $s_p99 ms) | PyTorch side skipped in --short mode | | |"$'\n'
  fi
done
kill "${pids[@]}" 2>/dev/null || true
pids=()
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "# Sagebox beside the Python stack"
  echo
  echo "Measured by \`$([ "$skip_training" = 1 ] && echo 'SKIP_TRAINING=1 ')$([ "$skip_cnn" = 1 ] && echo 'SKIP_CNN=1 ')benchmarks/compare.sh$([ $mode = short ] && echo ' --short')\` on $(date -u +%Y-%m-%d) (UTC), mode **$mode**."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); load average before: $load_before, after: $load_after."
  echo "Versions: $(java -version 2>&1 | head -1); Sagebox $(bin/sagebox --version 2>/dev/null | awk '{print $2}'); Python $(/usr/bin/python3 -c 'import sys, xgboost, sklearn; print(sys.version.split()[0], "xgboost", xgboost.__version__, "scikit-learn", sklearn.__version__)')$( /usr/bin/python3 -c 'import torch; print(", torch", torch.__version__)' 2>/dev/null); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)."
  if [ -n "$train_rows" ]; then
    echo "Threads: $threads for training on both sides. Data: benchmarks/scripts/gen_binary_csv.py --rows $rows (seed 42, 80/20 split)."
    echo "$xgb_runs_line The XGBoost rows give each side's median run."
  else
    echo "Training rows left out (SKIP_TRAINING=1)$([ "$skip_cnn" = 1 ] && echo '; CNN serving rows left out (SKIP_CNN=1)')."
  fi
  echo
  echo "| what | Sagebox | Python stack | Sagebox / Python | quality |"
  echo "|---|---|---|---|---|"
  if [ -n "$train_rows" ]; then echo "$train_rows"; fi
  printf '%s' "$serve_rows"
  echo
  echo "Serving: Sagebox's XGBoost server (Javalin, 1 thread per prediction, access log off) against Flask under gunicorn"
  echo "(2 sync workers, xgboost nthread=1), the same model file (opt-ml-sample/xgboost trained by Sagebox), one CSV row"
  echo "per POST /invocations, \`wrk --latency\` for ${duration} s per level on 127.0.0.1."
  echo "The OIP rows: the same row as a [1, 30] FP32 tensor in an Open Inference Protocol v2 JSON body to the same"
  echo "Sagebox server's POST /v2/models/model/infer, beside Flask's and Sagebox's /invocations (CSV) at the same concurrency"
  echo "from the rows above. The multi-model rows: $mme_models copies of that model folder loaded into one Sagebox server"
  echo "(SAGEMAKER_MULTI_MODEL=true) against benchmarks/scripts/flask_mme_app.py (a dict of $mme_models boosters per"
  echo "worker, gunicorn 2 sync workers, nthread=1); each request goes to a random /models/mN/invoke (wrk Lua, seeded)."
  if [ "$skip_cnn" != 1 ]; then
    echo "The CNN rows: the model folder holds only engine/src/test/resources/onnx/cnn.onnx (bring your own ONNX,"
    echo "ONNX Runtime, 1 intra-op thread) against benchmarks/scripts/flask_torch_cnn_app.py (the same network in"
    echo "PyTorch with the .onnx file's weights, gunicorn 2 sync workers, torch 1 thread each); one 28x28 image per POST."
  fi
  echo
  echo "Reproduce: \`mvn -B package -DskipTests && benchmarks/compare.sh\` (full) or \`benchmarks/compare.sh --short\`."
} > "$results.new"
# The dated sections below the table ("## ..." onwards: probes, quiet-machine runs, demos) are kept as they were.
if [ -f "$results" ]; then
  awk 'keep || /^## / { keep = 1; print }' "$results" > "$results.sections"
  if [ -s "$results.sections" ]; then { echo; cat "$results.sections"; } >> "$results.new"; fi
  rm -f "$results.sections"
fi
mv "$results.new" "$results"
cat "$results"
echo "compare: wrote $results"
