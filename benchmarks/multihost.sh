#!/usr/bin/env bash
# XGBoost on 1, 2 and 4 hosts as trainer processes on this machine (loopback), on the generated 1M x 28 set split
# into equal shards (ShardedByS3Key), validation on every host. Per host count: wall time, time per round, the
# leader's validation AUC, and the bytes the hosts sent each other per round (TCP counters of the trainers'
# sockets, sampled with `ss` while they run). On one machine the cores are shared, so the speed-up is capped by
# them; the bytes per round decide how it scales on real hosts.
#   benchmarks/multihost.sh                 1M rows, 100 rounds, 1 2 4 hosts
#   ROWS=100000 ROUNDS=20 HOSTS="1 2" benchmarks/multihost.sh   (short)
#   DATA=DIR benchmarks/multihost.sh        reuse DIR/train/*.csv and DIR/validation/*.csv
#   ALGO=linear-learner benchmarks/multihost.sh   the linear learner, ROUNDS epochs (default 15)
#   ALGO=lenet benchmarks/multihost.sh      LeNet on MNIST (DATA: the IDX folder, default ../shared/data/mnist;
#                                           train images split by host, t10k on every host), ROUNDS epochs
#                                           (default 2); the "AUC" column is then accuracy
# Needs a built checkout (mvn -B package -DskipTests) and ss (iproute2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rows=${ROWS:-1000000}
algo=${ALGO:-xgboost}
case $algo in
  linear-learner) rounds=${ROUNDS:-15} ;;
  lenet) rounds=${ROUNDS:-2}; DATA=${DATA:-$root/../shared/data/mnist} ;;
  *) rounds=${ROUNDS:-100} ;;
esac
counts=${HOSTS:-1 2 4}
threads=${THREADS_PER_HOST:-1}
[ -f container/target/sagebox-container.jar ] || mvn -B -q package -DskipTests
command -v ss >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q iproute2 >/dev/null
export OMP_WAIT_POLICY=PASSIVE

work=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
data=${DATA:-}
if [ -z "$data" ]; then
  data=$work/data
  /usr/bin/python3 benchmarks/scripts/gen_binary_csv.py --rows "$rows" --out-dir "$data" >/dev/null
fi
if [ "$algo" != lenet ]; then
  train=$(ls "$data"/train/*.csv | head -n 1)
  validation=$(ls "$data"/validation/*.csv | head -n 1)
fi
[ "$algo" = lenet ] && hp="{\"algorithm\": \"lenet\", \"epochs\": \"$rounds\", \"progress_every\": \"1000\"}"
[ "$algo" = linear-learner ] \
  && hp="{\"predictor_type\": \"binary_classifier\", \"epochs\": \"$rounds\", \"num_models\": \"1\", \"early_stopping_patience\": \"100\"}" \
  || [ "$algo" = lenet ] || hp="{\"objective\": \"binary:logistic\", \"num_round\": \"$rounds\", \"max_depth\": \"5\", \"eta\": \"0.2\", \"gamma\": \"4\", \"min_child_weight\": \"6\", \"subsample\": \"0.8\", \"eval_metric\": \"auc\", \"tree_method\": \"hist\"}"
echo "load before: $(cat /proc/loadavg)"
unit=round; [ "$algo" != xgboost ] && unit=epoch
echo "$algo, $rounds ${unit}s"
printf '| hosts | wall (s) | leader: %ss (s) | per %s (ms) | validation AUC | sent between hosts per %s |\n' "$unit" "$unit" "$unit"
printf '|---|---|---|---|---|---|\n'
for n in $counts; do
  hosts=$(seq 1 "$n" | sed 's/^/"algo-/; s/$/"/' | paste -sd, -)
  map=$(seq 1 "$n" | sed 's/^/algo-/; s/$/=127.0.0.1/' | paste -sd, -)
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  for h in $(seq 1 "$n"); do
    t=$work/n$n/algo-$h
    mkdir -p "$t/input/config" "$t/input/data/train" "$t/input/data/validation" "$t/model" "$t/output"
    if [ "$algo" = lenet ]; then
      /usr/bin/python3 benchmarks/scripts/idx_shard.py "$data" "$t/input/data" "$n" "$((h - 1))"
    else
      awk -v n="$n" -v k=$((h - 1)) 'NR % n == k' "$train" >"$t/input/data/train/part.csv"
      ln -s "$validation" "$t/input/data/validation/all.csv"
    fi
    echo "$hp" >"$t/input/config/hyperparameters.json"
    echo '{"train": {"ContentType": "text/csv", "S3DistributionType": "ShardedByS3Key"}, "validation": {"ContentType": "text/csv"}}' \
      >"$t/input/config/inputdataconfig.json"
    echo "{\"current_host\": \"algo-$h\", \"hosts\": [$hosts]}" >"$t/input/config/resourceconfig.json"
  done
  start=$(date +%s.%N)
  pids=""
  for h in $(seq "$n" -1 1); do
    SAGEMAKER_BASE_DIR=$work/n$n/algo-$h SAGEBOX_THREADS=$threads SAGEBOX_HOSTS=$map SAGEBOX_TRACKER_PORT=$port \
      bin/sagebox train >"$work/n$n/algo-$h.log" 2>&1 &
    pids="$pids $!"
  done
  # The trainers' TCP sockets between each other: the largest bytes_sent seen per socket, summed at the end.
  : >"$work/n$n/ss"
  while kill -0 $pids 2>/dev/null; do
    ss -tinpH state established 2>/dev/null | paste - - >>"$work/n$n/ss" || true
    sleep 0.5
  done
  for p in $pids; do wait "$p" || { echo "multihost: a trainer of $n hosts failed:" >&2; tail -n 20 "$work"/n$n/*.log >&2; exit 1; }; done
  end=$(date +%s.%N)
  sent=$(/usr/bin/python3 - "$work/n$n/ss" "$pids" <<'EOF'
import re, sys
pids = set(sys.argv[2].split())
best = {}
for line in open(sys.argv[1]):
    owner = re.search(r'pid=(\d+)', line)
    sent = re.search(r'bytes_sent:(\d+)', line)
    if not owner or not sent or owner.group(1) not in pids:
        continue
    key = line.split()[2] + " " + line.split()[3]  # local and peer address: one socket
    best[key] = max(best.get(key, 0), int(sent.group(1)))
print(sum(best.values()))
EOF
)
  leader=$work/n$n/algo-1.log
  if [ "$algo" = lenet ]; then
    secs=$(grep -o 'epoch [0-9]* done in [0-9.]* s' "$leader" | awk '{s += $5} END {print s}')
    auc=$(sed -n "s/.*epoch=$((rounds - 1)), validation accuracy <score>=\([0-9.]*\).*/\1/p" "$leader" | head -n 1)
  elif [ "$algo" = linear-learner ]; then
    secs=$(grep -o 'trained [0-9]* epoch(s) in [0-9.]* s' "$leader" | awk '{print $5}')
    auc=$(sed -n 's/.*epoch=final, validation roc_auc_score <score>=\([0-9.]*\).*/\1/p' "$leader" | head -n 1)
  else
    secs=$(grep -o 'trained [0-9]* round(s) in [0-9.]* s' "$leader" | awk '{print $5}')
    auc=$(grep -E '^\[[0-9]+\]' "$leader" | tail -n 1 | grep -o 'validation-auc:[0-9.]*' | cut -d: -f2)
  fi
  /usr/bin/python3 - "$n" "$start" "$end" "$secs" "$rounds" "$auc" "$sent" <<'EOF'
import sys
n, start, end, secs, rounds, auc, sent = sys.argv[1:]
per_round = float(secs) / int(rounds) * 1000
sent_round = int(sent) / int(rounds)
vol = "-" if n == "1" else f"{sent_round / 1e6:.2f} MB ({sent_round / 1e3 / int(n):.0f} KB per host)"
print(f"| {n} | {float(end) - float(start):.1f} | {float(secs):.2f} | {per_round:.1f} | {auc} | {vol} |")
EOF
done
echo "load after: $(cat /proc/loadavg)"
[ "$algo" = lenet ] && echo "MNIST from $data" || echo "rows: $rows ($(wc -l <"$train") train), rounds: $rounds, threads per host: $threads, machine: $(nproc) cores"
