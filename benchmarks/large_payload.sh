#!/usr/bin/env bash
# Peak memory of one large batch-transform request: a CSV body of about SIZE_MB (default 100) with the sample
# XGBoost model's 30 features, POSTed once to /invocations with SAGEMAKER_MAX_PAYLOAD_IN_MB=100.
# Prints the body size, the decoded floats (rows x features x 4 bytes), the server's RSS before the request and
# its peak (VmHWM) after, and the rise against "body + floats". Exit status 1 when the answer is not 200 with one
# prediction per row.
#   benchmarks/large_payload.sh            100 MB
#   SIZE_MB=20 benchmarks/large_payload.sh (CI)
# Needs a built checkout (mvn -B package -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
size_mb=${SIZE_MB:-100}
[ -f container/target/sagebox-container.jar ] || mvn -B -q package -DskipTests
export OMP_WAIT_POLICY=PASSIVE

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "${KEEP_LOG:-}" ] && cp "$work/serve.log" "$KEEP_LOG"; rm -rf "$work"; }
trap cleanup EXIT
cp -r opt-ml-sample/xgboost "$work/ml"
SAGEMAKER_BASE_DIR="$work/ml" bin/sagebox train >"$work/train.log" 2>&1 \
  || { echo "large_payload: training the sample failed; its log:" >&2; tail -n 40 "$work/train.log" >&2; exit 1; }

# The body: the sample's request rows repeated, each value jittered so that the parser sees varied numbers.
/usr/bin/python3 - "$work/body.csv" "$size_mb" opt-ml-sample/xgboost/request.csv <<'EOF'
import random, sys
out, size_mb, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [[float(v) for v in line.split(",")] for line in open(sample) if line.strip()]
rng = random.Random(7)
target = size_mb * 1_000_000
written = 0
with open(out, "w") as f:
    while written < target:
        row = rows[rng.randrange(len(rows))]
        line = ",".join(repr(round(v * (1 + rng.uniform(-0.05, 0.05)), 6)) for v in row) + "\n"
        f.write(line)
        written += len(line)
EOF
body_bytes=$(stat -c %s "$work/body.csv")
rows=$(wc -l <"$work/body.csv")
features=$(head -n 1 "$work/body.csv" | awk -F, '{print NF}')

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SAGEMAKER_BASE_DIR="$work/ml" SAGEMAKER_BIND_TO_PORT=$port SAGEBOX_BIND_ADDRESS=127.0.0.1 \
  SAGEMAKER_MAX_PAYLOAD_IN_MB=100 SAGEBOX_ACCESS_LOG=false bin/sagebox serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  kill -0 "$server" 2>/dev/null || break
  [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/ping" || true)" = 200 ] && break
  sleep 0.2
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/ping" || true)" = 200 ] \
  || { echo "large_payload: the server did not answer /ping with 200; its log:" >&2; tail -n 40 "$work/serve.log" >&2; exit 1; }
# The launcher execs java, so $server is the JVM. Warm up with a small request, then read the RSS.
head -n 100 "$work/body.csv" | curl -s -o /dev/null -H 'Content-Type: text/csv' --data-binary @- "127.0.0.1:$port/invocations"
sleep 1
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server/status"; }
# VmHWM is the peak since start; reset it (Linux >= 4.0) so the peak is this request's.
echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true
before=$(kb VmRSS)
start=$(date +%s.%N)
status=$(curl -s -o "$work/answer" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$work/body.csv" "127.0.0.1:$port/invocations")
end=$(date +%s.%N)
peak=$(kb VmHWM)
answered=$(wc -l <"$work/answer")
/usr/bin/python3 - "$body_bytes" "$rows" "$features" "$before" "$peak" "$start" "$end" "$status" "$answered" <<'EOF'
import sys
body, rows, features, before, peak, start, end, status, answered = sys.argv[1:]
body, rows, features, before, peak = int(body), int(rows), int(features), int(before) * 1024, int(peak) * 1024
floats = rows * features * 4
rise = peak - before
mb = lambda b: f"{b / 1e6:.1f} MB"
print(f"body {mb(body)} ({rows} rows x {features}), decoded floats {mb(floats)}, status {status}, "
      f"{answered} predictions in {float(end) - float(start):.2f} s")
print(f"RSS before {mb(before)}, peak {mb(peak)}: rise {mb(rise)} = {rise / (body + floats):.2f} x (body + floats)")
sys.exit(0 if status == "200" and int(answered) == rows else 1)
EOF
