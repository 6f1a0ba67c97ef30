-- wrk script for benchmarks/soak.sh: a mix of good and bad requests to POST /invocations (expected status noted).
local good_csv = os.getenv("SOAK_ROW") or "1,2,3"
local width = select(2, good_csv:gsub(",", ",")) + 1
local short_row = good_csv:match("^(.*),[^,]*$") or "1"
local inf_row = good_csv:gsub("^[^,]*", "inf")
local kinds = {
  {name = "csv ok",          status = 200, ct = "text/csv", body = good_csv},
  {name = "csv 10 rows ok",  status = 200, ct = "text/csv", body = string.rep(good_csv .. "\n", 10)},
  {name = "json ok",         status = 200, ct = "application/json", body = '{"instances": [[' .. good_csv .. ']]}'},
  {name = "libsvm ok",       status = 200, ct = "text/libsvm", body = "0:1 3:0.5 7:2"},
  {name = "wrong width",     status = 400, ct = "text/csv", body = short_row},
  {name = "infinite value",  status = 400, ct = "text/csv", body = inf_row},
  {name = "not a number",    status = 400, ct = "text/csv", body = good_csv:gsub("^[^,]*", "abc")},
  {name = "broken json",     status = 400, ct = "application/json", body = '{"instances": [[1, 2'},
  {name = "bad content type", status = 415, ct = "application/x-unknown", body = good_csv},
  {name = "bad accept",      status = 406, ct = "text/csv", body = good_csv, accept = ";"},
  {name = "empty body",      status = 204, ct = "text/csv", body = ""},
  {name = "control bytes",   status = 400, ct = "text/csv", body = "\1\2\3,\27[31m"},
}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  n = id
end

-- Requests go round robin through the kinds; statuses and reasons are counted from the server's access log.
function request()
  n = n + 1
  local k = kinds[(n % #kinds) + 1]
  local headers = {["Content-Type"] = k.ct}
  if k.accept then headers["Accept"] = k.accept end
  return wrk.format("POST", "/invocations", headers, k.body)
end

function done(summary, latency, requests)
  io.write(string.format("SOAK-P99-MS %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("SOAK-P50-MS %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("SOAK-RPS %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("SOAK-ERRORS connect=%d read=%d write=%d timeout=%d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
end
