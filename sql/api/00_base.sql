-- Schema api: the only functions the server calls.  Every call is one
-- statement answering one HTTP request: it checks who is asking (from the
-- session token hash), checks access in the query, does the work atomically
-- and returns one api.result row.  The C side maps error codes to messages
-- (src/errors.c); a code used here must exist there (tests/api/errors.bats).
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

-- LIKE pattern matching q anywhere in folded text, with LIKE's own
-- metacharacters escaped.
CREATE FUNCTION api.contains_pattern(q text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT '%' || replace(replace(replace(san.fold(q), '\', '\\'),
	'%', '\%'), '_', '\_') || '%' $$;
