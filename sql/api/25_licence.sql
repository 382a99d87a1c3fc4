-- The licence register (issue 10, sql/020_licences.sql): the licences and
-- certificates a business holds for conditional categories.  Members of
-- the business list, add and withdraw them; officials read them (here and
-- in a case's evidence, api.mod_evidence).  Someone else's business, or a
-- licence of another business, answers 404.  The category rule kind
-- (sql/api/70_monitoring.sql) reads them.

-- Whether licence l counts on day p_day: not withdrawn, issued, not
-- expired (valid through expires_on).
CREATE FUNCTION api.licence_valid(l san.business_licences, p_day date)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$ SELECT l.revoked_at IS NULL AND l.issued_on <= p_day
	AND (l.expires_on IS NULL OR l.expires_on >= p_day) $$;

-- valid | not_yet_valid | expired | withdrawn, on day p_day.
CREATE FUNCTION api.licence_status(l san.business_licences, p_day date)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN l.revoked_at IS NOT NULL THEN 'withdrawn'
	WHEN l.issued_on > p_day THEN 'not_yet_valid'
	WHEN l.expires_on < p_day THEN 'expired'
	ELSE 'valid' END $$;

CREATE FUNCTION api.licence_json(l san.business_licences) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', l.id, 'business_id', l.business_id,
	    'category', (SELECT jsonb_build_object('id', c.id, 'slug', c.slug,
		'name_vi', c.name_vi, 'name_en', c.name_en)
		FROM san.categories c WHERE c.id = l.category_id),
	    'number', l.number, 'issuer', l.issuer,
	    'issued_on', l.issued_on, 'expires_on', l.expires_on,
	    'status', api.licence_status(l, api.today()),
	    'created_at', l.created_at, 'revoked_at', l.revoked_at)
$$;

-- Every licence of business p_business, newest first (at most
-- licence_max rows exist per business).
CREATE FUNCTION api.licence_items(p_business bigint) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT COALESCE(jsonb_agg(api.licence_json(l) ORDER BY l.id DESC),
	    '[]')
	  FROM san.business_licences l WHERE l.business_id = p_business
$$;

-- GET /api/v1/businesses/{id}/licences: members and officials.
CREATE FUNCTION api.licence_list(p_token_hash text, p_business bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT api.business_visible(v_me, p_business) THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	RETURN api.ok(200, json_build_object('items',
	    api.licence_items(p_business)));
END $$;

-- The business p_business locked, when p_me is one of its members.
CREATE FUNCTION api.licence_member(p_me bigint, p_business bigint)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT EXISTS (SELECT 1 FROM san.businesses b
	JOIN san.business_members m ON m.business_id = b.id
	WHERE b.id = p_business AND m.account_id = p_me FOR UPDATE OF b) $$;

-- POST /api/v1/businesses/{id}/licences {category_id, number, issuer,
-- issued_on, expires_on?} (checked by the server): a member adds one.
-- The category must be conditional (422 category_not_conditional); issued
-- no later than today; expiring after it was issued; one live licence per
-- category and number (409 licence_exists); at most 500 per business.
CREATE FUNCTION api.licence_create(p_token_hash text, p_business bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_cat	bigint := (p_body->>'category_id')::bigint;
	v_from	date := (p_body->>'issued_on')::date;
	v_to	date := (p_body->>'expires_on')::date;
	v_l	san.business_licences;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT api.licence_member(v_me, p_business) THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	IF v_cat > 2147483647 THEN
		RETURN api.err(422, 'category_not_found', 'category_id');
	END IF;
	IF san.category_policy(v_cat::int) IS NULL THEN
		RETURN api.err(422, 'category_not_found', 'category_id');
	END IF;
	IF san.category_policy(v_cat::int) <> 'conditional' THEN
		RETURN api.err(422, 'category_not_conditional', 'category_id');
	END IF;
	IF v_from > api.today() THEN
		RETURN api.err(400, 'date_in_future', 'issued_on');
	END IF;
	IF v_to <= v_from THEN
		RETURN api.err(422, 'expiry_before_issue', 'expires_on');
	END IF;
	IF (SELECT count(*) FROM san.business_licences
	    WHERE business_id = p_business) >= 500 THEN
		RETURN api.err(409, 'too_many_licences');
	END IF;
	INSERT INTO san.business_licences (business_id, category_id, number,
	    issuer, issued_on, expires_on, created_by)
	VALUES (p_business, v_cat::int, api.txt(p_body, 'number'),
	    api.txt(p_body, 'issuer'), v_from, v_to, v_me)
	ON CONFLICT (business_id, category_id, number)
	    WHERE revoked_at IS NULL DO NOTHING
	RETURNING * INTO v_l;
	IF v_l.id IS NULL THEN
		RETURN api.err(409, 'licence_exists', 'number');
	END IF;
	RETURN api.ok(201, api.licence_json(v_l)::json);
END $$;

-- DELETE /api/v1/businesses/{id}/licences/{lid}: a member withdraws a
-- licence (kept, marked withdrawn: it stops counting at once and the
-- background job re-screens the listings it covered).  A licence of
-- another business: 404; withdrawn already: 409 licence_withdrawn.
CREATE FUNCTION api.licence_revoke(p_token_hash text, p_business bigint,
    p_id bigint) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_l	san.business_licences;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT api.licence_member(v_me, p_business) THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	SELECT * INTO v_l FROM san.business_licences
	 WHERE id = p_id AND business_id = p_business FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'licence_not_found');
	END IF;
	IF v_l.revoked_at IS NOT NULL THEN
		RETURN api.err(409, 'licence_withdrawn');
	END IF;
	UPDATE san.business_licences SET revoked_at = now(),
	    revoked_by = v_me, revoked_on = api.today()
	 WHERE id = p_id
	RETURNING * INTO v_l;
	RETURN api.ok(200, api.licence_json(v_l)::json);
END $$;
