-- Shared by every wrk scenario of the benchmark harness (lovedcrm-bench run).
--
-- Configuration comes from the environment: BENCH_DATA (folder of data
-- files the runner writes), BENCH_TOKEN / BENCH_ORG (the big organization's
-- owner), BENCH_THREADS (wrk -t), BENCH_ACCEPT_ENCODING (what a browser sends).
-- done() prints the run's numbers as one JSON line, prefixed BENCH_RESULT.
local M = {}

M.token = os.getenv("BENCH_TOKEN") or ""
M.org = os.getenv("BENCH_ORG") or ""
M.threads = tonumber(os.getenv("BENCH_THREADS") or "1")
M.encoding = os.getenv("BENCH_ACCEPT_ENCODING") or "gzip, deflate, br, zstd"

-- The lines of a data file.
function M.lines(name)
  local out = {}
  local f = assert(io.open(os.getenv("BENCH_DATA") .. "/" .. name, "r"))
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

function M.split(s, sep)
  local out = {}
  for part in string.gmatch(s, "([^" .. sep .. "]+)") do out[#out + 1] = part end
  return out
end

-- Only the items of this thread (every BENCH_THREADS-th), so no two
-- connections ever write the same record at once.
function M.mine(items)
  local out = {}
  for i, item in ipairs(items) do
    if (i - 1) % M.threads == thread_index then out[#out + 1] = item end
  end
  return out
end

-- The records this thread writes, taken in turn; a record whose last
-- request has not been answered yet is skipped (a slow answer must not let
-- another connection write the same record at the same time). Requests
-- carry the record's id as X-Request-Id, which the server echoes back.
function M.ring(items, key)
  local r = { items = items, i = 0, busy = {} }
  key = key or function(item) return item end
  function r.next()
    for _ = 1, #r.items do
      r.i = r.i % #r.items + 1
      local item = r.items[r.i]
      if not r.busy[key(item)] then
        r.busy[key(item)] = true
        return item
      end
    end
    return r.items[r.i]
  end
  function r.answered(headers)
    local id = headers["x-request-id"] or headers["X-Request-Id"]
    if id then r.busy[id] = nil end
    return id
  end
  return r
end

function M.headers(token, org, json)
  local h = {
    ["Authorization"] = "Bearer " .. token,
    ["X-Org-Id"] = org,
    ["Accept"] = "application/json",
    ["Accept-Encoding"] = M.encoding,
  }
  if json then h["Content-Type"] = "application/json" end
  return h
end

function M.get(path, token, org)
  return wrk.format("GET", path, M.headers(token or M.token, org or M.org))
end

function M.send(method, path, body, token, org, extra)
  local h = M.headers(token or M.token, org or M.org, true)
  for k, v in pairs(extra or {}) do h[k] = v end
  return wrk.format(method, path, h, body)
end

local FIRST = { "Ana", "João", "Maria", "Luíza", "José", "Beatriz", "Tomás", "Emily", "Gonçalo",
  "Inês", "Sofía", "André", "Júlia", "Noah", "Cecília", "Álvaro" }
local LAST = { "Silva", "Gonçalves", "Araújo", "Conceição", "Smith", "Müller", "Peña", "Núñez",
  "Brandão", "Magalhães", "O'Brien", "Rodríguez", "Lima", "Castro" }
local JOBS = { "CEO", "Founder", "Marketing Manager", "Gerente Comercial", "Sócio", "CFO" }

local function pick(list) return list[math.random(#list)] end
M.pick = pick

function M.phone()
  return string.format("+55119%08d", math.random(0, 99999999))
end

-- A new contact, as the web app's form sends it.
function M.new_contact()
  local first, last = pick(FIRST), pick(LAST)
  local email = string.format("bench%d.%d@example.com", thread_index or 0, math.random(1, 1e9))
  return string.format(
    '{"first_name":"%s","last_name":"%s","email":"%s","phone":"%s","job_position":"%s","source":"web"}',
    first, last, email, M.phone(), pick(JOBS))
end

function M.contact_patch()
  return string.format('{"job_position":"%s","phone":"%s"}', pick(JOBS), M.phone())
end

-- wrk calls setup() in its main state once per thread, before init().
local created = 0
function setup(thread)
  thread:set("thread_index", created)
  created = created + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.2f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
    '"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,"bytes":%d,"errors":{"connect":%d,"read":%d,' ..
    '"write":%d,"timeout":%d,"status":%d}}\n',
    summary.requests, secs, summary.requests / secs, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    latency.mean / 1e3, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status))
end

math.randomseed(os.time())
return M
