#!/usr/bin/env bash
# Rebuilds the sample /opt/ml trees from ../shared/data (the project's data folder beside the checkout).
# The trees are committed, so a fresh clone needs no ../shared; run this only to regenerate them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${SAGEBOX_SHARED_DATA:-$here/../../shared/data}
[ -d "$data/tabular" ] || { echo "no data folder at $data (set SAGEBOX_SHARED_DATA)" >&2; exit 1; }

# XGBoost: the full breast-cancer set (455 train / 114 validation rows, 30 features, label 1 = benign).
x=$here/xgboost
rm -rf "$x/input/data"
mkdir -p "$x/input/config" "$x/input/data/train" "$x/input/data/validation" "$x/model" "$x/output"
cp "$data/tabular/breast_cancer/train/breast_cancer.csv" "$x/input/data/train/"
cp "$data/tabular/breast_cancer/validation/breast_cancer.csv" "$x/input/data/validation/"
cat > "$x/input/config/hyperparameters.json" <<'JSON'
{"objective": "binary:logistic", "num_round": "100", "max_depth": "5", "eta": "0.2", "gamma": "4", "min_child_weight": "6", "subsample": "0.8", "eval_metric": "error,auc", "early_stopping_rounds": "10"}
JSON
cat > "$x/input/config/inputdataconfig.json" <<'JSON'
{"train": {"ContentType": "text/csv", "TrainingInputMode": "File", "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None"}, "validation": {"ContentType": "text/csv", "TrainingInputMode": "File", "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None"}}
JSON
cat > "$x/input/config/resourceconfig.json" <<'JSON'
{"current_host": "algo-1", "hosts": ["algo-1"], "network_interface_name": "eth0", "current_instance_type": "local"}
JSON
# A request body for the quick start: the first five validation rows without their label.
head -n 5 "$data/tabular/breast_cancer/validation/breast_cancer.csv" | cut -d, -f2- > "$x/request.csv"
touch "$x/model/.gitkeep" "$x/output/.gitkeep"
echo "wrote $x"

# Linear learner: the same breast-cancer split as a binary classifier (the classic SageMaker notebook).
l=$here/linear-learner
rm -rf "$l/input/data"
mkdir -p "$l/input/config" "$l/input/data/train" "$l/input/data/validation" "$l/model" "$l/output"
cp "$data/tabular/breast_cancer/train/breast_cancer.csv" "$l/input/data/train/"
cp "$data/tabular/breast_cancer/validation/breast_cancer.csv" "$l/input/data/validation/"
cat > "$l/input/config/hyperparameters.json" <<'JSON'
{"predictor_type": "binary_classifier", "feature_dim": "30", "mini_batch_size": "100", "epochs": "15"}
JSON
cat > "$l/input/config/inputdataconfig.json" <<'JSON'
{"train": {"ContentType": "text/csv", "TrainingInputMode": "File"}, "validation": {"ContentType": "text/csv", "TrainingInputMode": "File"}}
JSON
cp "$x/input/config/resourceconfig.json" "$l/input/config/"
# The request as the notebook sends it: {"instances": [{"features": [...]}, ...]}.
head -n 5 "$data/tabular/breast_cancer/validation/breast_cancer.csv" | cut -d, -f2- \
  | awk 'BEGIN { printf "{\"instances\": [" } { printf "%s{\"features\": [%s]}", (NR > 1 ? ", " : ""), $0 } END { print "]}" }' \
  > "$l/request.json"
touch "$l/model/.gitkeep" "$l/output/.gitkeep"
echo "wrote $l"
