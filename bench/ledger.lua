-- wrk request generator for the subsidy ledger (make bench, "ledger"):
-- WRK_LEDGER=grants: POST /api/v1/admin/grants, a random programme in
-- [WRK_PLO, WRK_PHI] for a random business in [WRK_BLO, WRK_BHI];
-- WRK_LEDGER=disbursements: POST /api/v1/admin/grants/{g}/disbursements
-- of 1,000 VND on a random grant in [WRK_GLO, WRK_GHI].  Bearer
-- WRK_TOKEN (an admin), a unique Idempotency-Key (WRK_TAG, thread,
-- counter); drawn as the pgbench scripts in scripts/bench.sh draw.
local kind = os.getenv("WRK_LEDGER")
local token = os.getenv("WRK_TOKEN")
local tag = os.getenv("WRK_TAG") or "w"
local plo, phi = tonumber(os.getenv("WRK_PLO") or "0"), tonumber(os.getenv("WRK_PHI") or "0")
local blo, bhi = tonumber(os.getenv("WRK_BLO") or "0"), tonumber(os.getenv("WRK_BHI") or "0")
local glo, ghi = tonumber(os.getenv("WRK_GLO") or "0"), tonumber(os.getenv("WRK_GHI") or "0")
local counter = 0

local nthreads = 0
function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
end

function init(args)
	math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

request = function()
	counter = counter + 1
	local headers = {
		["Authorization"] = "Bearer " .. token,
		["Idempotency-Key"] = string.format("%s-%d-%d", tag, tid or 0, counter),
		["Content-Type"] = "application/json",
	}
	if kind == "grants" then
		return wrk.format("POST", "/api/v1/admin/grants", headers,
		    string.format('{"programme_id":%d,"business_id":%d,' ..
		    '"year":2024,"decision_no":"B-1"}', math.random(plo, phi),
		    math.random(blo, bhi)))
	end
	return wrk.format("POST", string.format(
	    "/api/v1/admin/grants/%d/disbursements", math.random(glo, ghi)),
	    headers, '{"amount_vnd":1000,"paid_on":"2024-06-01",' ..
	    '"voucher_no":"PC-B","method":"treasury"}')
end

dofile(os.getenv("WRK_REPORT"))
