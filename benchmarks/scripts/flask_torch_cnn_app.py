"""The Python serving reference for a bring-your-own CNN: the test CNN of make_test_models.py in PyTorch, behind a
Flask app answering SageMaker's /ping and /invocations, run under gunicorn as SageMaker's PyTorch containers do
(sync workers, one model per worker, one torch thread each).

    ONNX_PATH=engine/src/test/resources/onnx/cnn.onnx gunicorn -w 2 -b 127.0.0.1:PORT \
        --chdir benchmarks/scripts flask_torch_cnn_app:app

The weights are read from the .onnx file's initializers into the same PyTorch module, so both servers run the same
network; at start the app checks its answers against the PyTorch outputs recorded beside the model (cnn.json).
JSON in ({"instances": [[[[...]]]]}, [N,1,28,28]), JSON out ({"predictions": [[...10 probabilities...]]}).
"""
import json
import os

import numpy as np
import onnx
import torch
from flask import Flask, Response, request
from onnx import numpy_helper
from torch import nn

torch.set_num_threads(1)


class Cnn(nn.Module):
    """The CNN of engine/src/test/resources/onnx/make_test_models.py: conv, relu, max-pool, dense, softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.dense = nn.Linear(4 * 13 * 13, 10)

    def forward(self, image):
        x = torch.max_pool2d(torch.relu(self.conv(image)), 2)
        return torch.softmax(self.dense(torch.flatten(x, 1)), dim=1)


def load(onnx_path):
    model = Cnn()
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(onnx_path).graph.initializer}
    model.load_state_dict(weights)
    model.eval()
    record_path = os.path.splitext(onnx_path)[0] + ".json"
    if os.path.exists(record_path):
        with open(record_path) as f:
            record = json.load(f)
        with torch.no_grad():
            got = model(torch.tensor(record["inputs"]["image"], dtype=torch.float32)).numpy()
        if not np.allclose(got, np.asarray(record["outputs"]["probabilities"]), atol=1e-5):
            raise SystemExit("the rebuilt CNN does not match " + record_path)
    return model


model = load(os.environ["ONNX_PATH"])
app = Flask(__name__)


@app.route("/ping")
def ping():
    return Response("", status=200)


@app.route("/invocations", methods=["POST"])
def invocations():
    if request.content_type is None or not request.content_type.startswith("application/json"):
        return Response("unsupported content type", status=415)
    doc = json.loads(request.get_data())
    images = torch.tensor(doc["instances"] if isinstance(doc, dict) else doc, dtype=torch.float32)
    with torch.no_grad():
        out = model(images)
    return Response(json.dumps({"predictions": out.tolist()}), mimetype="application/json")
