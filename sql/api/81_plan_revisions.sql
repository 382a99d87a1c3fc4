-- Plan amendments (issue 11; tables in sql/012_plan_revisions.sql).  A
-- later decision revises parts of a plan (line x year x source); one
-- balanced 'revision' transaction moves each difference between the
-- part's budget account and the plan's funding account of its source.
-- A part is never revised below what is already committed from it.

-- A revision as JSON, with its changes in appendix order.
CREATE FUNCTION api.revision_json(p_id bigint) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', r.id, 'plan_id', r.plan_id,
	    'decision_no', r.decision_no, 'decision_date', r.decision_date,
	    'reason', r.reason, 'actor_id', r.actor_id,
	    'created_at', r.created_at,
	    'changes', (SELECT json_agg(json_build_object(
		'line_code', l.code, 'year', c.year, 'source', c.source,
		'before_vnd', c.before_vnd, 'revised_vnd', c.revised_vnd,
		'difference_vnd', c.difference_vnd)
		ORDER BY l.position, c.year NULLS LAST,
		api.source_rank(c.source))
		FROM san.plan_revision_changes c
		JOIN san.plan_lines l ON l.id = c.line_id
	       WHERE c.revision_id = r.id))
	  FROM san.plan_revisions r WHERE r.id = p_id
$$;

-- Every revision of plan p_plan, oldest first.
CREATE FUNCTION api.plan_revisions_json(p_plan bigint) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT COALESCE(json_agg(api.revision_json(r.id) ORDER BY r.id), '[]')
	  FROM san.plan_revisions r WHERE r.plan_id = p_plan
$$;

-- The changes v_c with the ids of their budget and funding accounts
-- (NULL when the plan has none yet).
CREATE FUNCTION api.revision_accounts(p_plan bigint, p_c jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_agg(e || jsonb_build_object(
	    'budget_id', (SELECT a.id FROM san.ledger_accounts a
		WHERE a.kind = 'budget'
		  AND a.line_id = (e->>'line_id')::bigint
		  AND a.source = e->>'source'
		  AND a.year IS NOT DISTINCT FROM (e->>'year')::int),
	    'funding_id', (SELECT a.id FROM san.ledger_accounts a
		WHERE a.kind = 'funding' AND a.plan_id = p_plan
		  AND a.source = e->>'source')) ORDER BY (e->>'n')::int)
	  FROM jsonb_array_elements(p_c) e
$$;

/*
 * POST /api/v1/admin/plans/{id}/revisions (admins; anyone else 404;
 * Idempotency-Key p_key): {decision_no, decision_date, reason, changes:
 * [{line_code, year, source, amount_vnd}]}.  Each change sets a part's
 * revised amount.  Refused with 409 budget_below_committed (details: line,
 * year, source, committed, requested, shortfall) when a part would go
 * below what grants already committed from it; nothing is written then.
 * Locks: the plan, then the budget and funding accounts in id order.
 */
CREATE FUNCTION api.plan_revise(p_token_hash text, p_plan bigint,
    p_key text, p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_r		api.result;
	v_bad		record;
	v_n		int;
	v_c		jsonb;
	v_tx		bigint;
	v_rev		bigint;
	v_accts		bigint[];
	v_amts		bigint[];
BEGIN
	IF NOT api.is_admin(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	IF api.txt(p_body, 'reason') IS NULL
	    OR api.txt(p_body, 'reason') = '' THEN
		RETURN api.err(400, 'required', 'reason');
	END IF;
	IF (p_body->>'decision_date')::date
	    > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN
		RETURN api.err(400, 'date_in_future', 'decision_date');
	END IF;
	v_r := api.ledger_begin('revision', p_key,
	    sha256(convert_to(p_plan::text || ':' || p_body::text, 'UTF8')));
	IF v_r.status IS NOT NULL THEN RETURN v_r; END IF;

	PERFORM 1 FROM san.plans WHERE id = p_plan FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.ledger_refuse('revision', p_key,
		    api.err(404, 'plan_not_found'));
	END IF;

	-- The changes, each on one part of this plan (line_id NULL: none):
	-- a printed figure, or a blank cell of a leaf line in a column of
	-- the appendix that holds parts (a figure added by the decision).
	SELECT jsonb_agg(jsonb_build_object('n', x.n, 'line_id', CASE
		WHEN f.line_id IS NOT NULL OR (NOT EXISTS (SELECT 1
		    FROM san.plan_lines ch WHERE ch.parent_id = l.id)
		  AND EXISTS (SELECT 1 FROM san.plan_figures f2
		    JOIN san.plan_lines l2 ON l2.id = f2.line_id
		   WHERE l2.plan_id = p_plan AND f2.is_part
		     AND f2.source = x.c->>'source'
		     AND f2.year IS NOT DISTINCT FROM (x.c->>'year')::int))
		THEN l.id END,
	    'code', l.code, 'position', l.position,
	    'year', (x.c->>'year')::int, 'source', x.c->>'source',
	    'amount', (x.c->>'amount_vnd')::bigint) ORDER BY x.n)
	  INTO v_c
	  FROM jsonb_array_elements(p_body->'changes') WITH ORDINALITY x(c, n)
	  LEFT JOIN san.plan_lines l ON l.plan_id = p_plan
	   AND l.kind = 'line' AND l.code = x.c->>'line_code'
	  LEFT JOIN san.plan_figures f ON f.line_id = l.id AND f.is_part
	   AND f.source = x.c->>'source'
	   AND f.year IS NOT DISTINCT FROM (x.c->>'year')::int;
	SELECT min(n) INTO v_n FROM jsonb_to_recordset(v_c) c(n int, line_id bigint)
	 WHERE line_id IS NULL;
	IF v_n IS NOT NULL THEN
		RETURN api.ledger_refuse('revision', p_key,
		    api.err(404, 'plan_part_not_found',
			'changes[' || (v_n - 1) || ']'));
	END IF;
	IF (SELECT count(*) <> count(DISTINCT (line_id, year, source))
	      FROM jsonb_to_recordset(v_c)
		c(line_id bigint, year int, source text)) THEN
		RETURN api.ledger_refuse('revision', p_key,
		    api.err(400, 'duplicate_change', 'changes'));
	END IF;

	-- The part's budget and funding accounts (NULL: none yet), locked in
	-- id order; its budget now (appendix plus earlier revisions) and what
	-- is left of it: committed = before - balance.
	v_c := api.revision_accounts(p_plan, v_c);
	PERFORM 1 FROM san.ledger_accounts
	 WHERE id IN (SELECT (e->>'budget_id')::bigint
		  FROM jsonb_array_elements(v_c) e
		UNION SELECT (e->>'funding_id')::bigint
		  FROM jsonb_array_elements(v_c) e)
	 ORDER BY id FOR UPDATE;
	SELECT jsonb_agg(e || jsonb_build_object(
	    'balance', COALESCE((SELECT balance_vnd FROM san.ledger_accounts
		WHERE id = (e->>'budget_id')::bigint), 0),
	    'before', (SELECT COALESCE(sum(x.credit_vnd - x.debit_vnd), 0)
		FROM san.ledger_entries x JOIN san.ledger_tx t ON t.id = x.tx_id
	       WHERE x.account_id = (e->>'budget_id')::bigint
		 AND t.kind IN ('plan_load', 'revision'))) ORDER BY (e->>'n')::int)
	  INTO v_c FROM jsonb_array_elements(v_c) e;
	SELECT * INTO v_bad FROM jsonb_to_recordset(v_c) c(n int, code text,
		year int, source text, amount bigint, balance bigint,
		before bigint)
	 WHERE amount < before - balance ORDER BY n LIMIT 1;
	IF FOUND THEN
		RETURN api.ledger_refuse('revision', p_key,
		    api.err_details(409, 'budget_below_committed',
		    json_build_object('line', v_bad.code, 'year', v_bad.year,
			'source', v_bad.source,
			'committed_vnd', v_bad.before - v_bad.balance,
			'requested_vnd', v_bad.amount,
			'shortfall_vnd', v_bad.before - v_bad.balance
			    - v_bad.amount),
		    'changes[' || (v_bad.n - 1) || '].amount_vnd'));
	END IF;

	-- Accounts for parts (and sources) the plan loaded nothing into: new
	-- rows of this transaction, nobody else sees them before it commits.
	INSERT INTO san.ledger_accounts (kind, plan_id, source)
	SELECT DISTINCT 'funding', p_plan, c.source
	  FROM jsonb_to_recordset(v_c) c(source text, funding_id bigint)
	 WHERE c.funding_id IS NULL;
	INSERT INTO san.ledger_accounts (kind, plan_id, source, line_id, year)
	SELECT 'budget', p_plan, c.source, c.line_id, c.year
	  FROM jsonb_to_recordset(v_c) c(n int, line_id bigint, year int,
		source text, budget_id bigint)
	 WHERE c.budget_id IS NULL ORDER BY c.n;
	v_c := api.revision_accounts(p_plan, v_c);

	INSERT INTO san.ledger_tx (kind, plan_id, actor_id, reason)
	VALUES ('revision', p_plan, v_me, api.txt(p_body, 'decision_no'))
	RETURNING id INTO v_tx;
	INSERT INTO san.plan_revisions (plan_id, decision_no, decision_date,
	    reason, tx_id, actor_id)
	VALUES (p_plan, api.txt(p_body, 'decision_no'),
	    (p_body->>'decision_date')::date, api.txt(p_body, 'reason'),
	    v_tx, v_me)
	RETURNING id INTO v_rev;
	INSERT INTO san.plan_revision_changes (revision_id, line_id, year,
	    source, budget_id, before_vnd, revised_vnd, difference_vnd)
	SELECT v_rev, line_id, year, source, budget_id, before, amount,
	    amount - before
	  FROM jsonb_to_recordset(v_c) c(line_id bigint, position int,
		year int, source text, amount bigint, budget_id bigint,
		before bigint)
	 ORDER BY position, year NULLS LAST, api.source_rank(source);
	SELECT array_agg(a ORDER BY a), array_agg(v ORDER BY a)
	  INTO v_accts, v_amts
	  FROM (SELECT budget_id AS a, amount - before AS v
		  FROM jsonb_to_recordset(v_c) c(amount bigint,
			budget_id bigint, before bigint)
		UNION ALL
		SELECT funding_id, -sum(amount - before)
		  FROM jsonb_to_recordset(v_c) c(amount bigint,
			funding_id bigint, before bigint)
		 GROUP BY funding_id) x;
	PERFORM san.ledger_post(v_tx, v_accts, v_amts);
	PERFORM api.audit(v_me, 'plan_revision', 'plan', p_plan::text,
	    jsonb_build_object('revision_id', v_rev,
		'decision_no', api.txt(p_body, 'decision_no'),
		'changes', jsonb_array_length(v_c)));
	RETURN api.ledger_done('revision', p_key,
	    api.ok(201, api.revision_json(v_rev)));
END $$;
