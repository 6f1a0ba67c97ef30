#!/usr/bin/python3
"""Regenerates the golden models and scikit-learn reference values for SageMakerMetricsTest.

Run from this folder with Debian's python3-xgboost (1.7.4) and python3-sklearn (1.2.1):

    /usr/bin/python3 make_reference.py /work/shared/data/tabular

For each case it trains a deliberately weak model (few shallow rounds, so that the confusion matrices are not
trivial) on the shared tabular set, saves it as <case>.ubj, and writes reference.json with the value of every
SageMaker metric on the train and validation files, computed the way SageMaker's XGBoost container does it:
classes from the margins (margin > 0, or the argmax for multi-class), then scikit-learn's accuracy_score,
balanced_accuracy_score, f1_score, precision_score and recall_score with the built-in's `average` arguments.
mse and r2 use the predictions (XGBoost's predict()), which equal the margins for reg:squarederror.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb
from sklearn import metrics as skm

CLASS_METRICS = {
    "accuracy": skm.accuracy_score,
    "balanced_accuracy": skm.balanced_accuracy_score,
    "f1": lambda y, p: skm.f1_score(y, p, average="macro"),
    "f1_macro": lambda y, p: skm.f1_score(y, p, average="macro"),
    "precision_macro": lambda y, p: skm.precision_score(y, p, average="macro"),
    "precision_micro": lambda y, p: skm.precision_score(y, p, average="micro"),
    "recall_macro": lambda y, p: skm.recall_score(y, p, average="macro"),
    "recall_micro": lambda y, p: skm.recall_score(y, p, average="micro"),
}
BINARY_METRICS = {
    "f1_binary": lambda y, p: skm.f1_score(y, p, average="binary"),
    "precision": skm.precision_score,
    "recall": skm.recall_score,
}
VALUE_METRICS = {"mse": skm.mean_squared_error, "r2": skm.r2_score}

CASES = [
    ("breast_cancer_logistic", "breast_cancer", {"objective": "binary:logistic"}, 3),
    ("breast_cancer_hinge", "breast_cancer", {"objective": "binary:hinge"}, 2),
    ("iris_softmax", "iris", {"objective": "multi:softmax", "num_class": 3}, 2),
    ("digits_softprob", "digits", {"objective": "multi:softprob", "num_class": 10}, 2),
    ("diabetes_squarederror", "diabetes", {"objective": "reg:squarederror"}, 5),
    ("diabetes_poisson", "diabetes", {"objective": "count:poisson"}, 5),
]


def load(path):
    data = np.genfromtxt(path, delimiter=",", dtype=np.float64)
    return data[:, 1:], data[:, 0]


def main(root):
    out = {}
    for case, dataset, extra, rounds in CASES:
        params = {"max_depth": 1, "eta": 0.1, "base_score": 0.5, "seed": 0, "nthread": 1}
        params.update(extra)
        sets = {}
        for name in ("train", "validation"):
            x, y = load(os.path.join(root, dataset, name, dataset + ".csv"))
            sets[name] = (xgb.DMatrix(x, label=y), y)
        booster = xgb.train(params, sets["train"][0], num_boost_round=rounds)
        booster.save_model(case + ".ubj")
        objective = params["objective"]
        values = {}
        for name, (dmat, y) in sets.items():
            margins = booster.predict(dmat, output_margin=True)
            classes = np.argmax(margins, axis=-1) if margins.ndim > 1 else (margins > 0.0).astype(int)
            preds = booster.predict(dmat)
            result = {}
            if objective.startswith(("binary:", "multi:")):
                for metric, fn in CLASS_METRICS.items():
                    result[metric] = float(fn(y, classes))
            if objective.startswith("binary:"):
                for metric, fn in BINARY_METRICS.items():
                    result[metric] = float(fn(y, classes))
            if not objective.startswith("multi:"):
                for metric, fn in VALUE_METRICS.items():
                    result[metric] = float(fn(y, preds))
            result["_predicted_classes"] = int(len(np.unique(classes)))
            values[name] = result
        out[case] = {"dataset": dataset, "objective": objective, "num_class": params.get("num_class"),
                     "model": case + ".ubj", "metrics": values}
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/tabular")
