#!/usr/bin/env bash
# XGBoost from external memory on data larger than the memory it may use (issue 13, part 2): a generated CSV of
# ROWS rows x 28 features (default 10,000,000: ~2.4 GB), trained with data_matrix=external, the JVM heap capped at
# 512 MB and the whole process in a memory cgroup of LIMIT (default 1 GiB, cgroup v1 or v2; needs root), then the
# same training in memory (data_matrix=float, no caps) for the time and quality beside it. Prints one line per run:
# wall time, peak RSS, validation AUC. Long: minutes on 2 cores; not part of CI (compare.sh has a small row).
#   benchmarks/external_memory_demo.sh [DATA_DIR]    ROWS=10000000 ROUNDS=20 LIMIT=1G
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rows=${ROWS:-10000000}
rounds=${ROUNDS:-20}
limit=${LIMIT:-1G}
data=${1:-/tmp/sagebox-ext-demo-$rows}
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null
[ -f container/target/sagebox-container.jar ] || mvn -B -q package -DskipTests
[ -f "$data/train/data.csv" ] || /usr/bin/python3 benchmarks/scripts/gen_binary_csv.py --rows "$rows" --out-dir "$data"
export OMP_WAIT_POLICY=PASSIVE
work=$(mktemp -d)
group=""
cleanup() { [ -n "$group" ] && rmdir "$group" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

tree() { # $1 dir, $2 data_matrix
  mkdir -p "$1/input/config" "$1/input/data/train" "$1/input/data/validation"
  ln -sf "$data/train/data.csv" "$1/input/data/train/data.csv"
  ln -sf "$data/validation/data.csv" "$1/input/data/validation/data.csv"
  echo "{\"objective\": \"binary:logistic\", \"num_round\": \"$rounds\", \"max_depth\": \"5\", \"eta\": \"0.2\",
    \"eval_metric\": \"auc\", \"tree_method\": \"hist\", \"data_matrix\": \"$2\"}" > "$1/input/config/hyperparameters.json"
}
report() { # $1 label, $2 tree
  printf '%s: %s s wall, peak RSS %d MB, %s, %s\n' "$1" "$(cat "$2/wall")" $(( $(tail -1 "$2/rss.kb") / 1024 )) \
    "$(grep -o 'validation-auc:[0-9.]*' "$2/train.log" | tail -1)" \
    "$(grep -o 'external memory: pages built in [0-9.]* s[^,]*\|DMatrix built in [0-9.]* s' "$2/train.log" | head -1)"
}
run() { # $1 tree, then the command
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$1/rss.kb" "${@:2}" >"$1/train.log" 2>&1 || { tail -20 "$1/train.log"; exit 1; }
  printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)" > "$1/wall"
}

echo "external-memory demo: $rows rows ($(du -sh "$data" | cut -f1) of CSV), $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
tree "$work/ext" external
if [ -d /sys/fs/cgroup/memory ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
  group=/sys/fs/cgroup/memory/sagebox-ext-demo-$$; mkdir "$group"; echo "$limit" > "$group/memory.limit_in_bytes"
  echo 0 > "$group/memory.swappiness" 2>/dev/null || true
else
  group=/sys/fs/cgroup/sagebox-ext-demo-$$; mkdir "$group"; echo "$limit" > "$group/memory.max"
fi
run "$work/ext" sh -c "echo \$\$ > $group/cgroup.procs && exec env SAGEMAKER_BASE_DIR=$work/ext SAGEBOX_THREADS=2 \
  JAVA_OPTS=-Xmx512m bin/sagebox train"
report "external memory (heap 512 MB, process in a $limit memory cgroup)" "$work/ext"
tree "$work/mem" float
run "$work/mem" env SAGEMAKER_BASE_DIR="$work/mem" SAGEBOX_THREADS=2 bin/sagebox train
report "in memory (float DMatrix, default heap, no cgroup)" "$work/mem"
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
