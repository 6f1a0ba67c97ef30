"""The Python side of compare.sh's multi-model row: one Flask app holding many XGBoost models in a dict, the way a
hand-written multi-model server would, under gunicorn (sync workers; every worker loads every model, nthread=1).

MODELS_DIR holds one folder per model, each with an `xgboost-model` file; the folder name is the model's name:

    MODELS_DIR=/path/models gunicorn -w 2 -b 127.0.0.1:PORT --chdir benchmarks/scripts flask_mme_app:app

Routes: GET /ping (200 once all models are loaded), GET /models (the names, JSON), and
POST /models/<name>/invoke with CSV rows (text/csv) in and one prediction per line out; 404 for an unknown name.
"""
import io
import json
import os

import numpy as np
import xgboost as xgb
from flask import Flask, Response, request


def load_models(root):
    boosters = {}
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "xgboost-model")
        if os.path.isfile(path):
            booster = xgb.Booster(model_file=path)
            booster.set_param("nthread", 1)
            boosters[name] = booster
    if not boosters:
        raise SystemExit(f"no <name>/xgboost-model under {root}")
    return boosters


models = load_models(os.environ["MODELS_DIR"])
app = Flask(__name__)


@app.route("/ping")
def ping():
    return Response("", status=200)


@app.route("/models")
def names():
    return Response(json.dumps({"models": sorted(models)}), mimetype="application/json")


@app.route("/models/<name>/invoke", methods=["POST"])
def invoke(name):
    booster = models.get(name)
    if booster is None:
        return Response(f"model {name} is not loaded\n", status=404)
    if request.content_type is None or not request.content_type.startswith("text/csv"):
        return Response("unsupported content type", status=415)
    rows = np.loadtxt(io.StringIO(request.get_data(as_text=True)), delimiter=",", ndmin=2, dtype=np.float32)
    preds = booster.predict(xgb.DMatrix(rows))
    return Response("\n".join(str(float(p)) for p in preds) + "\n", mimetype="text/csv")
