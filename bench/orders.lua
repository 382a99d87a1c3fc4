-- wrk request generator for POST /api/v1/orders (make bench).  Every
-- request: a random buyer's Bearer token (line n of WRK_TOKENS), a unique
-- Idempotency-Key (WRK_TAG, thread, counter) and a varied body, drawn
-- exactly as the pgbench script in scripts/bench.sh draws it:
--   with probability WRK_HOT_PCT %: 1 unit of product WRK_HOT;
--   otherwise product p in [WRK_PLO, WRK_PHI], 1-3 units, and with
--   probability 1/2 a second line: 1 unit of another random product.
-- Payment method WRK_PAY (cod, vietqr, ...).  Then report.lua's reporter.
local tokens = {}
for line in io.lines(os.getenv("WRK_TOKENS")) do
	tokens[#tokens + 1] = line
end
local lo = tonumber(os.getenv("WRK_PLO"))
local hi = tonumber(os.getenv("WRK_PHI"))
local hot = tonumber(os.getenv("WRK_HOT") or "0")
local hotpct = tonumber(os.getenv("WRK_HOT_PCT") or "0")
local tag = os.getenv("WRK_TAG") or "w"
local pay = os.getenv("WRK_PAY") or "cod"
local address = '{"recipient":"Nguyễn Văn A","phone":"0912345678",' ..
    '"address":"12 Trần Hưng Đạo","province":"Tây Ninh","ward":"Phường 1"}'
local counter = 0

-- Main state: number the threads (each thread has its own Lua state).
local nthreads = 0
function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
end

function init(args)
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

request = function()
	local items
	counter = counter + 1
	if hot > 0 and math.random(1, 100) <= hotpct then
		items = string.format('{"product_id":%d,"qty":1}', hot)
	else
		local p, q = math.random(lo, hi), math.random(1, 3)
		if math.random(0, 1) == 1 then
			items = string.format('{"product_id":%d,"qty":%d},' ..
			    '{"product_id":%d,"qty":1}', p, q,
			    math.random(lo, hi))
		else
			items = string.format('{"product_id":%d,"qty":%d}', p, q)
		end
	end
	return wrk.format("POST", "/api/v1/orders", {
		["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
		["Idempotency-Key"] = string.format("%s-%d-%d", tag, tid or 0,
		    counter),
		["Content-Type"] = "application/json",
	}, '{"items":[' .. items .. '],"shipping_address":' .. address ..
	    ',"payment_method":"' .. pay .. '"}')
end

dofile(os.getenv("WRK_REPORT"))
