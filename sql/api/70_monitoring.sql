-- Monitoring and violation alerts (issue 10): rules managed by officials,
-- screening of every listing change inside its own transaction, cases and
-- the officials' queue, decisions with a statement of reasons, the audit
-- chain check.  Official routes answer 401 to anonymous callers and 404
-- to everyone who is not an official or admin (the routes do not exist
-- for them).

-- Official work: NULL when p_me may go on, else the refusal.
CREATE FUNCTION api.mod_refusal(p_me bigint) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT api.is_official(p_me) THEN
		RETURN api.err(404, 'not_found');
	END IF;
	RETURN NULL;
END $$;

-- Rules ----------------------------------------------------------------------

CREATE FUNCTION api.mod_rule_json(r san.mod_rules) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', r.id, 'version', r.version,
	    'name', r.name, 'kind', r.kind, 'severity', r.severity,
	    'category', r.category, 'params', r.params, 'active', r.active,
	    'created_at', r.created_at, 'updated_at', r.updated_at,
	    'rescan', (SELECT json_build_object('version', j.version,
		'scanned', j.scanned, 'hits', j.hits,
		'last_product_id', j.last_product_id,
		'started_at', j.started_at, 'finished_at', j.finished_at,
		'outcome', j.outcome)
	      FROM san.mod_rescans j WHERE j.rule_id = r.id
	     ORDER BY j.version DESC LIMIT 1))
$$;

-- GET /api/v1/official/rules: every rule, newest first, with the number
-- of alerts of each.
CREATE FUNCTION api.mod_rule_list(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE((
	    SELECT json_agg(x.j ORDER BY x.id DESC) FROM (
		SELECT r.id, (api.mod_rule_json(r)::jsonb ||
		    jsonb_build_object('alerts', (SELECT count(*)
			FROM san.mod_alerts a WHERE a.rule_id = r.id)))::json
		    AS j
		  FROM san.mod_rules r) x), '[]')));
END $$;

-- p_body (checked by the server; params by kind in src/modrule.c):
-- name, kind, severity, category, params, active?.
CREATE FUNCTION api.mod_rule_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_r	san.mod_rules;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	-- A statistical outlier, a seller signal or a shared image is a
	-- signal for a person, never a refusal: only keyword rules (and a
	-- missing licence, a fact) block.
	IF p_body->>'kind' NOT IN ('keyword', 'category') AND
	    p_body->>'severity' = 'block' THEN
		RETURN api.err(422, 'invalid_choice', 'severity');
	END IF;
	v_err := api.mod_category_check(p_body);
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	INSERT INTO san.mod_rules (name, kind, severity, category, params,
	    active, updated_by)
	VALUES (api.txt(p_body, 'name'), p_body->>'kind',
	    p_body->>'severity', p_body->>'category', p_body->'params',
	    COALESCE((p_body->>'active')::boolean, true), v_me)
	RETURNING * INTO v_r;
	INSERT INTO san.mod_rule_versions (rule_id, version, name, kind,
	    severity, category, params, active, created_by)
	VALUES (v_r.id, v_r.version, v_r.name, v_r.kind, v_r.severity,
	    v_r.category, v_r.params, v_r.active, v_me);
	PERFORM api.mod_rescan_queue(v_r);
	PERFORM api.audit(v_me, 'rule_create', 'rule', v_r.id::text,
	    to_jsonb(v_r) - 'updated_by');
	RETURN api.ok(201, api.mod_rule_json(v_r));
END $$;

-- Any subset of name, severity, category, params, active; kind cannot
-- change (a new kind is a new rule).  Every change is a new version.
CREATE FUNCTION api.mod_rule_update(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_old	san.mod_rules;
	v_r	san.mod_rules;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT * INTO v_old FROM san.mod_rules WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'rule_not_found');
	END IF;
	IF p_body ? 'kind' AND p_body->>'kind' <> v_old.kind THEN
		RETURN api.err(422, 'rule_kind_fixed', 'kind');
	END IF;
	IF v_old.kind NOT IN ('keyword', 'category') AND
	    p_body->>'severity' = 'block' THEN
		RETURN api.err(422, 'invalid_choice', 'severity');
	END IF;
	v_err := api.mod_category_check(p_body);
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	UPDATE san.mod_rules SET version = version + 1,
	    name = COALESCE(api.txt(p_body, 'name'), name),
	    severity = COALESCE(p_body->>'severity', severity),
	    category = COALESCE(p_body->>'category', category),
	    params = COALESCE(p_body->'params', params),
	    active = COALESCE((p_body->>'active')::boolean, active),
	    updated_by = v_me, updated_at = now()
	 WHERE id = p_id
	RETURNING * INTO v_r;
	INSERT INTO san.mod_rule_versions (rule_id, version, name, kind,
	    severity, category, params, active, created_by)
	VALUES (v_r.id, v_r.version, v_r.name, v_r.kind, v_r.severity,
	    v_r.category, v_r.params, v_r.active, v_me);
	PERFORM api.mod_rescan_queue(v_r);
	PERFORM api.audit(v_me, 'rule_update', 'rule', v_r.id::text,
	    jsonb_build_object('version', v_r.version, 'change', p_body,
	    'before', to_jsonb(v_old) - 'updated_by'));
	RETURN api.ok(200, api.mod_rule_json(v_r));
END $$;

-- Screening --------------------------------------------------------------

-- The keyword rules that match p_text: one row per rule, with the first
-- matched phrase (folded).  The phrases beginning with a word of the text
-- are read in one index scan (san.mod_rule_terms by first word, migration
-- 021), whatever the number of rules; each is placed where its first word
-- occurs and compared with the text's words from there.  A match lying
-- inside a match of one of the same rule's exceptions does not count.
CREATE FUNCTION api.mod_keyword_hits(p_field text, p_text text)
RETURNS TABLE (rule_id bigint, field text, matched text)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
DECLARE
	w	text[] := san.mod_words(p_text);
	nw	int := cardinality(w);
BEGIN
	IF w IS NULL OR nw = 0 THEN
		RETURN;
	END IF;
	RETURN QUERY
	WITH t AS MATERIALIZED (
		SELECT t.rule_id, t.is_except, t.nwords, t.phrase,
		    split_part(t.phrase, ' ', 1) AS first
		  FROM san.mod_rule_terms t
		 WHERE split_part(t.phrase, ' ', 1) = ANY (w)),
	m AS MATERIALIZED (
		SELECT t.rule_id, t.is_except, x.i::int AS pos, t.nwords AS n,
		    t.phrase
		  FROM unnest(w) WITH ORDINALITY x(word, i), t
		 WHERE t.first = x.word AND x.i + t.nwords - 1 <= nw
		   AND (t.nwords = 1 OR
			array_to_string(w[x.i:x.i + t.nwords - 1], ' ') = t.phrase))
	SELECT DISTINCT ON (h.rule_id) h.rule_id, p_field, h.phrase
	  FROM m h
	 WHERE NOT h.is_except AND NOT EXISTS (SELECT 1 FROM m e
		WHERE e.is_except AND e.rule_id = h.rule_id
		  AND e.pos <= h.pos AND e.pos + e.n >= h.pos + h.n)
	 ORDER BY h.rule_id, h.pos;
END $$;

-- Modified z-score of x (Iglewicz and Hoaglin): 0.6745 (x - median) / MAD.
-- When MAD is 0 (more than half the prices equal) the mean absolute
-- deviation stands in: (x - median) / (1.253314 MeanAD).  When both are 0
-- (every price the same) there is no score: NULL (the rule then compares
-- x with the median by ratio).
CREATE FUNCTION api.mod_zscore(x double precision, p_median double precision,
    p_mad double precision, p_meanad double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN p_mad > 0 THEN 0.6745 * (x - p_median) / p_mad
	WHEN p_meanad > 0 THEN (x - p_median) / (1.253314 * p_meanad) END $$;

-- The category's price statistics over its listed products, recomputed
-- when older than price_stats_ttl.
CREATE FUNCTION api.mod_price_stats(p_cat int) RETURNS san.mod_price_stats
LANGUAGE plpgsql
AS $$
DECLARE
	s	san.mod_price_stats;
BEGIN
	SELECT * INTO s FROM san.mod_price_stats WHERE category_id = p_cat;
	IF FOUND AND s.computed_at >
	    now() - san.setting('price_stats_ttl')::interval THEN
		RETURN s;
	END IF;
	WITH x AS MATERIALIZED (SELECT p.price_vnd::float8 AS v
		FROM san.products p WHERE p.listed AND p.category_id = p_cat),
	    med AS (SELECT count(*) AS n,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS m FROM x)
	SELECT p_cat, med.n, med.m,
	    (SELECT percentile_cont(0.5) WITHIN GROUP
		(ORDER BY abs(x.v - med.m)) FROM x),
	    (SELECT avg(abs(x.v - med.m)) FROM x), now()
	  INTO s FROM med;
	INSERT INTO san.mod_price_stats AS t VALUES (s.*)
	ON CONFLICT (category_id) DO UPDATE SET n = EXCLUDED.n,
	    median = EXCLUDED.median, mad = EXCLUDED.mad,
	    meanad = EXCLUDED.meanad, computed_at = EXCLUDED.computed_at;
	RETURN s;
END $$;

-- A price-anomaly rule on price p_price against stats s: the figure
-- (JSON) when it fires, else NULL.  Fewer than min_listings listed
-- products in the category: no verdict.
CREATE FUNCTION api.mod_price_hit(p_params jsonb, s san.mod_price_stats,
    p_price bigint) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	v_z	double precision;
	v_ratio	double precision := COALESCE(
	    (p_params->>'constant_ratio')::float8, 3);
BEGIN
	IF s.n IS NULL OR s.n < COALESCE((p_params->>'min_listings')::int, 20)
	    OR s.median IS NULL OR s.median <= 0 THEN
		RETURN NULL;
	END IF;
	v_z := api.mod_zscore(p_price, s.median, s.mad, s.meanad);
	IF v_z IS NULL THEN
		IF p_price >= s.median * v_ratio OR
		    p_price <= s.median / v_ratio THEN
			RETURN jsonb_build_object('price_vnd', p_price,
			    'median', s.median, 'n', s.n, 'mad', 0,
			    'ratio', round((p_price / s.median)::numeric, 2));
		END IF;
		RETURN NULL;
	END IF;
	IF abs(v_z) > COALESCE((p_params->>'threshold')::float8, 3.5) THEN
		RETURN jsonb_build_object('price_vnd', p_price,
		    'median', s.median, 'mad', s.mad, 'n', s.n,
		    'z', round(v_z::numeric, 2));
	END IF;
	RETURN NULL;
END $$;

-- A seller_signals rule (p_params: store_age_days, daily_listings,
-- reports) on a new listing of store p_store: the figure when a signal
-- fires, else NULL.  new_store_listings: the store is younger than
-- store_age_days and this listing makes more than daily_listings created
-- today (Vietnam day); reports: reports in the business's open cases
-- reach "reports" (0: not looked at).
CREATE FUNCTION api.mod_signal_hit(p_params jsonb, p_store bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_s	san.stores;
	v_n	bigint;
BEGIN
	SELECT * INTO v_s FROM san.stores WHERE id = p_store;
	IF v_s.created_at > now() - make_interval(
	    days => (p_params->>'store_age_days')::int) THEN
		SELECT count(*) + 1 INTO v_n FROM san.products p
		 WHERE p.store_id = p_store
		   AND p.created_at >= api.today()::timestamp
			AT TIME ZONE 'Asia/Ho_Chi_Minh';
		IF v_n > (p_params->>'daily_listings')::int THEN
			RETURN jsonb_build_object('signal',
			    'new_store_listings', 'listings_today', v_n,
			    'store_created_at', v_s.created_at);
		END IF;
	END IF;
	IF COALESCE((p_params->>'reports')::int, 0) > 0 THEN
		SELECT count(*) INTO v_n FROM san.mod_alerts a
		  JOIN san.mod_cases c ON c.id = a.case_id
		  JOIN san.stores s ON s.id = c.store_id
		 WHERE s.business_id = v_s.business_id AND c.status = 'open'
		   AND a.source = 'report';
		IF v_n >= (p_params->>'reports')::int THEN
			RETURN jsonb_build_object('signal', 'reports',
			    'reports', v_n);
		END IF;
	END IF;
	RETURN NULL;
END $$;

-- The image p_etag of product p_product on a listed product of another
-- business: {field, matched, figure: {product_id, store}} of the first
-- such product, else NULL.
CREATE FUNCTION api.mod_image_hit(p_product bigint, p_etag text)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('field', 'images', 'matched', p_etag,
	    'figure', jsonb_build_object('product_id', o.id,
		'store', s.slug))
	  FROM san.product_images i
	  JOIN san.products o ON o.id = i.product_id AND o.listed
	  JOIN san.stores s ON s.id = o.store_id
	 WHERE i.etag = p_etag AND o.id <> p_product
	   AND s.business_id <> (SELECT ms.business_id FROM san.products mp
		JOIN san.stores ms ON ms.id = mp.store_id
		WHERE mp.id = p_product)
	 ORDER BY o.id LIMIT 1
$$;

-- A new image p_etag of product p_product (the trigger of migration 014,
-- inside the upload's transaction) against the active same_image rules:
-- alerts in the product's case, and a hold for a hold rule.
CREATE FUNCTION api.mod_image_screen(p_product bigint, p_etag text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	v_r	san.mod_rules;
	v_hit	jsonb;
	v_store	bigint;
BEGIN
	FOR v_r IN SELECT * FROM san.mod_rules
	    WHERE active AND kind = 'same_image' ORDER BY id LOOP
		v_hit := api.mod_image_hit(p_product, p_etag);
		EXIT WHEN v_hit IS NULL;
		SELECT store_id INTO v_store FROM san.products
		 WHERE id = p_product;
		PERFORM api.mod_record(p_product, v_store, jsonb_build_array(
		    v_hit || jsonb_build_object('rule_id', v_r.id,
		    'version', v_r.version, 'kind', v_r.kind,
		    'severity', v_r.severity, 'category', v_r.category)));
		IF v_r.severity = 'hold' THEN
			UPDATE san.products SET held = true,
			    held_category = v_r.category
			 WHERE id = p_product AND NOT held;
		END IF;
	END LOOP;
END $$;

-- Hits, strongest severity first, then by rule.
CREATE FUNCTION api.mod_sort_hits(p_hits jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$ SELECT COALESCE(jsonb_agg(h ORDER BY CASE h->>'severity'
	WHEN 'block' THEN 0 WHEN 'hold' THEN 1 ELSE 2 END,
	(h->>'rule_id')::bigint), '[]')
  FROM jsonb_array_elements(p_hits) h $$;

-- Screen product p (as it would be written; p_old the row before, NULL
-- for a new product): the hits of the active rules, as a JSON array of
-- {rule_id, version, kind, severity, category, field, matched, figure},
-- strongest severity first.  Keyword rules look at the name and
-- description when they are new or changed, price rules at the price
-- when it or the category is new or changed.
CREATE FUNCTION api.mod_screen(p san.products, p_old san.products)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	v_hits	jsonb := '[]';
	v_s	san.mod_price_stats;
	v_fig	jsonb;
	v_r	san.mod_rules;
BEGIN
	IF p_old.id IS NULL OR p.name IS DISTINCT FROM p_old.name OR
	    p.description IS DISTINCT FROM p_old.description THEN
		SELECT COALESCE(jsonb_agg(jsonb_build_object(
		    'rule_id', r.id, 'version', r.version, 'kind', r.kind,
		    'severity', r.severity, 'category', r.category,
		    'field', k.field, 'matched', k.matched)), '[]')
		  INTO v_hits
		  FROM (SELECT DISTINCT ON (h.rule_id) h.*
			FROM (SELECT * FROM api.mod_keyword_hits('name', p.name)
			UNION ALL
			SELECT * FROM api.mod_keyword_hits('description',
			    p.description)) h
			ORDER BY h.rule_id, h.field <> 'name') k
		  JOIN san.mod_rules r ON r.id = k.rule_id AND r.active;
	END IF;
	-- A business at the hold_new_listings penalty tier: its new
	-- listings are held for review.  Seller signals look at new
	-- listings too.
	IF p_old.id IS NULL THEN
		v_fig := api.mod_penalty_hit(p.store_id);
		IF v_fig IS NOT NULL THEN
			v_hits := v_hits || v_fig;
		END IF;
		FOR v_r IN SELECT * FROM san.mod_rules
		    WHERE active AND kind = 'seller_signals' ORDER BY id LOOP
			v_fig := api.mod_signal_hit(v_r.params, p.store_id);
			IF v_fig IS NOT NULL THEN
				v_hits := v_hits || jsonb_build_object(
				    'rule_id', v_r.id, 'version', v_r.version,
				    'kind', v_r.kind, 'severity', v_r.severity,
				    'category', v_r.category, 'field', NULL,
				    'figure', v_fig);
			END IF;
		END LOOP;
	END IF;
	-- Category rules (a valid licence for a conditional category): at
	-- creation and at a change of category.
	IF p_old.id IS NULL OR p.category_id IS DISTINCT FROM p_old.category_id
	    THEN
		v_hits := v_hits || api.mod_category_hits(p);
	END IF;
	-- Refused anyway: price rules (which never block, and may refresh
	-- the category's statistics) are not consulted, so a refused
	-- change writes nothing at all.
	IF v_hits @> '[{"severity": "block"}]' THEN
		RETURN api.mod_sort_hits(v_hits);
	END IF;
	IF p_old.id IS NULL OR p.price_vnd IS DISTINCT FROM p_old.price_vnd OR
	    p.category_id IS DISTINCT FROM p_old.category_id THEN
		FOR v_r IN SELECT * FROM san.mod_rules
		    WHERE active AND kind = 'price_anomaly' ORDER BY id LOOP
			IF v_s.category_id IS NULL THEN
				v_s := api.mod_price_stats(p.category_id);
			END IF;
			v_fig := api.mod_price_hit(v_r.params, v_s, p.price_vnd);
			IF v_fig IS NOT NULL THEN
				v_hits := v_hits || jsonb_build_object(
				    'rule_id', v_r.id, 'version', v_r.version,
				    'kind', v_r.kind, 'severity', v_r.severity,
				    'category', v_r.category,
				    'field', 'price_vnd', 'figure', v_fig);
			END IF;
		END LOOP;
	END IF;
	RETURN api.mod_sort_hits(v_hits);
END $$;

-- 422 listing_blocked (field: where the first blocking rule matched;
-- details: the category of the concern, never the rule) when a hit
-- blocks, else NULL.
CREATE FUNCTION api.mod_blocked(p_hits jsonb) RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN p_hits->0->>'severity' = 'block' THEN
	api.err_details(422, 'listing_blocked', json_build_object(
	    'category', p_hits->0->>'category'), p_hits->0->>'field') END $$;

-- The category of the first holding hit, or NULL.
CREATE FUNCTION api.mod_hold_category(p_hits jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT h->>'category' FROM jsonb_array_elements(p_hits) h
	WHERE h->>'severity' = 'hold' LIMIT 1 $$;

-- Priority and deadline interval of a case from its source and category.
CREATE FUNCTION api.mod_priority(p_source text, p_category text)
RETURNS smallint
LANGUAGE sql IMMUTABLE
AS $$ SELECT (CASE WHEN p_source = 'authority' THEN 0
	WHEN p_category IN ('prohibited_goods', 'unsafe_goods') THEN 1
	ELSE 2 END)::smallint $$;

CREATE FUNCTION api.mod_deadline(p_priority smallint) RETURNS interval
LANGUAGE sql STABLE
AS $$ SELECT san.setting(CASE p_priority WHEN 0 THEN 'case_deadline_authority'
	WHEN 1 THEN 'case_deadline_urgent'
	ELSE 'case_deadline_other' END)::interval $$;

-- The open case of a product (made when there is none), locked.  The
-- case takes the most urgent priority and earliest deadline of what
-- joins it.
CREATE FUNCTION api.mod_case_for(p_type text, p_product bigint,
    p_store bigint, p_source text, p_category text, p_severity text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
	v_prio	smallint := api.mod_priority(p_source, p_category);
	v_case	san.mod_cases;
BEGIN
	IF p_type = 'product' THEN
		INSERT INTO san.mod_cases (target_type, product_id, store_id,
		    source, category, severity, priority, deadline)
		VALUES ('product', p_product, p_store, p_source, p_category,
		    p_severity, v_prio, now() + api.mod_deadline(v_prio))
		ON CONFLICT (product_id)
		    WHERE status = 'open' AND target_type = 'product'
		    DO NOTHING
		RETURNING * INTO v_case;
		IF v_case.id IS NULL THEN
			SELECT * INTO v_case FROM san.mod_cases
			 WHERE product_id = p_product AND status = 'open'
			   AND target_type = 'product' FOR UPDATE;
		END IF;
	ELSE
		INSERT INTO san.mod_cases (target_type, store_id, source,
		    category, severity, priority, deadline)
		VALUES ('store', p_store, p_source, p_category, p_severity,
		    v_prio, now() + api.mod_deadline(v_prio))
		ON CONFLICT (store_id)
		    WHERE status = 'open' AND target_type = 'store'
		    DO NOTHING
		RETURNING * INTO v_case;
		IF v_case.id IS NULL THEN
			SELECT * INTO v_case FROM san.mod_cases
			 WHERE store_id = p_store AND status = 'open'
			   AND target_type = 'store' FOR UPDATE;
		END IF;
	END IF;
	IF v_prio < v_case.priority THEN
		UPDATE san.mod_cases SET priority = v_prio, source = p_source,
		    category = p_category,
		    deadline = LEAST(deadline,
			first_alert_at + api.mod_deadline(v_prio))
		 WHERE id = v_case.id;
	END IF;
	IF p_severity = 'hold' AND v_case.severity = 'flag' THEN
		UPDATE san.mod_cases SET severity = 'hold'
		 WHERE id = v_case.id;
	END IF;
	RETURN v_case.id;
END $$;

-- Record the hits of a screening of product p_id as alerts of its open
-- case (an alert already there for the same rule version, field and
-- match is not repeated).
CREATE FUNCTION api.mod_record(p_id bigint, p_store bigint, p_hits jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	h	jsonb;
	v_case	bigint;
BEGIN
	FOR h IN SELECT x FROM jsonb_array_elements(p_hits) x LOOP
		v_case := api.mod_case_for('product', p_id, p_store, 'rule',
		    h->>'category', h->>'severity');
		INSERT INTO san.mod_alerts (case_id, source, rule_id,
		    rule_version, severity, category, field, matched, figure)
		SELECT v_case, 'rule', (h->>'rule_id')::bigint,
		    (h->>'version')::int, h->>'severity', h->>'category',
		    h->>'field', h->>'matched', h->'figure'
		 WHERE NOT EXISTS (SELECT 1 FROM san.mod_alerts a
			WHERE a.case_id = v_case
			  AND a.rule_id = (h->>'rule_id')::bigint
			  AND a.rule_version = (h->>'version')::int
			  AND a.field IS NOT DISTINCT FROM h->>'field'
			  AND a.matched IS NOT DISTINCT FROM h->>'matched');
	END LOOP;
END $$;

-- Cases and the queue ------------------------------------------------------

CREATE FUNCTION api.mod_case_item(c san.mod_cases) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', c.id, 'target_type', c.target_type,
	    'product', (SELECT json_build_object('id', p.id, 'name', p.name,
		'status', p.status, 'held', p.held)
		FROM san.products p WHERE p.id = c.product_id),
	    'store', (SELECT json_build_object('slug', s.slug,
		'name', s.name) FROM san.stores s WHERE s.id = c.store_id),
	    'status', c.status, 'source', c.source, 'category', c.category,
	    'severity', c.severity, 'priority', c.priority,
	    'first_alert_at', c.first_alert_at, 'deadline', c.deadline,
	    'overdue', c.status = 'open' AND c.deadline < now(),
	    'claimed_by', c.claimed_by,
	    'claimed_by_name', (SELECT a.full_name FROM san.accounts a
		WHERE a.id = c.claimed_by),
	    'claimed_at', c.claimed_at,
	    'decision_id', c.decision_id, 'decided_at', c.decided_at,
	    'alerts', (SELECT count(*) FROM san.mod_alerts a
		WHERE a.case_id = c.id))
$$;

-- GET /api/v1/official/cases?status=open|decided&after=&limit=: open
-- cases by deadline (the most urgent first; priority sets the deadline),
-- decided ones newest first.  Keyset: after is the last case id seen.
CREATE FUNCTION api.mod_case_list(p_token_hash text, p_status text,
    p_sort text, p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_lim	int := COALESCE(p_limit, 20);
	v_at	timestamptz;
	v_items	json;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	IF COALESCE(p_status, 'open') = 'open' THEN
		IF p_after IS NOT NULL THEN
			SELECT deadline INTO v_at FROM san.mod_cases
			 WHERE id = p_after;
		END IF;
		SELECT json_agg(api.mod_case_item(c) ORDER BY c.deadline, c.id)
		  INTO v_items FROM (SELECT * FROM san.mod_cases c
			WHERE c.status = 'open' AND (p_after IS NULL OR
			    (c.deadline, c.id) > (v_at, p_after))
			ORDER BY c.deadline, c.id LIMIT v_lim + 1) c;
	ELSE
		SELECT json_agg(api.mod_case_item(c) ORDER BY c.id DESC)
		  INTO v_items FROM (SELECT * FROM san.mod_cases c
			WHERE c.status = 'decided' AND
			    (p_after IS NULL OR c.id < p_after)
			ORDER BY c.status, c.id DESC LIMIT v_lim + 1) c;
	END IF;
	v_items := COALESCE(v_items, '[]');
	RETURN api.ok(200, json_build_object(
	    'items', (SELECT COALESCE(json_agg(e ORDER BY o), '[]')
		FROM json_array_elements(v_items) WITH ORDINALITY x(e, o)
		WHERE o <= v_lim),
	    'next', CASE WHEN json_array_length(v_items) > v_lim
		THEN v_items->(v_lim - 1)->'id' END));
END $$;

-- The evidence of a case as it is now: the product (name, description,
-- price, category, image hashes), the store, the business, the alerts.
CREATE FUNCTION api.mod_evidence(c san.mod_cases) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object(
	    'product', (SELECT jsonb_build_object('id', p.id, 'name', p.name,
		'description', p.description, 'price_vnd', p.price_vnd,
		'status', p.status, 'held', p.held,
		'category', jsonb_build_object('id', k.id, 'slug', k.slug,
		    'name_vi', k.name_vi),
		'licence_ref', p.licence_ref,
		'image_hashes', COALESCE((SELECT jsonb_agg(i.etag
		    ORDER BY i.position) FROM san.product_images i
		    WHERE i.product_id = p.id), '[]'))
		FROM san.products p JOIN san.categories k
		  ON k.id = p.category_id WHERE p.id = c.product_id),
	    'store', (SELECT jsonb_build_object('id', s.id, 'slug', s.slug,
		'name', s.name, 'status', s.status)
		FROM san.stores s WHERE s.id = c.store_id),
	    'business', (SELECT jsonb_build_object('id', b.id,
		'name', b.name, 'tax_code', b.tax_code, 'status', b.status,
		'licences', api.licence_items(b.id))
		FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
		WHERE s.id = c.store_id),
	    'alerts', COALESCE((SELECT jsonb_agg(jsonb_build_object(
		'id', a.id, 'source', a.source, 'rule_id', a.rule_id,
		'rule_version', a.rule_version, 'rule_name', v.name,
		'severity', a.severity, 'category', a.category,
		'field', a.field, 'matched', a.matched, 'figure', a.figure,
		'report', CASE WHEN r.id IS NOT NULL THEN jsonb_build_object(
		    'reference', r.reference, 'explanation', r.explanation,
		    'authority', r.authority, 'document_no', r.document_no,
		    'signed_in', r.reporter_id IS NOT NULL) END,
		'created_at', a.created_at) ORDER BY a.id)
		FROM san.mod_alerts a LEFT JOIN san.mod_rule_versions v
		  ON v.rule_id = a.rule_id AND v.version = a.rule_version
		LEFT JOIN san.mod_reports r ON r.id = a.report_id
		WHERE a.case_id = c.id), '[]'))
$$;

CREATE FUNCTION api.mod_decision_json(d san.mod_decisions) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', d.id, 'case_id', d.case_id,
	    'action', d.action,
	    'statement', json_build_object('ground', d.ground,
		'legal_provision', d.legal_provision,
		'explanation', d.explanation, 'category', d.category,
		'end_date', d.end_date,
		'automated_detection', d.automated_detection,
		'automated_decision', d.automated_decision),
	    'points', d.points, 'product_id', d.product_id,
	    'store_id', d.store_id, 'decided_by', d.decided_by,
	    'created_at', d.created_at, 'evidence', d.evidence)
$$;

-- GET /api/v1/official/cases/{id}: the case, its live evidence and the
-- decision (with the evidence frozen when it was taken).
CREATE FUNCTION api.mod_case_get(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_c	san.mod_cases;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT * INTO v_c FROM san.mod_cases WHERE id = p_id;
	IF NOT FOUND THEN
		RETURN api.err(404, 'case_not_found');
	END IF;
	RETURN api.ok(200, (api.mod_case_item(v_c)::jsonb ||
	    jsonb_build_object('evidence', api.mod_evidence(v_c),
	    'decision', (SELECT api.mod_decision_json(d)
		FROM san.mod_decisions d WHERE d.id = v_c.decision_id)))::json);
END $$;

-- POST /api/v1/official/cases/{id}/claim: the case is the caller's (an
-- open case claimed by another official answers 409 case_claimed).
CREATE FUNCTION api.mod_case_claim(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_c	san.mod_cases;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT * INTO v_c FROM san.mod_cases WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'case_not_found');
	END IF;
	IF v_c.status <> 'open' THEN
		RETURN api.err(409, 'case_decided');
	END IF;
	IF v_c.claimed_by IS NOT NULL AND v_c.claimed_by <> v_me THEN
		RETURN api.err(409, 'case_claimed');
	END IF;
	IF v_c.claimed_by IS NULL THEN
		UPDATE san.mod_cases SET claimed_by = v_me, claimed_at = now()
		 WHERE id = p_id RETURNING * INTO v_c;
		PERFORM api.audit(v_me, 'case_claim', 'case', p_id::text);
	END IF;
	RETURN api.ok(200, api.mod_case_item(v_c));
END $$;

-- POST /api/v1/official/cases/{id}/decision: p_body (checked by the
-- server) action, ground, legal_provision?, explanation, category,
-- end_date?.  The case row lock makes concurrent decisions one decision
-- and one 409 case_decided.  A case claimed by another official answers
-- 409 case_claimed.  Suspension needs a prior warning of the business
-- unless the goods are prohibited.
CREATE FUNCTION api.mod_case_decide(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_err		api.result := api.mod_refusal(v_me);
	v_c		san.mod_cases;
	v_d		san.mod_decisions;
	v_action	text := p_body->>'action';
	v_business	bigint;
	v_bstatus	text;
	v_expl		text := NULLIF(api.txt(p_body, 'explanation'), '');
	v_legal		text := NULLIF(api.txt(p_body, 'legal_provision'), '');
	v_points	int := 0;
	v_measures	jsonb;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT * INTO v_c FROM san.mod_cases WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'case_not_found');
	END IF;
	IF v_c.status <> 'open' THEN
		RETURN api.err(409, 'case_decided');
	END IF;
	IF v_c.claimed_by IS NOT NULL AND v_c.claimed_by <> v_me THEN
		RETURN api.err(409, 'case_claimed');
	END IF;
	IF v_expl IS NULL THEN
		RETURN api.err(400, 'reason_required', 'explanation');
	END IF;
	IF p_body->>'ground' = 'illegal' AND v_legal IS NULL THEN
		RETURN api.err(400, 'required', 'legal_provision');
	END IF;
	IF v_action = 'remove_listing' AND v_c.product_id IS NULL THEN
		RETURN api.err(422, 'invalid_action', 'action');
	END IF;
	-- A hide ends on a day still to come (the store is shown again that
	-- day by the background job), or never (until an official lifts it).
	IF v_action = 'hide_store' AND
	    (p_body->>'end_date')::date <= api.today() THEN
		RETURN api.err(400, 'invalid', 'end_date');
	END IF;
	SELECT b.id, b.status INTO v_business, v_bstatus
	  FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
	 WHERE s.id = v_c.store_id FOR UPDATE OF b;
	IF v_action = 'suspend_business' THEN
		IF v_bstatus <> 'verified' THEN
			RETURN api.err(409, 'invalid_transition', 'action');
		END IF;
		IF p_body->>'category' <> 'prohibited_goods' AND NOT EXISTS (
		    SELECT 1 FROM san.mod_decisions d
		     WHERE d.business_id = v_business
		       AND d.action <> 'dismiss') THEN
			RETURN api.err(409, 'warning_required', 'action');
		END IF;
	END IF;
	IF v_action <> 'dismiss' THEN
		v_points := COALESCE((san.setting('penalty_points')::jsonb
		    ->>(p_body->>'category'))::int, 0);
	END IF;
	INSERT INTO san.mod_decisions (case_id, action, ground,
	    legal_provision, explanation, category, end_date,
	    automated_detection, automated_decision, product_id, store_id,
	    business_id, points, evidence, decided_by)
	VALUES (p_id, v_action, p_body->>'ground',
	    CASE WHEN p_body->>'ground' = 'illegal' THEN v_legal END,
	    v_expl, p_body->>'category', (p_body->>'end_date')::date,
	    EXISTS (SELECT 1 FROM san.mod_alerts a
		WHERE a.case_id = p_id AND a.source = 'rule'),
	    false, v_c.product_id, v_c.store_id, v_business, v_points,
	    api.mod_evidence(v_c), v_me)
	RETURNING * INTO v_d;
	UPDATE san.mod_cases SET status = 'decided', decision_id = v_d.id,
	    decided_at = now(), claimed_by = COALESCE(claimed_by, v_me),
	    claimed_at = COALESCE(claimed_at, now())
	 WHERE id = p_id;
	-- The restriction.  A held product is released by every decision
	-- (removal takes it down for good).
	IF v_c.product_id IS NOT NULL THEN
		UPDATE san.products SET held = false, held_category = NULL,
		    status = CASE WHEN v_action = 'remove_listing'
			THEN 'removed' ELSE status END,
		    removed_reason = CASE WHEN v_action = 'remove_listing'
			THEN v_expl ELSE removed_reason END,
		    updated_at = now()
		 WHERE id = v_c.product_id;
	END IF;
	IF v_action = 'hide_store' THEN
		PERFORM api.mod_store_hide(v_d.id, v_c.store_id, 'decision',
		    v_d.end_date);
	ELSIF v_action = 'suspend_business' THEN
		UPDATE san.businesses SET status = 'suspended',
		    updated_at = now() WHERE id = v_business;
		INSERT INTO san.business_events (business_id, actor_id,
		    action, from_status, to_status, reason)
		VALUES (v_business, v_me, 'suspend', v_bstatus, 'suspended',
		    v_expl);
	END IF;
	v_measures := api.mod_tier_measures(v_d);
	PERFORM api.audit(v_me, 'case_decision', 'case', p_id::text,
	    jsonb_build_object('decision_id', v_d.id, 'action', v_action,
	    'category', v_d.category, 'ground', v_d.ground,
	    'measures', v_measures));
	RETURN api.ok(201, (api.mod_decision_json(v_d)::jsonb ||
	    jsonb_build_object('measures', v_measures))::json);
END $$;

-- GET /api/v1/official/audit/verify: recompute the audit log's chain
-- ({"ok", "rows", "first_broken"}), and the decisions' chain beside it.
CREATE FUNCTION api.mod_audit_verify(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_a	jsonb;
	v_d	jsonb;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	v_a := san.chain_verify('san.audit_log');
	v_d := san.chain_verify('san.mod_decisions');
	RETURN api.ok(200, (v_a || jsonb_build_object('decisions', v_d,
	    'appeal_outcomes', san.chain_verify('san.mod_appeal_outcomes')))
	    ::json);
END $$;

-- Notices from people and authorities ----------------------------------------

-- The target of a notice: product_id (a listed product; for an official
-- any product) or store_slug (an active store of a verified business;
-- for an official any store).  Sets p_product, p_store; an error or NULL.
CREATE FUNCTION api.mod_target(p_body jsonb, p_any boolean,
    OUT p_product bigint, OUT p_store bigint, OUT p_err api.result)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_body ? 'product_id' AND p_body ? 'store_slug' THEN
		p_err := api.err(400, 'invalid', 'store_slug');
	ELSIF p_body ? 'product_id' THEN
		SELECT p.id, p.store_id INTO p_product, p_store
		  FROM san.products p
		 WHERE p.id = (p_body->>'product_id')::bigint
		   AND (p.listed OR p_any);
		IF NOT FOUND THEN
			p_err := api.err(404, 'product_not_found');
		END IF;
	ELSIF p_body ? 'store_slug' THEN
		SELECT s.id INTO p_store FROM san.stores s
		  JOIN san.businesses b ON b.id = s.business_id
		 WHERE s.slug = p_body->>'store_slug'
		   AND ((s.status = 'active' AND b.status = 'verified') OR p_any);
		IF NOT FOUND THEN
			p_err := api.err(404, 'store_not_found');
		END IF;
	ELSE
		p_err := api.err(400, 'required', 'product_id');
	END IF;
END $$;

CREATE FUNCTION api.mod_reference() RETURNS text
LANGUAGE sql VOLATILE
AS $$ SELECT 'VP-' || upper(substr(md5(random()::text ||
	clock_timestamp()::text), 1, 12)) $$;

-- POST /api/v1/reports {product_id | store_slug, reason, explanation,
-- email?}: anyone signed in, or anyone with an e-mail address.  Reports
-- about one target join its open case.  At most report_limit_account an
-- hour per account or address and report_limit_ip per client address
-- (429 too_many_reports).  A reporter whose reports were repeatedly
-- dismissed and never acted on no longer raises the case's priority.
CREATE FUNCTION api.mod_report_create(p_token_hash text, p_ip text,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_email		text := lower(NULLIF(api.txt(p_body, 'email'), ''));
	v_t		record;
	v_case		bigint;
	v_id		bigint;
	v_ref		text := api.mod_reference();
	v_lim		int := san.setting('report_limit_account')::int;
	v_trusted	boolean;
BEGIN
	IF v_me IS NULL AND v_email IS NULL THEN
		RETURN api.err(400, 'required', 'email');
	END IF;
	IF NULLIF(api.txt(p_body, 'explanation'), '') IS NULL THEN
		RETURN api.err(400, 'required', 'explanation');
	END IF;
	v_t := api.mod_target(p_body, false);
	IF (v_t.p_err).status IS NOT NULL THEN RETURN v_t.p_err; END IF;
	IF (v_me IS NOT NULL AND (SELECT count(*) FROM san.mod_reports r
		WHERE r.reporter_id = v_me
		  AND r.created_at > now() - interval '1 hour') >= v_lim)
	    OR (v_email IS NOT NULL AND (SELECT count(*)
		FROM san.mod_reports r WHERE lower(r.email) = v_email
		  AND r.created_at > now() - interval '1 hour') >= v_lim)
	    OR (p_ip IS NOT NULL AND (SELECT count(*) FROM san.mod_reports r
		WHERE r.client_ip = p_ip
		  AND r.created_at > now() - interval '1 hour') >=
		san.setting('report_limit_ip')::int) THEN
		RETURN api.err(429, 'too_many_reports');
	END IF;
	-- Trust (DSA Art. 23): the reporter's decided reports of the last
	-- 6 months.
	SELECT NOT (count(*) FILTER (WHERE d.action = 'dismiss') >=
		san.setting('report_unfounded_max')::int AND
		count(*) FILTER (WHERE d.action <> 'dismiss') = 0)
	  INTO v_trusted
	  FROM san.mod_reports r
	  JOIN san.mod_cases c ON c.id = r.case_id
	  JOIN san.mod_decisions d ON d.id = c.decision_id
	 WHERE r.source = 'report'
	   AND r.created_at > now() - interval '6 months'
	   AND ((v_me IS NOT NULL AND r.reporter_id = v_me) OR
		(v_email IS NOT NULL AND lower(r.email) = v_email));
	v_case := api.mod_case_for(CASE WHEN v_t.p_product IS NULL
	    THEN 'store' ELSE 'product' END, v_t.p_product, v_t.p_store,
	    'report', CASE WHEN v_trusted THEN p_body->>'reason'
		ELSE 'other' END, 'flag');
	INSERT INTO san.mod_reports (reference, source, case_id, product_id,
	    store_id, reason, explanation, reporter_id, email, client_ip)
	VALUES (v_ref, 'report', v_case, v_t.p_product, v_t.p_store,
	    p_body->>'reason', api.txt(p_body, 'explanation'), v_me,
	    v_email, p_ip)
	RETURNING id INTO v_id;
	INSERT INTO san.mod_alerts (case_id, source, category, report_id)
	VALUES (v_case, 'report', p_body->>'reason', v_id);
	RETURN api.ok(201, json_build_object('reference', v_ref));
END $$;

-- POST /api/v1/official/authority-requests {product_id | store_slug,
-- authority, document_no, category, explanation}: an official records a
-- request from an authority; its case gets the shortest deadline.
CREATE FUNCTION api.mod_authority_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_t	record;
	v_case	bigint;
	v_id	bigint;
	v_ref	text := api.mod_reference();
	v_c	san.mod_cases;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	v_t := api.mod_target(p_body, true);
	IF (v_t.p_err).status IS NOT NULL THEN RETURN v_t.p_err; END IF;
	v_case := api.mod_case_for(CASE WHEN v_t.p_product IS NULL
	    THEN 'store' ELSE 'product' END, v_t.p_product, v_t.p_store,
	    'authority', p_body->>'category', 'flag');
	INSERT INTO san.mod_reports (reference, source, case_id, product_id,
	    store_id, reason, explanation, reporter_id, authority,
	    document_no)
	VALUES (v_ref, 'authority', v_case, v_t.p_product, v_t.p_store,
	    p_body->>'category', api.txt(p_body, 'explanation'), v_me,
	    api.txt(p_body, 'authority'), api.txt(p_body, 'document_no'))
	RETURNING id INTO v_id;
	INSERT INTO san.mod_alerts (case_id, source, category, report_id,
	    matched)
	VALUES (v_case, 'authority', p_body->>'category', v_id,
	    api.txt(p_body, 'authority') || ' ' ||
	    api.txt(p_body, 'document_no'));
	PERFORM api.audit(v_me, 'authority_request', 'case', v_case::text,
	    jsonb_build_object('reference', v_ref,
	    'authority', api.txt(p_body, 'authority'),
	    'document_no', api.txt(p_body, 'document_no')));
	SELECT * INTO v_c FROM san.mod_cases WHERE id = v_case;
	RETURN api.ok(201, (api.mod_case_item(v_c)::jsonb ||
	    jsonb_build_object('reference', v_ref))::json);
END $$;

-- Stores hidden for a time ---------------------------------------------------

-- Hide store p_store because of decision p_decision (p_reason: decision,
-- or penalty_tier) until p_ends (NULL: until lifted by an official).  The
-- status before is kept so that lifting restores exactly it.
CREATE FUNCTION api.mod_store_hide(p_decision bigint, p_store bigint,
    p_reason text, p_ends date) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	v_prev	text;
	v_held	text;
BEGIN
	SELECT status INTO v_prev FROM san.stores WHERE id = p_store
	   FOR UPDATE;
	-- A store already hidden by an earlier hide keeps that one's status.
	SELECT h.prev_status INTO v_held FROM san.mod_store_hides h
	 WHERE h.store_id = p_store AND h.lifted_at IS NULL
	 ORDER BY h.id LIMIT 1;
	INSERT INTO san.mod_store_hides (decision_id, store_id, reason,
	    ends_on, prev_status)
	VALUES (p_decision, p_store, p_reason, p_ends,
	    COALESCE(v_held, v_prev, 'active'))
	ON CONFLICT (decision_id, store_id) DO NOTHING;
	UPDATE san.stores SET status = 'hidden', updated_at = now()
	 WHERE id = p_store AND status <> 'hidden';
END $$;

-- Lift the hides of decision p_decision (p_by appeal), or when
-- p_decision is NULL every hide whose end date has come (p_by end_date):
-- each store comes back with its status from before the first hide
-- unless another hide still holds it.  One runner at a time (advisory
-- lock; SKIP LOCKED beside it).  Returns the number of hides lifted.
CREATE FUNCTION api.mod_hides_lift(p_decision bigint, p_by text)
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
	h	san.mod_store_hides;
	v_n	int := 0;
BEGIN
	IF p_decision IS NULL AND NOT pg_try_advisory_xact_lock(7311) THEN
		RETURN 0;
	END IF;
	FOR h IN SELECT * FROM san.mod_store_hides x
	    WHERE x.lifted_at IS NULL AND (x.decision_id = p_decision OR
		(p_decision IS NULL AND x.ends_on <= api.today()))
	    ORDER BY x.id FOR UPDATE SKIP LOCKED
	LOOP
		UPDATE san.mod_store_hides SET lifted_at = now(),
		    lifted_by = p_by WHERE id = h.id;
		v_n := v_n + 1;
		CONTINUE WHEN EXISTS (SELECT 1 FROM san.mod_store_hides o
		    WHERE o.store_id = h.store_id AND o.lifted_at IS NULL
		      AND (o.ends_on IS NULL OR o.ends_on > api.today()));
		UPDATE san.stores SET status = h.prev_status,
		    updated_at = now()
		 WHERE id = h.store_id AND status = 'hidden';
		IF p_decision IS NULL THEN
			PERFORM api.audit(NULL, 'store_hide_end', 'store',
			    h.store_id::text, jsonb_build_object(
			    'decision_id', h.decision_id,
			    'ends_on', h.ends_on, 'status', h.prev_status));
		END IF;
	END LOOP;
	RETURN v_n;
END $$;

-- The measures of the penalty tiers decision d made the business reach
-- (a tier is reached when the points before d are below it and those
-- after are not): hide_store_7_days hides every active store of the
-- business for 7 days; suspension_proposal opens a store case for
-- officials (an alert without a rule, figure {measure, points,
-- decision_id}) -- a proposal, never a suspension by itself.  Returns
-- the list of measures applied (JSON array of names).
CREATE FUNCTION api.mod_tier_measures(d san.mod_decisions) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	v_after		int;
	v_before	int;
	v_m		text;
	v_s		bigint;
	v_case		bigint;
	v_done		jsonb := '[]';
BEGIN
	IF d.points <= 0 THEN
		RETURN v_done;
	END IF;
	v_after := api.mod_points(d.business_id);
	v_before := v_after - d.points;
	FOR v_m IN SELECT t->>'measure'
	    FROM jsonb_array_elements(san.setting('penalty_tiers')::jsonb) t
	    WHERE (t->>'points')::int > v_before
	      AND (t->>'points')::int <= v_after
	    ORDER BY (t->>'points')::int
	LOOP
		IF v_m = 'hide_store_7_days' THEN
			FOR v_s IN SELECT s.id FROM san.stores s
			    WHERE s.business_id = d.business_id
			      AND s.status = 'active' ORDER BY s.id LOOP
				PERFORM api.mod_store_hide(d.id, v_s,
				    'penalty_tier', api.today() + 7);
			END LOOP;
		ELSIF v_m = 'suspension_proposal' THEN
			v_case := api.mod_case_for('store', NULL, d.store_id,
			    'rule', d.category, 'hold');
			INSERT INTO san.mod_alerts (case_id, source, severity,
			    category, matched, figure)
			VALUES (v_case, 'rule', 'hold', d.category,
			    'suspension_proposal', jsonb_build_object(
			    'measure', v_m, 'points', v_after,
			    'decision_id', d.id));
		ELSE
			CONTINUE;
		END IF;
		v_done := v_done || to_jsonb(v_m);
	END LOOP;
	RETURN v_done;
END $$;

-- The background job (the timer of src/monitor.c, every worker of every
-- node): stores whose hide has ended are shown again, the listings of a
-- lapsed licence re-screened (api.mod_licence_step, a small batch), then
-- one rescan batch (api.mod_rescan_step).  Writes nothing when there is
-- nothing to do.  Returns the sum of what the two steps return.
CREATE FUNCTION api.mod_background_step(p_batch int) RETURNS int
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM api.mod_hides_lift(NULL, 'end_date');
	RETURN api.mod_licence_step(LEAST(p_batch, 100)) +
	    api.mod_rescan_step(p_batch);
END $$;

-- Penalty points, the seller's decisions, appeals -------------------------

-- Active penalty points of a business: decisions within penalty_expiry
-- whose appeal did not reverse them.
CREATE FUNCTION api.mod_points(p_business bigint) RETURNS int
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT COALESCE(sum(d.points), 0)::int
	  FROM san.mod_decisions d
	 WHERE d.business_id = p_business
	   AND d.created_at > now() - san.setting('penalty_expiry')::interval
	   AND NOT EXISTS (SELECT 1 FROM san.mod_appeals a
		WHERE a.decision_id = d.id AND a.status = 'reversed'));
END $$;

-- The measure in force at p_points (the highest tier reached), or NULL.
CREATE FUNCTION api.mod_tier(p_points int) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT t->>'measure'
	FROM jsonb_array_elements(san.setting('penalty_tiers')::jsonb) t
	WHERE (t->>'points')::int <= p_points
	ORDER BY (t->>'points')::int DESC LIMIT 1 $$;

-- New listings of a business at the hold_new_listings tier or above are
-- held for review: a hit without a rule (NULL when below).
CREATE FUNCTION api.mod_penalty_hit(p_store bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_points	int := api.mod_points((SELECT business_id
	    FROM san.stores WHERE id = p_store));
	v_hold		int := (SELECT min((t->>'points')::int)
	    FROM jsonb_array_elements(san.setting('penalty_tiers')::jsonb) t
	    WHERE t->>'measure' = 'hold_new_listings');
BEGIN
	IF v_hold IS NULL OR v_points < v_hold THEN
		RETURN NULL;
	END IF;
	RETURN jsonb_build_object('rule_id', NULL, 'version', NULL,
	    'kind', 'penalty', 'severity', 'hold', 'category', 'other',
	    'field', NULL, 'figure', jsonb_build_object('points', v_points,
	    'measure', api.mod_tier(v_points)));
END $$;

-- What the seller sees of a decision: the statement of reasons, the
-- listing, points, the appeal; not the evidence (which names rules).
CREATE FUNCTION api.mod_seller_decision_json(d san.mod_decisions)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', d.id, 'action', d.action,
	    'statement', json_build_object('ground', d.ground,
		'legal_provision', d.legal_provision,
		'explanation', d.explanation, 'category', d.category,
		'end_date', d.end_date,
		'automated_detection', d.automated_detection,
		'automated_decision', d.automated_decision),
	    'product', (SELECT json_build_object('id', p.id, 'name', p.name)
		FROM san.products p WHERE p.id = d.product_id),
	    'store', (SELECT json_build_object('slug', s.slug, 'name', s.name)
		FROM san.stores s WHERE s.id = d.store_id),
	    'points', d.points, 'created_at', d.created_at,
	    'appeal_until', d.created_at +
		san.setting('appeal_window')::interval,
	    'appeal', (SELECT json_build_object('id', a.id,
		'status', a.status, 'explanation', a.explanation,
		'created_at', a.created_at,
		'outcome', (SELECT json_build_object('outcome', o.outcome,
		    'explanation', o.explanation, 'at', o.created_at)
		    FROM san.mod_appeal_outcomes o WHERE o.appeal_id = a.id))
		FROM san.mod_appeals a WHERE a.decision_id = d.id))
$$;

-- GET /api/v1/decisions?after=&limit=: decisions about the businesses
-- the caller acts for (dismissals are not restrictions and are left out),
-- newest first, p_limit a page (keyset: p_after the last id seen; next:
-- the id to pass for the next page, or null), with each business's
-- active points and tier.
CREATE FUNCTION api.mod_seller_decisions(p_token_hash text, p_after bigint,
    p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_ids	bigint[];
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	v_ids := ARRAY(SELECT d.id FROM san.mod_decisions d
		WHERE d.business_id IN (SELECT m.business_id
			FROM san.business_members m WHERE m.account_id = v_me)
		  AND d.action <> 'dismiss'
		  AND (p_after IS NULL OR d.id < p_after)
		ORDER BY d.id DESC LIMIT p_limit + 1);
	RETURN api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(
		api.mod_seller_decision_json(d) ORDER BY d.id DESC)
		FROM san.mod_decisions d
		WHERE d.id = ANY (v_ids[1:p_limit])), '[]'),
	    'next', CASE WHEN cardinality(v_ids) > p_limit
		THEN v_ids[p_limit] END,
	    'penalties', COALESCE((SELECT json_agg(json_build_object(
		'business_id', m.business_id,
		'points', api.mod_points(m.business_id),
		'tier', api.mod_tier(api.mod_points(m.business_id)))
		ORDER BY m.business_id)
		FROM san.business_members m WHERE m.account_id = v_me), '[]')));
END $$;

-- POST /api/v1/decisions/{id}/appeal {explanation}: a member of the
-- decided business, once, within appeal_window.
CREATE FUNCTION api.mod_appeal_create(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_d	san.mod_decisions;
	v_id	bigint;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT d.* INTO v_d FROM san.mod_decisions d
	 WHERE d.id = p_id AND d.action <> 'dismiss' AND EXISTS (SELECT 1
		FROM san.business_members m
		WHERE m.business_id = d.business_id AND m.account_id = v_me);
	IF NOT FOUND THEN
		RETURN api.err(404, 'decision_not_found');
	END IF;
	IF NULLIF(api.txt(p_body, 'explanation'), '') IS NULL THEN
		RETURN api.err(400, 'required', 'explanation');
	END IF;
	IF v_d.created_at < now() - san.setting('appeal_window')::interval
	    THEN
		RETURN api.err(409, 'appeal_window_closed');
	END IF;
	INSERT INTO san.mod_appeals (decision_id, business_id, appellant_id,
	    explanation)
	VALUES (p_id, v_d.business_id, v_me, api.txt(p_body, 'explanation'))
	ON CONFLICT (decision_id) DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		RETURN api.err(409, 'appeal_exists');
	END IF;
	PERFORM api.audit(v_me, 'appeal', 'decision', p_id::text,
	    jsonb_build_object('appeal_id', v_id));
	RETURN api.ok(201, api.mod_seller_decision_json(v_d));
END $$;

-- GET /api/v1/official/appeals?after=&limit=: open appeals, oldest
-- first, p_limit a page (keyset on the partial index of open appeals:
-- p_after the last id seen; next: the id to pass, or null).
CREATE FUNCTION api.mod_appeal_list(p_token_hash text, p_after bigint,
    p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_ids	bigint[];
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	v_ids := ARRAY(SELECT a.id FROM san.mod_appeals a
		WHERE a.status = 'open' AND a.id > COALESCE(p_after, 0)
		ORDER BY a.id LIMIT p_limit + 1);
	RETURN api.ok(200, json_build_object('items', COALESCE((
	    SELECT json_agg(json_build_object('id', a.id,
		'explanation', a.explanation, 'created_at', a.created_at,
		'decision', api.mod_decision_json(d)) ORDER BY a.id)
	      FROM san.mod_appeals a
	      JOIN san.mod_decisions d ON d.id = a.decision_id
	     WHERE a.id = ANY (v_ids[1:p_limit])), '[]'),
	    'next', CASE WHEN cardinality(v_ids) > p_limit
		THEN v_ids[p_limit] END));
END $$;

-- POST /api/v1/official/appeals/{id}/decision {outcome: uphold | reverse,
-- explanation}: by an official other than the one who decided (409
-- appeal_same_official).  Reversal restores exactly what the decision
-- restricted, as the evidence recorded it: the listing's status, the
-- store's status, the business's status; its points stop counting.
CREATE FUNCTION api.mod_appeal_decide(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_err		api.result := api.mod_refusal(v_me);
	v_a		san.mod_appeals;
	v_d		san.mod_decisions;
	v_restored	jsonb := '{}';
	v_prev		text;
	v_expl		text := NULLIF(api.txt(p_body, 'explanation'), '');
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT * INTO v_a FROM san.mod_appeals WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'appeal_not_found');
	END IF;
	IF v_a.status <> 'open' THEN
		RETURN api.err(409, 'appeal_decided');
	END IF;
	SELECT * INTO v_d FROM san.mod_decisions WHERE id = v_a.decision_id;
	IF v_d.decided_by = v_me THEN
		RETURN api.err(409, 'appeal_same_official');
	END IF;
	IF v_expl IS NULL THEN
		RETURN api.err(400, 'reason_required', 'explanation');
	END IF;
	IF p_body->>'outcome' = 'reverse' THEN
		IF v_d.action = 'remove_listing' THEN
			v_prev := v_d.evidence->'product'->>'status';
			UPDATE san.products SET status = CASE WHEN v_prev IN
				('draft', 'active', 'hidden') THEN v_prev
				ELSE 'hidden' END,
			    removed_reason = NULL, updated_at = now()
			 WHERE id = v_d.product_id AND status = 'removed';
			v_restored := jsonb_build_object('product_status',
			    COALESCE(v_prev, 'hidden'));
		ELSIF v_d.action = 'hide_store' THEN
			v_restored := jsonb_build_object('store_status',
			    COALESCE(v_d.evidence->'store'->>'status',
			    'active'));
		ELSIF v_d.action = 'suspend_business' THEN
			UPDATE san.businesses SET status = 'verified',
			    updated_at = now()
			 WHERE id = v_d.business_id AND status = 'suspended';
			IF FOUND THEN
				INSERT INTO san.business_events (business_id,
				    actor_id, action, from_status, to_status,
				    reason)
				VALUES (v_d.business_id, v_me, 'reinstate',
				    'suspended', 'verified', v_expl);
			END IF;
			v_restored := jsonb_build_object('business_status',
			    'verified');
		END IF;
		-- Every store this decision hid (by itself, or through the
		-- penalty tier it reached) comes back unless another hide
		-- still holds it.
		IF api.mod_hides_lift(v_d.id, 'appeal') > 0 THEN
			v_restored := v_restored || jsonb_build_object(
			    'stores_shown', (SELECT jsonb_agg(s.slug
				ORDER BY s.id) FROM san.mod_store_hides h
				JOIN san.stores s ON s.id = h.store_id
				WHERE h.decision_id = v_d.id));
		END IF;
		v_restored := v_restored || jsonb_build_object(
		    'points_voided', v_d.points);
	END IF;
	UPDATE san.mod_appeals SET status = CASE p_body->>'outcome'
	    WHEN 'reverse' THEN 'reversed' ELSE 'upheld' END
	 WHERE id = p_id;
	INSERT INTO san.mod_appeal_outcomes (appeal_id, outcome, explanation,
	    restored, decided_by)
	VALUES (p_id, p_body->>'outcome', v_expl, v_restored, v_me);
	PERFORM api.audit(v_me, 'appeal_' || (p_body->>'outcome'), 'appeal',
	    p_id::text, jsonb_build_object('decision_id', v_d.id,
	    'restored', v_restored));
	RETURN api.ok(200, json_build_object('id', p_id,
	    'status', CASE p_body->>'outcome' WHEN 'reverse' THEN 'reversed'
		ELSE 'upheld' END, 'restored', v_restored));
END $$;

-- Dry run ---------------------------------------------------------------------

-- The first phrase of p_terms found as whole words in p_text, outside
-- every match of p_except; NULL when none (the matcher of
-- api.mod_keyword_hits, for one draft rule).
CREATE FUNCTION api.mod_draft_match(p_text text, p_terms text[],
    p_except text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	w	text[] := san.mod_words(p_text);
BEGIN
	IF w IS NULL OR cardinality(w) = 0 THEN
		RETURN NULL;
	END IF;
	RETURN (WITH t AS (
		SELECT array_to_string(san.mod_words(x), ' ') AS phrase,
		    cardinality(san.mod_words(x)) AS n, false AS is_except
		  FROM unnest(p_terms) x
		UNION ALL
		SELECT array_to_string(san.mod_words(x), ' '),
		    cardinality(san.mod_words(x)), true
		  FROM unnest(p_except) x),
	    m AS (SELECT t.phrase, t.n, t.is_except, i AS pos
		  FROM t, generate_series(1, cardinality(w)) i
		 WHERE t.n BETWEEN 1 AND cardinality(w) - i + 1
		   AND array_to_string(w[i:i + t.n - 1], ' ') = t.phrase)
	    SELECT h.phrase FROM m h
	     WHERE NOT h.is_except AND NOT EXISTS (SELECT 1 FROM m e
		WHERE e.is_except AND e.pos <= h.pos
		  AND e.pos + e.n >= h.pos + h.n)
	     ORDER BY h.pos LIMIT 1);
END $$;

-- POST /api/v1/official/rules/dry-run (a rule body, checked like a new
-- rule): how many listed products the draft would hit now, with a sample
-- of 10 ({id, name, matched | figure}).  Writes nothing.  Keyword drafts
-- read candidates whose folded name or description contains each term's
-- first word, then match them exactly.
CREATE FUNCTION api.mod_rule_dry_run(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_terms	text[];
	v_exc	text[];
	v_pats	text[];
	v_n	bigint;
	v_sample json;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	IF p_body->>'kind' = 'keyword' THEN
		v_terms := ARRAY(SELECT jsonb_array_elements_text(
		    p_body->'params'->'terms'));
		v_exc := ARRAY(SELECT jsonb_array_elements_text(
		    COALESCE(p_body->'params'->'except', '[]')));
		v_pats := ARRAY(SELECT DISTINCT api.contains_pattern(
		    (san.mod_words(x))[1]) FROM unnest(v_terms) x
		    WHERE cardinality(san.mod_words(x)) > 0);
		WITH hit AS MATERIALIZED (
			SELECT p.id, p.name, COALESCE(
			    api.mod_draft_match(p.name, v_terms, v_exc),
			    api.mod_draft_match(p.description, v_terms,
				v_exc)) AS matched
			  FROM san.products p
			 WHERE p.listed AND (p.name_fold LIKE ANY (v_pats) OR
			    san.fold(p.description) LIKE ANY (v_pats)))
		SELECT count(*) FILTER (WHERE matched IS NOT NULL),
		    (SELECT json_agg(json_build_object('id', s.id,
			'name', s.name, 'matched', s.matched) ORDER BY s.id)
		      FROM (SELECT * FROM hit WHERE matched IS NOT NULL
			ORDER BY id LIMIT 10) s)
		  INTO v_n, v_sample FROM hit;
	ELSIF p_body->>'kind' = 'same_image' THEN
		WITH hit AS MATERIALIZED (
			SELECT DISTINCT ON (p.id) p.id, p.name,
			    h->'figure' AS figure
			  FROM san.products p
			  JOIN san.product_images i ON i.product_id = p.id,
			  api.mod_image_hit(p.id, i.etag) h
			 WHERE p.listed AND h IS NOT NULL
			 ORDER BY p.id, i.position)
		SELECT count(*), (SELECT json_agg(json_build_object('id', s.id,
			'name', s.name, 'figure', s.figure) ORDER BY s.id)
		      FROM (SELECT * FROM hit ORDER BY id LIMIT 10) s)
		  INTO v_n, v_sample FROM hit;
	ELSIF p_body->>'kind' = 'category' THEN
		-- Listed products of conditional categories without a valid
		-- licence in the register.
		v_err := api.mod_category_check(p_body);
		IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
		WITH c AS (SELECT array_agg(k.id) AS ids FROM san.categories k
			WHERE san.category_policy(k.id) = 'conditional'),
		    hit AS MATERIALIZED (SELECT p.id, p.name, h->'figure' AS figure
			FROM c, san.products p,
			    api.mod_licence_hit(p_body->'params', p) h
			WHERE p.listed AND p.category_id = ANY (c.ids)
			  AND h IS NOT NULL)
		SELECT count(*), (SELECT json_agg(json_build_object('id', s.id,
			'name', s.name, 'figure', s.figure) ORDER BY s.id)
		      FROM (SELECT * FROM hit ORDER BY id LIMIT 10) s)
		  INTO v_n, v_sample FROM hit;
	ELSIF p_body->>'kind' = 'seller_signals' THEN
		-- The listed products created today that the draft would
		-- have flagged (a store's listing of today beyond the
		-- daily_listings-th, in a store younger than store_age_days).
		WITH t AS (SELECT p.id, p.name, p.store_id, row_number() OVER
			(PARTITION BY p.store_id ORDER BY p.id) AS k
			FROM san.products p
			JOIN san.stores s ON s.id = p.store_id
			WHERE p.created_at >= api.today()::timestamp
				AT TIME ZONE 'Asia/Ho_Chi_Minh'
			  AND s.created_at > now() - make_interval(days =>
				(p_body->'params'->>'store_age_days')::int)),
		    hit AS MATERIALIZED (SELECT t.id, t.name,
			jsonb_build_object('signal', 'new_store_listings',
			    'listings_today', t.k) AS figure
			FROM t JOIN san.products p ON p.id = t.id AND p.listed
			WHERE t.k > (p_body->'params'->>'daily_listings')::int)
		SELECT count(*), (SELECT json_agg(json_build_object('id', s.id,
			'name', s.name, 'figure', s.figure) ORDER BY s.id)
		      FROM (SELECT * FROM hit ORDER BY id LIMIT 10) s)
		  INTO v_n, v_sample FROM hit;
	ELSE
		WITH x AS (SELECT p.id, p.name, p.category_id,
			p.price_vnd::float8 AS v
			FROM san.products p WHERE p.listed),
		    med AS (SELECT category_id, count(*) AS n,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS m
			FROM x GROUP BY category_id),
		    dev AS (SELECT x.category_id,
			percentile_cont(0.5) WITHIN GROUP
			    (ORDER BY abs(x.v - med.m)) AS mad,
			avg(abs(x.v - med.m)) AS meanad
			FROM x JOIN med USING (category_id)
			GROUP BY x.category_id),
		    hit AS MATERIALIZED (SELECT x.id, x.name,
			api.mod_price_hit(p_body->'params',
			    (x.category_id, med.n, med.m, dev.mad, dev.meanad,
			    now())::san.mod_price_stats, x.v::bigint) AS figure
			FROM x JOIN med USING (category_id)
			JOIN dev USING (category_id))
		SELECT count(*) FILTER (WHERE figure IS NOT NULL),
		    (SELECT json_agg(json_build_object('id', s.id,
			'name', s.name, 'figure', s.figure) ORDER BY s.id)
		      FROM (SELECT * FROM hit WHERE figure IS NOT NULL
			ORDER BY id LIMIT 10) s)
		  INTO v_n, v_sample FROM hit;
	END IF;
	RETURN api.ok(200, json_build_object('hits', v_n,
	    'listed', (SELECT count(*) FROM san.products WHERE listed),
	    'sample', COALESCE(v_sample, '[]')));
END $$;

-- Transparency ------------------------------------------------------------------

-- The transparency rows of the decisions taken from p_from to p_to
-- (Vietnam dates, both included): section, key, label, count, total,
-- value.  Sections: category, source, action (count of decisions, share
-- of all); time_to_decision_hours (median and p90 from the case's first
-- alert to its decision; count = decisions); deadlines (met: decided by
-- the case's deadline); appeals (appealed: share of the decisions;
-- reversed: share of the decided appeals); rule (per rule, its alerts in
-- the cases decided, count = those that ended in an action other than
-- dismiss, value = that precision).  The source is the case's, as the
-- queue shows it (what opened it, or a more urgent notice that joined
-- it: rule, report or authority); the category the statement of
-- reasons'.  Shares are rounded to 4 places, hours to 2; a share of
-- nothing is NULL.
CREATE FUNCTION api.mod_transparency_rows(p_from date, p_to date)
RETURNS TABLE (section text, key text, label text, count bigint,
    total bigint, value numeric)
LANGUAGE sql STABLE
AS $$
	WITH d AS (
		SELECT d.id, d.action, d.category, d.created_at, c.source,
		    c.first_alert_at, c.deadline, d.case_id
		  FROM san.mod_decisions d
		  JOIN san.mod_cases c ON c.id = d.case_id
		 WHERE d.created_at >= p_from::timestamp
			AT TIME ZONE 'Asia/Ho_Chi_Minh'
		   AND d.created_at < (p_to + 1)::timestamp
			AT TIME ZONE 'Asia/Ho_Chi_Minh'),
	n AS (SELECT count(*) AS n FROM d),
	ap AS (
		SELECT count(*) AS filed,
		    count(*) FILTER (WHERE a.status <> 'open') AS decided,
		    count(*) FILTER (WHERE a.status = 'reversed') AS reversed
		  FROM san.mod_appeals a JOIN d ON d.id = a.decision_id),
	ru AS (
		SELECT al.rule_id, count(*) AS alerts,
		    count(*) FILTER (WHERE d.action <> 'dismiss') AS actioned
		  FROM d JOIN san.mod_alerts al ON al.case_id = d.case_id
		 WHERE al.rule_id IS NOT NULL
		 GROUP BY al.rule_id)
	SELECT x.section, x.key, x.label, x.count, x.total, trim_scale(x.value)
	  FROM (
		SELECT 1 AS o, 'category' AS section, k AS key, NULL::text AS label,
		    (SELECT count(*) FROM d WHERE d.category = k) AS count,
		    n.n AS total,
		    round((SELECT count(*) FROM d WHERE d.category = k)
			/ NULLIF(n.n, 0)::numeric, 4) AS value, i
		  FROM n, unnest(ARRAY['prohibited_goods', 'unsafe_goods',
		    'counterfeit', 'missing_seller_info', 'misleading_price',
		    'other']) WITH ORDINALITY u(k, i)
		UNION ALL
		SELECT 2, 'source', k, NULL,
		    (SELECT count(*) FROM d WHERE d.source = k), n.n,
		    round((SELECT count(*) FROM d WHERE d.source = k)
			/ NULLIF(n.n, 0)::numeric, 4), i
		  FROM n, unnest(ARRAY['rule', 'report', 'authority'])
		    WITH ORDINALITY u(k, i)
		UNION ALL
		SELECT 3, 'action', k, NULL,
		    (SELECT count(*) FROM d WHERE d.action = k), n.n,
		    round((SELECT count(*) FROM d WHERE d.action = k)
			/ NULLIF(n.n, 0)::numeric, 4), i
		  FROM n, unnest(ARRAY['dismiss', 'warn', 'remove_listing',
		    'hide_store', 'suspend_business']) WITH ORDINALITY u(k, i)
		UNION ALL
		SELECT 4, 'time_to_decision_hours', q.k, NULL, n.n, n.n,
		    round(q.v::numeric, 2), q.i
		  FROM n, (SELECT 'median' AS k, percentile_cont(0.5) WITHIN
			GROUP (ORDER BY (extract(epoch FROM d.created_at -
			    d.first_alert_at) / 3600)::float8) AS v, 1 AS i
			  FROM d
			UNION ALL
			SELECT 'p90', percentile_cont(0.9) WITHIN GROUP
			    (ORDER BY (extract(epoch FROM d.created_at -
			    d.first_alert_at) / 3600)::float8), 2 FROM d) q
		UNION ALL
		SELECT 5, 'deadlines', 'met', NULL, m.met, n.n,
		    round(m.met / NULLIF(n.n, 0)::numeric, 4), 1
		  FROM n, (SELECT count(*) AS met FROM d
			WHERE d.created_at <= d.deadline) m
		UNION ALL
		SELECT 6, 'appeals', 'appealed', NULL, ap.filed, n.n,
		    round(ap.filed / NULLIF(n.n, 0)::numeric, 4), 1
		  FROM n, ap
		UNION ALL
		SELECT 6, 'appeals', 'reversed', NULL, ap.reversed, ap.decided,
		    round(ap.reversed / NULLIF(ap.decided, 0)::numeric, 4), 2
		  FROM ap
		UNION ALL
		SELECT 7, 'rule', ru.rule_id::text, r.name, ru.actioned,
		    ru.alerts, round(ru.actioned / ru.alerts::numeric, 4),
		    ru.rule_id
		  FROM ru JOIN san.mod_rules r ON r.id = ru.rule_id
	  ) x
	 ORDER BY x.o, x.i
$$;

-- GET /api/v1/official/transparency?from=&to=&format=json|csv (officials
-- and admins): api.mod_transparency_rows from..to (Vietnam dates; default
-- the 30 days up to today; at most about 10 years).  JSON: {from, to,
-- decisions, rows: [{section, key, label, count, total, value}]}; CSV the
-- same rows with a header line.
CREATE FUNCTION api.mod_transparency(p_token_hash text, p_from date,
    p_to date, p_format text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_err	api.result := api.mod_refusal(v_me);
	v_to	date := COALESCE(p_to, api.today());
	v_from	date := COALESCE(p_from, COALESCE(p_to, api.today()) - 29);
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	IF v_from > v_to OR v_to - v_from > 3700 THEN
		RETURN api.err(400, 'invalid_range', 'from');
	END IF;
	IF p_format = 'csv' THEN
		RETURN (200, 'section,key,label,count,total,value' || E'\r\n' ||
		    COALESCE((SELECT string_agg(concat_ws(',',
			api.csv(r.section), api.csv(r.key), api.csv(r.label),
			r.count, r.total, COALESCE(r.value::text, '')) ||
			E'\r\n', '' ORDER BY r.o)
		      FROM api.mod_transparency_rows(v_from, v_to)
			WITH ORDINALITY r(section, key, label, count, total,
			value, o)), ''), NULL, NULL)::api.result;
	END IF;
	RETURN api.ok(200, (SELECT json_build_object('from', v_from,
	    'to', v_to,
	    'decisions', max(r.total) FILTER (WHERE r.section = 'deadlines'),
	    'rows', COALESCE(json_agg(json_build_object('section', r.section,
		'key', r.key, 'label', r.label, 'count', r.count,
		'total', r.total, 'value', r.value) ORDER BY r.o), '[]'))
	  FROM api.mod_transparency_rows(v_from, v_to)
	    WITH ORDINALITY r(section, key, label, count, total, value, o)));
END $$;

-- Rescan ------------------------------------------------------------------------

-- A new version of rule r: a rescan job when it is active (keyword,
-- price and same_image rules; a price rule compares each listing with its
-- category's cached statistics, one row read per product; seller signals
-- are about new listings only); an unfinished job of an older version is
-- superseded.
CREATE FUNCTION api.mod_rescan_queue(r san.mod_rules) RETURNS void
LANGUAGE sql
AS $$
	UPDATE san.mod_rescans SET finished_at = now(), outcome = 'superseded'
	 WHERE rule_id = r.id AND version < r.version AND finished_at IS NULL;
	INSERT INTO san.mod_rescans (rule_id, version)
	SELECT r.id, r.version
	 WHERE r.active AND r.kind IN ('keyword', 'price_anomaly',
	    'same_image', 'category')
	ON CONFLICT (rule_id, version) DO NOTHING;
$$;

-- The hit of rule r (keyword, price_anomaly or same_image) on listed
-- product p, as api.mod_screen gives it, or NULL.
CREATE FUNCTION api.mod_rule_hit(r san.mod_rules, p san.products)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	v_hit	jsonb;
BEGIN
	IF r.kind = 'keyword' THEN
		SELECT jsonb_build_object('field', k.field,
		    'matched', k.matched) INTO v_hit
		  FROM (SELECT * FROM api.mod_keyword_hits('name', p.name)
			UNION ALL
			SELECT * FROM api.mod_keyword_hits('description',
			    p.description)) k
		 WHERE k.rule_id = r.id
		 ORDER BY k.field <> 'name' LIMIT 1;
	ELSIF r.kind = 'price_anomaly' THEN
		v_hit := jsonb_build_object('field', 'price_vnd', 'figure',
		    api.mod_price_hit(r.params,
			api.mod_price_stats(p.category_id), p.price_vnd));
		IF v_hit->'figure' IS NULL OR
		    jsonb_typeof(v_hit->'figure') = 'null' THEN
			v_hit := NULL;
		END IF;
	ELSIF r.kind = 'same_image' THEN
		SELECT h INTO v_hit FROM san.product_images i,
		    api.mod_image_hit(p.id, i.etag) h
		 WHERE i.product_id = p.id AND h IS NOT NULL
		 ORDER BY i.position LIMIT 1;
	ELSIF r.kind = 'category' THEN
		v_hit := api.mod_licence_hit(r.params, p);
	END IF;
	RETURN v_hit || jsonb_build_object('rule_id', r.id,
	    'version', r.version, 'kind', r.kind, 'severity', r.severity,
	    'category', r.category);
END $$;

-- The products of a keyword rule's rescan batch that may match it: a
-- regular expression over folded text for the rule's phrases (not its
-- exceptions), each phrase's words as whole words separated by anything
-- but letters and digits -- exactly what api.mod_keyword_hits compares
-- (san.mod_words), so a product it leaves out cannot match; the few it
-- keeps are matched exactly, exceptions included, by api.mod_rule_hit.
-- NULL when the rule has no phrase.  Words are runs of [:alnum:] only, so
-- they need no escaping.
CREATE FUNCTION api.mod_rule_regex(p_rule bigint) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT '(^|[^[:alnum:]])(' || string_agg(replace(t.phrase, ' ',
	'[^[:alnum:]]+'), '|' ORDER BY t.phrase) || ')($|[^[:alnum:]])'
  FROM san.mod_rule_terms t WHERE t.rule_id = p_rule AND NOT t.is_except $$;

-- The background rescan (the timer of src/monitor.c in every worker): the
-- next p_batch listed products, in id order, of the oldest unfinished
-- job, screened against that job's rule alone.  A match is recorded as an
-- alert of the product's open case (once per rule version, field and
-- match: api.mod_record) and a hold or block rule holds the listing until
-- an official decides (an existing listing is never refused, only held).
-- One runner at a time (advisory lock); products locked by a request
-- right now are skipped and the job's progress stops just before the
-- first of them, so the next call takes them again.  Writes nothing when
-- there is no unfinished job.  Returns the number of products taken from
-- the job (1 for a job found superseded), 0 when there was nothing to do
-- or nothing could be taken: the timer calls again at once after a
-- positive answer, else at its next tick.  A keyword rule's batch is
-- narrowed in one statement (api.mod_rule_regex on the stored folded name
-- and the folded description) to the products that may match; only
-- those are screened one by one.  (The description is folded as san.fold
-- does, without its normalize() when the text is in NFC already: the
-- identity then, and the check is several times cheaper.)  A batch's
-- commit does not wait for the WAL flush: a crash may lose the last
-- batches whole (progress, alerts and holds together), and the job takes
-- them again.
CREATE FUNCTION api.mod_rescan_step(p_batch int) RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
	v_j		san.mod_rescans;
	v_r		san.mod_rules;
	v_p		san.products;
	v_ids		bigint[];
	v_done		bigint[];
	v_cand		bigint[];
	v_re		text;
	v_skip		bigint;
	v_hit		jsonb;
	v_n		int;
	v_hits		int := 0;
BEGIN
	IF NOT pg_try_advisory_xact_lock(7310) THEN
		RETURN 0;
	END IF;
	SELECT * INTO v_j FROM san.mod_rescans WHERE finished_at IS NULL
	 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	SELECT * INTO v_r FROM san.mod_rules WHERE id = v_j.rule_id;
	IF v_r.version <> v_j.version OR NOT v_r.active OR
	    v_r.kind NOT IN ('keyword', 'price_anomaly', 'same_image',
	    'category') THEN
		UPDATE san.mod_rescans SET outcome = 'superseded',
		    finished_at = now() WHERE id = v_j.id;
		RETURN 1;
	END IF;
	PERFORM set_config('synchronous_commit', 'off', true);
	IF v_r.kind = 'keyword' THEN
		v_re := api.mod_rule_regex(v_r.id);
	END IF;
	SELECT array_agg(x.id ORDER BY x.id) INTO v_ids
	  FROM (SELECT id FROM san.products
		 WHERE listed AND id > v_j.last_product_id
		 ORDER BY id LIMIT p_batch) x;
	-- Lock the batch (skipping rows a request holds), count the listed
	-- ones, keep those that may match.
	SELECT COALESCE(array_agg(l.id ORDER BY l.id), '{}'),
	    count(*) FILTER (WHERE l.listed),
	    array_agg(l.id ORDER BY l.id) FILTER (WHERE l.listed AND
		(v_r.kind <> 'keyword' OR (v_re IS NOT NULL AND
		    (l.name_fold ~ v_re OR
		     CASE WHEN l.description IS NFC NORMALIZED
			THEN lower(public.unaccent('public.unaccent'::regdictionary,
			    l.description))
			ELSE san.fold(l.description) END ~ v_re))))
	  INTO v_done, v_n, v_cand
	  FROM (SELECT p.id, p.listed, p.name_fold, p.description
		  FROM san.products p WHERE p.id = ANY (v_ids)
		 ORDER BY p.id FOR UPDATE SKIP LOCKED) l;
	FOR v_p IN SELECT * FROM san.products WHERE id = ANY (v_cand)
	    ORDER BY id
	LOOP
		-- Screened under this version already (at a change of the
		-- listing, or by an earlier run) and maybe decided since.
		CONTINUE WHEN EXISTS (SELECT 1 FROM san.mod_alerts a
		    JOIN san.mod_cases c ON c.id = a.case_id
		    WHERE a.rule_id = v_r.id AND a.rule_version = v_r.version
		      AND c.product_id = v_p.id);
		v_hit := api.mod_rule_hit(v_r, v_p);
		CONTINUE WHEN v_hit IS NULL;
		v_hits := v_hits + 1;
		PERFORM api.mod_record(v_p.id, v_p.store_id,
		    jsonb_build_array(v_hit));
		IF v_r.severity IN ('hold', 'block') AND NOT v_p.held THEN
			UPDATE san.products SET held = true,
			    held_category = v_r.category
			 WHERE id = v_p.id;
		END IF;
	END LOOP;
	SELECT min(i) INTO v_skip FROM unnest(v_ids) i WHERE i <> ALL (v_done);
	UPDATE san.mod_rescans SET
	    last_product_id = CASE WHEN v_skip IS NOT NULL THEN v_skip - 1
		WHEN v_ids IS NULL THEN last_product_id
		ELSE v_ids[cardinality(v_ids)] END,
	    scanned = scanned + v_n, hits = hits + v_hits,
	    started_at = COALESCE(started_at, now()),
	    finished_at = CASE WHEN v_skip IS NULL AND
		COALESCE(cardinality(v_ids), 0) < p_batch THEN now() END,
	    outcome = CASE WHEN v_skip IS NULL AND
		COALESCE(cardinality(v_ids), 0) < p_batch THEN 'done' END
	 WHERE id = v_j.id;
	RETURN cardinality(v_done);
END $$;

-- Category rules: a licence for a conditional category -----------------------
-- (the register: sql/020_licences.sql, sql/api/25_licence.sql)

-- A category rule's params (shape checked in src/modrule.c): every id of
-- "categories" a conditional category, else 422 category_not_conditional
-- (field params.categories[i]); NULL when fine or not a category rule.
CREATE FUNCTION api.mod_category_check(p_body jsonb) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_i	bigint;
BEGIN
	IF p_body->>'kind' IS DISTINCT FROM 'category' OR
	    NOT p_body ? 'params' THEN
		RETURN NULL;
	END IF;
	SELECT i - 1 INTO v_i
	  FROM jsonb_array_elements_text(p_body->'params'->'categories')
	    WITH ORDINALITY x(c, i)
	 WHERE CASE WHEN c::bigint > 2147483647 THEN true
		ELSE san.category_policy(c::int) IS DISTINCT FROM 'conditional'
		END
	 ORDER BY i LIMIT 1;
	IF v_i IS NOT NULL THEN
		RETURN api.err(422, 'category_not_conditional',
		    format('params.categories[%s]', v_i));
	END IF;
	RETURN NULL;
END $$;

-- The hit of a category rule (p_params {"categories": [ids]}) on product
-- p, as api.mod_screen gives it, or NULL: p's category is conditional and
-- under one of the rule's categories (any conditional one when the list
-- is empty), and no licence of p's business covering it (its category or
-- an ancestor) is valid today.  field category_id; matched the number of
-- the licence that lapsed last, if any; figure {category_id, reason
-- (missing | expired | withdrawn | not_yet_valid), licence: {id, number,
-- issued_on, expires_on, revoked_on} | null} -- no personal data.
CREATE FUNCTION api.mod_licence_hit(p_params jsonb, p san.products)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_anc	int[];
	v_biz	bigint;
	v_day	date := api.today();
	v_l	san.business_licences;
BEGIN
	IF san.category_policy(p.category_id) IS DISTINCT FROM 'conditional'
	    THEN
		RETURN NULL;
	END IF;
	v_anc := ARRAY(SELECT id FROM san.category_ancestors(p.category_id));
	IF jsonb_array_length(COALESCE(p_params->'categories', '[]')) > 0 AND
	    NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(
		p_params->'categories') c WHERE c::bigint = ANY (v_anc)) THEN
		RETURN NULL;
	END IF;
	SELECT business_id INTO v_biz FROM san.stores WHERE id = p.store_id;
	IF EXISTS (SELECT 1 FROM san.business_licences l
	    WHERE l.business_id = v_biz AND l.category_id = ANY (v_anc)
	      AND api.licence_valid(l, v_day)) THEN
		RETURN NULL;
	END IF;
	SELECT * INTO v_l FROM san.business_licences l
	 WHERE l.business_id = v_biz AND l.category_id = ANY (v_anc)
	 ORDER BY l.lapses_on DESC NULLS FIRST, l.id DESC LIMIT 1;
	RETURN jsonb_build_object('field', 'category_id',
	    'matched', v_l.number,
	    'figure', jsonb_build_object('category_id', p.category_id,
		'reason', CASE WHEN v_l.id IS NULL THEN 'missing'
		    ELSE api.licence_status(v_l, v_day) END,
		'licence', CASE WHEN v_l.id IS NOT NULL THEN
		    jsonb_build_object('id', v_l.id, 'number', v_l.number,
			'issued_on', v_l.issued_on,
			'expires_on', v_l.expires_on,
			'revoked_on', v_l.revoked_on) END));
END $$;

-- The hits of the active category rules on product p (a JSON array).
CREATE FUNCTION api.mod_category_hits(p san.products) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_hits	jsonb := '[]';
	v_r	san.mod_rules;
	v_hit	jsonb;
BEGIN
	FOR v_r IN SELECT * FROM san.mod_rules
	    WHERE active AND kind = 'category' ORDER BY id LOOP
		v_hit := api.mod_licence_hit(v_r.params, p);
		IF v_hit IS NOT NULL THEN
			v_hits := v_hits || (v_hit || jsonb_build_object(
			    'rule_id', v_r.id, 'version', v_r.version,
			    'kind', v_r.kind, 'severity', v_r.severity,
			    'category', v_r.category));
		END IF;
	END LOOP;
	RETURN v_hits;
END $$;

-- The background re-screen after a licence lapses (expired: from the day
-- after expires_on; withdrawn: at once): the listed products of its
-- business in the categories it covered, screened against the active
-- category rules, up to p_batch a call, oldest lapse first.  A hit is
-- recorded (api.mod_record: once per rule version, field and match) and a
-- hold or block rule holds the listing until an official decides.  Each
-- licence is its own watermark: lapse_screened_at is set when its
-- listings are all done (lapse_product_id: the progress), so a withdrawal
-- committed late is never skipped.  One runner at a time (advisory lock),
-- the licence row and the products taken SKIP LOCKED (progress stops just
-- before a locked product).  Writes nothing when no lapsed licence waits.
-- Returns the number of products taken (1 for a licence with nothing
-- left to look at), 0 when there was nothing to do.
CREATE FUNCTION api.mod_licence_step(p_batch int) RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
	v_l	san.business_licences;
	v_p	san.products;
	v_ids	bigint[];
	v_done	bigint[] := '{}';
	v_skip	bigint;
	v_hits	jsonb;
	v_hold	text;
	v_cats	int[];
BEGIN
	IF NOT EXISTS (SELECT 1 FROM san.business_licences
	    WHERE lapse_screened_at IS NULL AND lapses_on <= api.today()) OR
	    NOT pg_try_advisory_xact_lock(7311) THEN
		RETURN 0;
	END IF;
	SELECT * INTO v_l FROM san.business_licences
	 WHERE lapse_screened_at IS NULL AND lapses_on <= api.today()
	 ORDER BY lapses_on, id LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	IF EXISTS (SELECT 1 FROM san.mod_rules
	    WHERE active AND kind = 'category') THEN
		v_cats := san.category_subtree(v_l.category_id);
		SELECT array_agg(x.id ORDER BY x.id) INTO v_ids
		  FROM (SELECT p.id FROM san.products p
			  JOIN san.stores s ON s.id = p.store_id
			 WHERE s.business_id = v_l.business_id AND p.listed
			   AND p.category_id = ANY (v_cats)
			   AND p.id > v_l.lapse_product_id
			 ORDER BY p.id LIMIT p_batch) x;
	END IF;
	FOR v_p IN SELECT * FROM san.products WHERE id = ANY (v_ids)
	    ORDER BY id FOR UPDATE SKIP LOCKED
	LOOP
		v_done := v_done || v_p.id;
		CONTINUE WHEN NOT v_p.listed;
		v_hits := api.mod_category_hits(v_p);
		CONTINUE WHEN jsonb_array_length(v_hits) = 0;
		PERFORM api.mod_record(v_p.id, v_p.store_id, v_hits);
		v_hold := (SELECT h->>'category' FROM jsonb_array_elements(
		    api.mod_sort_hits(v_hits)) h
		    WHERE h->>'severity' IN ('block', 'hold') LIMIT 1);
		IF v_hold IS NOT NULL THEN
			UPDATE san.products SET held = true,
			    held_category = v_hold
			 WHERE id = v_p.id AND NOT held;
		END IF;
	END LOOP;
	SELECT min(i) INTO v_skip FROM unnest(v_ids) i WHERE i <> ALL (v_done);
	UPDATE san.business_licences SET
	    lapse_product_id = CASE WHEN v_skip IS NOT NULL THEN v_skip - 1
		WHEN v_ids IS NULL THEN lapse_product_id
		ELSE v_ids[cardinality(v_ids)] END,
	    lapse_screened_at = CASE WHEN v_skip IS NULL AND
		COALESCE(cardinality(v_ids), 0) < p_batch THEN now() END
	 WHERE id = v_l.id;
	RETURN CASE WHEN v_skip IS NOT NULL THEN cardinality(v_done)
	    ELSE GREATEST(cardinality(v_done), 1) END;
END $$;
