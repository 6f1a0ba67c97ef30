#!/usr/bin/python3
"""A Python client of a Sagebox endpoint serving the test CNN (engine/src/test/resources/onnx/cnn.onnx).

Usage: byo_onnx_client.py URL CNN_JSON
Sends the recorded inputs as application/x-npy (numpy.save) and as JSON with urllib only, and checks the answers
against the PyTorch outputs recorded in CNN_JSON to 1e-5. Prints "ok" and exits 0, or says what differed and exits 1.
"""
import io
import json
import sys
import urllib.error
import urllib.request

import numpy as np


def post(url, body, content_type, accept, headers=None):
    req = urllib.request.Request(url + "/invocations", data=body, method="POST",
                                 headers={"Content-Type": content_type, "Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def main():
    url, record_path = sys.argv[1], sys.argv[2]
    with open(record_path) as f:
        record = json.load(f)
    image = np.asarray(record["inputs"]["image"], dtype=np.float32)
    expected = np.asarray(record["outputs"]["probabilities"], dtype=np.float32)
    failures = []

    buf = io.BytesIO()
    np.save(buf, image)
    status, ctype, body = post(url, buf.getvalue(), "application/x-npy", "application/x-npy")
    if status != 200 or not ctype.startswith("application/x-npy"):
        failures.append("npy: %s %s %r" % (status, ctype, body[:200]))
    else:
        got = np.load(io.BytesIO(body))
        if got.dtype != np.float32 or got.shape != expected.shape or not np.allclose(got, expected, atol=1e-5):
            failures.append("npy: got %s %s" % (got.dtype, got.shape))

    status, ctype, body = post(url, json.dumps({"instances": image.tolist()}).encode(), "application/json",
                               "application/json")
    if status != 200:
        failures.append("json: %s %r" % (status, body[:200]))
    else:
        got = np.asarray(json.loads(body)["predictions"], dtype=np.float32)
        if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-5):
            failures.append("json: got shape %s" % (got.shape,))

    status, ctype, body = post(url, np.zeros((2, 3), dtype=">f4").tobytes(), "application/x-npy", "application/json")
    if status != 400:
        failures.append("raw bytes without a header: expected 400, got %s" % status)
    buf = io.BytesIO()
    np.save(buf, image.reshape(2, 28, 28, 1))
    status, ctype, body = post(url, buf.getvalue(), "application/x-npy", "application/json")
    detail = json.loads(body).get("detail", "") if status == 400 else ""
    if status != 400 or "input 'image'" not in detail or "[2,28,28,1]" not in detail:
        failures.append("wrong shape: expected a 400 naming the input and shapes, got %s %r" % (status, body[:300]))

    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
