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
