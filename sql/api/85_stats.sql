-- Statistics against the plan targets (sql/009_stats.sql has the tables):
-- the indicators of a year, one indicator's series by month, province or
-- ward (JSON columns for charts, or CSV from the same rows), the SME
-- denominator entered by admins.  Officials and admins only.
--
-- Every figure is read from the summary tables (san.stat_orders_months
-- for the indicators, san.stat_orders per store for the breakdowns,
-- san.stat_businesses), kept by triggers in the writing transaction.
-- To add an indicator: its row in san.stat_indicators (and targets in
-- san.stat_targets), then one expression in api.stat_values (its
-- numerator and denominator over the period) and, for a series, one in
-- api.stat_series_rows.  The monitoring (issue 10) and subsidy (issue 11)
-- figures (sql/017_stats_modules.sql) are read there too: the decisions
-- and grants of the period (few rows, index ranges), the floor's plan's
-- cached ledger balances.

-- Breakdowns with fewer businesses than this behind a figure are
-- suppressed in exports.
CREATE FUNCTION api.stat_min_businesses() RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT 5 $$;

-- The first instant of Vietnam date d.
CREATE FUNCTION api.stat_vn_start(d date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
AS $$ SELECT d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' $$;

-- The ledger plan (san.plans) of the floor's plan (setting stats_plan):
-- same province and period; an approved one first.  NULL while it is not
-- loaded (scripts/import-plans.sh).
CREATE FUNCTION api.stat_ledger_plan() RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT p.id FROM san.stat_plans s
	JOIN san.plans p ON p.province = s.province
	 AND p.period_from = s.period_from AND p.period_to = s.period_to
       WHERE s.code = san.setting('stats_plan')
       ORDER BY p.status = 'approved' DESC, p.id LIMIT 1 $$;

-- The monitoring and subsidy codes (sql/017_stats_modules.sql).
CREATE FUNCTION api.stat_mod_codes() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT '{moderation-median-hours,deadlines-met,violations-handled}'::text[] $$;
CREATE FUNCTION api.stat_subsidy_codes() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT '{subsidy-planned,subsidy-committed,subsidy-disbursed}'::text[] $$;

/*
 * A stock indicator's numerator at the end of p_from..p_to: the row of
 * the last month of the range that has one (san.stat_stock_months), NULL
 * when none does.
 */
CREATE FUNCTION api.stat_stock_at(p_code text, p_from date, p_to date)
RETURNS numeric
LANGUAGE sql STABLE
AS $$
	SELECT s.num FROM san.stat_stock_months s
	 WHERE s.code = p_code
	   AND s.month BETWEEN date_trunc('month', p_from)::date AND p_to
	 ORDER BY s.month DESC LIMIT 1
$$;

-- Numerator and denominator of every indicator over Vietnam dates
-- p_from..p_to (whole months for the order figures).  Stock indicators
-- are the state now when p_now, else their figure at the end of the
-- range (api.stat_stock_at; NULL before the floor recorded them).
CREATE FUNCTION api.stat_values(p_from date, p_to date, p_now boolean,
    p_sme int)
RETURNS TABLE (code text, num numeric, den numeric)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	o	record;
	b	record;
	m	record;
	g	record;
	v_t0	timestamptz := api.stat_vn_start(p_from);
	v_t1	timestamptz := api.stat_vn_start(p_to + 1);
	v_plan	bigint := CASE WHEN p_now THEN api.stat_ledger_plan() END;
	v_sup	bigint;
BEGIN
	SELECT COALESCE(sum(s.orders_n), 0) AS orders_n,
	    COALESCE(sum(s.value_vnd), 0) AS value_vnd,
	    COALESCE(sum(s.online_n), 0) AS online_n,
	    COALESCE(sum(s.online_vnd), 0) AS online_vnd,
	    COALESCE(sum(s.completed_n), 0) AS completed_n,
	    COALESCE(sum(s.einvoice_n), 0) AS einvoice_n,
	    COALESCE(sum(s.delivered_n), 0) AS delivered_n,
	    COALESCE(sum(s.cancelled_n), 0) AS cancelled_n
	  INTO o FROM san.stat_orders_months s
	 WHERE s.month BETWEEN date_trunc('month', p_from)::date AND p_to;
	-- One pass over the businesses (their number, not the orders').
	SELECT count(*) FILTER (WHERE s.on_floor) AS on_floor,
	    COALESCE(sum(s.listed_n), 0) AS listed_n,
	    count(*) FILTER (WHERE s.verified_at >= v_t0
		AND s.verified_at < v_t1) AS new_n
	  INTO b FROM san.stat_businesses s;
	-- Decisions of the period: hours from the case's first alert,
	-- deadline met, with an action.
	SELECT count(*) AS decided_n,
	    count(*) FILTER (WHERE d.created_at <= c.deadline) AS met_n,
	    count(*) FILTER (WHERE d.action <> 'dismiss') AS acted_n,
	    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch
		FROM d.created_at - c.first_alert_at)) / 3600)::numeric, 2)
		AS median_h
	  INTO m FROM san.mod_decisions d
	  JOIN san.mod_cases c ON c.id = d.case_id
	 WHERE d.created_at >= v_t0 AND d.created_at < v_t1;
	-- The floor's plan's balances (funding accounts go negative by the
	-- planned amount).
	SELECT sum(-a.balance_vnd) FILTER (WHERE a.kind = 'funding')
		AS planned,
	    COALESCE(sum(a.balance_vnd) FILTER (WHERE a.kind IN
		('committed', 'pending')), 0) AS committed,
	    COALESCE(sum(a.balance_vnd) FILTER (WHERE a.kind = 'disbursed'),
		0) AS disbursed
	  INTO g FROM san.ledger_accounts a WHERE a.plan_id = v_plan;
	SELECT count(DISTINCT x.business_id) INTO v_sup FROM san.grants x
	 WHERE x.status = 'active' AND x.created_at >= v_t0
	   AND x.created_at < v_t1;
	RETURN QUERY VALUES
	    ('businesses-on-floor', CASE WHEN p_now THEN b.on_floor ELSE
		api.stat_stock_at('businesses-on-floor', p_from, p_to) END,
		NULL::numeric),
	    ('sme-share', CASE WHEN p_now THEN b.on_floor ELSE
		api.stat_stock_at('businesses-on-floor', p_from, p_to) END,
		p_sme),
	    ('new-businesses', b.new_n, NULL),
	    ('active-listings', CASE WHEN p_now THEN b.listed_n ELSE
		api.stat_stock_at('active-listings', p_from, p_to) END, NULL),
	    ('orders', o.orders_n, NULL),
	    ('order-value', o.value_vnd, NULL),
	    ('cashless-share', o.online_n, o.orders_n),
	    ('cashless-value-share', o.online_vnd, o.value_vnd),
	    ('einvoice-share', o.einvoice_n, o.completed_n),
	    ('delivery-rate', o.delivered_n, o.orders_n),
	    ('cancellation-rate', o.cancelled_n, o.orders_n),
	    ('moderation-median-hours', m.median_h, NULL),
	    ('deadlines-met', m.met_n, m.decided_n),
	    ('violations-handled', m.acted_n, NULL),
	    ('subsidy-planned', CASE WHEN NOT p_now THEN
		api.stat_stock_at('subsidy-planned', p_from, p_to)
		WHEN v_plan IS NOT NULL THEN COALESCE(g.planned, 0) END, NULL),
	    ('subsidy-committed', CASE WHEN NOT p_now THEN
		api.stat_stock_at('subsidy-committed', p_from, p_to)
		WHEN v_plan IS NOT NULL THEN g.committed END, NULL),
	    ('subsidy-disbursed', CASE WHEN NOT p_now THEN
		api.stat_stock_at('subsidy-disbursed', p_from, p_to)
		WHEN v_plan IS NOT NULL THEN g.disbursed END, NULL),
	    ('businesses-supported', v_sup, NULL);
END $$;

/*
 * The periodic job's step (src/stats.c): this month's row of every stock
 * indicator (san.stat_stock_months) set to the state now.  One worker at
 * a time (an advisory lock; the others answer 0 at once); a row whose
 * figures did not change is not written.  Answers the rows written.
 */
CREATE FUNCTION api.stat_stock_snapshot() RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
	v_today	date := api.today();
	v_n	int;
BEGIN
	IF NOT pg_try_advisory_xact_lock(hashtext('san.stat_stock_months'))
	    THEN
		RETURN 0;
	END IF;
	WITH v AS (
		SELECT x.code, x.num, x.den
		  FROM api.stat_values(v_today, v_today, true,
		      (SELECT c.sme_count FROM san.stat_sme_counts c
			WHERE c.year = extract(year FROM v_today))) x
		  JOIN san.stat_indicators i
		    ON i.code = x.code AND i.kind = 'stock')
	INSERT INTO san.stat_stock_months AS m (code, month, num, den,
	    businesses)
	SELECT v.code, date_trunc('month', v_today)::date, v.num, v.den,
	    COALESCE((SELECT f.num FROM v f
		WHERE f.code = 'businesses-on-floor'), 0)
	  FROM v
	ON CONFLICT (code, month) DO UPDATE
	   SET num = EXCLUDED.num, den = EXCLUDED.den,
	       businesses = EXCLUDED.businesses, taken_at = now()
	 WHERE (m.num, m.den, m.businesses) IS DISTINCT FROM
	       (EXCLUDED.num, EXCLUDED.den, EXCLUDED.businesses);
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END $$;

-- An indicator's figure from its numerator and denominator: NULL when
-- either is unknown or the denominator is 0 (an empty period); percent
-- with two decimals.
CREATE FUNCTION api.stat_figure(p_unit text, p_num numeric, p_den numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN p_unit = 'percent' THEN
	CASE WHEN p_den > 0 THEN round(100 * p_num / p_den, 2) END
	ELSE p_num END $$;

/*
 * GET /api/v1/official/stats/indicators?year=: every indicator of the
 * year (default: this year, Vietnam time) with its figure, the target it
 * is measured against (the floor's plan first, the nearest target year
 * not before the year asked for), on_track/behind, and every plan's
 * targets.  Officials and admins.
 */
CREATE FUNCTION api.stats_indicators(p_token_hash text, p_year int)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_year	int;
	v_sme	san.stat_sme_counts;
	v_plan	text := san.setting('stats_plan');
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	v_year := COALESCE(p_year, extract(year FROM api.today())::int);
	SELECT * INTO v_sme FROM san.stat_sme_counts WHERE year = v_year;
	RETURN api.ok(200, json_build_object(
	    'year', v_year, 'as_of', now(), 'plan', v_plan,
	    'sme_count', CASE WHEN v_sme.year IS NOT NULL THEN
		json_build_object('count', v_sme.sme_count,
		'source', v_sme.source, 'entered_at', v_sme.entered_at) END,
	    'items', (SELECT json_agg(json_build_object(
		'code', i.code, 'name_vi', i.name_vi, 'name_en', i.name_en,
		'numerator', i.numerator, 'denominator', i.denominator,
		'unit', i.unit, 'kind', i.kind, 'direction', i.direction,
		'source', i.source,
		'value', f.value, 'numerator_value', v.num,
		'denominator_value', v.den,
		'target', t.j, 'status', CASE
		    WHEN f.value IS NULL OR t.value IS NULL THEN NULL
		    WHEN (i.direction = 'up' AND f.value >= t.value) OR
			 (i.direction = 'down' AND f.value <= t.value)
		    THEN 'on_track' ELSE 'behind' END,
		'targets', COALESCE((SELECT json_agg(json_build_object(
		    'plan', a.plan, 'year', a.year, 'value', a.value,
		    'citation', a.citation) ORDER BY a.year, a.plan)
		    FROM san.stat_targets a WHERE a.indicator = i.code), '[]'))
		ORDER BY i.position)
	      FROM san.stat_indicators i
	      JOIN api.stat_values(make_date(v_year, 1, 1),
		  make_date(v_year, 12, 31),
		  v_year = extract(year FROM api.today())::int,
		  v_sme.sme_count) v ON v.code = i.code
	      CROSS JOIN LATERAL (SELECT api.stat_figure(i.unit, v.num,
		  v.den) AS value) f
	      LEFT JOIN LATERAL (SELECT a.value, json_build_object(
		  'plan', a.plan, 'year', a.year, 'value', a.value,
		  'citation', a.citation) AS j
		  FROM san.stat_targets a WHERE a.indicator = i.code
		  ORDER BY a.plan = v_plan DESC, a.year >= v_year DESC,
		      abs(a.year - v_year), a.plan LIMIT 1) t ON true)));
END $$;

-- The key of a place in a series by p_by (province or ward): the unit's
-- code (sql/015; a ward's is unique in the country), or for a row written
-- before 015 whose text names no unit, that text.
CREATE FUNCTION api.stat_place_key(p_by text, p_pcode text, p_province text,
    p_wcode text, p_ward text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE p_by WHEN 'province' THEN COALESCE(p_pcode, p_province)
	ELSE COALESCE(p_wcode, p_province || ' / ' || p_ward) END $$;

-- The name shown beside a place key: "Tây Ninh", "Tây Ninh / Phường Tân
-- Ninh"; NULL by month.
CREATE FUNCTION api.stat_place_name(p_by text, p_province text, p_ward text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE p_by WHEN 'province' THEN p_province
	WHEN 'ward' THEN p_province || ' / ' || p_ward END $$;

-- One indicator's rows for a series: key (YYYY-MM, or a province's or
-- ward's code: api.stat_place_key) and the name beside it
-- (api.stat_place_name), numerator, denominator, how many businesses are
-- behind the figure.  Orders count where their store is (its own place,
-- sql/022), the other figures where the business is.  Every month of the
-- range appears (empty ones with zeros).  NULL rows (no result) when the
-- indicator has no such breakdown: the SME share has none, the subsidy
-- amounts only by source.  Stock figures by month are each month's last
-- state (san.stat_stock_months).
CREATE FUNCTION api.stat_series_rows(p_code text, p_from date, p_to date,
    p_by text)
RETURNS TABLE (key text, name text, num numeric, den numeric,
    businesses bigint)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_code IN ('orders', 'order-value', 'cashless-share',
	    'cashless-value-share', 'einvoice-share', 'delivery-rate',
	    'cancellation-rate') THEN
		RETURN QUERY
		WITH r AS (
			SELECT CASE p_by WHEN 'month' THEN
				to_char(s.month, 'YYYY-MM')
			    ELSE api.stat_place_key(p_by, st.province_code,
				st.province, st.ward_code, st.ward) END AS k,
			    api.stat_place_name(p_by, st.province, st.ward)
				AS nm,
			    s.business_id,
			    CASE p_code
				WHEN 'orders' THEN s.orders_n
				WHEN 'order-value' THEN s.value_vnd
				WHEN 'cashless-share' THEN s.online_n
				WHEN 'cashless-value-share' THEN s.online_vnd
				WHEN 'einvoice-share' THEN s.einvoice_n
				WHEN 'delivery-rate' THEN s.delivered_n
				WHEN 'cancellation-rate' THEN s.cancelled_n
			    END AS n,
			    CASE p_code
				WHEN 'cashless-value-share' THEN s.value_vnd
				WHEN 'einvoice-share' THEN s.completed_n
				WHEN 'orders' THEN NULL
				WHEN 'order-value' THEN NULL
				ELSE s.orders_n
			    END AS d,
			    s.orders_n
			  FROM san.stat_orders s
			  JOIN san.stores st ON st.id = s.store_id
			 WHERE s.month BETWEEN date_trunc('month', p_from)::date
			   AND p_to),
		keys AS (
			SELECT to_char(m, 'YYYY-MM') AS k
			  FROM generate_series(date_trunc('month', p_from),
			      p_to, interval '1 month') m
			 WHERE p_by = 'month'
			UNION
			SELECT DISTINCT r.k FROM r)
		SELECT keys.k, max(r.nm), COALESCE(sum(r.n), 0)::numeric,
		    CASE WHEN p_code IN ('orders', 'order-value') THEN NULL
			ELSE COALESCE(sum(r.d), 0) END::numeric,
		    count(DISTINCT r.business_id) FILTER (WHERE r.orders_n > 0)
		  FROM keys LEFT JOIN r ON r.k = keys.k
		 GROUP BY keys.k ORDER BY keys.k;
	ELSIF p_code = 'new-businesses' THEN
		RETURN QUERY
		WITH r AS (
			SELECT CASE p_by WHEN 'month' THEN to_char(
				s.verified_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
				'YYYY-MM')
			    ELSE api.stat_place_key(p_by, s.province_code,
				s.province, s.ward_code, s.ward) END AS k,
			    api.stat_place_name(p_by, s.province, s.ward)
				AS nm
			  FROM san.stat_businesses s
			 WHERE s.verified_at IS NOT NULL
			   AND (s.verified_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
			       BETWEEN p_from AND p_to),
		keys AS (
			SELECT to_char(m, 'YYYY-MM') AS k
			  FROM generate_series(date_trunc('month', p_from),
			      p_to, interval '1 month') m
			 WHERE p_by = 'month'
			UNION
			SELECT DISTINCT r.k FROM r)
		SELECT keys.k, max(r.nm), count(r.k)::numeric, NULL::numeric,
		    count(r.k)
		  FROM keys LEFT JOIN r ON r.k = keys.k
		 GROUP BY keys.k ORDER BY keys.k;
	ELSIF p_code IN ('businesses-on-floor', 'active-listings')
	    AND p_by = 'month' THEN
		-- Each month's last state (san.stat_stock_months); a month
		-- without a row has no figure.
		RETURN QUERY
		SELECT to_char(m, 'YYYY-MM'), NULL::text, s.num,
		    NULL::numeric, COALESCE(s.businesses, 0)
		  FROM generate_series(date_trunc('month', p_from), p_to,
		      interval '1 month') m
		  LEFT JOIN san.stat_stock_months s
		    ON s.code = p_code AND s.month = m::date
		 ORDER BY 1;
	ELSIF p_code IN ('businesses-on-floor', 'active-listings') THEN
		RETURN QUERY
		SELECT api.stat_place_key(p_by, s.province_code, s.province,
			s.ward_code, s.ward) AS k,
		    max(api.stat_place_name(p_by, s.province, s.ward)),
		    CASE p_code WHEN 'businesses-on-floor' THEN count(*)
			ELSE sum(s.listed_n) END::numeric,
		    NULL::numeric, count(*)
		  FROM san.stat_businesses s WHERE s.on_floor
		 GROUP BY 1 ORDER BY 1;
	ELSIF p_code = ANY (api.stat_mod_codes()) THEN
		RETURN QUERY
		WITH r AS (
			SELECT CASE p_by WHEN 'month' THEN to_char(
				d.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
				'YYYY-MM')
			    ELSE api.stat_place_key(p_by, b.province_code,
				b.province, b.ward_code, b.ward) END AS k,
			    api.stat_place_name(p_by, b.province, b.ward)
				AS nm,
			    d.business_id, d.action <> 'dismiss' AS acted,
			    d.created_at <= c.deadline AS met,
			    extract(epoch FROM d.created_at - c.first_alert_at)
				/ 3600 AS hours
			  FROM san.mod_decisions d
			  JOIN san.mod_cases c ON c.id = d.case_id
			  JOIN san.stat_businesses b
			    ON b.business_id = d.business_id
			 WHERE d.created_at >= api.stat_vn_start(p_from)
			   AND d.created_at < api.stat_vn_start(p_to + 1)),
		keys AS (
			SELECT to_char(m, 'YYYY-MM') AS k
			  FROM generate_series(date_trunc('month', p_from),
			      p_to, interval '1 month') m
			 WHERE p_by = 'month'
			UNION
			SELECT DISTINCT r.k FROM r)
		SELECT keys.k, max(r.nm), CASE p_code
			WHEN 'moderation-median-hours' THEN round(
			    (percentile_cont(0.5) WITHIN GROUP (ORDER BY
			    r.hours))::numeric, 2)
			WHEN 'deadlines-met' THEN count(r.k) FILTER (WHERE r.met)
			ELSE count(r.k) FILTER (WHERE r.acted) END::numeric,
		    CASE WHEN p_code = 'deadlines-met' THEN count(r.k)
			END::numeric,
		    count(DISTINCT r.business_id)
		  FROM keys LEFT JOIN r ON r.k = keys.k
		 GROUP BY keys.k ORDER BY keys.k;
	ELSIF p_code = 'businesses-supported' THEN
		RETURN QUERY
		WITH r AS (
			SELECT CASE p_by WHEN 'month' THEN to_char(
				g.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
				'YYYY-MM')
			    ELSE api.stat_place_key(p_by, b.province_code,
				b.province, b.ward_code, b.ward) END AS k,
			    api.stat_place_name(p_by, b.province, b.ward)
				AS nm,
			    g.business_id
			  FROM san.grants g
			  JOIN san.stat_businesses b
			    ON b.business_id = g.business_id
			 WHERE g.status = 'active'
			   AND g.created_at >= api.stat_vn_start(p_from)
			   AND g.created_at < api.stat_vn_start(p_to + 1)),
		keys AS (
			SELECT to_char(m, 'YYYY-MM') AS k
			  FROM generate_series(date_trunc('month', p_from),
			      p_to, interval '1 month') m
			 WHERE p_by = 'month'
			UNION
			SELECT DISTINCT r.k FROM r)
		SELECT keys.k, max(r.nm), count(DISTINCT r.business_id)::numeric,
		    NULL::numeric, count(DISTINCT r.business_id)
		  FROM keys LEFT JOIN r ON r.k = keys.k
		 GROUP BY keys.k ORDER BY keys.k;
	ELSIF p_code = ANY (api.stat_subsidy_codes()) AND p_by = 'source' THEN
		-- The floor's plan's balances by funding source; businesses:
		-- those whose grants hold the money (none behind the plan).
		RETURN QUERY
		SELECT a.source, NULL::text, sum(CASE WHEN a.kind = 'funding'
			THEN -a.balance_vnd ELSE a.balance_vnd END)::numeric,
		    NULL::numeric,
		    CASE WHEN p_code <> 'subsidy-planned' THEN
			count(DISTINCT x.business_id)
			FILTER (WHERE a.balance_vnd <> 0) END
		  FROM san.ledger_accounts a
		  LEFT JOIN san.grants x ON x.id = a.grant_id
		 WHERE a.plan_id = api.stat_ledger_plan()
		   AND a.kind = ANY (CASE p_code
			WHEN 'subsidy-planned' THEN '{funding}'::text[]
			WHEN 'subsidy-committed' THEN '{committed,pending}'
			ELSE '{disbursed}' END)
		 GROUP BY a.source ORDER BY a.source;
	END IF;
END $$;

/*
 * GET /api/v1/official/stats/series/{code}?from=&to=&by=&format=: one
 * indicator by month (default), province or ward (the subsidy amounts:
 * by funding source, by=source, and only so), from..to (Vietnam
 * dates; default the 12 months up to today).  JSON columns for charts
 * (key: the month, or the province's or ward's code; name: the place's
 * name beside its code, null by month; value, numerator, denominator,
 * businesses, suppressed), or with
 * format=csv the same rows as RFC 4180 CSV, where a figure with fewer
 * than api.stat_min_businesses() businesses behind it is left empty and
 * marked suppressed.
 */
CREATE FUNCTION api.stats_series(p_token_hash text, p_code text,
    p_from date, p_to date, p_by text, p_format text)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_i	san.stat_indicators;
	v_to	date := COALESCE(p_to, api.today());
	v_from	date;
	v_by	text := COALESCE(p_by, 'month');
	v_min	int := api.stat_min_businesses();
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_i FROM san.stat_indicators WHERE code = p_code;
	IF NOT FOUND THEN
		RETURN api.err(404, 'indicator_not_found');
	END IF;
	v_from := COALESCE(p_from,
	    (date_trunc('month', v_to) - interval '11 months')::date);
	IF v_from > v_to OR v_to - v_from > 3700 THEN
		RETURN api.err(400, 'invalid_range', 'from');
	END IF;
	-- by source: the subsidy amounts, and only by source.
	IF (v_i.code = 'sme-share') OR
	    ((v_by = 'source') <> (v_i.code = ANY (api.stat_subsidy_codes())))
	    THEN
		RETURN api.err(400, 'series_unsupported', 'by');
	END IF;
	IF p_format = 'csv' THEN
		RETURN (200, 'key,name,value,numerator,denominator,'
		    'businesses,suppressed' || E'\r\n' ||
		    COALESCE((SELECT string_agg(
		    concat_ws(',', api.csv(r.key), COALESCE(api.csv(r.name), ''),
			COALESCE(CASE WHEN r.shown THEN
			    api.stat_figure(v_i.unit, r.num, r.den)::text END,
			    ''),
			COALESCE(CASE WHEN r.shown THEN r.num::text END, ''),
			COALESCE(CASE WHEN r.shown THEN r.den::text END, ''),
			COALESCE(r.businesses::text, ''),
			CASE WHEN r.shown OR r.businesses = 0
			    THEN 'false' ELSE 'true' END) || E'\r\n', ''
		    ORDER BY r.key)
		  -- shown: enough businesses behind the figure, or none at
		  -- all (NULL: a figure not about businesses, the plan's)
		  FROM (SELECT x.*, COALESCE(x.businesses >= v_min, true)
			AS shown
		      FROM api.stat_series_rows(p_code, v_from, v_to, v_by) x)
		    r), ''), NULL, NULL)::api.result;
	END IF;
	RETURN api.ok(200, (SELECT json_build_object(
	    'code', v_i.code, 'unit', v_i.unit, 'by', v_by,
	    'from', v_from, 'to', v_to, 'as_of', now(),
	    'min_businesses', v_min,
	    'key', COALESCE(json_agg(r.key ORDER BY r.key), '[]'),
	    'name', COALESCE(json_agg(r.name ORDER BY r.key), '[]'),
	    'value', COALESCE(json_agg(api.stat_figure(v_i.unit, r.num, r.den)
		ORDER BY r.key), '[]'),
	    'numerator', COALESCE(json_agg(r.num ORDER BY r.key), '[]'),
	    'denominator', COALESCE(json_agg(r.den ORDER BY r.key), '[]'),
	    'businesses', COALESCE(json_agg(r.businesses ORDER BY r.key),
		'[]'),
	    'suppressed', COALESCE(json_agg(COALESCE(r.businesses < v_min
		AND r.businesses > 0, false) ORDER BY r.key), '[]'))
	  FROM api.stat_series_rows(p_code, v_from, v_to, v_by) r));
END $$;

/*
 * PUT /api/v1/admin/stats/sme-counts/{year} {sme_count, source}: the
 * province's SMEs that year, the denominator of the SME share (admins;
 * recorded in the audit log).
 */
CREATE FUNCTION api.stats_sme_put(p_token_hash text, p_year bigint,
    p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_row	san.stat_sme_counts;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	IF p_year NOT BETWEEN 2000 AND 2100 THEN
		RETURN api.err(404, 'not_found');
	END IF;
	INSERT INTO san.stat_sme_counts AS s (year, sme_count, source,
	    entered_by)
	VALUES (p_year, (p_body->>'sme_count')::int, api.txt(p_body, 'source'),
	    v_me)
	ON CONFLICT (year) DO UPDATE SET sme_count = EXCLUDED.sme_count,
	    source = EXCLUDED.source, entered_by = EXCLUDED.entered_by,
	    entered_at = now()
	RETURNING * INTO v_row;
	PERFORM api.audit(v_me, 'stats_sme_count', 'stat_sme_count',
	    p_year::text, jsonb_build_object('sme_count', v_row.sme_count,
	    'source', v_row.source));
	RETURN api.ok(200, json_build_object('year', v_row.year,
	    'sme_count', v_row.sme_count, 'source', v_row.source,
	    'entered_at', v_row.entered_at));
END $$;

-- Reports for the authorities (Decree 52/2013/NĐ-CP) -----------------------

/*
 * GET /api/v1/official/reports/sellers.csv: the seller register, every
 * business that applied to the floor with its Decree 52 identity, status
 * and dates (applied, first verified, last change), its stores (officials,
 * admins).  RFC 4180, formula cells neutralised.
 */
CREATE FUNCTION api.report_sellers_csv(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN (200, 'tax_code,name,kind,registration_no,registration_date,'
	    'registration_issuer,address,ward,province,representative,phone,'
	    'email,status,applied_on,verified_on,updated_on,stores,'
	    'active_stores' || E'\r\n' || COALESCE((SELECT string_agg(
	    array_to_string(ARRAY[api.csv(b.tax_code), api.csv(b.name),
		api.csv(b.kind), api.csv(b.registration_no),
		b.registration_date::text, api.csv(b.registration_issuer),
		api.csv(b.address), api.csv(b.ward), api.csv(b.province),
		api.csv(b.representative), api.csv(b.phone), api.csv(b.email),
		b.status, api.stat_vn_date(b.created_at),
		COALESCE(api.stat_vn_date(s.verified_at), ''),
		api.stat_vn_date(b.updated_at),
		(SELECT count(*) FROM san.stores x
		  WHERE x.business_id = b.id)::text,
		(SELECT count(*) FROM san.stores x WHERE x.business_id = b.id
		    AND x.status = 'active')::text], ',') || E'\r\n', ''
	    ORDER BY b.id)
	  FROM san.businesses b
	  LEFT JOIN san.stat_businesses s ON s.business_id = b.id), ''),
	    NULL, NULL)::api.result;
END $$;

CREATE FUNCTION api.stat_vn_date(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT to_char(t AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') $$;

/*
 * GET /api/v1/official/reports/yearly/{year}?format=json|csv: the yearly
 * statistics for the Ministry, one calendar year (Vietnam time):
 * businesses (on the floor now, newly verified), listings, orders, value,
 * cashless and e-invoice shares, violations handled (the monitoring
 * module's decisions of the year with an action).
 */
CREATE FUNCTION api.report_yearly(p_token_hash text, p_year bigint,
    p_format text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_now	boolean;
	v_rows	jsonb;
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	IF p_year NOT BETWEEN 2000 AND 2100 THEN
		RETURN api.err(404, 'not_found');
	END IF;
	v_now := p_year = extract(year FROM api.today());
	SELECT jsonb_agg(jsonb_build_object('code', i.code,
	    'name_vi', i.name_vi, 'name_en', i.name_en, 'unit', i.unit,
	    'value', api.stat_figure(i.unit, v.num, v.den),
	    'numerator', v.num, 'denominator', v.den) ORDER BY i.position)
	  INTO v_rows
	  FROM san.stat_indicators i
	  JOIN api.stat_values(make_date(p_year::int, 1, 1),
	      make_date(p_year::int, 12, 31), v_now,
	      (SELECT sme_count FROM san.stat_sme_counts
		WHERE year = p_year)) v ON v.code = i.code
	 WHERE i.code IN ('businesses-on-floor', 'new-businesses',
	     'active-listings', 'orders', 'order-value', 'cashless-share',
	     'cashless-value-share', 'einvoice-share', 'violations-handled');
	IF p_format = 'csv' THEN
		RETURN (200, 'year,code,indicator,unit,value,numerator,'
		    'denominator' || E'\r\n' || (SELECT string_agg(
		    array_to_string(ARRAY[p_year::text, r->>'code',
			api.csv(r->>'name_vi'), r->>'unit',
			COALESCE(r->>'value', ''),
			COALESCE(r->>'numerator', ''),
			COALESCE(r->>'denominator', '')], ',') || E'\r\n', ''
		    ORDER BY n)
		  FROM jsonb_array_elements(v_rows) WITH ORDINALITY
		      AS x(r, n)), NULL, NULL)::api.result;
	END IF;
	RETURN api.ok(200, json_build_object('year', p_year,
	    'as_of', now(), 'current', v_now,
	    'note', 'Stock figures (businesses on the floor, listings) are the state now and only given for the current year; violations handled are the monitoring decisions of the year with an action.',
	    'items', v_rows));
END $$;

/*
 * POST /api/v1/official/reports/seller-data/{business} {requesting_body,
 * document_no, document_date}: what an authority may request about one
 * seller (Decree 52): identity, stores, listing counts, orders and value
 * by month, the department's decisions.  Produced on an official's
 * request and recorded in the audit log with the requesting body and the
 * document number.
 */
CREATE FUNCTION api.report_seller_data(p_token_hash text, p_business bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_b	san.businesses;
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_b FROM san.businesses WHERE id = p_business;
	IF NOT FOUND THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	PERFORM api.audit(v_me, 'seller_data_request', 'business',
	    p_business::text, jsonb_build_object(
	    'requesting_body', api.txt(p_body, 'requesting_body'),
	    'document_no', api.txt(p_body, 'document_no'),
	    'document_date', p_body->>'document_date'));
	RETURN api.ok(200, json_build_object(
	    'request', json_build_object(
		'requesting_body', api.txt(p_body, 'requesting_body'),
		'document_no', api.txt(p_body, 'document_no'),
		'document_date', p_body->>'document_date',
		'produced_at', now()),
	    'identity', json_build_object('id', v_b.id,
		'tax_code', v_b.tax_code, 'name', v_b.name, 'kind', v_b.kind,
		'registration_no', v_b.registration_no,
		'registration_date', v_b.registration_date,
		'registration_issuer', v_b.registration_issuer,
		'address', v_b.address, 'ward', v_b.ward,
		'province', v_b.province, 'representative', v_b.representative,
		'phone', v_b.phone, 'email', v_b.email, 'status', v_b.status,
		'created_at', v_b.created_at),
	    'stores', COALESCE((SELECT json_agg(json_build_object(
		'slug', s.slug, 'name', s.name, 'status', s.status,
		'created_at', s.created_at,
		'listed_products', (SELECT count(*) FROM san.products p
		    WHERE p.store_id = s.id AND p.listed),
		'products', (SELECT count(*) FROM san.products p
		    WHERE p.store_id = s.id AND p.deleted_at IS NULL),
		'deleted_products', (SELECT count(*) FROM san.products p
		    WHERE p.store_id = s.id AND p.deleted_at IS NOT NULL))
		ORDER BY s.id)
	      FROM san.stores s WHERE s.business_id = v_b.id), '[]'),
	    'orders_by_month', COALESCE((SELECT json_agg(json_build_object(
		'month', to_char(o.month, 'YYYY-MM'), 'orders', o.n,
		'value_vnd', o.v, 'paid_online', o.online,
		'cancelled', o.c) ORDER BY o.month)
	      FROM (SELECT month, sum(orders_n) AS n, sum(value_vnd) AS v,
		    sum(online_n) AS online, sum(cancelled_n) AS c
		  FROM san.stat_orders WHERE business_id = v_b.id
		 GROUP BY month) o), '[]'),
	    'decisions', COALESCE((SELECT json_agg(json_build_object(
		'action', e.action, 'from', e.from_status, 'to', e.to_status,
		'reason', e.reason, 'at', e.at) ORDER BY e.id)
	      FROM san.business_events e WHERE e.business_id = v_b.id),
		'[]')));
END $$;
