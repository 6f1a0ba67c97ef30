"""The Python serving reference: a Flask app answering SageMaker's /ping and /invocations for an XGBoost model, run
under gunicorn as SageMaker's Python containers do (sync workers, one booster per worker, nthread=1).

    MODEL_PATH=/path/xgboost-model gunicorn -w 2 -b 127.0.0.1:PORT --chdir benchmarks/scripts flask_xgb_app:app
"""
import io
import os

import numpy as np
import xgboost as xgb
from flask import Flask, Response, request

booster = xgb.Booster(model_file=os.environ["MODEL_PATH"])
booster.set_param("nthread", 1)
app = Flask(__name__)


@app.route("/ping")
def ping():
    return Response("", status=200)


@app.route("/invocations", methods=["POST"])
def invocations():
    if request.content_type is None or not request.content_type.startswith("text/csv"):
        return Response("unsupported content type", status=415)
    rows = np.loadtxt(io.StringIO(request.get_data(as_text=True)), delimiter=",", ndmin=2, dtype=np.float32)
    preds = booster.predict(xgb.DMatrix(rows))
    return Response("\n".join(str(float(p)) for p in preds) + "\n", mimetype="text/csv")
