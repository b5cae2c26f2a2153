-- bench/soak/reads.lua: wrk's side of the soak. Requests a list of paths in
-- turn (each thread from its own offset) and tallies the answers by status.
--
--   wrk ... -s bench/soak/reads.lua URL -- PATHS EXPECT
--
-- PATHS is a file of lines "PATH<TAB>GZIP<TAB>HEADER" (GZIP 1 adds
-- Accept-Encoding: gzip; HEADER is one more "Name: value" or "-"). "{n}" in
-- a path is replaced by a counter unique to each request (a new question
-- every time). EXPECT is "ok" (a 2xx or 3xx is expected) or a status
-- ("404"). done() prints one line:
--   soak-tally requests=N unexpected=N s200=N s304=N ...
-- so run.sh can tell the intended 404s from errors.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local entries = {}
local at = 1
local counter = 0
local expect = "ok"
tally = {}
unexpected = 0
answered = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "reads.lua: cannot open " .. tostring(args[1]))
  for line in file:lines() do
    local path, gz, header = line:match("^([^\t]+)\t([01])\t(.*)$")
    if path then
      local headers = {}
      if gz == "1" then headers["Accept-Encoding"] = "gzip" end
      if header ~= "-" and header ~= "" then
        local name, value = header:match("^([^:]+):%s*(.*)$")
        if name then headers[name] = value end
      end
      local e = {path = path, headers = headers}
      if not path:find("{n}", 1, true) then e.request = wrk.format("GET", path, headers) end
      table.insert(entries, e)
    end
  end
  file:close()
  assert(#entries > 0, "reads.lua: no paths in " .. args[1])
  expect = args[2] or "ok"
  -- Threads start at different places, so they do not ask for the same
  -- page at the same moment all the time.
  at = (id * 7919) % #entries + 1
  counter = id * 1000000000
end

function request()
  local e = entries[at]
  at = at % #entries + 1
  if e.request then return e.request end
  counter = counter + 1
  return wrk.format("GET", e.path:gsub("{n}", tostring(counter)), e.headers)
end

function response(status, headers, body)
  answered = answered + 1
  local key = "s" .. status
  tally[key] = (tally[key] or 0) + 1
  local ok
  if expect == "ok" then
    ok = status >= 200 and status < 400
  else
    ok = tostring(status) == expect
  end
  if not ok then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local total, bad, by_status = 0, 0, {}
  for _, t in ipairs(threads) do
    total = total + t:get("answered")
    bad = bad + t:get("unexpected")
    for k, v in pairs(t:get("tally")) do by_status[k] = (by_status[k] or 0) + v end
  end
  local keys = {}
  for k in pairs(by_status) do table.insert(keys, k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. "=" .. by_status[k]) end
  io.write(string.format("soak-tally requests=%d unexpected=%d %s\n", total, bad,
                         table.concat(parts, " ")))
end
