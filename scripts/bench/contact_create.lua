-- POST /contacts with a new person each time.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
function request() return c.send("POST", "/api/v1/contacts", c.new_contact()) end
