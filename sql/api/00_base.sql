-- Schema api: the only functions the server calls.  Every call is one
-- statement answering one HTTP request: it checks who is asking (from the
-- session token hash), checks access in the query, does the work atomically
-- and returns one api.result row.  The C side maps error codes to messages
-- (src/errors.c); a code used here must exist there (tests/api/openapi.bats checks).
-- This directory is re-applied as a whole (DROP SCHEMA api CASCADE) by
-- scripts/migrate.sh whenever any of its files changes; no data lives here.

CREATE TYPE api.result AS (
	status	int,	-- HTTP status
	body	text,	-- JSON response body when error IS NULL
	error	text,	-- error code (src/errors.c) or NULL
	field	text	-- offending input field or NULL
);

CREATE FUNCTION api.ok(p_status int, p_body json) RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT (p_status, p_body::text, NULL, NULL)::api.result $$;

CREATE FUNCTION api.err(p_status int, p_code text, p_field text DEFAULT NULL)
RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT (p_status, NULL, p_code, p_field)::api.result $$;

-- An error carrying details for the client (which items, which store).
CREATE FUNCTION api.err_details(p_status int, p_code text, p_details json,
    p_field text DEFAULT NULL) RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT (p_status, p_details::text, p_code, p_field)::api.result $$;

-- The openings of functions for signed-in callers, one line each:
--   v_me bigint := api.session_account(p_token_hash);
--   IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
--   IF NOT api.is_official(v_me) THEN
--	RETURN api.not_found(v_me, 'not_found'); END IF;
--	(is_official and has_role are false for a NULL account; a route for
--	one role answers 404 to everyone else, as if it did not exist)
--   v_store bigint := api.member_store(v_me, p_slug);
--   IF v_store IS NULL THEN
--	RETURN api.not_found(v_me, 'store_not_found'); END IF;
-- A plain result, not an exception: an anonymous request must not leave
-- an ERROR line in the server log, and a caught exception would cost a
-- subtransaction on every call.
CREATE FUNCTION api.unauthenticated() RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT api.err(401, 'unauthenticated') $$;

-- 401 for nobody, else 404 p_code (not found, or not the caller's: the
-- same answer, so a stranger cannot tell them apart).
CREATE FUNCTION api.not_found(p_me bigint, p_code text) RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN p_me IS NULL THEN api.err(401, 'unauthenticated')
	ELSE api.err(404, p_code) END $$;

-- The account behind a session token hash, or NULL when the token is
-- unknown, idle too long, past its absolute expiry, or its account is
-- disabled.  Touches last_seen_at at most once a minute.
CREATE FUNCTION api.session_account(p_token_hash text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
	v_account	bigint;
	v_seen		timestamptz;
BEGIN
	IF p_token_hash IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT s.account_id, s.last_seen_at INTO v_account, v_seen
	  FROM san.sessions s JOIN san.accounts a ON a.id = s.account_id
	 WHERE s.token_hash = p_token_hash
	   AND s.expires_at > now()
	   AND s.last_seen_at > now() - san.setting('session_idle')::interval
	   AND a.status = 'active';
	IF v_account IS NOT NULL AND v_seen < now() - interval '1 minute' THEN
		UPDATE san.sessions SET last_seen_at = now()
		 WHERE token_hash = p_token_hash;
	END IF;
	RETURN v_account;
END $$;

CREATE FUNCTION api.has_role(p_account bigint, p_role text) RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT 1 FROM san.account_roles
	WHERE account_id = p_account AND role = p_role) $$;

-- Official work is open to officials and admins.
CREATE FUNCTION api.is_official(p_account bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT 1 FROM san.account_roles
	WHERE account_id = p_account AND role IN ('official', 'admin')) $$;

CREATE FUNCTION api.audit(p_actor bigint, p_action text, p_type text,
    p_id text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE sql
AS $$ INSERT INTO san.audit_log (actor_id, action, object_type, object_id,
	detail) VALUES (p_actor, p_action, p_type, p_id, p_detail) $$;

-- Today on the floor's calendar (Vietnam, UTC+7), whatever the server's
-- time zone: a date "in the future" is judged by the people using it.
CREATE FUNCTION api.today() RETURNS date
LANGUAGE sql STABLE
AS $$ SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date $$;

-- Text from a validated JSON body, in Unicode NFC, trimmed.
CREATE FUNCTION api.txt(p jsonb, k text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT btrim(normalize(p->>k, NFC)) $$;

-- A PATCH of an optional text member k: unchanged when absent, p_clear
-- when JSON null (the server lets null through only for members that
-- can be cleared), else the new text.
CREATE FUNCTION api.patch_text(p jsonb, k text, p_old text, p_clear text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN NOT p ? k THEN p_old
	WHEN jsonb_typeof(p->k) = 'null' THEN p_clear
	ELSE api.txt(p, k) END $$;

-- LIKE pattern matching q anywhere in folded text, with LIKE's own
-- metacharacters escaped.
CREATE FUNCTION api.contains_pattern(q text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT '%' || replace(replace(replace(san.fold(q), '\', '\\'),
	'%', '\%'), '_', '\_') || '%' $$;

-- Does the account act for the business that owns the store (owner or
-- staff)?
CREATE FUNCTION api.is_member(p_account bigint, p_store bigint)
RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT 1 FROM san.stores s
	JOIN san.business_members m ON m.business_id = s.business_id
	WHERE s.id = p_store AND m.account_id = p_account) $$;

-- The id of the store p_slug when p_account is a member of its business,
-- else NULL (also for a NULL account).
CREATE FUNCTION api.member_store(p_account bigint, p_slug text)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT s.id FROM san.stores s
	    WHERE s.slug = p_slug AND api.is_member(p_account, s.id));
END $$;

-- The product p_id locked for a change by member p_account, or NULL
-- (not found, deleted, or not theirs, or no account).  Its store and business are
-- locked FOR SHARE, so a suspension or hiding cannot interleave.
CREATE FUNCTION api.product_lock(p_account bigint, p_id bigint)
RETURNS san.products
LANGUAGE plpgsql
AS $$
DECLARE
	v_p	san.products;
BEGIN
	SELECT p.* INTO v_p FROM san.products p
	 WHERE p.id = p_id AND p.deleted_at IS NULL
	   AND api.is_member(p_account, p.store_id)
	   FOR UPDATE;
	IF FOUND THEN
		PERFORM 1 FROM san.stores s
		  JOIN san.businesses b ON b.id = s.business_id
		 WHERE s.id = v_p.store_id FOR SHARE OF s, b;
	END IF;
	RETURN v_p;
END $$;

-- Why member p_me may not change product p (what api.product_lock gave):
-- 401 nobody, 404 p_missing (not found or not theirs), 409 removed; NULL
-- when the change may go on.  The opening of every product change:
--   v_p san.products := api.product_lock(v_me, p_id);
--   v_err api.result := api.product_refusal(v_me, v_p);
--   IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
CREATE FUNCTION api.product_refusal(p_me bigint, p san.products,
    p_missing text DEFAULT 'product_not_found') RETURNS api.result
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN p.id IS NULL THEN api.not_found(p_me, p_missing)
	WHEN p.status = 'removed' THEN api.err(409, 'product_removed') END $$;
