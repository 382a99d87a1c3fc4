-- Accounts, sessions, roles.

CREATE FUNCTION api.account_json(p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT json_build_object(
		'id', a.id, 'email', a.email, 'full_name', a.full_name,
		'phone', a.phone, 'created_at', a.created_at,
		'roles', ARRAY['buyer'] ||
		    CASE WHEN EXISTS (SELECT 1 FROM san.business_members m
			WHERE m.account_id = a.id) THEN ARRAY['merchant']
			ELSE ARRAY[]::text[] END ||
		    COALESCE((SELECT array_agg(r.role ORDER BY r.role DESC)
			FROM san.account_roles r WHERE r.account_id = a.id),
			ARRAY[]::text[]))
	  FROM san.accounts a WHERE a.id = p_id);
END $$;

-- p_password_hash is an argon2id string computed by the server.
CREATE FUNCTION api.register(p_email text, p_password_hash text,
    p_full_name text, p_phone text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_id	bigint;
BEGIN
	INSERT INTO san.accounts (email, password_hash, full_name, phone)
	VALUES (p_email, p_password_hash, btrim(normalize(p_full_name, NFC)),
	    p_phone)
	ON CONFLICT ((lower(email))) DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		RETURN api.err(409, 'email_taken', 'email');
	END IF;
	RETURN api.ok(201, api.account_json(v_id));
END $$;

-- First half of a login: throttling, then the stored hash to verify off
-- the event loop.  retry_after > 0 means refuse with 429.  account_id is
-- NULL for an unknown or disabled account (the server still spends one
-- hash on a dummy so timing does not reveal which emails exist).
CREATE FUNCTION api.login_begin(p_email text, p_ip inet,
    OUT retry_after int, OUT account_id bigint, OUT password_hash text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_window	interval := san.setting('login_window')::interval;
	v_oldest	timestamptz;
BEGIN
	retry_after := 0;
	SELECT a.id, a.password_hash INTO account_id, password_hash
	  FROM san.accounts a
	 WHERE lower(a.email) = lower(p_email) AND a.status = 'active';

	-- Per client address: the oldest failure inside the window tells
	-- when the window has room again.
	SELECT min(f.at) INTO v_oldest FROM (
		SELECT at FROM san.login_failures
		 WHERE ip = p_ip AND at > now() - v_window
		 ORDER BY at DESC
		 LIMIT san.setting('login_max_failures_ip')::int) f
	HAVING count(*) >= san.setting('login_max_failures_ip')::int;
	IF v_oldest IS NULL AND account_id IS NOT NULL THEN
		SELECT min(f.at) INTO v_oldest FROM (
			SELECT at FROM san.login_failures l
			 WHERE l.account_id = login_begin.account_id
			   AND at > now() - v_window
			 ORDER BY at DESC
			 LIMIT san.setting('login_max_failures_account')::int) f
		HAVING count(*) >=
		    san.setting('login_max_failures_account')::int;
	END IF;
	IF v_oldest IS NOT NULL THEN
		retry_after := greatest(1, ceil(extract(epoch FROM
		    v_oldest + v_window - now()))::int);
		account_id := NULL;
		password_hash := NULL;
	END IF;
END $$;

-- Second half: record the failure, or open a session for the token hash.
CREATE FUNCTION api.login_finish(p_account bigint, p_ip inet, p_ok boolean,
    p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
BEGIN
	IF p_account IS NULL OR NOT p_ok THEN
		INSERT INTO san.login_failures (account_id, ip)
		VALUES (p_account, p_ip);
		RETURN api.err(401, 'invalid_credentials');
	END IF;
	INSERT INTO san.sessions (token_hash, account_id, expires_at)
	VALUES (p_token_hash, p_account,
	    now() + san.setting('session_absolute')::interval);
	RETURN api.ok(200, api.account_json(p_account));
END $$;

CREATE FUNCTION api.logout(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
BEGIN
	DELETE FROM san.sessions WHERE token_hash = p_token_hash;
	IF NOT FOUND THEN
		RETURN api.err(401, 'unauthenticated');
	END IF;
	RETURN api.ok(204, NULL);
END $$;

CREATE FUNCTION api.me(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN api.ok(200, json_build_object(
	    'account', api.account_json(v_me),
	    'businesses', COALESCE((SELECT json_agg(json_build_object(
		'id', b.id, 'name', b.name, 'tax_code', b.tax_code,
		'status', b.status, 'member_role', m.role,
		'stores', COALESCE((SELECT json_agg(json_build_object(
		    'slug', s.slug, 'name', s.name, 'status', s.status)
		    ORDER BY s.id) FROM san.stores s
		    WHERE s.business_id = b.id), '[]')) ORDER BY b.id)
		FROM san.business_members m
		JOIN san.businesses b ON b.id = m.business_id
		WHERE m.account_id = v_me), '[]')));
END $$;

-- Admins grant and revoke the official and admin roles.  The last admin
-- cannot be revoked.  Recorded in the audit log.
CREATE FUNCTION api.role_change(p_token_hash text, p_account bigint,
    p_role text, p_action text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	-- Serialise role changes so the last-admin check cannot race.
	PERFORM pg_advisory_xact_lock(hashtext('san.account_roles'));
	IF NOT EXISTS (SELECT 1 FROM san.accounts WHERE id = p_account) THEN
		RETURN api.err(404, 'account_not_found');
	END IF;
	IF p_action = 'grant' THEN
		INSERT INTO san.account_roles (account_id, role, granted_by)
		VALUES (p_account, p_role, v_me) ON CONFLICT DO NOTHING;
	ELSE
		-- At least one active admin other than this one must remain.
		IF p_role = 'admin' AND api.has_role(p_account, 'admin') AND
		    NOT EXISTS (SELECT 1 FROM san.account_roles r
			JOIN san.accounts a ON a.id = r.account_id
		      WHERE r.role = 'admin' AND a.status = 'active'
			AND r.account_id <> p_account) THEN
			RETURN api.err(409, 'last_admin', 'role');
		END IF;
		DELETE FROM san.account_roles
		 WHERE account_id = p_account AND role = p_role;
	END IF;
	PERFORM api.audit(v_me, 'role_' || p_action, 'account',
	    p_account::text, jsonb_build_object('role', p_role));
	RETURN api.ok(200, api.account_json(p_account));
END $$;

-- The admins' list of accounts, by id (keyset: p_after, p_limit): those
-- whose e-mail or name starts with p_q (case and diacritics folded; NULL:
-- all), each with its roles and status.  Others: 404, anonymous 401.
-- A prefix is a byte-wise range on the indexes of sql/019 (the range's end
-- is the prefix followed by U+10FFFF; left() keeps the answer exact).
-- Every read is audited: who searched for what, never the answer.
CREATE FUNCTION api.admin_accounts(p_token_hash text, p_q text,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_q	text := COALESCE(san.fold(btrim(p_q)), '');
	v_hi	text := v_q || chr(1114111);
	v_ids	bigint[];
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	PERFORM api.audit(v_me, 'accounts_list', 'account', '*',
	    jsonb_build_object('q', NULLIF(btrim(p_q), ''), 'after', p_after));
	IF v_q = '' THEN
		v_ids := ARRAY(SELECT a.id FROM san.accounts a
		     WHERE a.id > COALESCE(p_after, 0)
		     ORDER BY a.id LIMIT p_limit);
	ELSE
		v_ids := ARRAY(SELECT a.id FROM san.accounts a
		     WHERE a.id > COALESCE(p_after, 0)
		       AND ((lower(a.email) ~>=~ v_q AND lower(a.email) ~<~ v_hi
			    AND left(lower(a.email), length(v_q)) = v_q)
			OR (san.fold(a.full_name) ~>=~ v_q
			    AND san.fold(a.full_name) ~<~ v_hi
			    AND left(san.fold(a.full_name), length(v_q)) = v_q))
		     ORDER BY a.id LIMIT p_limit);
	END IF;
	RETURN api.ok(200, (
	    SELECT json_build_object(
		'items', COALESCE(json_agg((api.account_json(a.id)::jsonb - 'phone')
		    || jsonb_build_object('status', a.status) ORDER BY a.id), '[]'),
		'next', CASE WHEN count(*) = p_limit THEN max(a.id)::text END)
	      FROM san.accounts a WHERE a.id = ANY (v_ids)));
END $$;
