-- The search box across every record type (/search?q=).
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local terms = c.lines("search.txt")
function request() return c.get("/api/v1/search?q=" .. terms[math.random(#terms)]) end
