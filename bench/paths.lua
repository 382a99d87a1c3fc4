-- wrk request generator: a random path per request from the file named by
-- WRK_PATHS (one path per line), then the reporter from report.lua.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
	paths[#paths + 1] = line
end
math.randomseed(os.time())

request = function()
	return wrk.format("GET", paths[math.random(#paths)])
end

dofile(os.getenv("WRK_REPORT"))
