-- The Kanban board of the pipeline with ~10,000 open leads (BENCH_PIPELINE).
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local req
function init() req = c.get("/api/v1/pipelines/" .. os.getenv("BENCH_PIPELINE") .. "/board") end
function request() return req end
