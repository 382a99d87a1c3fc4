-- Catalogue: categories (public list, admin edits), products (members of
-- the store's business edit; the public sees listed products), search,
-- images, QR.  Someone else's product, store or image answers 404, like
-- one that does not exist.

-- Categories ---------------------------------------------------------------

CREATE FUNCTION api.category_json(c san.categories, p_count bigint)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', c.id, 'parent_id', c.parent_id,
	    'slug', c.slug, 'name_vi', c.name_vi, 'name_en', c.name_en,
	    'policy', c.policy, 'licence_hint', c.licence_hint,
	    'position', c.position, 'product_count', p_count)
$$;

-- Listed products in the category and its subcategories (the number a
-- ?category= filter finds), from the trigger-kept counters.
CREATE FUNCTION api.category_count(p_id int) RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT COALESCE(sum(cc.n), 0)::bigint
	  FROM unnest(san.category_subtree(p_id)) t(id)
	  JOIN san.category_counts cc ON cc.category_id = t.id);
END $$;

CREATE FUNCTION api.category_list() RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN api.ok(200, json_build_object('items', COALESCE((
	    WITH RECURSIVE up(id, anc, depth) AS (
		SELECT c.id, c.id, 0 FROM san.categories c
		UNION ALL
		SELECT up.id, c.parent_id, up.depth + 1
		  FROM up JOIN san.categories c ON c.id = up.anc
		 WHERE c.parent_id IS NOT NULL AND up.depth < 32),
	    total AS (
		SELECT up.anc AS id, sum(cc.n)::bigint AS n
		  FROM up JOIN san.category_counts cc
		    ON cc.category_id = up.id
		 GROUP BY up.anc)
	    SELECT json_agg(api.category_json(c, COALESCE(t.n, 0))
		ORDER BY c.parent_id NULLS FIRST, c.position, c.id)
	      FROM san.categories c LEFT JOIN total t ON t.id = c.id),
	    '[]')));
END $$;

-- GET /api/v1/admin/categories: the same list, for admins only (401
-- anonymous, 404 others).  There are no inactive categories to add.
CREATE FUNCTION api.category_admin_list(p_token_hash text)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN api.category_list();
END $$;

-- p_body (validated by the server): parent_id?, slug, name_vi, name_en,
-- policy, licence_hint?, position?.
CREATE FUNCTION api.category_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_cat	san.categories;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	-- Category edits are serialised (see api.category_update).
	PERFORM pg_advisory_xact_lock(hashtext('san.categories'));
	IF p_body->>'parent_id' IS NOT NULL AND NOT EXISTS (
	    SELECT 1 FROM san.categories
	     WHERE id = (p_body->>'parent_id')::int) THEN
		RETURN api.err(422, 'category_not_found', 'parent_id');
	END IF;
	INSERT INTO san.categories (parent_id, slug, name_vi, name_en, policy,
	    licence_hint, position)
	VALUES ((p_body->>'parent_id')::int, p_body->>'slug',
	    api.txt(p_body, 'name_vi'), api.txt(p_body, 'name_en'),
	    COALESCE(p_body->>'policy', 'normal'),
	    NULLIF(api.txt(p_body, 'licence_hint'), ''),
	    COALESCE((p_body->>'position')::int, 0))
	ON CONFLICT (slug) DO NOTHING
	RETURNING * INTO v_cat;
	IF v_cat.id IS NULL THEN
		RETURN api.err(409, 'category_slug_taken', 'slug');
	END IF;
	INSERT INTO san.category_counts (category_id, n) VALUES (v_cat.id, 0)
	ON CONFLICT DO NOTHING;
	PERFORM api.audit(v_me, 'category_create', 'category',
	    v_cat.id::text, p_body);
	RETURN api.ok(201, api.category_json(v_cat, 0));
END $$;

-- Any subset of the create fields; "parent_id": null makes a root.
CREATE FUNCTION api.category_update(p_token_hash text, p_id int,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_old		san.categories;
	v_new		san.categories;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	-- One edit at a time: two moves cannot make a cycle together, and
	-- the slug check below cannot race.
	PERFORM pg_advisory_xact_lock(hashtext('san.categories'));
	SELECT * INTO v_old FROM san.categories WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'category_not_found');
	END IF;
	v_new := v_old;
	IF p_body ? 'parent_id' THEN
		v_new.parent_id := (p_body->>'parent_id')::int;
		IF v_new.parent_id IS NOT NULL AND NOT EXISTS (
		    SELECT 1 FROM san.categories WHERE id = v_new.parent_id)
		    THEN
			RETURN api.err(422, 'category_not_found',
			    'parent_id');
		END IF;
		-- The new parent may not be the category or below it.
		IF v_new.parent_id IS NOT NULL AND EXISTS (
		    SELECT 1 FROM san.category_ancestors(v_new.parent_id) a
		     WHERE a.id = p_id) THEN
			RETURN api.err(422, 'category_cycle', 'parent_id');
		END IF;
	END IF;
	IF p_body ? 'slug' AND p_body->>'slug' <> v_old.slug AND EXISTS (
	    SELECT 1 FROM san.categories WHERE slug = p_body->>'slug') THEN
		RETURN api.err(409, 'category_slug_taken', 'slug');
	END IF;
	v_new.slug := COALESCE(p_body->>'slug', v_old.slug);
	v_new.name_vi := COALESCE(api.txt(p_body, 'name_vi'), v_old.name_vi);
	v_new.name_en := COALESCE(api.txt(p_body, 'name_en'), v_old.name_en);
	v_new.policy := COALESCE(p_body->>'policy', v_old.policy);
	IF p_body ? 'licence_hint' THEN
		v_new.licence_hint := NULLIF(api.txt(p_body, 'licence_hint'),
		    '');
	END IF;
	v_new.position := COALESCE((p_body->>'position')::int,
	    v_old.position);
	UPDATE san.categories SET parent_id = v_new.parent_id,
	    slug = v_new.slug, name_vi = v_new.name_vi,
	    name_en = v_new.name_en, policy = v_new.policy,
	    licence_hint = v_new.licence_hint, position = v_new.position
	 WHERE id = p_id;
	PERFORM api.audit(v_me, 'category_update', 'category', p_id::text,
	    p_body || jsonb_build_object('before', to_jsonb(v_old)));
	RETURN api.ok(200, api.category_json(v_new, api.category_count(p_id)));
END $$;

-- Products: JSON -----------------------------------------------------------

-- Root .. self.
CREATE FUNCTION api.category_path(p_id int) RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT json_agg(json_build_object('id', c.id, 'slug', c.slug,
		'name_vi', c.name_vi, 'name_en', c.name_en)
		ORDER BY a.depth DESC)
	  FROM san.category_ancestors(p_id) a
	  JOIN san.categories c ON c.id = a.id);
END $$;

-- Full product: for its members and, when listed, for everyone.  The
-- seller identity is what Decree 52 requires a floor to show.
-- category.policy is the effective one (the strictest on its path).
-- removed_reason is there only for a removed product.
CREATE FUNCTION api.product_json(p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v		text;
	v_status	text;
	v_reason	text;
	v_held		boolean;
	v_held_cat	text;
BEGIN
	SELECT json_build_object(
		'id', p.id, 'name', p.name, 'description', p.description,
		'price_vnd', p.price_vnd, 'unit', p.unit, 'stock', p.stock,
		'weight_g', p.weight_g, 'origin_province', p.origin_province,
		'origin_province_code', p.origin_province_code,
		'ocop_stars', p.ocop_stars,
		'ocop_certificate', p.ocop_certificate,
		'trace_code', p.trace_code, 'licence_ref', p.licence_ref,
		'status', p.status, 'listed', p.listed,
		'created_at', p.created_at, 'updated_at', p.updated_at,
		'category', json_build_object('id', c.id, 'slug', c.slug,
		    'name_vi', c.name_vi, 'name_en', c.name_en,
		    'policy', san.category_policy(c.id),
		    'path', api.category_path(c.id)),
		'images', COALESCE((SELECT json_agg(json_build_object(
		    'id', i.id, 'position', i.position,
		    'url', '/api/v1/images/' || i.id) ORDER BY i.position)
		    FROM san.product_images i WHERE i.product_id = p.id),
		    '[]'),
		'qr_url', '/api/v1/products/' || p.id || '/qr.svg',
		'store', json_build_object('slug', s.slug, 'name', s.name),
		'seller', json_build_object('name', b.name,
		    'tax_code', b.tax_code, 'kind', b.kind,
		    'address', b.address, 'ward', b.ward,
		    'province', b.province, 'phone', b.phone,
		    'email', b.email, 'registration_no', b.registration_no)),
	    p.status, p.removed_reason, p.held, p.held_category
	  INTO v, v_status, v_reason, v_held, v_held_cat
	  FROM san.products p
	  JOIN san.categories c ON c.id = p.category_id
	  JOIN san.stores s ON s.id = p.store_id
	  JOIN san.businesses b ON b.id = s.business_id
	 WHERE p.id = p_id;
	IF v_status = 'removed' THEN
		-- Appended as text: keeps the key order of the object.
		v := left(v, -1) || ', "removed_reason" : ' ||
		    to_json(v_reason)::text || '}';
	END IF;
	IF v_held THEN
		-- Held for review (monitoring): its members see that, and
		-- the category of the concern, never the rule.
		v := left(v, -1) || ', "review" : ' || json_build_object(
		    'held', true, 'category', v_held_cat)::text || '}';
	END IF;
	RETURN v::json;
END $$;

-- One item of a product list (search, store listing).
CREATE FUNCTION api.product_item_json(p san.products, s san.stores)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', p.id, 'name', p.name,
	    'price_vnd', p.price_vnd, 'unit', p.unit,
	    'ocop_stars', p.ocop_stars, 'origin_province', p.origin_province,
	    'origin_province_code', p.origin_province_code,
	    'category_id', p.category_id,
	    'store', json_build_object('slug', s.slug, 'name', s.name),
	    'image_url', '/api/v1/images/' || p.cover_image_id,
	    'thumb_url', '/api/v1/images/' || p.cover_image_id || '/thumb',
	    'updated_at', p.updated_at)
$$;

-- Products: merchant side --------------------------------------------------

-- The listing rules, on the row as it would be written; NULL when it may
-- be written.
CREATE FUNCTION api.product_rules(p san.products) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_policy	text := san.category_policy(p.category_id);
BEGIN
	IF v_policy IS NULL THEN
		RETURN api.err(422, 'category_not_found', 'category_id');
	END IF;
	IF v_policy = 'prohibited' THEN
		RETURN api.err(422, 'category_prohibited', 'category_id');
	END IF;
	IF v_policy = 'conditional' AND p.licence_ref IS NULL THEN
		RETURN api.err(422, 'licence_required', 'licence_ref');
	END IF;
	IF p.ocop_stars IS NOT NULL AND p.ocop_certificate IS NULL THEN
		RETURN api.err(422, 'ocop_certificate_required',
		    'ocop_certificate');
	END IF;
	IF p.status NOT IN ('draft', 'active', 'hidden') THEN
		-- "removed" is for officials only.
		RETURN api.err(422, 'invalid_choice', 'status');
	END IF;
	RETURN NULL;
END $$;

-- p_body (validated by the server): name, description, category_id,
-- price_vnd, unit, stock, weight_g, origin_province (a province code or
-- an exact current or former name, stored as code + current name by the
-- trigger of sql/022, unknown: 400; default: the business's province),
-- ocop_stars, ocop_certificate, trace_code,
-- licence_ref, status (draft | active | hidden; default draft).
CREATE FUNCTION api.product_create(p_token_hash text, p_store_slug text,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_store		san.stores;
	v_business	san.businesses;
	v_p		san.products;
	v_err		api.result;
	v_hits		jsonb;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	-- FOR SHARE: a concurrent suspension or hiding waits for this
	-- insert and then unlists the new product too.
	SELECT s.* INTO v_store FROM san.stores s
	  JOIN san.businesses b ON b.id = s.business_id
	 WHERE s.slug = p_store_slug AND EXISTS (SELECT 1
		FROM san.business_members m
		WHERE m.business_id = s.business_id AND m.account_id = v_me)
	   FOR SHARE OF s, b;
	IF NOT FOUND THEN
		RETURN api.err(404, 'store_not_found');
	END IF;
	SELECT * INTO v_business FROM san.businesses
	 WHERE id = v_store.business_id;
	IF v_business.status <> 'verified' THEN
		RETURN api.err(409, 'business_not_verified');
	END IF;
	v_p.store_id := v_store.id;
	v_p.category_id := (p_body->>'category_id')::int;
	v_p.name := api.txt(p_body, 'name');
	v_p.description := COALESCE(api.txt(p_body, 'description'), '');
	v_p.price_vnd := (p_body->>'price_vnd')::bigint;
	v_p.unit := api.txt(p_body, 'unit');
	v_p.stock := COALESCE((p_body->>'stock')::int, 0);
	v_p.weight_g := COALESCE((p_body->>'weight_g')::int, 0);
	v_p.origin_province := COALESCE(
	    NULLIF(api.txt(p_body, 'origin_province'), ''),
	    v_business.province);
	IF NULLIF(api.txt(p_body, 'origin_province'), '') IS NOT NULL AND
	    san.province_code(v_p.origin_province) IS NULL THEN
		RETURN api.err(400, 'unknown_province', 'origin_province');
	END IF;
	v_p.ocop_stars := (p_body->>'ocop_stars')::smallint;
	v_p.ocop_certificate := NULLIF(api.txt(p_body, 'ocop_certificate'),
	    '');
	v_p.trace_code := NULLIF(api.txt(p_body, 'trace_code'), '');
	v_p.licence_ref := NULLIF(api.txt(p_body, 'licence_ref'), '');
	v_p.status := COALESCE(p_body->>'status', 'draft');
	v_err := api.product_rules(v_p);
	IF v_err.status IS NOT NULL THEN
		RETURN v_err;
	END IF;
	-- Monitoring (sql/api/70_monitoring.sql): screened before it is
	-- written; a blocking rule refuses it, a holding one keeps it off
	-- the floor until an official decides.
	v_hits := api.mod_screen(v_p, NULL);
	v_err := api.mod_blocked(v_hits);
	IF v_err.status IS NOT NULL THEN
		RETURN v_err;
	END IF;
	v_p.held_category := api.mod_hold_category(v_hits);
	INSERT INTO san.products (store_id, category_id, name, description,
	    price_vnd, unit, stock, weight_g, origin_province, ocop_stars,
	    ocop_certificate, trace_code, licence_ref, status, held,
	    held_category)
	VALUES (v_p.store_id, v_p.category_id, v_p.name, v_p.description,
	    v_p.price_vnd, v_p.unit, v_p.stock, v_p.weight_g,
	    v_p.origin_province, v_p.ocop_stars, v_p.ocop_certificate,
	    v_p.trace_code, v_p.licence_ref, v_p.status,
	    v_p.held_category IS NOT NULL, v_p.held_category)
	RETURNING id INTO v_p.id;
	PERFORM api.mod_record(v_p.id, v_p.store_id, v_hits);
	RETURN api.ok(201, api.product_json(v_p.id));
END $$;

-- Any subset of the create fields.  origin_province, ocop_stars,
-- ocop_certificate, trace_code and licence_ref are cleared by null or "";
-- description by null (to "") and weight_g by null (to 0), their values
-- when a product is created without them; the server refuses null for
-- the other members.  Status: draft -> active <-> hidden
-- (and draft -> hidden); back to draft is refused.  A removed product
-- cannot be edited at all.  The rules are checked on the merged row.
CREATE FUNCTION api.product_update(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_old	san.products := api.product_lock(v_me, p_id);
	v_err	api.result := api.product_refusal(v_me, v_old);
	v_new	san.products;
	v_hits	jsonb;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	v_new := v_old;
	v_new.category_id := COALESCE((p_body->>'category_id')::int,
	    v_old.category_id);
	v_new.name := COALESCE(api.txt(p_body, 'name'), v_old.name);
	v_new.description := api.patch_text(p_body, 'description',
	    v_old.description, '');
	v_new.price_vnd := COALESCE((p_body->>'price_vnd')::bigint,
	    v_old.price_vnd);
	v_new.unit := COALESCE(api.txt(p_body, 'unit'), v_old.unit);
	v_new.stock := COALESCE((p_body->>'stock')::int, v_old.stock);
	v_new.weight_g := CASE WHEN NOT p_body ? 'weight_g'
	    THEN v_old.weight_g ELSE COALESCE((p_body->>'weight_g')::int, 0)
	    END;
	IF p_body ? 'origin_province' THEN
		v_new.origin_province := NULLIF(api.txt(p_body,
		    'origin_province'), '');
		IF san.province_code(v_new.origin_province) IS NULL AND
		    v_new.origin_province IS NOT NULL THEN
			RETURN api.err(400, 'unknown_province',
			    'origin_province');
		END IF;
	END IF;
	IF p_body ? 'ocop_stars' THEN
		v_new.ocop_stars := (p_body->>'ocop_stars')::smallint;
	END IF;
	IF p_body ? 'ocop_certificate' THEN
		v_new.ocop_certificate := NULLIF(api.txt(p_body,
		    'ocop_certificate'), '');
	END IF;
	IF p_body ? 'trace_code' THEN
		v_new.trace_code := NULLIF(api.txt(p_body, 'trace_code'), '');
	END IF;
	IF p_body ? 'licence_ref' THEN
		v_new.licence_ref := NULLIF(api.txt(p_body, 'licence_ref'),
		    '');
	END IF;
	v_new.status := COALESCE(p_body->>'status', v_old.status);
	v_err := api.product_rules(v_new);
	IF v_err.status IS NOT NULL THEN
		RETURN v_err;
	END IF;
	IF v_new.status = 'draft' AND v_old.status <> 'draft' THEN
		RETURN api.err(409, 'invalid_transition', 'status');
	END IF;
	-- Monitoring: the changed name, description, price or category is
	-- screened; a held product stays held until an official decides.
	v_hits := api.mod_screen(v_new, v_old);
	v_err := api.mod_blocked(v_hits);
	IF v_err.status IS NOT NULL THEN
		RETURN v_err;
	END IF;
	IF NOT v_old.held THEN
		v_new.held_category := api.mod_hold_category(v_hits);
		v_new.held := v_new.held_category IS NOT NULL;
	END IF;
	UPDATE san.products SET category_id = v_new.category_id,
	    name = v_new.name, description = v_new.description,
	    price_vnd = v_new.price_vnd, unit = v_new.unit,
	    stock = v_new.stock, weight_g = v_new.weight_g,
	    origin_province = v_new.origin_province,
	    ocop_stars = v_new.ocop_stars,
	    ocop_certificate = v_new.ocop_certificate,
	    trace_code = v_new.trace_code, licence_ref = v_new.licence_ref,
	    status = v_new.status, held = v_new.held,
	    held_category = v_new.held_category, updated_at = now()
	 WHERE id = p_id;
	PERFORM api.mod_record(p_id, v_old.store_id, v_hits);
	RETURN api.ok(200, api.product_json(p_id));
END $$;

-- Soft delete (sql/019): deleted_at is set, so the product is no longer
-- listed (search, home, store page, monitoring rescan, checkout) and is
-- gone for its members too (api.product_lock, the store's product list):
-- a second delete is 404.  The row stays for the orders, cases and audit
-- entries that name it; it leaves the buyers' carts, and its images go
-- (nobody may see them any more: up to 8 x 2 MiB kept for nothing).
CREATE FUNCTION api.product_delete(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_p	san.products := api.product_lock(v_me, p_id);
	v_err	api.result := api.product_refusal(v_me, v_p);
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	UPDATE san.products SET deleted_at = now(), updated_at = now(),
	    cover_image_id = NULL
	 WHERE id = p_id;
	DELETE FROM san.cart_items WHERE product_id = p_id;
	DELETE FROM san.product_images WHERE product_id = p_id;
	RETURN api.ok(204, NULL);
END $$;

-- Products: public side ----------------------------------------------------

-- A listed product for anyone; any product (also removed) but a deleted
-- one for its members.  The session is looked up only for an unlisted
-- product.
CREATE FUNCTION api.product_get(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_listed	boolean;
	v_store		bigint;
BEGIN
	SELECT listed, store_id INTO v_listed, v_store
	  FROM san.products WHERE id = p_id AND deleted_at IS NULL;
	IF NOT FOUND OR (NOT v_listed AND NOT COALESCE(api.is_member(
	    api.session_account(p_token_hash), v_store), false)) THEN
		RETURN api.err(404, 'product_not_found');
	END IF;
	RETURN api.ok(200, api.product_json(p_id));
END $$;

CREATE FUNCTION api.product_qr(p_id bigint) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM san.products
	    WHERE id = p_id AND listed) THEN
		RETURN api.err(404, 'product_not_found');
	END IF;
	RETURN api.ok(200, json_build_object('id', p_id));
END $$;

-- The price in force at p_at (NULL before the product existed).
CREATE FUNCTION api.product_price_at(p_id bigint, p_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT price_vnd FROM san.product_prices
	 WHERE product_id = p_id AND valid_from <= p_at
	 ORDER BY valid_from DESC LIMIT 1);
END $$;

-- Images -----------------------------------------------------------------

-- p_mime and p_bytes were sniffed and size-checked by the server; p_etag
-- is the hex SHA-256 of the bytes.  At most 8 a product; the first one
-- becomes the cover.
CREATE FUNCTION api.image_add(p_token_hash text, p_product_id bigint,
    p_mime text, p_bytes bytea, p_etag text, p_thumb_mime text DEFAULT NULL,
    p_thumb bytea DEFAULT NULL) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_p		san.products := api.product_lock(v_me, p_product_id);
	v_err		api.result := api.product_refusal(v_me, v_p);
	v_count		int;
	v_id		bigint;
BEGIN
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT count(*) INTO v_count FROM san.product_images
	 WHERE product_id = v_p.id;
	IF v_count >= 8 THEN
		RETURN api.err(409, 'too_many_images');
	END IF;
	INSERT INTO san.product_images (product_id, position, mime, bytes,
	    size, etag, thumb_mime, thumb)
	VALUES (v_p.id, v_count, p_mime, p_bytes, octet_length(p_bytes),
	    p_etag, p_thumb_mime, p_thumb)
	RETURNING id INTO v_id;
	UPDATE san.products
	   SET cover_image_id = COALESCE(cover_image_id, v_id),
	       updated_at = now()
	 WHERE id = v_p.id;
	RETURN api.ok(201, json_build_object('id', v_id, 'position', v_count,
	    'url', '/api/v1/images/' || v_id,
	    'thumb_url', '/api/v1/images/' || v_id || '/thumb',
	    'thumbnail', p_thumb IS NOT NULL));
END $$;

-- Zero rows when the image does not exist or the caller may not see it
-- (its product is not listed and the caller is not a member, or deleted).
-- p_thumb: the thumbnail when there is one (else the original), with its
-- own ETag (the original's + "-t").
CREATE FUNCTION api.image_get(p_token_hash text, p_id bigint,
    p_thumb boolean DEFAULT false)
RETURNS TABLE (mime text, etag text, bytes bytea, public boolean)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
	v_store		bigint;
BEGIN
	RETURN QUERY SELECT
	    CASE WHEN p_thumb AND i.thumb IS NOT NULL THEN i.thumb_mime
		ELSE i.mime END,
	    CASE WHEN p_thumb AND i.thumb IS NOT NULL THEN i.etag || '-t'
		ELSE i.etag END,
	    CASE WHEN p_thumb AND i.thumb IS NOT NULL THEN i.thumb
		ELSE i.bytes END, true
	  FROM san.product_images i
	  JOIN san.products p ON p.id = i.product_id
	 WHERE i.id = p_id AND p.listed;
	IF FOUND OR p_token_hash IS NULL THEN
		RETURN;
	END IF;
	SELECT p.store_id INTO v_store FROM san.product_images i
	  JOIN san.products p ON p.id = i.product_id
	 WHERE i.id = p_id AND p.deleted_at IS NULL;
	IF v_store IS NOT NULL AND COALESCE(api.is_member(
	    api.session_account(p_token_hash), v_store), false) THEN
		RETURN QUERY SELECT
		    CASE WHEN p_thumb AND i.thumb IS NOT NULL THEN i.thumb_mime
			ELSE i.mime END,
		    CASE WHEN p_thumb AND i.thumb IS NOT NULL
			THEN i.etag || '-t' ELSE i.etag END,
		    CASE WHEN p_thumb AND i.thumb IS NOT NULL THEN i.thumb
			ELSE i.bytes END, false
		  FROM san.product_images i WHERE i.id = p_id;
	END IF;
END $$;

-- The thumbnail backfill (sql/018, src/media.c): every worker's timer
-- claims up to p_limit images without a thumbnail that nobody tried in
-- the last day, oldest first, and gets their bytes; the claim
-- (thumb_tried_at) is written before the rows are handed out, with SKIP
-- LOCKED, so two workers or nodes never get the same image.  The
-- advisory lock lets one claim run at a time: a busy one skips the tick.
CREATE FUNCTION api.thumb_claim(p_limit int)
RETURNS TABLE (id bigint, bytes bytea)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
	IF NOT pg_try_advisory_xact_lock(7318) THEN
		RETURN;
	END IF;
	RETURN QUERY UPDATE san.product_images i SET thumb_tried_at = now()
	 WHERE i.id IN (SELECT c.id FROM san.product_images c
		 WHERE c.thumb IS NULL AND (c.thumb_tried_at IS NULL
		    OR c.thumb_tried_at < now() - interval '1 day')
		 ORDER BY c.id LIMIT p_limit FOR UPDATE SKIP LOCKED)
	 RETURNING i.id, i.bytes;
END $$;

-- Stores a thumbnail the backfill made; an image deleted, or given one
-- meanwhile, is left alone.  Returns the number of images changed (0, 1).
CREATE FUNCTION api.thumb_store(p_id bigint, p_mime text, p_thumb bytea)
RETURNS int
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE san.product_images SET thumb_mime = p_mime, thumb = p_thumb
	 WHERE id = p_id AND thumb IS NULL;
	RETURN CASE WHEN FOUND THEN 1 ELSE 0 END;
END $$;

/*
 * After its images moved or one went: product p_id's cover becomes its
 * first image by position (NULL when it has none), updated_at now.  The
 * caller holds the product's lock (api.product_lock).
 */
CREATE FUNCTION api.product_cover_refresh(p_id bigint) RETURNS void
LANGUAGE sql
AS $$
	UPDATE san.products SET cover_image_id = (SELECT i.id
		FROM san.product_images i WHERE i.product_id = p_id
		ORDER BY i.position LIMIT 1),
	    updated_at = now()
	 WHERE id = p_id;
$$;

-- PATCH /api/v1/images/{id} {"position": n}: the image moves to place n
-- (0 the first) of its product's images, the ones between shift by one;
-- the first is the cover (products.cover_image_id: grids, cards, search).
-- Members only (another store's image is 404, like a missing one); n past
-- the last image is 422.  Answers the product's images in their order.
CREATE FUNCTION api.image_move(p_token_hash text, p_id bigint, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_to		int := (p_body->>'position')::int;
	v_from		int;
	v_n		int;
	v_p		san.products;
	v_err		api.result;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	-- Image changes of a product are serialised by its lock.
	v_p := api.product_lock(v_me, (SELECT i.product_id
	    FROM san.product_images i WHERE i.id = p_id));
	v_err := api.product_refusal(v_me, v_p, 'image_not_found');
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	SELECT i.position INTO v_from FROM san.product_images i
	 WHERE i.id = p_id AND i.product_id = v_p.id;
	IF NOT FOUND THEN	-- deleted meanwhile
		RETURN api.err(404, 'image_not_found');
	END IF;
	SELECT count(*) INTO v_n FROM san.product_images
	 WHERE product_id = v_p.id;
	IF v_to >= v_n THEN
		RETURN api.err(422, 'image_position_invalid', 'position');
	END IF;
	IF v_to <> v_from THEN
		UPDATE san.product_images SET position = CASE
		    WHEN id = p_id THEN v_to
		    WHEN v_from < v_to THEN position - 1
		    ELSE position + 1 END
		 WHERE product_id = v_p.id
		   AND position BETWEEN least(v_from, v_to)
			AND greatest(v_from, v_to);
		PERFORM api.product_cover_refresh(v_p.id);
	END IF;
	RETURN api.ok(200, json_build_object('items', (SELECT json_agg(
	    json_build_object('id', i.id, 'position', i.position,
		'url', '/api/v1/images/' || i.id,
		'thumb_url', '/api/v1/images/' || i.id || '/thumb')
	    ORDER BY i.position) FROM san.product_images i
	    WHERE i.product_id = v_p.id)));
END $$;

-- The images after it move up one place; the cover is the first again.
CREATE FUNCTION api.image_delete(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_img		san.product_images;
	v_p		san.products;
	v_err		api.result;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	-- Image changes of a product are serialised by its lock.
	v_p := api.product_lock(v_me, (SELECT i.product_id
	    FROM san.product_images i WHERE i.id = p_id));
	v_err := api.product_refusal(v_me, v_p, 'image_not_found');
	IF v_err.status IS NOT NULL THEN RETURN v_err; END IF;
	DELETE FROM san.product_images WHERE id = p_id
	RETURNING position INTO v_img.position;
	IF NOT FOUND THEN	-- deleted meanwhile
		RETURN api.err(404, 'image_not_found');
	END IF;
	UPDATE san.product_images SET position = position - 1
	 WHERE product_id = v_p.id AND position > v_img.position;
	PERFORM api.product_cover_refresh(v_p.id);
	RETURN api.ok(204, NULL);
END $$;
