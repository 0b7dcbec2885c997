-- wrk script for bench/run.py: prints one JSON line of results.
-- Arguments after "--": mode ("warm" or "cold") and, optionally, a file of paths to walk and where to
-- start in it.
-- Cold mode makes every request a distinct URL (distinct paths when given), each with a _bench parameter
-- no view reads. The page cache guard never lets such a response be stored, so every one is rendered
-- from the database, as the first request after a content change is.

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "warm"
  paths = {}
  if args[2] then
    for line in io.lines(args[2]) do
      if line ~= "" then table.insert(paths, line) end
    end
  end
  if #paths == 0 then table.insert(paths, wrk.path) end
  -- A later run of the same walk starts further on, so it does not revisit what the first one rendered.
  counter = tonumber(args[3] or "0")
end

function request()
  if mode ~= "cold" then
    return wrk.format(nil, paths[1])
  end
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "_bench=" .. tid .. "-" .. counter)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
