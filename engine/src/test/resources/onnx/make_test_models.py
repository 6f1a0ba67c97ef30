#!/usr/bin/python3
"""Builds the small ONNX models the bring-your-own-ONNX tests serve, with a fixed seed.

Run from anywhere with Debian's python3-torch and python3-onnx:
    /usr/bin/python3 engine/src/test/resources/onnx/make_test_models.py
Writes, next to this script, for each model NAME: NAME.onnx and NAME.json, the latter holding
{"inputs": {input: nested list}, "outputs": {output: nested list}}: the inputs the model was run on in
PyTorch and the outputs PyTorch gave. Inputs are rounded to 3 decimals first so that their JSON text is exact.
Also writes cnn_input.npy (the CNN's inputs, float32) for the NPY tests.
"""
import json
import os

import numpy as np
import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13


class Mlp(nn.Module):
    """[N,4] float -> [N,3] scores."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))

    def forward(self, features):
        return self.net(features)


class Cnn(nn.Module):
    """[N,1,28,28] float -> [N,10] probabilities: conv, relu, max-pool, dense, softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.dense = nn.Linear(4 * 13 * 13, 10)

    def forward(self, image):
        x = torch.max_pool2d(torch.relu(self.conv(image)), 2)
        return torch.softmax(self.dense(torch.flatten(x, 1)), dim=1)


class RgbCnn(nn.Module):
    """[N,3,H,W] float, H and W dynamic -> [N,2]: conv, relu, global average pool, dense."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.dense = nn.Linear(4, 2)

    def forward(self, image):
        x = torch.relu(self.conv(image)).mean(dim=(2, 3))
        return self.dense(x)


class FixedBatch(nn.Module):
    """[1,4] float -> [1,2]: a model exported without a dynamic batch axis."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(4, 2)

    def forward(self, x):
        return self.dense(x)


class TwoInputs(nn.Module):
    """a [N,3] float and b [N,2] int64 -> total [N,1] float and doubled [N,3] float."""

    def forward(self, a, b):
        total = a.sum(dim=1, keepdim=True) + b.to(torch.float32).sum(dim=1, keepdim=True)
        return total, a * 2


class Doubles(nn.Module):
    """x [N,2] float64 -> y [N,2] float64 (x * 3 + 0.5)."""

    def forward(self, x):
        return x * 3 + 0.5


def rounded(shape, generator, dtype=np.float32):
    return np.round(torch.rand(*shape, generator=generator).numpy().astype(np.float64), 3).astype(dtype)


def export(name, model, inputs, input_names, output_names, dynamic, recorded=None):
    """Exports with `inputs`; records PyTorch's outputs for `recorded` (default: the same inputs)."""
    model.eval()
    path = os.path.join(HERE, name + ".onnx")
    tensors = tuple(torch.from_numpy(x) for x in inputs)
    inputs = recorded or inputs
    with torch.no_grad():
        torch.onnx.export(model, tensors, path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
        outputs = model(*(torch.from_numpy(x) for x in inputs))
    if not isinstance(outputs, tuple):
        outputs = (outputs,)
    onnx.checker.check_model(onnx.load(path))
    record = {"inputs": {n: x.tolist() for n, x in zip(input_names, inputs)},
              "outputs": {n: y.numpy().tolist() for n, y in zip(output_names, outputs)}}
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")


def main():
    torch.manual_seed(11)
    g = torch.Generator().manual_seed(11)
    batch = {0: "batch"}
    export("mlp", Mlp(), [rounded((3, 4), g)], ["features"], ["scores"],
           {"features": batch, "scores": batch})
    cnn_input = rounded((2, 1, 28, 28), g)
    export("cnn", Cnn(), [cnn_input], ["image"], ["probabilities"], {"image": batch, "probabilities": batch})
    np.save(os.path.join(HERE, "cnn_input.npy"), cnn_input)
    export("rgb_cnn", RgbCnn(), [rounded((1, 3, 5, 6), g)], ["image"], ["scores"],
           {"image": {0: "batch", 2: "height", 3: "width"}, "scores": batch})
    # Exported for one row; the three recorded rows are what the server must answer row by row.
    export("fixed_batch", FixedBatch(), [rounded((1, 4), g)], ["x"], ["y"], None, [rounded((3, 4), g)])
    b = np.array([[1, 2], [3, -4]], dtype=np.int64)
    export("two_inputs", TwoInputs(), [rounded((2, 3), g), b], ["a", "b"], ["total", "doubled"],
           {"a": batch, "b": batch, "total": batch, "doubled": batch})
    export("doubles", Doubles(), [rounded((2, 2), g, np.float64)], ["x"], ["y"], {"x": batch, "y": batch})


if __name__ == "__main__":
    main()
