-- PATCH /leads/{id}/stage: drag a card of the big board to another open
-- stage, somewhere among the cards on screen. Each thread moves its own leads.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local ring, stages = nil, {}
function init()
  ring = c.ring(c.mine(c.lines("leads.txt")))
  stages = c.lines("stages.txt")
end
function request()
  local id = ring.next()
  local body = string.format('{"stage_id":"%s","position":%d}', c.pick(stages), math.random(0, 19))
  return c.send("PATCH", "/api/v1/leads/" .. id .. "/stage", body, nil, nil, { ["X-Request-Id"] = id })
end
function response(status, headers, body) ring.answered(headers) end
