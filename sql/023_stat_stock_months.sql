-- 023: the month-end figures of the stock indicators (issue 12).
--
-- A stock indicator (businesses on the floor, their share of the SMEs,
-- active listings, the subsidy plan's balances) is the state now: the
-- floor kept no history of it, so a past year's indicators and report and
-- a series by month had no figure.  A periodic job (src/stats.c,
-- api.stat_stock_snapshot) keeps the row of the current month (Vietnam
-- time) equal to the state while the month lasts, so a closed month's row
-- holds its last state.  Months before this migration have no row: the
-- floor cannot say what it did not record.
CREATE TABLE san.stat_stock_months (
	code		text NOT NULL REFERENCES san.stat_indicators,
	month		date NOT NULL
			    CHECK (month = date_trunc('month', month)::date),
	num		numeric,
	den		numeric,
	-- businesses on the floor then (small figures are suppressed in
	-- exports, as for every other series)
	businesses	bigint NOT NULL CHECK (businesses >= 0),
	taken_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (code, month)
);
