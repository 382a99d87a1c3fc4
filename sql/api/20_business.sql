-- Businesses: registration by an owner, review by officials.

-- Full view for the owner and officials, with the decision history.
CREATE FUNCTION api.business_json(p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT json_build_object(
		'id', b.id, 'tax_code', b.tax_code, 'name', b.name,
		'kind', b.kind, 'registration_no', b.registration_no,
		'registration_date', b.registration_date,
		'registration_issuer', b.registration_issuer,
		'address', b.address, 'province', b.province, 'ward', b.ward,
		'province_code', b.province_code, 'ward_code', b.ward_code,
		'representative', b.representative, 'phone', b.phone,
		'email', b.email, 'status', b.status,
		'created_at', b.created_at, 'updated_at', b.updated_at,
		'history', COALESCE((SELECT json_agg(json_build_object(
		    'action', e.action, 'from_status', e.from_status,
		    'to_status', e.to_status, 'reason', e.reason,
		    'actor_id', e.actor_id, 'at', e.at) ORDER BY e.id)
		    FROM san.business_events e WHERE e.business_id = b.id),
		    '[]'))
	  FROM san.businesses b WHERE b.id = p_id);
END $$;

-- The business p_id when p_account may see it (a member, an official or
-- an admin), else NULL: callers answer 404 either way, so a stranger
-- cannot tell "not yours" from "does not exist".
CREATE FUNCTION api.business_visible(p_account bigint, p_id bigint)
RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT 1 FROM san.business_members
	WHERE business_id = p_id AND account_id = p_account)
	OR (api.is_official(p_account) AND
	    EXISTS (SELECT 1 FROM san.businesses WHERE id = p_id)) $$;

-- p_body holds fields validated and normalised by the server
-- (src/business.c); text is NFC-normalised here.  province and ward are
-- each a code or an exact current or former name (api.place_resolve);
-- an unknown one answers 400 with its field and nothing is saved.
CREATE FUNCTION api.business_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_id	bigint;
	v_place	record;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF (p_body->>'registration_date')::date > api.today() THEN
		RETURN api.err(400, 'date_in_future', 'registration_date');
	END IF;
	SELECT * INTO v_place FROM api.place_resolve(p_body, '');
	IF v_place.error IS NOT NULL THEN
		RETURN api.err(400, v_place.error, v_place.field);
	END IF;
	INSERT INTO san.businesses (tax_code, name, kind, registration_no,
	    registration_date, registration_issuer, address, province, ward,
	    province_code, ward_code, representative, phone, email)
	VALUES (p_body->>'tax_code', api.txt(p_body, 'name'),
	    p_body->>'kind', api.txt(p_body, 'registration_no'),
	    (p_body->>'registration_date')::date,
	    api.txt(p_body, 'registration_issuer'),
	    api.txt(p_body, 'address'), v_place.place->>'province',
	    v_place.place->>'ward', v_place.place->>'province_code',
	    v_place.place->>'ward_code', api.txt(p_body, 'representative'),
	    p_body->>'phone', p_body->>'email')
	ON CONFLICT (tax_code) DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		RETURN api.err(409, 'tax_code_taken', 'tax_code');
	END IF;
	INSERT INTO san.business_members (business_id, account_id, role)
	VALUES (v_id, v_me, 'owner');
	INSERT INTO san.business_events (business_id, actor_id, action,
	    to_status) VALUES (v_id, v_me, 'submit', 'pending');
	RETURN api.ok(201, api.business_json(v_id));
END $$;

CREATE FUNCTION api.business_list_mine(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE(
	    (SELECT json_agg(api.business_json(m.business_id)
		ORDER BY m.business_id)
	       FROM san.business_members m WHERE m.account_id = v_me),
	    '[]')));
END $$;

CREATE FUNCTION api.business_get(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT api.business_visible(v_me, p_id) THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	RETURN api.ok(200, api.business_json(p_id));
END $$;

-- Owner edits.  Pending and rejected applications may change anything and
-- go (back) to review.  A verified business may change its contact details
-- freely; a change to its legal identity sends it back to review.  A
-- suspended business cannot be edited.
CREATE FUNCTION api.business_update(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_old		san.businesses;
	v_new		san.businesses;
	v_status	text;
	v_place		record;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT b.* INTO v_old FROM san.businesses b
	  JOIN san.business_members m ON m.business_id = b.id
	 WHERE b.id = p_id AND m.account_id = v_me AND m.role = 'owner'
	   FOR UPDATE OF b;
	IF NOT FOUND THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	IF v_old.status = 'suspended' THEN
		RETURN api.err(409, 'business_suspended');
	END IF;
	IF (p_body->>'registration_date')::date > api.today() THEN
		RETURN api.err(400, 'date_in_future', 'registration_date');
	END IF;
	IF p_body ? 'tax_code' AND p_body->>'tax_code' <> v_old.tax_code AND
	    EXISTS (SELECT 1 FROM san.businesses
		WHERE tax_code = p_body->>'tax_code') THEN
		RETURN api.err(409, 'tax_code_taken', 'tax_code');
	END IF;

	v_new := v_old;
	v_new.tax_code := COALESCE(p_body->>'tax_code', v_old.tax_code);
	v_new.name := COALESCE(api.txt(p_body, 'name'), v_old.name);
	v_new.kind := COALESCE(p_body->>'kind', v_old.kind);
	v_new.registration_no := COALESCE(api.txt(p_body, 'registration_no'),
	    v_old.registration_no);
	v_new.registration_date := COALESCE(
	    (p_body->>'registration_date')::date, v_old.registration_date);
	v_new.registration_issuer := COALESCE(
	    api.txt(p_body, 'registration_issuer'), v_old.registration_issuer);
	v_new.address := COALESCE(api.txt(p_body, 'address'), v_old.address);
	-- A new province or ward is resolved with the other as it is (the
	-- ward must be one of the province's).
	IF p_body ? 'province' OR p_body ? 'ward' THEN
		SELECT * INTO v_place FROM api.place_resolve(jsonb_build_object(
		    'province', COALESCE(api.txt(p_body, 'province'),
			v_old.province_code, v_old.province),
		    'ward', COALESCE(api.txt(p_body, 'ward'),
			v_old.ward_code, v_old.ward)), '');
		IF v_place.error IS NOT NULL THEN
			RETURN api.err(400, v_place.error, v_place.field);
		END IF;
		v_new.province := v_place.place->>'province';
		v_new.ward := v_place.place->>'ward';
		v_new.province_code := v_place.place->>'province_code';
		v_new.ward_code := v_place.place->>'ward_code';
	END IF;
	v_new.representative := COALESCE(api.txt(p_body, 'representative'),
	    v_old.representative);
	v_new.phone := COALESCE(p_body->>'phone', v_old.phone);
	v_new.email := COALESCE(p_body->>'email', v_old.email);

	v_status := v_old.status;
	IF v_old.status = 'rejected' OR (v_old.status = 'verified' AND
	    (v_new.tax_code, v_new.name, v_new.kind, v_new.registration_no,
	     v_new.registration_date, v_new.registration_issuer,
	     v_new.address, v_new.province, v_new.ward, v_new.representative)
	    IS DISTINCT FROM
	    (v_old.tax_code, v_old.name, v_old.kind, v_old.registration_no,
	     v_old.registration_date, v_old.registration_issuer,
	     v_old.address, v_old.province, v_old.ward,
	     v_old.representative)) THEN
		v_status := 'pending';
	END IF;

	-- The check above cannot see a registration committed meanwhile:
	-- the unique index decides, and a collision is the same 409.
	BEGIN
		UPDATE san.businesses SET tax_code = v_new.tax_code,
		    name = v_new.name, kind = v_new.kind,
		    registration_no = v_new.registration_no,
		    registration_date = v_new.registration_date,
		    registration_issuer = v_new.registration_issuer,
		    address = v_new.address, province = v_new.province,
		    ward = v_new.ward, province_code = v_new.province_code,
		    ward_code = v_new.ward_code, representative = v_new.representative,
		    phone = v_new.phone, email = v_new.email,
		    status = v_status, updated_at = now()
		 WHERE id = p_id;
	EXCEPTION WHEN unique_violation THEN
		RETURN api.err(409, 'tax_code_taken', 'tax_code');
	END;
	IF v_status = 'pending' AND v_old.status <> 'pending' THEN
		INSERT INTO san.business_events (business_id, actor_id,
		    action, from_status, to_status)
		VALUES (p_id, v_me, 'resubmit', v_old.status, 'pending');
	END IF;
	RETURN api.ok(200, api.business_json(p_id));
END $$;

-- Official decisions.  Allowed: pending -approve-> verified,
-- pending -reject-> rejected, verified -suspend-> suspended,
-- suspended -reinstate-> verified.  Reject and suspend need a reason.
-- Like every official route: 401 anonymous, 404 to non-officials (the
-- route does not exist for them; the monitoring routes answer the same).
CREATE FUNCTION api.business_decide(p_token_hash text, p_id bigint,
    p_decision text, p_reason text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_from	text;
	v_to	text;
	v_reason text;
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT status INTO v_from FROM san.businesses WHERE id = p_id
	   FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'business_not_found');
	END IF;
	IF p_decision IN ('reject', 'suspend') AND
	    COALESCE(btrim(p_reason), '') = '' THEN
		RETURN api.err(400, 'reason_required', 'reason');
	END IF;
	v_to := CASE
	    WHEN p_decision = 'approve' AND v_from = 'pending' THEN 'verified'
	    WHEN p_decision = 'reject' AND v_from = 'pending' THEN 'rejected'
	    WHEN p_decision = 'suspend' AND v_from = 'verified'
		THEN 'suspended'
	    WHEN p_decision = 'reinstate' AND v_from = 'suspended'
		THEN 'verified'
	    END;
	IF v_to IS NULL THEN
		RETURN api.err(409, 'invalid_transition', 'decision');
	END IF;
	UPDATE san.businesses SET status = v_to, updated_at = now()
	 WHERE id = p_id;
	v_reason := NULLIF(btrim(normalize(p_reason, NFC)), '');
	INSERT INTO san.business_events (business_id, actor_id, action,
	    from_status, to_status, reason)
	VALUES (p_id, v_me, p_decision, v_from, v_to, v_reason);
	PERFORM api.audit(v_me, 'business_' || p_decision, 'business',
	    p_id::text, jsonb_build_object('from', v_from, 'to', v_to,
	    'reason', v_reason));
	RETURN api.ok(200, api.business_json(p_id));
END $$;

-- Review queue for officials, oldest first, keyset on id (401 anonymous,
-- 404 to non-officials).
CREATE FUNCTION api.business_review_queue(p_token_hash text, p_status text,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN api.ok(200, (
	    WITH page AS (
		SELECT b.id FROM san.businesses b
		 WHERE b.status = p_status AND b.id > COALESCE(p_after, 0)
		 ORDER BY b.id LIMIT p_limit)
	    SELECT json_build_object(
		'items', COALESCE(json_agg(api.business_json(id) ORDER BY id),
		    '[]'),
		'next', CASE WHEN count(*) = p_limit THEN max(id)::text END)
	      FROM page));
END $$;
