-- HTTP ceiling: the server's trivial route at the same concurrency.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local req
function init() req = wrk.format("GET", "/health", { ["Accept-Encoding"] = c.encoding }) end
function request() return req end
