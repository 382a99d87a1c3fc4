-- 017: statistics (issue 12), the figures of the other modules: the
-- monitoring module's decisions (issue 10) and the subsidy ledger
-- (issue 11) as indicators of san.stat_indicators.  Their numerators and
-- denominators are read in api.stat_values / api.stat_series_rows
-- (sql/api/85_stats.sql):
--
--	moderation		over the decisions of the period (few rows;
--				mod_decisions_created_idx below)
--	subsidy amounts		the floor's plan's cached balances in
--				san.ledger_accounts (O(accounts), never the
--				entries)
--	businesses supported	the grants of the period (grants_created_idx)
--
-- The floor's plan (setting stats_plan, a san.stat_plans code) is the
-- ledger plan (san.plans, loaded from sql/plans/*.json after the
-- migrations) of the same province and period: stat_plans gets the period
-- here, api.stat_ledger_plan() does the matching.

ALTER TABLE san.stat_plans ADD COLUMN period_from int,
    ADD COLUMN period_to int;
UPDATE san.stat_plans SET period_from = 2016, period_to = 2020
 WHERE code IN ('tn-1087-2017', 'qn-428-2016');
UPDATE san.stat_plans SET period_from = 2021, period_to = 2025
 WHERE code = 'kh-2021-2025';

INSERT INTO san.stat_indicators (code, position, name_vi, name_en, numerator,
    denominator, unit, kind, direction, source) VALUES
	('moderation-median-hours', 120,
	 'Thời gian xử lý vi phạm (trung vị, giờ)',
	 'Median hours from first alert to decision',
	 'median, over the decisions of the period, of the hours from the first alert of the case to its decision',
	 NULL, 'hours', 'flow', 'down',
	 'san.mod_cases.first_alert_at, san.mod_decisions.created_at'),
	('deadlines-met', 130, 'Tỷ lệ vụ việc xử lý đúng hạn',
	 'Share of cases decided by their deadline',
	 'decisions of the period taken by the deadline of their case',
	 'decisions of the period', 'percent', 'flow', 'up',
	 'san.mod_cases.deadline, san.mod_decisions.created_at'),
	('violations-handled', 140, 'Vi phạm đã xử lý', 'Violations handled',
	 'decisions of the period with an action (warning, listing removed, store hidden, business suspended; dismissals are not counted)',
	 NULL, 'count', 'flow', 'up', 'san.mod_decisions'),
	('subsidy-planned', 150, 'Kinh phí kế hoạch', 'Planned budget',
	 'budget of the floor''s plan (setting stats_plan): the appendix''s parts plus their revisions, all funding sources (series by source)',
	 NULL, 'vnd', 'stock', 'up',
	 'san.ledger_accounts (funding accounts of the plan)'),
	('subsidy-committed', 160, 'Kinh phí hỗ trợ đã cam kết, chưa chi',
	 'Committed, not yet paid',
	 'support granted to businesses from the floor''s plan and not yet paid (committed and pending payment), all funding sources (series by source)',
	 NULL, 'vnd', 'stock', 'up',
	 'san.ledger_accounts (committed and pending accounts of the plan)'),
	('subsidy-disbursed', 170, 'Kinh phí hỗ trợ đã chi', 'Disbursed',
	 'support paid to businesses from the floor''s plan, all funding sources (series by source)',
	 NULL, 'vnd', 'stock', 'up',
	 'san.ledger_accounts (disbursed accounts of the plan)'),
	('businesses-supported', 180, 'Doanh nghiệp được hỗ trợ',
	 'Businesses supported',
	 'businesses granted support in the period (a grant decided in the period and not cancelled, any plan)',
	 NULL, 'count', 'flow', 'up', 'san.grants');

-- The decisions of a period (the moderation figures), the grants of a
-- period (businesses supported).
CREATE INDEX mod_decisions_created_idx ON san.mod_decisions (created_at);
CREATE INDEX grants_created_idx ON san.grants (created_at, business_id)
    WHERE status = 'active';

-- Orders per Vietnam month for the whole floor ------------------------------
--
-- The indicators of a year add up 12 months; san.stat_orders has a row per
-- month and store (12 x stores rows a year to add up on every request).
-- san.stat_orders_months keeps the same counters per month for the whole
-- floor, in 16 stripes so that concurrent commits do not queue on one row
-- per month: a transaction adds to the stripe of its backend
-- (pg_backend_pid() % 16), so two sessions share a row only when their
-- stripes collide, and one transaction touches one stripe per month.  The
-- month's figure is the sum of its stripes (at most 16 rows, 192 a year).
-- Kept by san.stat_orders_apply, in the same deferred trigger as
-- san.stat_orders; tests/api/stats.bats compares both after a burst.
CREATE TABLE san.stat_orders_months (
	month		date NOT NULL,
	stripe		smallint NOT NULL CHECK (stripe BETWEEN 0 AND 15),
	orders_n	bigint NOT NULL DEFAULT 0,
	value_vnd	bigint NOT NULL DEFAULT 0,
	online_n	bigint NOT NULL DEFAULT 0,
	online_vnd	bigint NOT NULL DEFAULT 0,
	completed_n	bigint NOT NULL DEFAULT 0,
	einvoice_n	bigint NOT NULL DEFAULT 0,
	delivered_n	bigint NOT NULL DEFAULT 0,
	cancelled_n	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (month, stripe)
);

-- Adds sign x the contribution of o to its month and store, and to its
-- month's stripe of this session.
CREATE OR REPLACE FUNCTION san.stat_orders_apply(o san.orders, sign int)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	c	record := san.stat_order_contrib(o);
BEGIN
	IF c.counted = 0 THEN
		RETURN;
	END IF;
	INSERT INTO san.stat_orders AS s (month, store_id, business_id,
	    orders_n, value_vnd, online_n, online_vnd, completed_n,
	    einvoice_n, delivered_n, cancelled_n)
	SELECT san.stat_month(o.created_at), o.store_id, st.business_id,
	    sign * c.counted, sign * c.value_vnd, sign * c.online,
	    sign * c.online_vnd, sign * c.completed, sign * c.einvoice,
	    sign * c.delivered, sign * c.cancelled
	  FROM san.stores st WHERE st.id = o.store_id
	ON CONFLICT (month, store_id) DO UPDATE SET
	    orders_n = s.orders_n + EXCLUDED.orders_n,
	    value_vnd = s.value_vnd + EXCLUDED.value_vnd,
	    online_n = s.online_n + EXCLUDED.online_n,
	    online_vnd = s.online_vnd + EXCLUDED.online_vnd,
	    completed_n = s.completed_n + EXCLUDED.completed_n,
	    einvoice_n = s.einvoice_n + EXCLUDED.einvoice_n,
	    delivered_n = s.delivered_n + EXCLUDED.delivered_n,
	    cancelled_n = s.cancelled_n + EXCLUDED.cancelled_n;
	INSERT INTO san.stat_orders_months AS s (month, stripe, orders_n,
	    value_vnd, online_n, online_vnd, completed_n, einvoice_n,
	    delivered_n, cancelled_n)
	VALUES (san.stat_month(o.created_at), pg_backend_pid() % 16,
	    sign * c.counted, sign * c.value_vnd, sign * c.online,
	    sign * c.online_vnd, sign * c.completed, sign * c.einvoice,
	    sign * c.delivered, sign * c.cancelled)
	ON CONFLICT (month, stripe) DO UPDATE SET
	    orders_n = s.orders_n + EXCLUDED.orders_n,
	    value_vnd = s.value_vnd + EXCLUDED.value_vnd,
	    online_n = s.online_n + EXCLUDED.online_n,
	    online_vnd = s.online_vnd + EXCLUDED.online_vnd,
	    completed_n = s.completed_n + EXCLUDED.completed_n,
	    einvoice_n = s.einvoice_n + EXCLUDED.einvoice_n,
	    delivered_n = s.delivered_n + EXCLUDED.delivered_n,
	    cancelled_n = s.cancelled_n + EXCLUDED.cancelled_n;
END $$;

-- Rebuilds the floor's months from san.stat_orders (backfill, and after a
-- bulk load that bypassed the trigger, e.g. bench/seed-stats.sql).
CREATE FUNCTION san.stat_orders_months_rebuild() RETURNS void
LANGUAGE sql
AS $$
	DELETE FROM san.stat_orders_months;
	INSERT INTO san.stat_orders_months (month, stripe, orders_n,
	    value_vnd, online_n, online_vnd, completed_n, einvoice_n,
	    delivered_n, cancelled_n)
	SELECT month, 0, sum(orders_n), sum(value_vnd), sum(online_n),
	    sum(online_vnd), sum(completed_n), sum(einvoice_n),
	    sum(delivered_n), sum(cancelled_n)
	  FROM san.stat_orders GROUP BY month;
$$;
SELECT san.stat_orders_months_rebuild();
