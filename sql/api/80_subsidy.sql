-- The subsidy ledger (tables and the ledger's rules: sql/008_subsidy.sql).
-- Plans are imported from sql/plans/*.json (scripts/import-plans.sh calls
-- api.plan_import); admins make programmes, grant, disburse, approve,
-- reverse; officials and a business's own members read its support.
--
-- Lock order everywhere: programme -> business -> grant -> disbursement
-- -> ledger accounts (in id order).  Every money operation is one
-- function call, one transaction, one balanced ledger_tx.

CREATE FUNCTION api.is_admin(p_account bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT api.has_role(p_account, 'admin') $$;

-- Source order of the appendices' columns.
CREATE FUNCTION api.source_rank(p_source text) RETURNS int
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE p_source WHEN 'provincial' THEN 1 WHEN 'central' THEN 2
	WHEN 'business' THEN 3 WHEN 'other' THEN 4 ELSE 5 END $$;

-- (ancestor, line) for every line of plan p_plan and every line below it,
-- itself included; the total line is the ancestor of every line.
CREATE FUNCTION api.plan_subtree(p_plan bigint)
RETURNS TABLE (anc bigint, line_id bigint)
LANGUAGE sql STABLE
AS $$
	WITH RECURSIVE t(anc, id) AS (
		SELECT id, id FROM san.plan_lines WHERE plan_id = p_plan
		UNION ALL
		SELECT t.anc, c.id FROM t
		  JOIN san.plan_lines c ON c.parent_id = t.id)
	SELECT anc, id FROM t
	UNION
	SELECT tl.id, l.id FROM san.plan_lines tl
	  JOIN san.plan_lines l ON l.plan_id = tl.plan_id
	 WHERE tl.plan_id = p_plan AND tl.kind = 'total'
$$;

-- Every stated figure of plan p_plan that is not what its parts add up
-- to: [{line, title, year, source, stated_in, stated_vnd, computed_vnd,
-- difference_vnd}] in appendix order.
CREATE FUNCTION api.plan_disagreements(p_plan bigint) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	WITH sub AS MATERIALIZED (SELECT * FROM api.plan_subtree(p_plan)),
	parts AS MATERIALIZED (
		SELECT f.line_id, f.year, f.source, f.amount_vnd
		  FROM san.plan_figures f
		  JOIN san.plan_lines l ON l.id = f.line_id
		 WHERE l.plan_id = p_plan AND f.is_part),
	chk AS (
		SELECT l.position, l.code, l.title, f.year, f.source,
		    f.stated_in, f.amount_vnd AS stated,
		    COALESCE((SELECT sum(p.amount_vnd) FROM sub
			JOIN parts p ON p.line_id = sub.line_id
		       WHERE sub.anc = l.id
			 AND (f.year IS NULL OR p.year = f.year)
			 AND (f.source IS NULL OR p.source = f.source)), 0)
			AS computed
		  FROM san.plan_figures f
		  JOIN san.plan_lines l ON l.id = f.line_id
		 WHERE l.plan_id = p_plan AND NOT f.is_part)
	SELECT COALESCE(jsonb_agg(jsonb_build_object(
		'line', COALESCE(code, 'Tổng cộng'), 'title', title,
		'year', year, 'source', source, 'stated_in', stated_in,
		'stated_vnd', stated, 'computed_vnd', computed,
		'difference_vnd', stated - computed)
		ORDER BY position, stated_in <> 'appendix', stated_in,
		year NULLS LAST,
		api.source_rank(source)), '[]')
	  FROM chk WHERE stated <> computed
$$;

/*
 * Import one plan file (sql/plans/NAME.json, format in its "_format"
 * member): the plan, its lines in order with their parents, every figure
 * (amounts times unit_vnd), the parts as budget accounts funded by one
 * balanced plan_load transaction, and the list of disagreements between
 * stated totals and the sums of their parts, kept in the plan and
 * returned.  A plan already imported (same province and title) is left as
 * it is: {"plan_id", "imported": false, "disagreements"}.
 */
CREATE FUNCTION api.plan_import(p jsonb, p_actor bigint DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	v_plan		bigint;
	v_unit		bigint := (p->>'unit_vnd')::bigint;
	v_line		jsonb;
	v_pos		int := 0;
	v_id		bigint;
	v_stack		bigint[] := '{}';
	v_level		int;
	v_parent	bigint;
	v_fig		jsonb;
	v_else		jsonb;
	v_total		bigint;
	v_tx		bigint;
	v_accts		bigint[];
	v_amts		bigint[];
	v_report	jsonb;
BEGIN
	SELECT id INTO v_plan FROM san.plans
	 WHERE province = p->>'province' AND title = p->>'title';
	IF FOUND THEN
		RETURN jsonb_build_object('plan_id', v_plan, 'imported', false,
		    'disagreements', (SELECT import_report FROM san.plans
			WHERE id = v_plan));
	END IF;
	INSERT INTO san.plans (province, decision_no, decision_date, status,
	    title, appendix, seed, period_from, period_to, unit_vnd,
	    unit_label, years, sources, source_labels, imported_by)
	VALUES (p->>'province', p->>'decision_no',
	    (p->>'decision_date')::date, COALESCE(p->>'status', 'approved'),
	    p->>'title', p->>'appendix', p->>'seed',
	    (p->>'period_from')::int, (p->>'period_to')::int, v_unit,
	    p->>'unit_label',
	    (SELECT array_agg(y::int) FROM jsonb_array_elements_text(
		CASE jsonb_typeof(p->'years') WHEN 'array' THEN p->'years'
		ELSE '[]' END) y),
	    (SELECT array_agg(s) FROM jsonb_array_elements_text(p->'sources') s),
	    COALESCE(p->'source_labels', '{}'), p_actor)
	RETURNING id INTO v_plan;

	-- Lines in order; a line's parent is the nearest line above it of a
	-- lower level.
	FOR v_line IN SELECT x FROM jsonb_array_elements(p->'lines') x LOOP
		v_pos := v_pos + 1;
		IF v_line->>'kind' = 'total' THEN
			v_level := 0;
			v_parent := NULL;
		ELSE
			v_level := (v_line->>'level')::int;
			v_parent := CASE WHEN v_level > 1
			    THEN v_stack[v_level - 1] END;
		END IF;
		INSERT INTO san.plan_lines (plan_id, parent_id, position, kind,
		    code, printed_code, level, title, explanation, note)
		VALUES (v_plan, v_parent, v_pos,
		    COALESCE(v_line->>'kind', 'line'), v_line->>'code',
		    v_line->>'printed_code', v_level, v_line->>'title',
		    v_line->>'explanation', v_line->>'note')
		RETURNING id INTO v_id;
		IF v_level > 0 THEN
			v_stack := v_stack[1:v_level - 1] || v_id;
		END IF;
		INSERT INTO san.plan_figures (line_id, year, source, amount_vnd)
		SELECT v_id, (f->>0)::int, f->>1, (f->>2)::bigint * v_unit
		  FROM jsonb_array_elements(v_line->'figures') f;
	END LOOP;
	-- Totals the plan states outside the appendix table: on the total line.
	SELECT id INTO v_id FROM san.plan_lines
	 WHERE plan_id = v_plan AND kind = 'total';
	FOR v_else IN SELECT x FROM jsonb_array_elements(
	    COALESCE(p->'stated_elsewhere', '[]')) x LOOP
		INSERT INTO san.plan_figures (line_id, year, source, stated_in,
		    amount_vnd)
		SELECT v_id, (f->>0)::int, f->>1, v_else->>'where',
		    (f->>2)::bigint * v_unit
		  FROM jsonb_array_elements(v_else->'figures') f;
	END LOOP;
	-- The parts: a source's figure on a line with no line below it, in
	-- a year column (or the period's, when the appendix has no years).
	UPDATE san.plan_figures f SET is_part = true
	  FROM san.plan_lines l JOIN san.plans p ON p.id = l.plan_id
	 WHERE l.id = f.line_id AND l.plan_id = v_plan AND l.kind = 'line'
	   AND f.source IS NOT NULL AND f.stated_in = 'appendix'
	   AND (f.year IS NOT NULL OR p.years IS NULL)
	   AND NOT EXISTS (SELECT 1 FROM san.plan_lines c
		WHERE c.parent_id = l.id);

	-- The ledger: a funding account per source, a budget account per
	-- part, one balanced transaction loading the plan.
	INSERT INTO san.ledger_accounts (kind, plan_id, source)
	SELECT DISTINCT 'funding', v_plan, f.source
	  FROM san.plan_figures f JOIN san.plan_lines l ON l.id = f.line_id
	 WHERE l.plan_id = v_plan AND f.is_part AND f.amount_vnd > 0;
	INSERT INTO san.ledger_accounts (kind, plan_id, source, line_id, year)
	SELECT 'budget', v_plan, f.source, f.line_id, f.year
	  FROM san.plan_figures f JOIN san.plan_lines l ON l.id = f.line_id
	 WHERE l.plan_id = v_plan AND f.is_part AND f.amount_vnd > 0
	 ORDER BY l.position, f.year, api.source_rank(f.source);
	INSERT INTO san.ledger_tx (kind, plan_id, actor_id, reason)
	VALUES ('plan_load', v_plan, p_actor, p->>'appendix')
	RETURNING id INTO v_tx;
	SELECT array_agg(a ORDER BY n), array_agg(v ORDER BY n)
	  INTO v_accts, v_amts
	  FROM (SELECT b.id AS a, f.amount_vnd AS v, b.id AS n
		  FROM san.ledger_accounts b
		  JOIN san.plan_figures f ON f.line_id = b.line_id
		   AND f.is_part AND f.source = b.source
		   AND f.year IS NOT DISTINCT FROM b.year
		 WHERE b.plan_id = v_plan AND b.kind = 'budget'
		UNION ALL
		SELECT fa.id, -sum(f.amount_vnd), 0
		  FROM san.ledger_accounts fa
		  JOIN san.plan_lines l ON l.plan_id = fa.plan_id
		  JOIN san.plan_figures f ON f.line_id = l.id AND f.is_part
		   AND f.source = fa.source
		 WHERE fa.plan_id = v_plan AND fa.kind = 'funding'
		 GROUP BY fa.id) x;
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);

	v_report := api.plan_disagreements(v_plan);
	UPDATE san.plans SET import_report = v_report WHERE id = v_plan;
	IF p_actor IS NOT NULL THEN
		PERFORM api.audit(p_actor, 'plan_import', 'plan', v_plan::text,
		    jsonb_build_object('disagreements', jsonb_array_length(v_report)));
	END IF;
	RETURN jsonb_build_object('plan_id', v_plan, 'imported', true,
	    'disagreements', v_report);
END $$;

-- GET /api/v1/admin/plans: every plan with its totals (admins).
CREATE FUNCTION api.plans_list(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE((
	    SELECT json_agg(json_build_object('id', p.id,
		'province', p.province, 'decision_no', p.decision_no,
		'decision_date', p.decision_date, 'status', p.status,
		'title', p.title, 'period_from', p.period_from,
		'period_to', p.period_to,
		'planned_vnd', (SELECT COALESCE(sum(-a.balance_vnd), 0)
		    FROM san.ledger_accounts a
		   WHERE a.plan_id = p.id AND a.kind = 'funding'),
		'remaining_vnd', (SELECT COALESCE(sum(a.balance_vnd), 0)
		    FROM san.ledger_accounts a
		   WHERE a.plan_id = p.id AND a.kind = 'budget'),
		'disagreements', jsonb_array_length(p.import_report))
		ORDER BY p.period_from, p.province)
	      FROM san.plans p), '[]')));
END $$;

/*
 * GET /api/v1/admin/plans/{id}/report[?format=csv] (admins): per line, in
 * the appendix's order, per column of the appendix (year x source, totals
 * included): the stated figure, the sum of its parts, and from the
 * ledger planned, committed, disbursed and remaining.  CSV: UTF-8 with a
 * BOM, CRLF, every text field quoted and formula-safe (opens in Excel).
 */
CREATE FUNCTION api.plan_report(p_token_hash text, p_plan bigint,
    p_format text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_p	san.plans;
	v_cells	jsonb;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_p FROM san.plans WHERE id = p_plan;
	IF NOT FOUND THEN RETURN api.err(404, 'plan_not_found'); END IF;

	WITH sub AS MATERIALIZED (SELECT * FROM api.plan_subtree(p_plan)),
	parts AS MATERIALIZED (
		SELECT f.line_id, f.year, f.source, f.amount_vnd
		  FROM san.plan_figures f
		  JOIN san.plan_lines l ON l.id = f.line_id
		 WHERE l.plan_id = p_plan AND f.is_part),
	acc AS MATERIALIZED (
		SELECT b.line_id, b.year, b.source,
		    b.balance_vnd AS remaining,
		    COALESCE(x.original, 0) AS original,
		    COALESCE(x.planned, 0) AS planned,
		    (SELECT COALESCE(sum(d.balance_vnd), 0)
		       FROM san.ledger_accounts d
		      WHERE d.budget_id = b.id AND d.kind = 'disbursed')
			AS disbursed
		  FROM san.ledger_accounts b
		  -- planned: the appendix's part plus its revisions
		  -- (sql/api/81_plan_revisions.sql); original: the part.
		  LEFT JOIN LATERAL (SELECT sum(e.credit_vnd - e.debit_vnd)
			FILTER (WHERE t.kind = 'plan_load') AS original,
			sum(e.credit_vnd - e.debit_vnd) AS planned
		       FROM san.ledger_entries e
		       JOIN san.ledger_tx t ON t.id = e.tx_id
		      WHERE e.account_id = b.id
			AND t.kind IN ('plan_load', 'revision')) x ON true
		 WHERE b.plan_id = p_plan AND b.kind = 'budget'),
	cols AS MATERIALIZED (
		SELECT DISTINCT f.year, f.source
		  FROM san.plan_figures f
		  JOIN san.plan_lines l ON l.id = f.line_id
		 WHERE l.plan_id = p_plan AND f.stated_in = 'appendix'),
	-- Sums of the parts and of the ledger per ancestor line, per year x
	-- source, per year, per source and in all (grouping() tells a
	-- rolled-up column from a whole-period part's NULL year).
	pa AS MATERIALIZED (
		SELECT sub.anc, p.year, p.source, grouping(p.year) AS gy,
		    grouping(p.source) AS gs, sum(p.amount_vnd) AS computed
		  FROM sub JOIN parts p ON p.line_id = sub.line_id
		 GROUP BY sub.anc, GROUPING SETS ((p.year, p.source), (p.year),
		    (p.source), ())),
	aa AS MATERIALIZED (
		SELECT sub.anc, a.year, a.source, grouping(a.year) AS gy,
		    grouping(a.source) AS gs, sum(a.original) AS original,
		    sum(a.planned) AS planned,
		    sum(a.planned - a.remaining) AS committed,
		    sum(a.disbursed) AS disbursed, sum(a.remaining) AS remaining
		  FROM sub JOIN acc a ON a.line_id = sub.line_id
		 GROUP BY sub.anc, GROUPING SETS ((a.year, a.source), (a.year),
		    (a.source), ())),
	cells AS (
		SELECT l.id, l.position, l.code, l.printed_code, l.level,
		    l.kind, l.title, c.year, c.source, st.amount_vnd AS stated,
		    COALESCE(pa.computed, 0) AS computed,
		    COALESCE(aa.original, 0) AS original_vnd,
		    COALESCE(aa.planned, 0) AS planned_vnd,
		    COALESCE(aa.committed, 0) AS committed_vnd,
		    COALESCE(aa.disbursed, 0) AS disbursed_vnd,
		    COALESCE(aa.remaining, 0) AS remaining_vnd
		  FROM san.plan_lines l CROSS JOIN cols c
		  LEFT JOIN san.plan_figures st ON st.line_id = l.id
		   AND st.stated_in = 'appendix'
		   AND st.year IS NOT DISTINCT FROM c.year
		   AND st.source IS NOT DISTINCT FROM c.source
		  LEFT JOIN pa ON pa.anc = l.id
		   AND CASE WHEN c.year IS NULL THEN pa.gy = 1
			ELSE pa.gy = 0 AND pa.year = c.year END
		   AND CASE WHEN c.source IS NULL THEN pa.gs = 1
			ELSE pa.gs = 0 AND pa.source = c.source END
		  LEFT JOIN aa ON aa.anc = l.id
		   AND CASE WHEN c.year IS NULL THEN aa.gy = 1
			ELSE aa.gy = 0 AND aa.year = c.year END
		   AND CASE WHEN c.source IS NULL THEN aa.gs = 1
			ELSE aa.gs = 0 AND aa.source = c.source END
		 WHERE l.plan_id = p_plan)
	SELECT jsonb_agg(to_jsonb(cells)
		ORDER BY position, year NULLS LAST, api.source_rank(source))
		-- a blank cell given a figure by a revision shows too
		FILTER (WHERE stated IS NOT NULL OR computed <> 0
		    OR planned_vnd <> 0)
	  INTO v_cells FROM cells;

	IF p_format = 'csv' THEN
		RETURN (200, E'\uFEFF' || 'STT,Nội dung,Năm,Nguồn,'
		    'Kế hoạch (văn bản),Kế hoạch (cộng các phần),Chênh lệch,'
		    'Đã cam kết,Đã giải ngân,Còn lại,Kế hoạch ban đầu,'
		    'Kế hoạch điều chỉnh,Chênh lệch điều chỉnh' || E'\r\n' ||
		    COALESCE((SELECT string_agg(concat_ws(',',
			api.csv(COALESCE(c->>'printed_code', c->>'code', '')),
			api.csv(c->>'title'),
			api.csv(COALESCE(c->>'year', 'Cả giai đoạn')),
			api.csv(CASE c->>'source'
			    WHEN 'provincial' THEN 'Ngân sách tỉnh'
			    WHEN 'central' THEN 'Ngân sách Trung ương'
			    WHEN 'business' THEN 'Doanh nghiệp đối ứng'
			    WHEN 'other' THEN 'Nguồn khác'
			    ELSE 'Tổng' END),
			-- concat_ws skips NULLs: an empty field keeps
			-- the columns in place.
			COALESCE(c->>'stated', ''), c->>'computed',
			COALESCE(((c->>'stated')::bigint
			    - (c->>'computed')::bigint)::text, ''),
			c->>'committed_vnd', c->>'disbursed_vnd',
			c->>'remaining_vnd', c->>'original_vnd',
			c->>'planned_vnd',
			(c->>'planned_vnd')::bigint
			    - (c->>'original_vnd')::bigint)
			|| E'\r\n', '' ORDER BY n)
		      FROM jsonb_array_elements(v_cells) WITH ORDINALITY
			x(c, n)), '') ||
		    -- The revisions, one row per change, after a blank line.
		    COALESCE((SELECT E'\r\n' || 'Quyết định điều chỉnh,'
			'Ngày,Lý do,STT,Năm,Nguồn,Trước điều chỉnh,'
			'Sau điều chỉnh,Chênh lệch' || E'\r\n' ||
			string_agg(concat_ws(',', api.csv(r.decision_no),
			    r.decision_date::text, api.csv(r.reason),
			    api.csv(COALESCE(l.printed_code, l.code)),
			    api.csv(COALESCE(c.year::text, 'Cả giai đoạn')),
			    api.csv(c.source), c.before_vnd, c.revised_vnd,
			    c.difference_vnd) || E'\r\n', ''
			    ORDER BY r.id, l.position, c.year,
			    api.source_rank(c.source))
		      FROM san.plan_revisions r
		      JOIN san.plan_revision_changes c ON c.revision_id = r.id
		      JOIN san.plan_lines l ON l.id = c.line_id
		     WHERE r.plan_id = p_plan), ''), NULL, NULL)::api.result;
	END IF;

	RETURN api.ok(200, json_build_object(
	    'plan', json_build_object('id', v_p.id, 'province', v_p.province,
		'decision_no', v_p.decision_no,
		'decision_date', v_p.decision_date, 'status', v_p.status,
		'title', v_p.title, 'appendix', v_p.appendix,
		'period_from', v_p.period_from, 'period_to', v_p.period_to,
		'unit_vnd', v_p.unit_vnd, 'unit_label', v_p.unit_label,
		'years', v_p.years, 'sources', v_p.sources,
		'source_labels', v_p.source_labels),
	    'lines', COALESCE((SELECT json_agg(json_build_object(
		'id', l.id, 'code', l.code, 'printed_code', l.printed_code,
		'level', l.level, 'kind', l.kind, 'title', l.title,
		'explanation', l.explanation, 'note', l.note,
		'cells', COALESCE((SELECT jsonb_agg(jsonb_build_object(
		    'year', c->'year', 'source', c->'source',
		    'stated_vnd', c->'stated', 'computed_vnd', c->'computed',
		    'original_vnd', c->'original_vnd',
		    'revised_vnd', c->'planned_vnd',
		    'revision_difference_vnd', to_jsonb(
			(c->>'planned_vnd')::bigint
			- (c->>'original_vnd')::bigint),
		    'planned_vnd', c->'planned_vnd',
		    'committed_vnd', c->'committed_vnd',
		    'disbursed_vnd', c->'disbursed_vnd',
		    'remaining_vnd', c->'remaining_vnd') ORDER BY n)
		    FROM jsonb_array_elements(v_cells) WITH ORDINALITY x(c, n)
		   WHERE (c->>'id')::bigint = l.id), '[]'))
		ORDER BY l.position)
	      FROM san.plan_lines l WHERE l.plan_id = p_plan), '[]'),
	    'stated_elsewhere', COALESCE((SELECT json_agg(json_build_object(
		'stated_in', f.stated_in, 'year', f.year, 'source', f.source,
		'stated_vnd', f.amount_vnd) ORDER BY f.id)
	      FROM san.plan_figures f JOIN san.plan_lines l
		ON l.id = f.line_id
	     WHERE l.plan_id = p_plan AND f.stated_in <> 'appendix'), '[]'),
	    'disagreements', api.plan_disagreements(p_plan),
	    'revisions', api.plan_revisions_json(p_plan)));
END $$;

-- A programme as JSON (grants: how many were ever made under it; once
-- there is one, its rule is fixed: api.programme_update).
CREATE FUNCTION api.programme_json(g san.programmes) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', g.id, 'plan_id', g.plan_id,
	    'line_id', g.line_id,
	    'line_code', (SELECT code FROM san.plan_lines WHERE id = g.line_id),
	    'name', g.name, 'status', g.status, 'rule', g.rule,
	    'fixed_vnd', g.fixed_vnd, 'rate_bp', g.rate_bp,
	    'cap_vnd', g.cap_vnd, 'counterpart_bp', g.counterpart_bp,
	    'counterpart_line_code', (SELECT code FROM san.plan_lines
		WHERE id = g.counterpart_line_id),
	    'max_per_year', g.max_per_year,
	    'per_business_cap_vnd', g.per_business_cap_vnd,
	    'eligible_kinds', g.eligible_kinds,
	    'require_verified', g.require_verified,
	    'grants', (SELECT count(*) FROM san.grants
		WHERE programme_id = g.id),
	    'closed_at', g.closed_at, 'close_reason', g.close_reason,
	    'sources', (SELECT json_object_agg(s.source, json_build_object(
		'share_bp', s.share_bp, 'line_id', s.line_id,
		'line_code', l.code) ORDER BY api.source_rank(s.source))
		FROM san.programme_sources s
		JOIN san.plan_lines l ON l.id = s.line_id
	       WHERE s.programme_id = g.id))
$$;

-- The one line at or below line p_line with a budget account of source
-- p_source; NULL when there is none or more than one.
CREATE FUNCTION api.budget_line(p_line san.plan_lines, p_source text)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
	SELECT min(b.line_id) FROM api.plan_subtree(p_line.plan_id) t
	  JOIN san.ledger_accounts b ON b.line_id = t.line_id
	 WHERE t.anc = p_line.id AND b.kind = 'budget' AND b.source = p_source
	HAVING count(DISTINCT b.line_id) = 1
$$;

-- The eligible kinds of body p: eligible_kinds {kind: true|false} (the
-- kinds marked true; none: every kind), or the older eligible_kind.
CREATE FUNCTION api.eligible_kinds(p jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN jsonb_typeof(p->'eligible_kinds') = 'object' THEN
		(SELECT array_agg(k ORDER BY k) FROM jsonb_each(
		    p->'eligible_kinds') x(k, v) WHERE v = 'true')
	    WHEN p ? 'eligible_kind' THEN ARRAY[p->>'eligible_kind'] END
$$;

/*
 * The rule of programme body p on line p_line, whole (create, or the
 * current rule overlaid by an update): NULL status when it holds, else
 * the refusal.  A fixed rule needs fixed_vnd, a rate rule rate_bp; the
 * shares add up to 10000; each source (and the business, when a
 * counterpart is expected) has exactly one budgeted line at or below
 * p_line.
 */
CREATE FUNCTION api.programme_rule_check(p_line san.plan_lines, p jsonb)
RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_bad	text;
BEGIN
	IF p->>'rule' = 'fixed' AND p->>'fixed_vnd' IS NULL THEN
		RETURN api.err(400, 'required', 'fixed_vnd');
	END IF;
	IF p->>'rule' = 'rate' AND p->>'rate_bp' IS NULL THEN
		RETURN api.err(400, 'required', 'rate_bp');
	END IF;
	IF (SELECT COALESCE(sum(v::int), 0) FROM jsonb_each_text(
	    p->'sources') x(k, v)) <> 10000 THEN
		RETURN api.err(400, 'shares_not_whole', 'sources');
	END IF;
	SELECT min(k) INTO v_bad FROM jsonb_object_keys(p->'sources') k
	 WHERE api.budget_line(p_line, k) IS NULL;
	IF v_bad IS NOT NULL THEN
		RETURN api.err(409, 'source_not_budgeted', 'sources.' || v_bad);
	END IF;
	IF COALESCE((p->>'counterpart_bp')::int, 0) > 0
	    AND api.budget_line(p_line, 'business') IS NULL THEN
		RETURN api.err(409, 'counterpart_not_budgeted',
		    'counterpart_bp');
	END IF;
	RETURN (NULL, NULL, NULL, NULL)::api.result;
END $$;

-- Programme p_id's sources become those of body p (its rule checked).
CREATE FUNCTION api.programme_sources_set(p_id bigint, p_line san.plan_lines,
    p jsonb) RETURNS void
LANGUAGE sql
AS $$
	DELETE FROM san.programme_sources WHERE programme_id = p_id;
	INSERT INTO san.programme_sources (programme_id, source, share_bp,
	    line_id)
	SELECT p_id, k, v::int, api.budget_line(p_line, k)
	  FROM jsonb_each_text(p->'sources') x(k, v);
$$;

/*
 * POST /api/v1/admin/programmes (admins): {line_id, name, rule,
 * fixed_vnd | rate_bp + cap_vnd, sources {source: share_bp}, counterpart_bp,
 * max_per_year, per_business_cap_vnd, eligible_kinds {kind: true} (or
 * eligible_kind), require_verified}.  The rule: api.programme_rule_check.
 */
CREATE FUNCTION api.programme_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_line	san.plan_lines;
	v_g	san.programmes;
	v_r	api.result;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_line FROM san.plan_lines
	 WHERE id = (p_body->>'line_id')::bigint AND kind = 'line';
	IF NOT FOUND THEN
		RETURN api.err(404, 'plan_line_not_found', 'line_id');
	END IF;
	v_r := api.programme_rule_check(v_line, p_body);
	IF v_r.status IS NOT NULL THEN RETURN v_r; END IF;
	INSERT INTO san.programmes (plan_id, line_id, name, rule, fixed_vnd,
	    rate_bp, cap_vnd, counterpart_bp, counterpart_line_id,
	    max_per_year, per_business_cap_vnd, eligible_kinds,
	    require_verified, created_by)
	VALUES (v_line.plan_id, v_line.id, api.txt(p_body, 'name'),
	    p_body->>'rule',
	    CASE WHEN p_body->>'rule' = 'fixed'
		THEN (p_body->>'fixed_vnd')::bigint END,
	    CASE WHEN p_body->>'rule' = 'rate'
		THEN (p_body->>'rate_bp')::int END,
	    CASE WHEN p_body->>'rule' = 'rate'
		THEN (p_body->>'cap_vnd')::bigint END,
	    COALESCE((p_body->>'counterpart_bp')::int, 0),
	    CASE WHEN (p_body->>'counterpart_bp')::int > 0
		THEN api.budget_line(v_line, 'business') END,
	    (p_body->>'max_per_year')::int,
	    (p_body->>'per_business_cap_vnd')::bigint,
	    api.eligible_kinds(p_body),
	    COALESCE((p_body->>'require_verified')::boolean, true), v_me)
	RETURNING * INTO v_g;
	PERFORM api.programme_sources_set(v_g.id, v_line, p_body);
	PERFORM api.audit(v_me, 'programme_create', 'programme',
	    v_g.id::text, p_body);
	RETURN api.ok(201, api.programme_json(v_g));
END $$;

/*
 * PATCH /api/v1/admin/programmes/{id} (admins): any of name, rule,
 * fixed_vnd, rate_bp, cap_vnd, sources, counterpart_bp, max_per_year,
 * per_business_cap_vnd, eligible_kinds, require_verified; null clears
 * cap_vnd, max_per_year, per_business_cap_vnd, eligible_kinds.
 *
 * What decided the amounts already granted cannot move once the programme
 * has a grant (of any status: its ledger rows were computed from it):
 * rule, fixed_vnd, rate_bp, cap_vnd, sources, counterpart_bp are then
 * refused with 409 programme_has_grants (field: the member).  The limits
 * may move, but not below what was granted: max_per_year not below the
 * most active grants of one year, per_business_cap_vnd not below the most
 * one business holds (409 below_granted, details).  Name, eligibility and
 * require_verified apply to grants to come.  A closed programme is not
 * edited (409 programme_closed).  Audited with the body and the
 * programme as it was.
 */
CREATE FUNCTION api.programme_update(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_g	san.programmes;
	v_line	san.plan_lines;
	v_rule	jsonb;
	v_r	api.result;
	v_k	text;
	v_n	bigint;
	v_old	json;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_g FROM san.programmes WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN RETURN api.err(404, 'programme_not_found'); END IF;
	IF v_g.status = 'closed' THEN
		RETURN api.err(409, 'programme_closed');
	END IF;
	IF EXISTS (SELECT 1 FROM san.grants WHERE programme_id = p_id) THEN
		SELECT k INTO v_k FROM unnest(ARRAY['rule', 'fixed_vnd',
		    'rate_bp', 'cap_vnd', 'sources', 'counterpart_bp']) k
		 WHERE p_body ? k LIMIT 1;
		IF v_k IS NOT NULL THEN
			RETURN api.err(409, 'programme_has_grants', v_k);
		END IF;
	END IF;
	SELECT max(n) INTO v_n FROM (SELECT count(*) AS n FROM san.grants
	    WHERE programme_id = p_id AND status = 'active' GROUP BY year) x;
	IF (p_body->>'max_per_year')::bigint < v_n THEN
		RETURN api.err_details(409, 'below_granted', json_build_object(
		    'granted', v_n,
		    'requested', (p_body->>'max_per_year')::int),
		    'max_per_year');
	END IF;
	SELECT max(s) INTO v_n FROM (SELECT sum(amount_vnd) AS s
	    FROM san.grants WHERE programme_id = p_id AND status = 'active'
	    GROUP BY business_id) x;
	IF (p_body->>'per_business_cap_vnd')::bigint < v_n THEN
		RETURN api.err_details(409, 'below_granted', json_build_object(
		    'granted', v_n,
		    'requested', (p_body->>'per_business_cap_vnd')::bigint),
		    'per_business_cap_vnd');
	END IF;

	-- The rule, whole: as it is, overlaid by the body.
	SELECT * INTO v_line FROM san.plan_lines WHERE id = v_g.line_id;
	v_old := api.programme_json(v_g);
	v_rule := jsonb_build_object('rule', v_g.rule,
	    'fixed_vnd', v_g.fixed_vnd, 'rate_bp', v_g.rate_bp,
	    'cap_vnd', v_g.cap_vnd, 'counterpart_bp', v_g.counterpart_bp,
	    'sources', (SELECT jsonb_object_agg(source, share_bp)
		FROM san.programme_sources WHERE programme_id = p_id))
	    || (SELECT COALESCE(jsonb_object_agg(k, v), '{}')
		  FROM jsonb_each(p_body) x(k, v)
		 WHERE k IN ('rule', 'fixed_vnd', 'rate_bp', 'cap_vnd',
		    'sources', 'counterpart_bp'));
	v_r := api.programme_rule_check(v_line, v_rule);
	IF v_r.status IS NOT NULL THEN RETURN v_r; END IF;

	UPDATE san.programmes SET
	    name = COALESCE(api.txt(p_body, 'name'), name),
	    rule = v_rule->>'rule',
	    fixed_vnd = CASE WHEN v_rule->>'rule' = 'fixed'
		THEN (v_rule->>'fixed_vnd')::bigint END,
	    rate_bp = CASE WHEN v_rule->>'rule' = 'rate'
		THEN (v_rule->>'rate_bp')::int END,
	    cap_vnd = CASE WHEN v_rule->>'rule' = 'rate'
		THEN (v_rule->>'cap_vnd')::bigint END,
	    counterpart_bp = (v_rule->>'counterpart_bp')::int,
	    counterpart_line_id = CASE WHEN (v_rule->>'counterpart_bp')::int > 0
		THEN api.budget_line(v_line, 'business') END,
	    max_per_year = CASE WHEN p_body ? 'max_per_year'
		THEN (p_body->>'max_per_year')::int ELSE max_per_year END,
	    per_business_cap_vnd = CASE WHEN p_body ? 'per_business_cap_vnd'
		THEN (p_body->>'per_business_cap_vnd')::bigint
		ELSE per_business_cap_vnd END,
	    eligible_kinds = CASE WHEN p_body ? 'eligible_kinds'
		THEN api.eligible_kinds(p_body) ELSE eligible_kinds END,
	    require_verified = COALESCE((p_body->>'require_verified')::boolean,
		require_verified),
	    updated_at = now()
	 WHERE id = p_id RETURNING * INTO v_g;
	IF p_body ? 'sources' THEN
		PERFORM api.programme_sources_set(p_id, v_line, v_rule);
	END IF;
	PERFORM api.audit(v_me, 'programme_update', 'programme', p_id::text,
	    jsonb_build_object('changes', p_body, 'before', v_old));
	RETURN api.ok(200, api.programme_json(v_g));
END $$;

/*
 * POST /api/v1/admin/programmes/{id}/close {reason} (admins): no new
 * grants (grant_create answers 409 programme_closed); the grants made
 * continue (paid, cancelled, reversed as before).  Closing twice: 409.
 */
CREATE FUNCTION api.programme_close(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_g	san.programmes;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	IF COALESCE(api.txt(p_body, 'reason'), '') = '' THEN
		RETURN api.err(400, 'required', 'reason');
	END IF;
	SELECT * INTO v_g FROM san.programmes WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN RETURN api.err(404, 'programme_not_found'); END IF;
	IF v_g.status = 'closed' THEN
		RETURN api.err(409, 'programme_closed');
	END IF;
	UPDATE san.programmes SET status = 'closed', closed_at = now(),
	    closed_by = v_me, close_reason = api.txt(p_body, 'reason')
	 WHERE id = p_id RETURNING * INTO v_g;
	PERFORM api.audit(v_me, 'programme_close', 'programme', p_id::text,
	    jsonb_build_object('reason', v_g.close_reason));
	RETURN api.ok(200, api.programme_json(v_g));
END $$;

-- GET /api/v1/admin/programmes (admins).
CREATE FUNCTION api.programmes_list(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE((
	    SELECT json_agg(api.programme_json(g) ORDER BY g.id)
	      FROM san.programmes g), '[]')));
END $$;

/*
 * Idempotency of the ledger's unsafe requests.  api.ledger_begin claims
 * (op, key) for this request: NULL status when it is ours to run (a
 * concurrent request with the same key waits on the index entry until
 * the first commits, then replays it, or rolls back / refuses, then runs
 * itself); the stored answer for the same request; 422 for another
 * request under the same key.  api.ledger_refuse frees the key (a refusal
 * leaves nothing behind), api.ledger_done stores the answer.
 */
CREATE FUNCTION api.ledger_begin(p_op text, p_key text, p_hash bytea)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_r	san.ledger_requests;
BEGIN
	INSERT INTO san.ledger_requests (op, idem_key, request_hash)
	VALUES (p_op, p_key, p_hash)
	ON CONFLICT (op, idem_key) DO NOTHING;
	IF FOUND THEN
		RETURN (NULL, NULL, NULL, NULL)::api.result;
	END IF;
	SELECT * INTO v_r FROM san.ledger_requests
	 WHERE op = p_op AND idem_key = p_key;
	IF v_r.request_hash <> p_hash THEN
		RETURN api.err(422, 'idempotency_key_reused');
	END IF;
	RETURN (v_r.status, v_r.response, NULL, NULL)::api.result;
END $$;

CREATE FUNCTION api.ledger_refuse(p_op text, p_key text, r api.result)
RETURNS api.result
LANGUAGE sql
AS $$
	DELETE FROM san.ledger_requests WHERE op = p_op AND idem_key = p_key;
	SELECT r;
$$;

CREATE FUNCTION api.ledger_done(p_op text, p_key text, r api.result)
RETURNS api.result
LANGUAGE sql
AS $$
	UPDATE san.ledger_requests SET status = r.status, response = r.body
	 WHERE op = p_op AND idem_key = p_key;
	SELECT r;
$$;

-- The support a programme's rule gives for eligible cost p_cost: fixed,
-- or rate_bp of the cost (rounded down) up to cap_vnd.  NULL when a rate
-- rule has no cost.
CREATE FUNCTION api.grant_amount(g san.programmes, p_cost bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE g.rule WHEN 'fixed' THEN g.fixed_vnd
	    ELSE least(p_cost * g.rate_bp / 10000,
		COALESCE(g.cap_vnd, p_cost)) END
$$;

-- Amount p_amount split over the programme's sources by share (rounded
-- down; what rounding leaves goes to the largest share), in source order.
CREATE FUNCTION api.grant_split(p_programme bigint, p_amount bigint)
RETURNS TABLE (source text, amount_vnd bigint, line_id bigint)
LANGUAGE sql STABLE
AS $$
	SELECT source, part + CASE WHEN big = 1
		THEN p_amount - sum(part) OVER () ELSE 0 END, line_id
	  FROM (SELECT s.source, s.line_id,
		    p_amount * s.share_bp / 10000 AS part,
		    row_number() OVER (ORDER BY s.share_bp DESC,
			api.source_rank(s.source)) AS big
		  FROM san.programme_sources s
		 WHERE s.programme_id = p_programme) x
	 ORDER BY api.source_rank(source)
$$;

-- The budget account a grant in year p_year draws on for source p_source
-- of line p_line: the year's part, else the whole-period part; NULL: none.
CREATE FUNCTION api.grant_budget(p_line bigint, p_source text, p_year int)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
	SELECT b.id FROM san.ledger_accounts b
	 WHERE b.kind = 'budget' AND b.line_id = p_line
	   AND b.source = p_source AND (b.year = p_year OR b.year IS NULL)
	 ORDER BY b.year NULLS LAST LIMIT 1
$$;

-- A grant as JSON, with its accounts per source and the business's
-- counterpart committed (NULL: none expected).
CREATE FUNCTION api.grant_json(p_grant bigint) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', g.id, 'programme_id', g.programme_id,
	    'programme', p.name, 'business_id', g.business_id,
	    'business', b.name, 'year', g.year,
	    'decision_no', g.decision_no,
	    'eligible_cost_vnd', g.eligible_cost_vnd,
	    'amount_vnd', g.amount_vnd, 'counterpart_vnd', g.counterpart_vnd,
	    'status', g.status, 'created_at', g.created_at,
	    'sources', (SELECT json_agg(json_build_object('source', c.source,
		'line_code', l.code, 'year', bud.year,
		'amount_vnd', (SELECT COALESCE(sum(e.credit_vnd), 0)
		    FROM san.ledger_entries e JOIN san.ledger_tx t
		      ON t.id = e.tx_id
		   WHERE e.account_id = c.id AND t.kind = 'grant'),
		'committed_vnd', c.balance_vnd,
		'pending_vnd', pe.balance_vnd,
		'disbursed_vnd', d.balance_vnd)
		ORDER BY api.source_rank(c.source))
		FROM san.ledger_accounts c
		JOIN san.ledger_accounts bud ON bud.id = c.budget_id
		JOIN san.plan_lines l ON l.id = bud.line_id
		JOIN san.ledger_accounts pe ON pe.grant_id = g.id
		 AND pe.kind = 'pending' AND pe.source = c.source
		JOIN san.ledger_accounts d ON d.grant_id = g.id
		 AND d.kind = 'disbursed' AND d.source = c.source
	       WHERE c.grant_id = g.id AND c.kind = 'committed'),
	    'counterpart', (SELECT json_build_object('line_code', l.code,
		'year', bud.year, 'committed_vnd', c.balance_vnd)
		FROM san.ledger_accounts c
		JOIN san.ledger_accounts bud ON bud.id = c.budget_id
		JOIN san.plan_lines l ON l.id = bud.line_id
	       WHERE c.grant_id = g.id AND c.kind = 'counterpart'))
	  FROM san.grants g
	  JOIN san.programmes p ON p.id = g.programme_id
	  JOIN san.businesses b ON b.id = g.business_id
	 WHERE g.id = p_grant
$$;

/*
 * POST /api/v1/admin/grants (admins, Idempotency-Key p_key):
 * {programme_id, business_id, year, decision_no, eligible_cost_vnd}.
 * The amount and its split come from the programme's rule.  Refused with
 * 409 when the business is not eligible, the programme's yearly count is
 * reached, a per-business cap would be exceeded (the programme's, or all
 * programmes' within the rolling window of san.settings), or a budget
 * line would go below zero (details name line, year, source, shortfall).
 * Locks: programme, business, then the budget accounts in id order.
 */
CREATE FUNCTION api.grant_create(p_token_hash text, p_key text,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_r		api.result;
	v_g		san.programmes;
	v_b		san.businesses;
	v_plan		san.plans;
	v_year		int := (p_body->>'year')::int;
	v_cost		bigint := (p_body->>'eligible_cost_vnd')::bigint;
	v_amount	bigint;
	v_used		bigint;
	v_cap		bigint;
	v_src		text[];
	v_amt		bigint[];
	v_line		bigint[];
	v_bud		bigint[];
	v_bal		bigint;
	v_grant		bigint;
	v_tx		bigint;
	v_accts		bigint[] := '{}';
	v_amts		bigint[] := '{}';
	v_c		bigint;
	v_cp		bigint;
	v_cpbud		bigint;
	v_short		record;
	i		int;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	v_r := api.ledger_begin('grant', p_key,
	    sha256(convert_to(p_body::text, 'UTF8')));
	IF v_r.status IS NOT NULL THEN RETURN v_r; END IF;

	SELECT * INTO v_g FROM san.programmes
	 WHERE id = (p_body->>'programme_id')::bigint FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(404, 'programme_not_found', 'programme_id'));
	END IF;
	IF v_g.status = 'closed' THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(409, 'programme_closed', 'programme_id'));
	END IF;
	SELECT * INTO v_b FROM san.businesses
	 WHERE id = (p_body->>'business_id')::bigint FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(404, 'business_not_found', 'business_id'));
	END IF;
	IF v_g.require_verified AND v_b.status <> 'verified' THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(409, 'business_not_verified', 'business_id'));
	END IF;
	IF v_g.eligible_kinds IS NOT NULL
	    AND NOT v_b.kind = ANY (v_g.eligible_kinds) THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(409, 'business_not_eligible', 'business_id'));
	END IF;
	SELECT * INTO v_plan FROM san.plans WHERE id = v_g.plan_id;
	IF v_year NOT BETWEEN v_plan.period_from AND v_plan.period_to THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(400, 'year_out_of_period', 'year'));
	END IF;
	IF v_g.rule = 'rate' AND v_cost IS NULL THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(400, 'required', 'eligible_cost_vnd'));
	END IF;
	v_amount := api.grant_amount(v_g, v_cost);
	IF v_amount <= 0 THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err(400, 'out_of_range', 'eligible_cost_vnd'));
	END IF;

	-- The programme's yearly count (the programme row is locked).
	IF v_g.max_per_year IS NOT NULL AND (SELECT count(*) FROM san.grants
	    WHERE programme_id = v_g.id AND year = v_year
	      AND status = 'active') >= v_g.max_per_year THEN
		RETURN api.ledger_refuse('grant', p_key, api.err_details(409,
		    'programme_year_full', json_build_object(
			'programme_id', v_g.id, 'year', v_year,
			'max_per_year', v_g.max_per_year)));
	END IF;
	-- Per-business caps (the business row is locked).
	IF v_g.per_business_cap_vnd IS NOT NULL THEN
		SELECT COALESCE(sum(amount_vnd), 0) INTO v_used
		  FROM san.grants WHERE business_id = v_b.id
		   AND programme_id = v_g.id AND status = 'active';
		IF v_used + v_amount > v_g.per_business_cap_vnd THEN
			RETURN api.ledger_refuse('grant', p_key,
			    api.err_details(409, 'business_cap_exceeded',
			    json_build_object('scope', 'programme',
				'cap_vnd', v_g.per_business_cap_vnd,
				'used_vnd', v_used, 'requested_vnd', v_amount,
				'shortfall_vnd', v_used + v_amount
				    - v_g.per_business_cap_vnd)));
		END IF;
	END IF;
	v_cap := san.setting('subsidy_business_cap_vnd')::bigint;
	SELECT COALESCE(sum(amount_vnd), 0) INTO v_used
	  FROM san.grants WHERE business_id = v_b.id AND status = 'active'
	   AND created_at > now()
	       - san.setting('subsidy_business_window')::interval;
	IF v_used + v_amount > v_cap THEN
		RETURN api.ledger_refuse('grant', p_key, api.err_details(409,
		    'business_cap_exceeded', json_build_object(
			'scope', 'window',
			'window', san.setting('subsidy_business_window'),
			'cap_vnd', v_cap, 'used_vnd', v_used,
			'requested_vnd', v_amount,
			'shortfall_vnd', v_used + v_amount - v_cap)));
	END IF;

	-- The budget accounts of each source (and of the business's
	-- counterpart), locked in id order.
	SELECT array_agg(s.source), array_agg(s.amount_vnd),
	    array_agg(s.line_id), array_agg(api.grant_budget(s.line_id,
		s.source, v_year))
	  INTO v_src, v_amt, v_line, v_bud
	  FROM api.grant_split(v_g.id, v_amount) s;
	v_cp := COALESCE(v_cost * v_g.counterpart_bp / 10000, 0);
	IF v_cp > 0 THEN
		v_cpbud := api.grant_budget(v_g.counterpart_line_id, 'business',
		    v_year);
		IF v_cpbud IS NULL THEN
			RETURN api.ledger_refuse('grant', p_key, api.err(409,
			    'counterpart_not_budgeted', 'programme_id'));
		END IF;
	END IF;
	PERFORM 1 FROM san.ledger_accounts
	 WHERE id = ANY (v_bud || v_cpbud) ORDER BY id FOR UPDATE;
	-- Each budget account: what this grant takes from it, not more than
	-- its balance (the first short one, in source order).
	SELECT x.src, x.line, x.need, COALESCE(a.balance_vnd, 0) AS bal
	  INTO v_short
	  FROM (SELECT min(u.src) AS src, min(u.line) AS line, u.bud,
		    sum(u.amt) AS need, min(u.n) AS n
		  FROM unnest(v_src || 'business'::text,
		    v_line || v_g.counterpart_line_id, v_bud || v_cpbud,
		    v_amt || v_cp) WITH ORDINALITY u(src, line, bud, amt, n)
		 WHERE u.amt > 0 GROUP BY u.bud) x
	  LEFT JOIN san.ledger_accounts a ON a.id = x.bud
	 WHERE x.need > COALESCE(a.balance_vnd, 0) ORDER BY x.n LIMIT 1;
	IF FOUND THEN
		RETURN api.ledger_refuse('grant', p_key,
		    api.err_details(409, 'budget_exceeded',
		    json_build_object('line', (SELECT code
			FROM san.plan_lines WHERE id = v_short.line),
			'year', v_year, 'source', v_short.src,
			'remaining_vnd', v_short.bal,
			'requested_vnd', v_short.need,
			'shortfall_vnd', v_short.need - v_short.bal)));
	END IF;

	INSERT INTO san.grants (programme_id, business_id, year, decision_no,
	    eligible_cost_vnd, amount_vnd, counterpart_vnd, created_by)
	VALUES (v_g.id, v_b.id, v_year, api.txt(p_body, 'decision_no'),
	    v_cost, v_amount, v_cp, v_me)
	RETURNING id INTO v_grant;
	INSERT INTO san.ledger_tx (kind, plan_id, grant_id, actor_id, reason)
	VALUES ('grant', v_g.plan_id, v_grant, v_me,
	    api.txt(p_body, 'decision_no'))
	RETURNING id INTO v_tx;
	FOR i IN 1 .. array_length(v_src, 1) LOOP
		INSERT INTO san.ledger_accounts (kind, plan_id, source,
		    grant_id, budget_id)
		VALUES ('committed', v_g.plan_id, v_src[i], v_grant, v_bud[i])
		RETURNING id INTO v_c;
		INSERT INTO san.ledger_accounts (kind, plan_id, source,
		    grant_id, budget_id)
		VALUES ('pending', v_g.plan_id, v_src[i], v_grant, v_bud[i]),
		    ('disbursed', v_g.plan_id, v_src[i], v_grant, v_bud[i]);
		v_accts := v_accts || v_bud[i] || v_c;
		v_amts := v_amts || -v_amt[i] || v_amt[i];
	END LOOP;
	IF v_cp > 0 THEN
		INSERT INTO san.ledger_accounts (kind, plan_id, source,
		    grant_id, budget_id)
		VALUES ('counterpart', v_g.plan_id, 'business', v_grant,
		    v_cpbud)
		RETURNING id INTO v_c;
		v_accts := v_accts || v_cpbud || v_c;
		v_amts := v_amts || -v_cp || v_cp;
	END IF;
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);
	PERFORM api.audit(v_me, 'grant_create', 'grant', v_grant::text,
	    jsonb_build_object('programme_id', v_g.id,
		'business_id', v_b.id, 'amount_vnd', v_amount));
	RETURN api.ledger_done('grant', p_key,
	    api.ok(201, api.grant_json(v_grant)));
END $$;

-- GET /api/v1/admin/grants?programme_id=&after=&limit= (admins), newest
-- first.
CREATE FUNCTION api.grants_list(p_token_hash text, p_programme bigint,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_items	json;
	v_last	bigint;
	v_n	int;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT json_agg(api.grant_json(id) ORDER BY id DESC), min(id), count(*)
	  INTO v_items, v_last, v_n
	  FROM (SELECT id FROM san.grants
		 WHERE (p_programme IS NULL OR programme_id = p_programme)
		   AND (p_after IS NULL OR id < p_after)
		 ORDER BY id DESC LIMIT p_limit) x;
	RETURN api.ok(200, json_build_object('items', COALESCE(v_items, '[]'),
	    'next', CASE WHEN v_n = p_limit THEN v_last::text END));
END $$;

/*
 * POST /api/v1/admin/grants/{id}/cancel {reason} (admins): what is still
 * committed returns to the budget lines; what was paid stays paid.
 * Refused while a payment waits for approval.
 */
CREATE FUNCTION api.grant_cancel(p_token_hash text, p_grant bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_g	san.grants;
	v_tx	bigint;
	v_accts	bigint[];
	v_amts	bigint[];
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_g FROM san.grants WHERE id = p_grant FOR UPDATE;
	IF NOT FOUND THEN RETURN api.err(404, 'grant_not_found'); END IF;
	IF v_g.status = 'cancelled' THEN
		RETURN api.err(409, 'grant_cancelled');
	END IF;
	IF EXISTS (SELECT 1 FROM san.disbursements
	    WHERE grant_id = p_grant AND status = 'pending') THEN
		RETURN api.err(409, 'grant_has_pending');
	END IF;
	PERFORM 1 FROM san.ledger_accounts
	 WHERE id IN (SELECT c.id FROM san.ledger_accounts c
		WHERE c.grant_id = p_grant AND c.kind IN ('committed', 'counterpart')
		UNION SELECT c.budget_id FROM san.ledger_accounts c
		WHERE c.grant_id = p_grant AND c.kind IN ('committed', 'counterpart'))
	 ORDER BY id FOR UPDATE;
	SELECT array_agg(a ORDER BY n), array_agg(v ORDER BY n)
	  INTO v_accts, v_amts
	  FROM (SELECT c.id AS a, -c.balance_vnd AS v, 2 * c.id AS n
		  FROM san.ledger_accounts c
		 WHERE c.grant_id = p_grant AND c.kind IN ('committed', 'counterpart')
		UNION ALL
		SELECT c.budget_id, c.balance_vnd, 2 * c.id + 1
		  FROM san.ledger_accounts c
		 WHERE c.grant_id = p_grant AND c.kind IN ('committed', 'counterpart')) x;
	INSERT INTO san.ledger_tx (kind, plan_id, grant_id, actor_id, reason)
	VALUES ('grant_cancel', (SELECT plan_id FROM san.programmes
	    WHERE id = v_g.programme_id), p_grant, v_me,
	    api.txt(p_body, 'reason'))
	RETURNING id INTO v_tx;
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);
	UPDATE san.grants SET status = 'cancelled', cancelled_at = now()
	 WHERE id = p_grant;
	PERFORM api.audit(v_me, 'grant_cancel', 'grant', p_grant::text,
	    jsonb_build_object('reason', api.txt(p_body, 'reason')));
	RETURN api.ok(200, api.grant_json(p_grant));
END $$;

-- A disbursement as JSON.
CREATE FUNCTION api.disbursement_json(d san.disbursements) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', d.id, 'grant_id', d.grant_id,
	    'business_id', g.business_id, 'business', b.name,
	    'programme', p.name, 'amount_vnd', d.amount_vnd,
	    'paid_on', d.paid_on, 'voucher_no', d.voucher_no,
	    'method', d.method, 'status', d.status, 'split', d.split,
	    'maker_id', d.maker_id, 'checker_id', d.checker_id,
	    'decided_at', d.decided_at, 'reason', d.reason,
	    'created_at', d.created_at)
	  FROM san.grants g
	  JOIN san.businesses b ON b.id = g.business_id
	  JOIN san.programmes p ON p.id = g.programme_id
	 WHERE g.id = d.grant_id
$$;

/*
 * POST /api/v1/admin/grants/{id}/disbursements (admins, Idempotency-Key):
 * {amount_vnd, paid_on, voucher_no, method}.  Never more than what the
 * grant still has committed (409 exceeds_grant); split over its sources
 * in proportion to what each still has (rounded down, the rest to the
 * sources in order).  Above subsidy_approval_threshold_vnd it is
 * 'pending' (committed -> pending) until a second admin approves;
 * otherwise 'posted' (committed -> disbursed).
 * Locks: grant, then its accounts in id order.
 */
CREATE FUNCTION api.disbursement_create(p_token_hash text, p_grant bigint,
    p_key text, p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_r		api.result;
	v_g		san.grants;
	v_amount	bigint := (p_body->>'amount_vnd')::bigint;
	v_left		bigint;
	v_pending	boolean;
	v_d		san.disbursements;
	v_split		jsonb;
	v_tx		bigint;
	v_accts		bigint[];
	v_amts		bigint[];
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	v_r := api.ledger_begin('disbursement', p_key,
	    sha256(convert_to(p_grant || ' ' || p_body::text, 'UTF8')));
	IF v_r.status IS NOT NULL THEN RETURN v_r; END IF;
	SELECT * INTO v_g FROM san.grants WHERE id = p_grant FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.ledger_refuse('disbursement', p_key,
		    api.err(404, 'grant_not_found'));
	END IF;
	IF v_g.status = 'cancelled' THEN
		RETURN api.ledger_refuse('disbursement', p_key,
		    api.err(409, 'grant_cancelled'));
	END IF;
	IF (p_body->>'paid_on')::date > api.today() THEN
		RETURN api.ledger_refuse('disbursement', p_key,
		    api.err(400, 'date_in_future', 'paid_on'));
	END IF;
	PERFORM 1 FROM san.ledger_accounts WHERE grant_id = p_grant
	 ORDER BY id FOR UPDATE;
	SELECT COALESCE(sum(balance_vnd), 0) INTO v_left
	  FROM san.ledger_accounts
	 WHERE grant_id = p_grant AND kind = 'committed';
	IF v_amount > v_left THEN
		RETURN api.ledger_refuse('disbursement', p_key,
		    api.err_details(409, 'exceeds_grant', json_build_object(
			'grant_id', p_grant, 'remaining_vnd', v_left,
			'requested_vnd', v_amount,
			'shortfall_vnd', v_amount - v_left)));
	END IF;
	v_pending := v_amount >
	    san.setting('subsidy_approval_threshold_vnd')::bigint;

	-- Split in proportion to what each source still has.
	WITH c AS (
		SELECT source, balance_vnd AS bal,
		    v_amount * balance_vnd / v_left AS part,
		    api.source_rank(source) AS rk
		  FROM san.ledger_accounts
		 WHERE grant_id = p_grant AND kind = 'committed'
		   AND balance_vnd > 0),
	r AS (
		SELECT source, bal, part, rk,
		    v_amount - sum(part) OVER () AS rest,
		    sum(bal - part) OVER (ORDER BY rk) - (bal - part)
			AS room_before
		  FROM c)
	SELECT jsonb_object_agg(source, part + least(bal - part,
		greatest(rest - room_before, 0)))
	  INTO v_split FROM r;

	INSERT INTO san.disbursements (grant_id, amount_vnd, paid_on,
	    voucher_no, method, status, maker_id, split)
	VALUES (p_grant, v_amount, (p_body->>'paid_on')::date,
	    api.txt(p_body, 'voucher_no'), p_body->>'method',
	    CASE WHEN v_pending THEN 'pending' ELSE 'posted' END, v_me,
	    v_split)
	RETURNING * INTO v_d;
	INSERT INTO san.ledger_tx (kind, plan_id, grant_id, disbursement_id,
	    actor_id, reason)
	VALUES ('disbursement', (SELECT plan_id FROM san.programmes
	    WHERE id = v_g.programme_id), p_grant, v_d.id, v_me,
	    api.txt(p_body, 'voucher_no'))
	RETURNING id INTO v_tx;
	SELECT array_agg(a.id ORDER BY a.id), array_agg(CASE a.kind
		WHEN 'committed' THEN -(v_split->>a.source)::bigint
		ELSE (v_split->>a.source)::bigint END ORDER BY a.id)
	  INTO v_accts, v_amts
	  FROM san.ledger_accounts a
	 WHERE a.grant_id = p_grant AND v_split ? a.source
	   AND a.kind IN ('committed', CASE WHEN v_pending THEN 'pending'
		ELSE 'disbursed' END);
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);
	PERFORM api.audit(v_me, 'disbursement_create', 'disbursement',
	    v_d.id::text, jsonb_build_object('grant_id', p_grant,
		'amount_vnd', v_amount, 'status', v_d.status));
	RETURN api.ledger_done('disbursement', p_key,
	    api.ok(201, api.disbursement_json(v_d)));
END $$;

/*
 * Move disbursement p_id's split between two kinds of its grant's
 * accounts in one balanced transaction (the caller holds the grant and
 * the disbursement locked).
 */
CREATE FUNCTION api.disbursement_move(p_d san.disbursements, p_kind text,
    p_from text, p_to text, p_actor bigint, p_reason text) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	v_tx	bigint;
	v_accts	bigint[];
	v_amts	bigint[];
BEGIN
	PERFORM 1 FROM san.ledger_accounts WHERE grant_id = p_d.grant_id
	 ORDER BY id FOR UPDATE;
	INSERT INTO san.ledger_tx (kind, plan_id, grant_id, disbursement_id,
	    actor_id, reason)
	SELECT p_kind, p.plan_id, p_d.grant_id, p_d.id, p_actor, p_reason
	  FROM san.grants g JOIN san.programmes p ON p.id = g.programme_id
	 WHERE g.id = p_d.grant_id
	RETURNING id INTO v_tx;
	SELECT array_agg(a.id ORDER BY a.id), array_agg(CASE a.kind
		WHEN p_from THEN -(p_d.split->>a.source)::bigint
		ELSE (p_d.split->>a.source)::bigint END ORDER BY a.id)
	  INTO v_accts, v_amts
	  FROM san.ledger_accounts a
	 WHERE a.grant_id = p_d.grant_id AND p_d.split ? a.source
	   AND a.kind IN (p_from, p_to);
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);
END $$;

/*
 * POST /api/v1/admin/disbursements/{id}/{approve|reject|reverse}
 * {reason} (admins).  approve: a pending payment is paid (pending ->
 * disbursed), never by the admin who recorded it (403 maker_cannot_approve).
 * reject: pending -> committed (reason required).  reverse: a posted
 * payment was a mistake: disbursed -> committed, by a reversing
 * transaction with the reason (the first stays as it was).
 */
CREATE FUNCTION api.disbursement_decide(p_token_hash text, p_id bigint,
    p_action text, p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_grant		bigint;
	v_d		san.disbursements;
	v_reason	text := api.txt(p_body, 'reason');
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT grant_id INTO v_grant FROM san.disbursements WHERE id = p_id;
	IF NOT FOUND THEN
		RETURN api.err(404, 'disbursement_not_found');
	END IF;
	PERFORM 1 FROM san.grants WHERE id = v_grant FOR UPDATE;
	SELECT * INTO v_d FROM san.disbursements WHERE id = p_id FOR UPDATE;
	IF p_action IN ('approve', 'reject') AND v_d.status <> 'pending' THEN
		RETURN api.err(409, 'disbursement_not_pending');
	END IF;
	IF p_action = 'reverse' AND v_d.status <> 'posted' THEN
		RETURN api.err(409, 'disbursement_not_posted');
	END IF;
	IF p_action = 'approve' AND v_d.maker_id = v_me THEN
		RETURN api.err(403, 'maker_cannot_approve');
	END IF;
	IF p_action IN ('reject', 'reverse') AND v_reason IS NULL THEN
		RETURN api.err(400, 'required', 'reason');
	END IF;
	IF p_action = 'approve' THEN
		PERFORM api.disbursement_move(v_d, 'approve', 'pending',
		    'disbursed', v_me, v_reason);
		UPDATE san.disbursements SET status = 'posted',
		    checker_id = v_me, decided_at = now(), reason = v_reason
		 WHERE id = p_id RETURNING * INTO v_d;
	ELSIF p_action = 'reject' THEN
		PERFORM api.disbursement_move(v_d, 'reject', 'pending',
		    'committed', v_me, v_reason);
		UPDATE san.disbursements SET status = 'rejected',
		    checker_id = v_me, decided_at = now(), reason = v_reason
		 WHERE id = p_id RETURNING * INTO v_d;
	ELSE
		PERFORM api.disbursement_move(v_d, 'reversal', 'disbursed',
		    'committed', v_me, v_reason);
		UPDATE san.disbursements SET status = 'reversed',
		    reason = v_reason
		 WHERE id = p_id RETURNING * INTO v_d;
	END IF;
	PERFORM api.audit(v_me, 'disbursement_' || p_action, 'disbursement',
	    p_id::text, jsonb_build_object('reason', v_reason));
	RETURN api.ok(200, api.disbursement_json(v_d));
END $$;

-- GET /api/v1/admin/disbursements?status=&after=&limit= (admins): the
-- approval queue is ?status=pending, oldest first.
CREATE FUNCTION api.disbursements_list(p_token_hash text, p_status text,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_items	json;
	v_last	bigint;
	v_n	int;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT json_agg(api.disbursement_json(d) ORDER BY d.id), max(d.id),
	    count(*)
	  INTO v_items, v_last, v_n
	  FROM (SELECT * FROM san.disbursements
		 WHERE (p_status IS NULL OR status = p_status)
		   AND (p_after IS NULL OR id > p_after)
		 ORDER BY id LIMIT p_limit) d;
	RETURN api.ok(200, json_build_object('items', COALESCE(v_items, '[]'),
	    'next', CASE WHEN v_n = p_limit THEN v_last::text END));
END $$;

/*
 * Every problem of the ledger, [] when there is none: transactions whose
 * debits and credits differ, cached balances that are not the sum of
 * their entries, accounts below zero, grants whose accounts do not add
 * up to their amount, programme counts and per-business caps exceeded,
 * budgets loaded with other than their plan's parts, broken chains.
 */
CREATE FUNCTION api.ledger_problems() RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT COALESCE(jsonb_agg(x), '[]') FROM (
	SELECT jsonb_build_object('check', 'unbalanced_tx', 'tx_id', tx_id,
		'debit_vnd', sum(debit_vnd), 'credit_vnd', sum(credit_vnd)) x
	  FROM san.ledger_entries GROUP BY tx_id
	HAVING sum(debit_vnd) <> sum(credit_vnd)
	UNION ALL
	SELECT jsonb_build_object('check', 'balance_mismatch',
		'account_id', a.id, 'kind', a.kind,
		'cached_vnd', a.balance_vnd, 'entries_vnd', COALESCE(e.s, 0))
	  FROM san.ledger_accounts a
	  LEFT JOIN (SELECT account_id, sum(credit_vnd - debit_vnd) AS s
		  FROM san.ledger_entries GROUP BY account_id) e
	    ON e.account_id = a.id
	 WHERE a.balance_vnd <> COALESCE(e.s, 0)
	UNION ALL
	SELECT jsonb_build_object('check', 'negative_balance',
		'account_id', a.id, 'kind', a.kind, 'entries_vnd', e.s)
	  FROM san.ledger_accounts a
	  JOIN (SELECT account_id, sum(credit_vnd - debit_vnd) AS s
		  FROM san.ledger_entries GROUP BY account_id) e
	    ON e.account_id = a.id
	 WHERE a.kind <> 'funding' AND e.s < 0
	UNION ALL
	SELECT jsonb_build_object('check', 'budget_not_plan',
		'account_id', b.id, 'line_id', b.line_id, 'year', b.year,
		'source', b.source, 'loaded_vnd', COALESCE(l.s, 0),
		'plan_vnd', COALESCE(f.amount_vnd, 0) + COALESCE(r.s, 0))
	  FROM san.ledger_accounts b
	  -- no figure: a blank cell a revision gave a figure (81_...sql)
	  LEFT JOIN san.plan_figures f ON f.line_id = b.line_id AND f.is_part
	   AND f.source = b.source AND f.year IS NOT DISTINCT FROM b.year
	  LEFT JOIN (SELECT e.account_id, sum(e.credit_vnd - e.debit_vnd) AS s
		  FROM san.ledger_entries e JOIN san.ledger_tx t
		    ON t.id = e.tx_id AND t.kind IN ('plan_load', 'revision')
		 GROUP BY e.account_id) l ON l.account_id = b.id
	  -- the part as revised by later decisions (plan_revision_changes)
	  LEFT JOIN (SELECT budget_id, sum(difference_vnd) AS s
		  FROM san.plan_revision_changes GROUP BY budget_id) r
	    ON r.budget_id = b.id
	 WHERE b.kind = 'budget'
	   AND COALESCE(l.s, 0) <> COALESCE(f.amount_vnd, 0) + COALESCE(r.s, 0)
	UNION ALL
	SELECT jsonb_build_object('check', 'grant_mismatch',
		'grant_id', g.id, 'amount_vnd', g.amount_vnd,
		'accounts_vnd', s.held, 'committed_vnd', s.committed)
	  FROM san.grants g
	  JOIN (SELECT grant_id, sum(balance_vnd) AS held,
		    sum(balance_vnd) FILTER (WHERE kind = 'committed')
			AS committed
		  FROM san.ledger_accounts WHERE grant_id IS NOT NULL
		   AND kind <> 'counterpart'
		 GROUP BY grant_id) s ON s.grant_id = g.id
	 WHERE (g.status = 'active' AND s.held <> g.amount_vnd)
	    OR (g.status = 'cancelled' AND (s.committed <> 0
		OR s.held > g.amount_vnd))
	UNION ALL
	-- the business's counterpart: committed while the grant is active,
	-- released when it is cancelled (sql/016_subsidy_programmes.sql)
	SELECT jsonb_build_object('check', 'counterpart_mismatch',
		'grant_id', g.id, 'status', g.status,
		'counterpart_vnd', g.counterpart_vnd,
		'committed_vnd', COALESCE(c.balance_vnd, 0))
	  FROM san.grants g
	  LEFT JOIN san.ledger_accounts c ON c.grant_id = g.id
	   AND c.kind = 'counterpart'
	 WHERE COALESCE(c.balance_vnd, 0) <> CASE g.status
		WHEN 'active' THEN g.counterpart_vnd ELSE 0 END
	UNION ALL
	SELECT jsonb_build_object('check', 'programme_year_full',
		'programme_id', p.id, 'year', g.year, 'grants', count(*),
		'max_per_year', p.max_per_year)
	  FROM san.grants g JOIN san.programmes p ON p.id = g.programme_id
	 WHERE g.status = 'active' AND p.max_per_year IS NOT NULL
	 GROUP BY p.id, g.year HAVING count(*) > p.max_per_year
	UNION ALL
	SELECT jsonb_build_object('check', 'business_cap_exceeded',
		'scope', 'programme', 'programme_id', p.id,
		'business_id', g.business_id, 'granted_vnd', sum(g.amount_vnd),
		'cap_vnd', p.per_business_cap_vnd)
	  FROM san.grants g JOIN san.programmes p ON p.id = g.programme_id
	 WHERE g.status = 'active' AND p.per_business_cap_vnd IS NOT NULL
	 GROUP BY p.id, g.business_id
	HAVING sum(g.amount_vnd) > p.per_business_cap_vnd
	UNION ALL
	SELECT jsonb_build_object('check', 'business_cap_exceeded',
		'scope', 'window', 'business_id', g.business_id,
		'granted_vnd', sum(g.amount_vnd),
		'cap_vnd', san.setting('subsidy_business_cap_vnd')::bigint)
	  FROM san.grants g
	 WHERE g.status = 'active' AND g.created_at > now()
	       - san.setting('subsidy_business_window')::interval
	 GROUP BY g.business_id
	HAVING sum(g.amount_vnd) > san.setting('subsidy_business_cap_vnd')::bigint
	UNION ALL
	SELECT jsonb_build_object('check', 'chain_broken', 'table', t,
		'first_broken', v->'first_broken')
	  FROM (SELECT t, san.chain_verify(t::regclass) AS v
		  FROM unnest(ARRAY['san.ledger_tx', 'san.ledger_entries',
		    'san.plan_revisions', 'san.plan_revision_changes']) t) c
	 WHERE NOT (v->>'ok')::boolean
	) p
$$;

-- GET /api/v1/admin/ledger/check (admins): {"ok", "problems"}.
CREATE FUNCTION api.ledger_check(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_p	jsonb;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	v_p := api.ledger_problems();
	RETURN api.ok(200, json_build_object('ok', v_p = '[]'::jsonb,
	    'problems', v_p));
END $$;

/*
 * GET /api/v1/businesses/{id}/support: every grant and disbursement the
 * business received, by programme and source, with totals per source.
 * Its own members and officials (and admins) read it; anyone else 404.
 */
CREATE FUNCTION api.business_support(p_token_hash text, p_business bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_name	text;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT b.name INTO v_name FROM san.businesses b
	 WHERE b.id = p_business AND (api.is_official(v_me)
	    OR EXISTS (SELECT 1 FROM san.business_members m
		WHERE m.business_id = b.id AND m.account_id = v_me));
	IF NOT FOUND THEN
		RETURN api.not_found(v_me, 'business_not_found');
	END IF;
	RETURN api.ok(200, json_build_object('business_id', p_business,
	    'business', v_name,
	    'grants', COALESCE((SELECT json_agg(json_build_object(
		'grant', api.grant_json(g.id),
		'disbursements', COALESCE((SELECT json_agg(
		    api.disbursement_json(d) ORDER BY d.id)
		    FROM san.disbursements d WHERE d.grant_id = g.id), '[]'))
		ORDER BY g.id)
	      FROM san.grants g WHERE g.business_id = p_business), '[]'),
	    'totals', COALESCE((SELECT json_agg(json_build_object(
		'source', source, 'committed_vnd', c, 'pending_vnd', pe,
		'disbursed_vnd', d) ORDER BY api.source_rank(source))
	      FROM (SELECT a.source,
		    sum(a.balance_vnd) FILTER (WHERE a.kind = 'committed') c,
		    sum(a.balance_vnd) FILTER (WHERE a.kind = 'pending') pe,
		    sum(a.balance_vnd) FILTER (WHERE a.kind = 'disbursed') d
		  FROM san.ledger_accounts a
		  JOIN san.grants g ON g.id = a.grant_id
		 WHERE g.business_id = p_business AND a.kind <> 'counterpart'
		 GROUP BY a.source) t),
	      '[]')));
END $$;

-- GET /api/v1/admin/programmes/{id}/report (admins): per year, the
-- businesses supported against the target (max_per_year), committed
-- and disbursed.
CREATE FUNCTION api.programme_report(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_g	san.programmes;
	v_plan	san.plans;
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_g FROM san.programmes WHERE id = p_id;
	IF NOT FOUND THEN RETURN api.err(404, 'programme_not_found'); END IF;
	SELECT * INTO v_plan FROM san.plans WHERE id = v_g.plan_id;
	RETURN api.ok(200, json_build_object(
	    'programme', api.programme_json(v_g),
	    'years', (SELECT json_agg(json_build_object('year', y,
		'target', v_g.max_per_year,
		'businesses', (SELECT count(DISTINCT business_id)
		    FROM san.grants WHERE programme_id = p_id AND year = y
		     AND status = 'active'),
		'grants', (SELECT count(*) FROM san.grants
		    WHERE programme_id = p_id AND year = y
		      AND status = 'active'),
		'committed_vnd', (SELECT COALESCE(sum(a.balance_vnd), 0)
		    FROM san.ledger_accounts a JOIN san.grants g
		      ON g.id = a.grant_id
		   WHERE g.programme_id = p_id AND g.year = y
		     AND a.kind IN ('committed', 'pending')),
		'disbursed_vnd', (SELECT COALESCE(sum(a.balance_vnd), 0)
		    FROM san.ledger_accounts a JOIN san.grants g
		      ON g.id = a.grant_id
		   WHERE g.programme_id = p_id AND g.year = y
		     AND a.kind = 'disbursed')) ORDER BY y)
	      FROM generate_series(v_plan.period_from, v_plan.period_to) y)));
END $$;
