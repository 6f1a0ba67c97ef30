#!/usr/bin/python3
"""Regenerates the survival:aft fixture, golden model and reference values for XGBoostSurvivalTest.

Run from this folder with Debian's python3-xgboost (1.7.4):

    /usr/bin/python3 make_reference.py /work/shared/data/tabular

survival.csv is Sagebox's CSV layout for survival:aft, built from the diabetes training set (the target read as a
time): column 1 the lower bound, column 2 the upper bound (empty or inf: no upper bound), then the 10 features.
Rows are exact, right-censored (empty or 'inf' upper bound), interval-censored or left-censored (lower bound 0)
in turn. A small AFT model is trained on it with the bounds set as XGBoost's label_lower_bound/label_upper_bound,
saved as survival.ubj, and its aft-nloglik and interval-regression-accuracy on the same rows go to reference.json.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb


def main(root):
    data = np.genfromtxt(os.path.join(root, "diabetes", "train", "diabetes.csv"), delimiter=",")
    y, x = data[:, 0], data[:, 1:]
    lines, lower, upper = [], [], []
    for i, (t, row) in enumerate(zip(y, x)):
        kind = i % 8
        if kind in (1, 5):
            lo, up, text = t, np.inf, ""
        elif kind == 3:
            lo, up, text = t * 0.5, np.inf, "inf"
        elif kind in (2, 6):
            lo, up = t * 0.9, t * 1.1
            text = repr(float(np.float32(up)))
        elif kind == 0:
            lo, up = 0.0, t
            text = repr(float(np.float32(up)))
        else:
            lo, up = t, t
            text = repr(float(np.float32(up)))
        lo = float(np.float32(lo))
        up = float(np.float32(up))
        lower.append(lo)
        upper.append(up)
        lines.append(",".join([repr(lo), text] + ["%g" % v for v in row]))
    with open("survival.csv", "w") as f:
        f.write("\n".join(lines) + "\n")
    dtrain = xgb.DMatrix(x)
    dtrain.set_float_info("label_lower_bound", np.array(lower))
    dtrain.set_float_info("label_upper_bound", np.array(upper))
    params = {"objective": "survival:aft", "aft_loss_distribution": "normal", "aft_loss_distribution_scale": 1.2,
              "max_depth": 2, "eta": 0.3, "base_score": 0.5, "seed": 0, "nthread": 1}
    pairs = list(params.items()) + [("eval_metric", "aft-nloglik"), ("eval_metric", "interval-regression-accuracy")]
    history = {}
    booster = xgb.train(pairs, dtrain, num_boost_round=10, evals=[(dtrain, "train")], evals_result=history,
                        verbose_eval=False)
    booster.save_model("survival.ubj")
    values = {"train-" + name: series[-1] for name, series in history["train"].items()}
    predictions = booster.predict(dtrain)
    with open("reference.json", "w") as f:
        json.dump({"model": "survival.ubj", "params": {k: v for k, v in params.items() if k.startswith("aft")},
                   "metrics": values, "first_predictions": [float(p) for p in predictions[:5]]},
                  f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/tabular")
