-- wrk reporter: one JSON line with the request count, the latency percentiles (p95 included,
-- which `wrk --latency` does not print) and the errors. Optional: BENCH_PATHS (space-separated)
-- makes each connection cycle through several paths (the memory run).
-- Defined only for the memory run, so that single-target runs keep wrk's fast path.
local list = os.getenv("BENCH_PATHS") or ""
if list ~= "" then
  local paths = {}
  for path in string.gmatch(list, "%S+") do
    table.insert(paths, path)
  end
  local index = 0
  request = function()
    index = index % #paths + 1
    return wrk.format("GET", paths[index])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local function ms(p)
    return latency:percentile(p) / 1000.0
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"bytes":%d,"mean_ms":%.2f,'
      .. '"p50_ms":%.2f,"p75_ms":%.2f,"p90_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,'
      .. '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,'
      .. '"errors_timeout":%d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, latency.mean / 1000.0,
    ms(50), ms(75), ms(90), ms(95), ms(99), latency.max / 1000.0,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
