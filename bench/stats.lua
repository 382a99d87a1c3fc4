-- wrk request generator for the statistics bench: GET WRK_PATH as the
-- official whose bearer token is WRK_TOKEN, then the reporter.
local path = os.getenv("WRK_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")

request = function()
	return wrk.format("GET", path)
end

dofile(os.getenv("WRK_REPORT"))
