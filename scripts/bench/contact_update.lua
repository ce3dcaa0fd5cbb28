-- PATCH /contacts/{id} with If-Match: the version each contact is at.
-- update.txt holds untouched contacts (version 1); each thread walks its own
-- share in turn and learns the new version from the answer's ETag.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local ring, version = nil, {}
function init()
  ring = c.ring(c.mine(c.lines("update.txt")))
  for _, id in ipairs(ring.items) do version[id] = 1 end
end
function request()
  local id = ring.next()
  return c.send("PATCH", "/api/v1/contacts/" .. id, c.contact_patch(), nil, nil,
    { ["If-Match"] = '"' .. version[id] .. '"', ["X-Request-Id"] = id })
end
function response(status, headers, body)
  local id = ring.answered(headers)
  local v = tonumber((headers["etag"] or headers["ETag"] or ""):match("%d+"))
  if status == 200 and id and v then version[id] = v end
end
