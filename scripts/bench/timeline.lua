-- First page of the timeline of the lead with 100,000 communications (BENCH_LEAD).
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local req
function init() req = c.get("/api/v1/leads/" .. os.getenv("BENCH_LEAD") .. "/timeline") end
function request() return req end
