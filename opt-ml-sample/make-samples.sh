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

# LeNet: a real MNIST cut in the original IDX format (gzipped): the first 1,000 training images for `train`,
# the first 200 test images for `validation`, and two request bodies (a PNG digit and a JSON instance).
n=$here/lenet
rm -rf "$n/input/data"
mkdir -p "$n/input/config" "$n/input/data/train" "$n/input/data/validation" "$n/model" "$n/output"
python3 - "$data/mnist" "$n" <<'PY'
import gzip, json, struct, sys, zlib
src, out = sys.argv[1], sys.argv[2]
def cut(name, count, dest):
    with gzip.open(f"{src}/{name}", "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        per = 1
        for d in dims[1:]:
            per *= d
        body = f.read(count * per)
    dims[0] = count
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)
    with gzip.GzipFile(dest, "wb", mtime=0) as g:
        g.write(header + body)
    return body
cut("train-images-idx3-ubyte.gz", 1000, f"{out}/input/data/train/train-images-idx3-ubyte.gz")
cut("train-labels-idx1-ubyte.gz", 1000, f"{out}/input/data/train/train-labels-idx1-ubyte.gz")
images = cut("t10k-images-idx3-ubyte.gz", 200, f"{out}/input/data/validation/t10k-images-idx3-ubyte.gz")
cut("t10k-labels-idx1-ubyte.gz", 200, f"{out}/input/data/validation/t10k-labels-idx1-ubyte.gz")
first = images[:784]  # a 7
def chunk(kind, payload):
    c = kind + payload
    return struct.pack(">I", len(payload)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
raw = b"".join(b"\x00" + first[r * 28:(r + 1) * 28] for r in range(28))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(f"{out}/request.png", "wb").write(png)
json.dump({"instances": [[list(first[r * 28:(r + 1) * 28]) for r in range(28)]]}, open(f"{out}/request.json", "w"))
PY
cat > "$n/input/config/hyperparameters.json" <<'JSON'
{"algorithm": "lenet", "epochs": "3", "mini_batch_size": "64", "learning_rate": "0.001", "optimizer": "adam"}
JSON
cp "$x/input/config/resourceconfig.json" "$n/input/config/"
echo '{"train": {"TrainingInputMode": "File"}, "validation": {"TrainingInputMode": "File"}}' > "$n/input/config/inputdataconfig.json"
touch "$n/model/.gitkeep" "$n/output/.gitkeep"
echo "wrote $n"
