-- One contact by id, at random among contacts.txt.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local ids = c.lines("contacts.txt")
function request() return c.get("/api/v1/contacts/" .. ids[math.random(#ids)]) end
