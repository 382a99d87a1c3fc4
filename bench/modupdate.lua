-- wrk request generator for the monitoring bench (make bench,
-- BENCH_ONLY=monitoring): PATCH /api/v1/products/{id} of a random product
-- in [WRK_PLO, WRK_PHI] as the seller whose Bearer token is WRK_TOKEN,
-- with a new name every time (so screening runs), drawn as the pgbench
-- script in scripts/bench.sh draws it.  Then report.lua's reporter.
local lo = tonumber(os.getenv("WRK_PLO"))
local hi = tonumber(os.getenv("WRK_PHI"))
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
wrk.headers["Content-Type"] = "application/json"

function init(args)
	math.randomseed(os.time() * 1000 + math.random(1, 7919))
end

request = function()
	return wrk.format("PATCH", string.format("/api/v1/products/%d",
	    math.random(lo, hi)), nil, string.format(
	    '{"name":"Cà phê rang xay giám sát số %d"}',
	    math.random(1, 1000000000)))
end

dofile(os.getenv("WRK_REPORT"))
