-- Storefronts.  A store is public only while its business is verified and
-- its owner has not hidden it (status 'hidden', sql/003), so suspending a
-- business hides its stores at once and reinstating shows them.

-- Public view: the store with its own place (pickup_address, ward and
-- province with their codes: sql/022) and the seller identity Decree 52
-- requires to be shown (business name, tax code, address, phone).
CREATE FUNCTION api.store_json(s san.stores, b san.businesses) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object(
		'slug', s.slug, 'name', s.name, 'description', s.description,
		'phone', s.phone, 'email', s.email,
		'pickup_address', s.pickup_address,
		'ward', s.ward, 'province', s.province,
		'ward_code', s.ward_code, 'province_code', s.province_code,
		'created_at', s.created_at,
		'seller', json_build_object(
		    'name', b.name, 'tax_code', b.tax_code, 'kind', b.kind,
		    'address', b.address, 'ward', b.ward,
		    'province', b.province, 'province_code', b.province_code,
		    'ward_code', b.ward_code, 'phone', b.phone,
		    'email', b.email,
		    'registration_no', b.registration_no,
		    'registration_issuer', b.registration_issuer))
$$;

-- The members' view: the public one, plus the store's status and the
-- shipping methods its buyers can choose from (a store opens with the
-- floor's default one, see api.store_create; without any, checkout
-- answers 422 no_shipping_method).
CREATE FUNCTION api.store_member_json(s san.stores, b san.businesses)
RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (api.store_json(s, b)::jsonb || jsonb_build_object(
	    'status', s.status,
	    'shipping_methods', api.shipping_methods_json(s.id)))::json;
END $$;

-- p_body: business_id, name, slug, slug_auto (the server derived the slug
-- from the name: on collision try -2, -3, ...), description, phone, email,
-- pickup_address, province and ward (each a code or an exact current or
-- former name, api.place_resolve; the one not given is the business's;
-- neither: the business's place).  An unknown one: 400 with field,
-- nothing saved.
/*
 * The place of a store from p_body's province and ward (api.place_resolve),
 * the one not given taken from the current place (p_*: the business's for
 * a new store, the store's own on update).  place NULL when p_body gives
 * neither; error and field for an unknown one.
 */
CREATE FUNCTION api.store_place(p_body jsonb, p_pcode text, p_province text,
    p_wcode text, p_ward text, OUT place jsonb, OUT error text,
    OUT field text)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF NOT (p_body ? 'province' OR p_body ? 'ward') THEN
		RETURN;
	END IF;
	SELECT * INTO place, error, field FROM api.place_resolve(
	    jsonb_build_object(
		'province', COALESCE(api.txt(p_body, 'province'), p_pcode,
		    p_province),
		'ward', COALESCE(api.txt(p_body, 'ward'), p_wcode, p_ward)),
	    '');
END $$;

CREATE FUNCTION api.store_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_business	san.businesses;
	v_store		san.stores;
	v_slug		text;
	v_try		int := 1;
	v_place		record;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT b.* INTO v_business FROM san.businesses b
	  JOIN san.business_members m ON m.business_id = b.id
	 WHERE b.id = (p_body->>'business_id')::bigint
	   AND m.account_id = v_me AND m.role = 'owner'
	   FOR SHARE OF b;
	IF NOT FOUND THEN
		RETURN api.err(404, 'business_not_found', 'business_id');
	END IF;
	IF v_business.status <> 'verified' THEN
		RETURN api.err(409, 'business_not_verified', 'business_id');
	END IF;
	SELECT * INTO v_place FROM api.store_place(p_body,
	    v_business.province_code, v_business.province,
	    v_business.ward_code, v_business.ward);
	IF v_place.error IS NOT NULL THEN
		RETURN api.err(400, v_place.error, v_place.field);
	END IF;
	LOOP
		v_slug := p_body->>'slug';
		IF v_try > 1 THEN
			v_slug := left(v_slug, 59) || '-' || v_try;
		END IF;
		INSERT INTO san.stores (business_id, slug, name, description,
		    phone, email, pickup_address, province, ward,
		    province_code, ward_code)
		VALUES (v_business.id, v_slug, api.txt(p_body, 'name'),
		    COALESCE(api.txt(p_body, 'description'), ''),
		    p_body->>'phone', p_body->>'email',
		    api.txt(p_body, 'pickup_address'),
		    v_place.place->>'province', v_place.place->>'ward',
		    v_place.place->>'province_code',
		    v_place.place->>'ward_code')
		ON CONFLICT (slug) DO NOTHING
		RETURNING * INTO v_store;
		EXIT WHEN v_store.id IS NOT NULL;
		IF NOT COALESCE((p_body->>'slug_auto')::boolean, false) OR
		    v_try >= 50 THEN
			RETURN api.err(409, 'slug_taken', 'slug');
		END IF;
		v_try := v_try + 1;
	END LOOP;
	-- A store can sell from the start: the floor's default method
	-- (setting store_default_shipping, a method as in
	-- PUT /stores/{slug}/shipping-methods; empty: none).
	INSERT INTO san.shipping_methods (store_id, carrier, name, fee_rule,
	    fee_vnd, weight_tiers, free_over_vnd)
	SELECT v_store.id, m->>'carrier', m->>'name', m->>'fee_rule',
	    COALESCE((m->>'fee_vnd')::bigint, 0),
	    COALESCE(m->'weight_tiers', '[]'), (m->>'free_over_vnd')::bigint
	  FROM (SELECT NULLIF(san.setting('store_default_shipping'),
	    '')::jsonb AS m) d
	 WHERE m IS NOT NULL;
	RETURN api.ok(201, api.store_member_json(v_store, v_business));
END $$;

CREATE FUNCTION api.store_get(p_slug text) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN COALESCE(
	    (SELECT api.ok(200, api.store_json(s, b))
	       FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
	      WHERE s.slug = p_slug AND s.status = 'active'
		AND b.status = 'verified'),
	    api.err(404, 'store_not_found'));
END $$;

-- Public list: newest first, keyset on id; q matches the store name
-- without regard to diacritics or case; province is a code or a current
-- or former name (san.province_code, so "Long An" lists Tây Ninh's) and
-- matches the store's own province (sql/022), not its seller's.  The
-- page of ids is chosen first and JSON is built for those rows only.
-- PL/pgSQL, not SQL: PostgreSQL re-plans the body of a non-inlined SQL
-- function on every call (measured: 5.4 ms planning for 0.8 ms of work),
-- while PL/pgSQL caches its plans per connection.
CREATE FUNCTION api.store_list(p_q text, p_province text, p_after bigint,
    p_limit int) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_province	text := san.province_code(p_province);
BEGIN
	RETURN (WITH page AS MATERIALIZED (
		SELECT s.id
		  FROM san.stores s
		  JOIN san.businesses b ON b.id = s.business_id
		 WHERE b.status = 'verified' AND s.status = 'active'
		   AND (p_q IS NULL OR san.fold(s.name) LIKE
			api.contains_pattern(p_q))
		   AND (p_province IS NULL OR
			s.province_code = v_province)
		   AND s.id < COALESCE(p_after, 9223372036854775807)
		 ORDER BY s.id DESC
		 LIMIT p_limit)
	SELECT api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(api.store_json(s, b)
		ORDER BY s.id DESC)
		FROM page JOIN san.stores s ON s.id = page.id
		JOIN san.businesses b ON b.id = s.business_id), '[]'),
	    'next', (SELECT CASE WHEN count(*) = p_limit
		THEN min(id)::text END FROM page))));
END $$;

-- A store's products, newest first, keyset on id: every product for the
-- members of its business (with status), listed ones for everyone else.
-- A hidden store, or one whose business is not verified, is 404 to
-- non-members.
CREATE FUNCTION api.store_products(p_token_hash text, p_slug text,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_store		bigint;
	v_slug		text;
	v_name		text;
	v_public	boolean;
	v_member	boolean := false;
	v_limit		int := least(greatest(COALESCE(p_limit, 20), 1),
			    100);
	v_after		bigint := COALESCE(p_after, 9223372036854775807);
	v_ids		bigint[];
BEGIN
	SELECT s.id, s.slug, s.name,
	    s.status = 'active' AND b.status = 'verified'
	  INTO v_store, v_slug, v_name, v_public
	  FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
	 WHERE s.slug = p_slug;
	IF NOT FOUND THEN
		RETURN api.err(404, 'store_not_found');
	END IF;
	IF p_token_hash IS NOT NULL THEN
		v_member := COALESCE(api.is_member(
		    api.session_account(p_token_hash), v_store), false);
	END IF;
	IF v_member THEN
		v_ids := ARRAY(SELECT p.id FROM san.products p
		     WHERE p.store_id = v_store AND p.id < v_after
		       AND p.deleted_at IS NULL
		     ORDER BY p.id DESC LIMIT v_limit);
	ELSIF NOT v_public THEN
		RETURN api.err(404, 'store_not_found');
	ELSE
		v_ids := ARRAY(SELECT p.id FROM san.products p
		     WHERE p.store_id = v_store AND p.listed
		       AND p.id < v_after
		     ORDER BY p.id DESC LIMIT v_limit);
	END IF;
	RETURN api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(json_build_object(
		'id', p.id, 'name', p.name, 'price_vnd', p.price_vnd,
		'unit', p.unit, 'ocop_stars', p.ocop_stars,
		'origin_province', p.origin_province,
		'category_id', p.category_id,
		'store', json_build_object('slug', v_slug, 'name', v_name),
		'image_url', '/api/v1/images/' || p.cover_image_id,
		'thumb_url', '/api/v1/images/' || p.cover_image_id || '/thumb',
		'updated_at', p.updated_at, 'status', p.status,
		'listed', p.listed, 'stock', p.stock) ORDER BY o.n)
		FROM unnest(v_ids) WITH ORDINALITY o(id, n)
		JOIN san.products p ON p.id = o.id), '[]'),
	    'next', CASE WHEN cardinality(v_ids) = v_limit
		THEN v_ids[v_limit]::text END));
END $$;

-- p_body: any subset of name, description, phone, email, pickup_address,
-- province, ward (as in api.store_create: the one not given stays, and
-- must fit the other; unknown: 400 with field, nothing saved), status
-- (active | hidden).  "description": null clears it (to "", like
-- a store opened without one); the server refuses null for the others.
-- Hiding unlists every product of the store (trigger in 003).  The answer
-- is the members' view (api.store_member_json).
CREATE FUNCTION api.store_update(p_token_hash text, p_slug text,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_store		san.stores;
	v_business	san.businesses;
	v_place		record;
BEGIN
	SELECT s.* INTO v_store FROM san.stores s
	 WHERE s.slug = p_slug AND EXISTS (SELECT 1
		FROM san.business_members m
		WHERE m.business_id = s.business_id AND m.account_id = v_me
		  AND m.role = 'owner')
	   FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.not_found(v_me, 'store_not_found');
	END IF;
	IF p_body->>'status' NOT IN ('active', 'hidden') THEN
		RETURN api.err(422, 'invalid_choice', 'status');
	END IF;
	-- A store hidden by a monitoring decision or penalty tier (issue 10,
	-- san.mod_store_hides) stays hidden until the hide is lifted.
	IF p_body->>'status' = 'active' AND v_store.status = 'hidden' AND
	    EXISTS (SELECT 1 FROM san.mod_store_hides h
		WHERE h.store_id = v_store.id AND h.lifted_at IS NULL) THEN
		RETURN api.err(409, 'store_hidden_by_decision', 'status');
	END IF;
	SELECT * INTO v_place FROM api.store_place(p_body,
	    v_store.province_code, v_store.province, v_store.ward_code,
	    v_store.ward);
	IF v_place.error IS NOT NULL THEN
		RETURN api.err(400, v_place.error, v_place.field);
	END IF;
	UPDATE san.stores SET
	    name = COALESCE(api.txt(p_body, 'name'), name),
	    description = api.patch_text(p_body, 'description', description,
		''),
	    phone = COALESCE(p_body->>'phone', phone),
	    email = COALESCE(p_body->>'email', email),
	    pickup_address = COALESCE(api.txt(p_body, 'pickup_address'),
		pickup_address),
	    province = COALESCE(v_place.place->>'province', province),
	    ward = COALESCE(v_place.place->>'ward', ward),
	    province_code = COALESCE(v_place.place->>'province_code',
		province_code),
	    ward_code = COALESCE(v_place.place->>'ward_code', ward_code),
	    status = COALESCE(p_body->>'status', status),
	    updated_at = now()
	 WHERE id = v_store.id
	RETURNING * INTO v_store;
	SELECT * INTO v_business FROM san.businesses
	 WHERE id = v_store.business_id;
	RETURN api.ok(200, api.store_member_json(v_store, v_business));
END $$;
