-- wrk sends what a runner sends: with WRK_BODY (a file), a POST of that JSON
-- body (bench/run uses the body the runners build for row 1); without it, a
-- GET. Either way with the bearer token of WRK_TOKEN, so that wrk's req/s is
-- the ceiling of the same exchange.
local body_file = os.getenv("WRK_BODY") or ""
if body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("WRK_TOKEN") or "bench")

-- WRK_UNIQUE_NAMES=1: every POST names a new audience. The simulator checks
-- each create against the audiences of the same name (a client's duplicate is
-- a broken rule), so one name posted a million times measures that check, not
-- the server; the runners never send a name twice either.
if wrk.body and os.getenv("WRK_UNIQUE_NAMES") == "1" then
  local before, after = wrk.body:match('^(.-"name":")[^"]*(".*)$')
  local sent = 0
  request = function()
    sent = sent + 1
    return wrk.format(nil, nil, nil, before .. "wrk audience " .. sent .. after)
  end
end

-- One line on stdout that bench/measure.py reads.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('WRK {"requests": %d, "seconds": %.3f, "non2xx": %d, "socket_errors": %d, "p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
