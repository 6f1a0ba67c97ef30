#!/usr/bin/python3
"""Python XGBoost's rounds with and without per-round train+validation AUC (reference for EvalCostProbe).

Usage: xgb_python_eval_cost.py DATA_DIR [THREADS] [ROUNDS]
DATA_DIR/train/data.csv and DATA_DIR/validation/data.csv (label first, no header), loaded with XGBoost's own CSV
reader; the compare.sh hyperparameters. Trains ROUNDS rounds twice per repetition, alternating: with evals on
train and validation (as the built-in and Sagebox do) and without; prints wall seconds and the load average.
"""
import os
import sys
import time

THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 100
os.environ['OMP_NUM_THREADS'] = str(THREADS)
import xgboost as xgb  # noqa: E402

PARAMS = {'objective': 'binary:logistic', 'max_depth': 5, 'eta': 0.2, 'gamma': 4, 'min_child_weight': 6,
          'subsample': 0.8, 'tree_method': 'hist', 'eval_metric': 'auc', 'nthread': THREADS, 'seed': 0,
          'base_score': 0.5}


def load():
    return open('/proc/loadavg').read().split()[:3]


d = sys.argv[1]
dtrain = xgb.DMatrix(os.path.join(d, 'train/data.csv') + '?format=csv&label_column=0')
dvalid = xgb.DMatrix(os.path.join(d, 'validation/data.csv') + '?format=csv&label_column=0')
for rep in range(2):
    for evals in (True, False):
        before = load()
        t0 = time.perf_counter()
        log = {}
        xgb.train(PARAMS, dtrain, ROUNDS, evals=[(dtrain, 'train'), (dvalid, 'validation')] if evals else [],
                  evals_result=log, verbose_eval=False)
        wall = time.perf_counter() - t0
        auc = log['validation']['auc'][-1] if evals else None
        print(f'xgboost {xgb.__version__} {ROUNDS} rounds, evals={evals}: {wall:.2f} s'
              + (f', last validation AUC {auc:.5f}' if auc else '') + f'; load {before} -> {load()}', flush=True)
