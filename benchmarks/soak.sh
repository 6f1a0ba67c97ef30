#!/usr/bin/env bash
# Soak: a mixed load of good and bad requests against a Sagebox XGBoost server on loopback for N minutes.
# Reports requests/s, p99, responses by kind and status, 5xx (must be 0), statuses other than the expected one,
# RSS at start/middle/end and log bytes per minute. Exit status 1 when a 5xx or an unexpected status was seen.
#   benchmarks/soak.sh            10 minutes (the documented long mode)
#   benchmarks/soak.sh --short    20 seconds (CI)
#   SOAK_MINUTES=3 benchmarks/soak.sh
# Needs a built checkout (mvn -B package -DskipTests) and wrk (installed with apt-get when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=$(( ${SOAK_MINUTES:-10} * 60 ))
[ "${1:-}" = "--short" ] && seconds=20
connections=${SOAK_CONNECTIONS:-32}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
[ -f container/target/sagebox-container.jar ] || mvn -B -q package -DskipTests
export OMP_WAIT_POLICY=PASSIVE

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp -r opt-ml-sample/xgboost "$work/ml"
SAGEMAKER_BASE_DIR="$work/ml" bin/sagebox train >"$work/train.log" 2>&1 \
  || { echo "soak: training the sample failed; its log:" >&2; tail -n 40 "$work/train.log" >&2; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Start the server and wait for GET /ping to answer 200. A server that exits before that (a port taken between
# free_port and the bind, say) is reported with its log and started once more on another port.
start_server() {
  port=$(free_port)
  SAGEMAKER_BASE_DIR="$work/ml" SAGEMAKER_BIND_TO_PORT=$port SAGEBOX_BIND_ADDRESS=127.0.0.1 \
    bin/sagebox serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    kill -0 "$server" 2>/dev/null || break
    [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/ping" || true)" = 200 ] && return 0
    sleep 0.2
  done
  echo "soak: the server on port $port did not answer /ping with 200; its log:" >&2
  tail -n 40 "$work/serve.log" >&2
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  return 1
}
start_server || start_server || { echo "soak: the server did not start twice; giving up" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo "gone"; }
log_bytes() { stat -c %s "$work/serve.log"; }
echo "soak: $seconds s, $connections connections, load before $(cut -d' ' -f1-3 /proc/loadavg)"
rss_start=$(rss); log_start=$(log_bytes)
( sleep $(( seconds / 2 )); rss > "$work/rss_mid" ) &
sampler=$!
SOAK_ROW=$(head -1 opt-ml-sample/xgboost/request.csv) wrk -t2 -c"$connections" -d"${seconds}s" --latency \
  -s benchmarks/soak.lua "http://127.0.0.1:$port" > "$work/wrk.out" 2>&1 || true
rss_end=$(rss); log_end=$(log_bytes)
if ! kill -0 "$server" 2>/dev/null; then
  echo "soak: the server exited during the soak; the end of its log:" >&2
  tail -n 40 "$work/serve.log" >&2
  exit 1
fi
wait "$sampler" || true
cp "$work/serve.log" "${SOAK_LOG:-/dev/null}" 2>/dev/null || true
grep SOAK- "$work/wrk.out" | sed 's/^SOAK-//'
# Statuses and reasons from the access log: "... access - IP METHOD PATH STATUS 1.23ms id=... error=\"...\"".
awk '/ access - .* \/invocations / { for (i = 1; i <= NF; i++) if ($i ~ /^\/invocations$/) { s = $(i + 1); break }
       n[s]++; if (s !~ /^2/) { r = $0; sub(/.*error="/, "", r); sub(/[:;(].*/, "", r); reason[s " " r]++ } }
     END { for (k in n) printf "status %s: %d\n", k, n[k];
           for (k in reason) printf "  non-2xx %s: %d\n", k, reason[k] }' "$work/serve.log" | sort
fivexx=$(awk '/ access - / { for (i = 1; i <= NF; i++) if ($i ~ /^\/invocations$/) if ($(i + 1) ~ /^5/) c++ }
              END { print c + 0 }' "$work/serve.log")
other=$(awk '/ access - / { for (i = 1; i <= NF; i++) if ($i ~ /^\/invocations$/) if ($(i + 1) !~ /^(200|204|400|406|415)$/) c++ }
             END { print c + 0 }' "$work/serve.log")
traces=$(grep -c '^\s*at ' "$work/serve.log" || true)
printf 'RSS (KiB): start %s, middle %s, end %s\n' "$rss_start" "$(cat "$work/rss_mid" 2>/dev/null || echo ?)" "$rss_end"
printf 'log: %d bytes in %d s (%d bytes/minute), stack-trace lines %d\n' $(( log_end - log_start )) "$seconds" \
  $(( (log_end - log_start) * 60 / seconds )) "$traces"
printf '5xx responses: %d, statuses outside 200/204/400/406/415: %d, load after %s\n' "$fivexx" "$other" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$fivexx" -eq 0 ] && [ "$other" -eq 0 ] && [ "$traces" -eq 0 ]
