#!/usr/bin/python3
"""scikit-learn reference for the linear learner's speed: SGDClassifier (logistic loss) on a binary CSV.

DATA_DIR/train/*.csv and DATA_DIR/validation/*.csv (label first, no header). Times pandas.read_csv, scaling,
SGDClassifier.fit for --epochs passes (tol=None, so exactly that many), and reports validation AUC.
Usage: /usr/bin/python3 benchmarks/scripts/sgd_python_reference.py --data-dir /tmp/bench1m --epochs 15
"""
import argparse
import glob
import json
import os
import time

ap = argparse.ArgumentParser()
ap.add_argument("--data-dir", required=True)
ap.add_argument("--epochs", type=int, default=15)
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

t0 = time.perf_counter()
train = pd.read_csv(glob.glob(f"{args.data_dir}/train/*.csv")[0], header=None)
valid = pd.read_csv(glob.glob(f"{args.data_dir}/validation/*.csv")[0], header=None)
t1 = time.perf_counter()
xt, yt = train.iloc[:, 1:].to_numpy(np.float32), train[0].to_numpy()
xv, yv = valid.iloc[:, 1:].to_numpy(np.float32), valid[0].to_numpy()
scaler = StandardScaler().fit(xt)
xt = np.nan_to_num(scaler.transform(xt))
xv = np.nan_to_num(scaler.transform(xv))
t2 = time.perf_counter()
model = SGDClassifier(loss="log_loss", max_iter=args.epochs, tol=None, random_state=0)
model.fit(xt, yt)
t3 = time.perf_counter()
auc = roc_auc_score(yv, model.decision_function(xv))
print(json.dumps({"read_s": round(t1 - t0, 3), "scale_s": round(t2 - t1, 3), "fit_s": round(t3 - t2, 3),
                  "end_to_end_s": round(t3 - t0, 3), "epochs": args.epochs, "validation_auc": round(auc, 6),
                  "rows": int(len(yt)), "loadavg": os.getloadavg()}))
