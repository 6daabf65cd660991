-- One page of `make bench` (bench/run.py). run.py writes the page's requests to a file, one a line:
-- method, path, body, then "Name: value" headers, separated by tabs. The connections walk that list in
-- turn, so that consecutive requests go to different municipalities and no cache sees one URL only.
-- Every answer other than the expected status is counted: run.py fails the page when any is.
-- Usage: wrk -s bench/wrk.lua <url> -- <requests file> <expected status>

local requests = {}
local position = 0
local threads = {}
unexpected = 0
unexpected_status = 0

function setup(thread)
   table.insert(threads, thread)
   thread:set("number", #threads)
end

function init(args)
   expected = tonumber(args[2])
   for line in io.lines(args[1]) do
      local fields = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do
         table.insert(fields, field)
      end
      local headers = {}
      for i = 4, #fields do
         local name, value = fields[i]:match("^([^:]+):%s*(.*)$")
         headers[name] = value
      end
      local body = nil
      if fields[3] ~= "" then
         body = fields[3]
      end
      table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
   end
   -- Threads start at different places in the list rather than in step.
   position = ((number - 1) * 7919) % #requests
end

function request()
   position = position % #requests + 1
   return requests[position]
end

function response(status, headers, body)
   if status ~= expected then
      unexpected = unexpected + 1
      unexpected_status = status
   end
end

function done(summary, latency, _)
   local count, status = 0, 0
   for _, thread in ipairs(threads) do
      count = count + thread:get("unexpected")
      if thread:get("unexpected_status") ~= 0 then
         status = thread:get("unexpected_status")
      end
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
         .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, '
         .. '"unexpected": %d, "unexpected_status": %d}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
      count, status
   ))
end
