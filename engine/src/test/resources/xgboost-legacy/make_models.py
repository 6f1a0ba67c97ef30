#!/usr/bin/env python3
"""Fixtures for LegacyBinaryModelTest: small models in XGBoost's legacy binary format, as SageMaker's XGBoost 1.x
containers save them (Booster.save_model to a name without .json/.ubj), and what stock XGBoost predicts from them.

Run from this folder with Debian's python3-xgboost 1.7.4 (apt-get install python3-xgboost; not from PyPI):
    /usr/bin/python3 make_models.py

For each model it writes
  <name>             the legacy binary file ("binf" header, written by XGBoost 1.7.4's save_model);
  <name>.ref.json    what XGBoost 1.7.4 writes in JSON after loading <name> (Booster(model_file=<name>).save_model),
                     the reference the converter's JSON is compared with;
and expected.json: the rows to predict (with NaN) and XGBoost 1.7.4's predictions of them from the binary file.

Three files are derived by hand from 1.7.4 binaries, to cover layouts that only older XGBoost wrote (no older
XGBoost is installable here): pre1_* have the pre-1.0 layout (no "binf" header, version 0.0, base_score saved as a
margin, no "objective" attribute; count:poisson's max_delta_step as the count_poisson_max_delta_step attribute and a
trailing string), and v13_multi_softprob has the 1.0-1.5 layout (version 1.3, num_target and boost_from_average not
yet in the header). Their expected predictions are again 1.7.4's, loading the derived file.
"""
import json
import math
import os
import struct

import numpy as np
import xgboost as xgb

N, F = 100, 5
rng = np.random.default_rng(20240611)
X = rng.normal(size=(N, F)).astype(np.float32)
X[rng.random(size=X.shape) < 0.05] = np.nan
signal = np.nan_to_num(X[:, 0]) - 0.7 * np.nan_to_num(X[:, 1]) + 0.3 * np.nan_to_num(X[:, 2])
noise = rng.normal(size=N).astype(np.float32)
ROWS = X[:6].copy()
ROWS[1, 0] = np.nan
ROWS[4, :] = np.nan


def labels(objective):
    if objective.startswith("binary:") or objective == "reg:logistic":
        return (signal + 0.5 * noise > 0).astype(np.float32)
    if objective.startswith("multi:"):
        return np.digitize(signal, [-0.5, 0.5]).astype(np.float32)
    if objective in ("reg:gamma", "reg:tweedie"):
        return np.exp(signal / 2 + 0.1 * noise).astype(np.float32)
    if objective == "count:poisson":
        return rng.poisson(np.exp(signal / 2)).astype(np.float32)
    if objective == "reg:squaredlogerror":
        return np.abs(signal + 0.1 * noise).astype(np.float32)
    if objective.startswith("rank:"):
        return np.digitize(signal + 0.3 * noise, [-1, 0, 1]).astype(np.float32)
    if objective == "survival:cox":
        t = np.exp(-signal / 2) + 0.1
        return np.where(rng.random(N) < 0.2, -t, t).astype(np.float32)
    return (signal + 0.3 * noise).astype(np.float32)


def dmatrix(objective):
    d = xgb.DMatrix(X, missing=np.nan)
    if objective == "survival:aft":
        lower = np.exp(signal / 2).astype(np.float32)
        upper = np.where(rng.random(N) < 0.3, np.inf, lower * 1.3).astype(np.float32)
        d.set_float_info("label_lower_bound", lower)
        d.set_float_info("label_upper_bound", upper)
    else:
        d.set_label(labels(objective))
    if objective.startswith("rank:"):
        d.set_group([20] * (N // 20))
    return d


# Objective parameters away from their defaults, to see them carried over (and two deeper models).
OBJECTIVE_PARAMS = {
    "reg:squarederror": {"max_depth": 3},
    "survival:cox": {"max_depth": 3},
    "multi:softmax": {"num_class": 3},
    "multi:softprob": {"num_class": 3},
    "reg:tweedie": {"tweedie_variance_power": 1.3},
    "reg:pseudohubererror": {"huber_slope": 1.5},
    "count:poisson": {"max_delta_step": 0.9},
    "survival:aft": {"aft_loss_distribution": "logistic", "aft_loss_distribution_scale": 1.2},
    "binary:logistic": {"scale_pos_weight": 2.0},
}
OBJECTIVES = ["binary:logistic", "binary:logitraw", "binary:hinge", "multi:softmax", "multi:softprob",
              "reg:squarederror", "reg:logistic", "reg:gamma", "reg:tweedie", "reg:pseudohubererror",
              "reg:squaredlogerror", "reg:absoluteerror", "count:poisson", "rank:pairwise", "rank:ndcg", "rank:map",
              "survival:cox", "survival:aft"]

expected = {"xgboost_version": xgb.__version__, "features": F,
            "rows": [[None if np.isnan(v) else float(v) for v in r] for r in ROWS], "models": []}


def record(name, trained, objective, **extra):
    """Saves nothing: reads <name> back with 1.7.4, writes its reference JSON and the expected predictions."""
    loaded = xgb.Booster(model_file=name)
    loaded.save_model(name + ".ref.json")
    pred = loaded.predict(xgb.DMatrix(ROWS, missing=np.nan))
    if trained is not None:
        assert np.array_equal(pred, trained.predict(xgb.DMatrix(ROWS, missing=np.nan))), name
    entry = {"file": name, "objective": objective,
             "predictions": np.asarray(pred, dtype=np.float64).reshape(len(ROWS), -1).tolist()}
    entry.update(extra)
    expected["models"].append(entry)
    return loaded


def train(name, params, rounds=4, **kw):
    objective = params["objective"]
    booster = xgb.train({"max_depth": 2, "eta": 0.4, "seed": 1, "nthread": 1, **params}, dmatrix(objective), rounds,
                        **kw)
    booster.save_model(name)
    with open(name, "rb") as f:
        assert f.read(4) == b"binf", name
    return booster


for objective in OBJECTIVES:
    name = objective.replace(":", "_")
    b = train(name, {"objective": objective, **OBJECTIVE_PARAMS.get(objective, {})})
    record(name, b, objective)

b = train("dart_binary_logistic", {"booster": "dart", "objective": "binary:logistic", "rate_drop": 0.4,
                                   "skip_drop": 0.0, "max_depth": 2})
record("dart_binary_logistic", b, "binary:logistic", booster="dart")

b = train("gblinear_reg_squarederror", {"booster": "gblinear", "objective": "reg:squarederror", "lambda": 0.1}, 6)
record("gblinear_reg_squarederror", b, "reg:squarederror", booster="gblinear")

b = train("forest_binary_logistic", {"objective": "binary:logistic", "num_parallel_tree": 3, "subsample": 0.7,
                                     "colsample_bynode": 0.8, "max_depth": 2}, 3)
loaded = record("forest_binary_logistic", b, "binary:logistic", num_parallel_tree=3)
expected["models"][-1]["iteration_range"] = [0, 1]
expected["models"][-1]["predictions_in_range"] = np.asarray(
    loaded.predict(xgb.DMatrix(ROWS, missing=np.nan), iteration_range=(0, 1)), dtype=np.float64).reshape(
    len(ROWS), -1).tolist()

b = train("base_score_binary_logistic", {"objective": "binary:logistic", "base_score": 0.3, "max_depth": 2}, 4)
record("base_score_binary_logistic", b, "binary:logistic", base_score=0.3)

# The exact tree method prunes with gamma after growing: the trees keep deleted nodes (num_deleted > 0).
b = train("pruned_reg_squarederror", {"objective": "reg:squarederror", "tree_method": "exact", "gamma": 3.0,
                                      "max_depth": 4})
record("pruned_reg_squarederror", b, "reg:squarederror", deleted_nodes=True)

# Early stopping on a validation set the noisy training labels do not fit: best_iteration < the last round.
split = 70
y = (signal + 2.0 * noise > 0).astype(np.float32)
dtrain = xgb.DMatrix(X[:split], label=y[:split], missing=np.nan)
dvalid = xgb.DMatrix(X[split:], label=y[split:], missing=np.nan)
b = xgb.train({"objective": "binary:logistic", "max_depth": 3, "eta": 0.8, "seed": 1, "nthread": 1,
               "eval_metric": "logloss"}, dtrain, 30, evals=[(dvalid, "validation")], early_stopping_rounds=3,
              verbose_eval=False)
assert b.best_iteration + 1 < b.num_boosted_rounds(), (b.best_iteration, b.num_boosted_rounds())
b.save_model("early_stopping_binary_logistic")
loaded = record("early_stopping_binary_logistic", b, "binary:logistic", best_iteration=b.best_iteration)
entry = expected["models"][-1]
entry["iteration_range"] = [0, b.best_iteration + 1]
entry["predictions_in_range"] = np.asarray(
    loaded.predict(xgb.DMatrix(ROWS, missing=np.nan), iteration_range=(0, b.best_iteration + 1)),
    dtype=np.float64).reshape(len(ROWS), -1).tolist()
entry["attributes"] = {k: loaded.attr(k) for k in loaded.attributes()}


# ---- Layouts of older XGBoost, derived from 1.7.4 binaries ----

def read_binf(path):
    """The sections of a 1.7 gbtree binary: header fields, objective, booster, gbtree bytes, attributes."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:4] == b"binf"
    off = 4 + 136

    def string(o):
        n = struct.unpack_from("<Q", b, o)[0]
        return b[o + 8:o + 8 + n].decode(), o + 8 + n

    objective, off = string(off)
    booster, off = string(off)
    assert booster == "gbtree"
    start = off
    num_trees = struct.unpack_from("<i", b, off)[0]
    off += 160
    for _ in range(num_trees):
        off += 148 + 36 * struct.unpack_from("<i", b, off + 4)[0]
    off += 4 * num_trees
    gbm = b[start:off]
    n = struct.unpack_from("<Q", b, off)[0]
    off += 8
    attrs = []
    for _ in range(n):
        k, off = string(off)
        v, off = string(off)
        attrs.append((k, v))
    assert off == len(b)
    return list(struct.unpack_from("<f6I", b, 4)), objective, gbm, attrs


def string_bytes(s):
    s = s.encode()
    return struct.pack("<Q", len(s)) + s


def write_old(path, header, fields, objective, gbm, attrs, trailer=b""):
    mparam = struct.pack("<f6I", *fields) + bytes(136 - 28)
    out = header + mparam + string_bytes(objective) + string_bytes("gbtree") + gbm
    if attrs is not None:
        out += struct.pack("<Q", len(attrs)) + b"".join(string_bytes(k) + string_bytes(v) for k, v in attrs)
    with open(path, "wb") as f:
        f.write(out + trailer)


# Pre-1.0: no header, version 0.0, base_score saved as the margin, no attributes at all.
train("tmp_pre1", {"objective": "binary:logistic", "base_score": 0.3, "max_depth": 2}, 3)
fields, objective, gbm, attrs = read_binf("tmp_pre1")
fields = [math.log(0.3 / 0.7), fields[1], fields[2], 0, 0, 0, 0]
write_old("pre1_binary_logistic", b"", fields, objective, gbm, None)
record("pre1_binary_logistic", None, objective, layout="pre-1.0")

# Pre-1.0 count:poisson: margin base_score log(0.5), max_delta_step as an attribute and again after the attributes,
# a SAVED_PARAM_ attribute (which 0.8x wrote with rabit_bootstrap_cache), best_iteration.
train("tmp_pre1", {"objective": "count:poisson", "max_delta_step": 0.9, "max_depth": 2}, 3)
fields, objective, gbm, attrs = read_binf("tmp_pre1")
fields = [math.log(0.5), fields[1], fields[2], 1, 0, 0, 0]
attrs = [("SAVED_PARAM_tree_method", "exact"), ("best_iteration", "2"), ("count_poisson_max_delta_step", "0.9")]
write_old("pre1_count_poisson", b"", fields, objective, gbm, attrs, string_bytes("0.9"))
record("pre1_count_poisson", None, objective, layout="pre-1.0")

# 1.0-1.5: "binf", version 1.3, the reserved words where 1.6+ keep num_target and boost_from_average are 0.
train("tmp_v13", {"objective": "multi:softprob", "num_class": 3, "max_depth": 2}, 3)
fields, objective, gbm, attrs = read_binf("tmp_v13")
fields[5:7] = [1, 3]
write_old("v13_multi_softprob", b"binf", fields, objective, gbm, attrs)
record("v13_multi_softprob", None, objective, layout="1.0-1.5")

for tmp in ("tmp_pre1", "tmp_v13"):
    os.remove(tmp)
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
