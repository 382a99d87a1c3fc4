-- wrk request generator for POST /api/v1/payments/bank/webhook (make
-- bench).  WRK_CALLBACKS holds one signed notification per line,
-- "X-Signature value<TAB>raw body", prepared by scripts/bench.sh for as
-- many pending VietQR payments (HMAC-SHA256 over "t.body", t = now: the
-- file must be used within 300 s).  Thread i of WRK_THREADS sends lines
-- i+1, i+1+WRK_THREADS, ... once each; a thread that runs out starts
-- over (replays, recorded as duplicates: bench.sh reports how many).
local lines = {}
for line in io.lines(os.getenv("WRK_CALLBACKS")) do
	local sig, body = line:match("^([^\t]+)\t(.*)$")
	lines[#lines + 1] = { sig, body }
end
local step = tonumber(os.getenv("WRK_THREADS") or "1")
local nthreads = 0
local i

function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
end

function init(args)
	i = (tid or 0) + 1
end

request = function()
	if i > #lines then
		i = (tid or 0) + 1
	end
	local l = lines[i]
	i = i + step
	return wrk.format("POST", "/api/v1/payments/bank/webhook", {
		["X-Signature"] = l[1],
		["Content-Type"] = "application/json",
	}, l[2])
end

dofile(os.getenv("WRK_REPORT"))
