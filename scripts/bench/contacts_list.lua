-- The contacts list as the web app opens it: first page, default sort.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local req
function init() req = c.get("/api/v1/contacts") end
function request() return req end
