"""An Open Inference Protocol v2 client written from the protocol's REST description, with nothing of Sagebox's:
checks the health, metadata and infer routes of a server at argv[1] serving a model named argv[2] whose input is
[N, 4] float (the KServe iris example: two rows). Exits non-zero with a message on any mismatch; prints the
infer response on success."""
import json
import sys
import urllib.error
import urllib.request

base, model = sys.argv[1], sys.argv[2]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def check(cond, what):
    if not cond:
        sys.exit("oip_client: " + what)


status, live = call("GET", "/v2/health/live")
check(status == 200 and live.get("live") is True, "live: %s %s" % (status, live))
status, ready = call("GET", "/v2/health/ready")
check(status == 200, "ready: %s %s" % (status, ready))
status, server = call("GET", "/v2")
check(status == 200 and "name" in server and "version" in server, "server metadata: %s" % server)
status, meta = call("GET", "/v2/models/" + model)
check(status == 200 and meta["name"] == model, "model metadata: %s %s" % (status, meta))
check(len(meta["inputs"]) == 1 and meta["inputs"][0]["datatype"] == "FP32", "inputs: %s" % meta["inputs"])
input_name = meta["inputs"][0]["name"]
status, _ = call("GET", "/v2/models/%s/ready" % model)
check(status == 200, "model ready: %s" % status)

# The iris example of KServe's v2 documentation, nested data.
request = {"id": "42", "inputs": [{"name": input_name, "shape": [2, 4], "datatype": "FP32",
                                   "data": [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6]]}]}
status, answer = call("POST", "/v2/models/%s/infer" % model, request)
check(status == 200, "infer: %s %s" % (status, answer))
check(answer["model_name"] == model and answer["id"] == "42", "infer header: %s" % answer)
out = answer["outputs"][0]
check(out["shape"][0] == 2 and out["datatype"] == "FP32", "output: %s" % out)
size = 1
for d in out["shape"]:
    size *= d
check(len(out["data"]) == size, "output data length %d for shape %s" % (len(out["data"]), out["shape"]))

# Flat data gives the same answer.
request["inputs"][0]["data"] = [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6]
status, flat = call("POST", "/v2/models/%s/infer" % model, request)
check(status == 200 and flat["outputs"][0]["data"] == out["data"], "flat data: %s" % flat)

# Errors come with an "error" message.
status, err = call("POST", "/v2/models/%s/infer" % model,
                   {"inputs": [{"name": input_name, "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3]}]})
check(status == 400 and "error" in err, "bad shape: %s %s" % (status, err))
status, err = call("POST", "/v2/models/no-such-model/infer", request)
check(status == 404 and "error" in err, "unknown model: %s %s" % (status, err))
print(json.dumps(answer))
