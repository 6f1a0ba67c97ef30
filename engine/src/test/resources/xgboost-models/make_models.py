#!/usr/bin/env python3
"""Writes one small XGBoost model per objective with stock XGBoost (Debian's python3-xgboost), plus expected.json:
the rows to predict and stock XGBoost's predictions of them. XGBoostObjectivesTest serves each model from a bare
folder and compares. Run from this folder: /usr/bin/python3 make_models.py"""
import json
import pickle

import numpy as np
import xgboost as xgb

rng = np.random.default_rng(7)
N, F = 120, 5
X = rng.normal(size=(N, F)).astype(np.float32)
X[rng.random(size=X.shape) < 0.05] = np.nan
signal = np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1])
rows = X[:6].copy()
rows[2, 3] = np.nan


def labels(objective):
    if objective.startswith("binary:"):
        return (signal > 0).astype(np.float32)
    if objective.startswith("multi:"):
        return np.digitize(signal, [-0.5, 0.5]).astype(np.float32)
    if objective == "reg:logistic":
        return 1 / (1 + np.exp(-signal))
    if objective in ("reg:gamma", "reg:tweedie"):
        return np.exp(signal / 2).astype(np.float32)
    if objective == "count:poisson":
        return rng.poisson(np.exp(signal / 2)).astype(np.float32)
    if objective == "reg:squaredlogerror":
        return np.abs(signal).astype(np.float32)
    if objective == "rank:map":
        return (signal > 0).astype(np.float32)
    if objective.startswith("rank:"):
        return np.digitize(signal, [-1, 0, 1]).astype(np.float32)
    if objective == "survival:cox":
        t = np.exp(signal / 2) + 0.1
        return np.where(rng.random(N) < 0.2, -t, t).astype(np.float32)
    return (signal + 0.1 * rng.normal(size=N)).astype(np.float32)


OBJECTIVES = ["binary:logistic", "binary:logitraw", "binary:hinge", "multi:softmax", "multi:softprob",
              "reg:squarederror", "reg:pseudohubererror", "reg:absoluteerror", "reg:logistic", "reg:gamma",
              "reg:tweedie", "reg:squaredlogerror", "count:poisson", "rank:pairwise", "rank:ndcg", "rank:map",
              "survival:cox", "survival:aft"]
expected = {"rows": [[None if np.isnan(v) else float(v) for v in r] for r in rows], "models": []}
for i, objective in enumerate(OBJECTIVES):
    params = {"objective": objective, "max_depth": 2, "eta": 0.5, "seed": 1, "nthread": 1}
    d = xgb.DMatrix(X, missing=np.nan)
    if objective == "survival:aft":
        lower = np.exp(signal / 2).astype(np.float32)
        upper = np.where(rng.random(N) < 0.3, np.inf, lower * 1.2).astype(np.float32)
        d.set_float_info("label_lower_bound", lower)
        d.set_float_info("label_upper_bound", upper)
        params.update({"aft_loss_distribution": "normal", "aft_loss_distribution_scale": 1.0})
    else:
        d.set_label(labels(objective))
    if objective.startswith("multi:"):
        params["num_class"] = 3
    if objective.startswith("rank:"):
        d.set_group([20] * (N // 20))
    booster = xgb.train(params, d, num_boost_round=4)
    ext = ".json" if i % 2 == 0 else ".ubj"
    name = objective.replace(":", "_") + ext
    booster.save_model(name)
    pred = booster.predict(xgb.DMatrix(rows, missing=np.nan))
    expected["models"].append({"file": name, "objective": objective, "features": F,
                               "num_class": 3 if objective.startswith("multi:") else 0,
                               "predictions": np.asarray(pred, dtype=np.float64).reshape(len(rows), -1).tolist()})

# Formats XGBoost 3 cannot read: a legacy binary model (a name without .json/.ubj in XGBoost 1.x) and a pickle.
legacy = xgb.train({"objective": "binary:logistic", "max_depth": 1}, xgb.DMatrix(X, label=labels("binary:")), 1)
legacy.save_model("legacy-binary")
with open("pickled-booster", "wb") as f:
    pickle.dump(legacy, f)
expected["xgboost_version"] = xgb.__version__
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
