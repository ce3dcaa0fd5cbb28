-- The contacts list searched (?q=), with what people type (search.txt, URL-encoded).
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local terms = c.lines("search.txt")
function request() return c.get("/api/v1/contacts?q=" .. terms[math.random(#terms)]) end
