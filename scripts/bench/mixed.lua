-- 80% reads, 20% writes over many small organizations (mixed.txt: one line
-- per organization: token org pipeline stages contacts leads, lists
-- comma-separated). Writes to existing records go round-robin over this
-- thread's own share, so no two connections write one record at once.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local orgs, contacts, lead_list, leads, terms = {}, {}, {}, nil, {}
local function second(pair) return pair[2] end
function init()
  for _, line in ipairs(c.lines("mixed.txt")) do
    local f = c.split(line, " ")
    local o = { token = f[1], org = f[2], pipeline = f[3], stages = c.split(f[4], ","),
      contacts = c.split(f[5], ","), leads = c.split(f[6], ",") }
    orgs[#orgs + 1] = o
    for _, id in ipairs(o.contacts) do contacts[#contacts + 1] = { o, id } end
    for _, id in ipairs(o.leads) do lead_list[#lead_list + 1] = { o, id } end
  end
  contacts, leads = c.ring(c.mine(contacts), second), c.ring(c.mine(lead_list), second)
  terms = c.lines("search.txt")
end
function request()
  local r = math.random(100)
  local o = orgs[math.random(#orgs)]
  if r <= 30 then return c.get("/api/v1/contacts", o.token, o.org) end
  if r <= 50 then
    return c.get("/api/v1/contacts/" .. c.pick(o.contacts), o.token, o.org)
  end
  if r <= 60 then return c.get("/api/v1/contacts?q=" .. c.pick(terms), o.token, o.org) end
  if r <= 70 then
    return c.get("/api/v1/leads/" .. c.pick(o.leads) .. "/timeline", o.token, o.org)
  end
  if r <= 75 then return c.get("/api/v1/pipelines/" .. o.pipeline .. "/board", o.token, o.org) end
  if r <= 80 then return c.get("/api/v1/search?q=" .. c.pick(terms), o.token, o.org) end
  if r <= 88 then return c.send("POST", "/api/v1/contacts", c.new_contact(), o.token, o.org) end
  if r <= 95 then
    local pair = contacts.next()
    return c.send("PATCH", "/api/v1/contacts/" .. pair[2], c.contact_patch(), pair[1].token,
      pair[1].org, { ["X-Request-Id"] = pair[2] })
  end
  local pair = leads.next()
  local body = string.format('{"stage_id":"%s","position":%d}', c.pick(pair[1].stages), math.random(0, 9))
  return c.send("PATCH", "/api/v1/leads/" .. pair[2] .. "/stage", body, pair[1].token, pair[1].org,
    { ["X-Request-Id"] = pair[2] })
end
-- Contact and lead ids never collide, so one answer frees its record in either ring.
function response(status, headers, body)
  contacts.answered(headers)
  leads.answered(headers)
end
