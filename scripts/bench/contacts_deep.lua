-- A page deep into a filtered, sorted list: BENCH_DEEP is its path with the
-- cursor the runner got by walking the pages before.
local c = dofile(os.getenv("BENCH_SCRIPTS") .. "/common.lua")
local req
function init() req = c.get(os.getenv("BENCH_DEEP")) end
function request() return req end
