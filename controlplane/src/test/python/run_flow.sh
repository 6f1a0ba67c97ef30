#!/usr/bin/env bash
# Starts `bin/sagebox api` on a fresh state folder and free ports, runs boto3_flow.py against it, stops it.
# Needs a built tree (mvn -B package -DskipTests) and boto3 (Debian: python3-boto3). Extra args go to the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
state=$(mktemp -d)
port=${SAGEBOX_API_PORT:-18090}
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$state"' EXIT
"$root/bin/sagebox" api --port "$port" --s3-port $((port + 1)) --state-dir "$state" >"$state/api.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" -X POST && break
  kill -0 "$pid" 2>/dev/null || { cat "$state/api.log"; exit 1; }
  sleep 0.2
done
status=0
/usr/bin/python3 "$(dirname "$0")/boto3_flow.py" --api "http://127.0.0.1:$port" --s3 "http://127.0.0.1:$((port + 1))" \
  --samples "$root/opt-ml-sample" "$@" || status=$?
if [ "$status" != 0 ]; then
  echo "== API log"; tail -50 "$state/api.log"
  for f in "$state"/jobs/*/training.log; do [ -f "$f" ] && { echo "== $f"; tail -20 "$f"; }; done
fi
exit "$status"
