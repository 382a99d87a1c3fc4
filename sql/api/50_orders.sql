-- Carts, shipping methods and orders.  Tables in sql/004_orders.sql.
--
-- Locking order, everywhere (no deadlocks): order group, then its orders,
-- then payments, then products in id order.  Placing an order locks only
-- products (its group is new); payments (60_payments.sql) lock group,
-- payment, orders; the expiry job groups (SKIP LOCKED), orders, products.

-- A page of orders (ids newest first, at most p_limit) with its cursor.
CREATE FUNCTION api.order_page(p_ids bigint[], p_limit int, p_full boolean)
RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN json_build_object(
	    'items', COALESCE((SELECT json_agg(api.order_json(o, p_full)
		ORDER BY o.id DESC) FROM san.orders o
		WHERE o.id = ANY (p_ids)), '[]'),
	    'next', CASE WHEN cardinality(p_ids) = p_limit
		THEN p_ids[p_limit]::text END);
END $$;

-- Shipping ----------------------------------------------------------------

CREATE FUNCTION api.shipping_method_json(m san.shipping_methods) RETURNS json
LANGUAGE sql IMMUTABLE
AS $$
	SELECT json_build_object('id', m.id, 'carrier', m.carrier,
	    'name', m.name, 'fee_rule', m.fee_rule, 'fee_vnd', m.fee_vnd,
	    'weight_tiers', m.weight_tiers, 'free_over_vnd', m.free_over_vnd)
$$;

-- The fee of method m for a parcel of p_weight grams worth p_subtotal;
-- NULL when the method cannot carry it (heavier than its last tier).
CREATE FUNCTION api.shipping_fee(m san.shipping_methods, p_subtotal bigint,
    p_weight bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN m.free_over_vnd IS NOT NULL AND p_subtotal >= m.free_over_vnd
		AND (m.fee_rule = 'flat' OR p_weight <= (SELECT
		    max((t->>'up_to_g')::bigint)
		    FROM jsonb_array_elements(m.weight_tiers) t))
		THEN 0
	    WHEN m.fee_rule = 'flat' THEN m.fee_vnd
	    ELSE (SELECT (t->>'fee_vnd')::bigint
		    FROM jsonb_array_elements(m.weight_tiers) t
		   WHERE (t->>'up_to_g')::bigint >= p_weight
		   ORDER BY (t->>'up_to_g')::bigint LIMIT 1)
	END
$$;

CREATE FUNCTION api.shipping_methods_json(p_store bigint) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT COALESCE(json_agg(api.shipping_method_json(m)
	    ORDER BY m.position, m.id), '[]')
	  FROM san.shipping_methods m
	 WHERE m.store_id = p_store AND m.active
$$;

CREATE FUNCTION api.shipping_methods_get(p_slug text) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN COALESCE(
	    (SELECT api.ok(200, json_build_object('items',
		api.shipping_methods_json(s.id)))
	       FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
	      WHERE s.slug = p_slug AND s.status = 'active'
		AND b.status = 'verified'),
	    api.err(404, 'store_not_found'));
END $$;

-- Replace a store's methods (members of its business).  p_body.methods is
-- checked in C (types, bounds); here the rules between fields: a weight
-- rule needs ascending tiers.  Old methods stay, inactive, for old orders.
CREATE FUNCTION api.shipping_methods_put(p_token_hash text, p_slug text,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_store	bigint := api.member_store(v_me, p_slug);
	v_m	jsonb;
	v_i	int := 0;
BEGIN
	IF v_store IS NULL THEN
		RETURN api.not_found(v_me, 'store_not_found');
	END IF;
	PERFORM 1 FROM san.stores WHERE id = v_store FOR UPDATE;
	FOR v_m IN SELECT * FROM jsonb_array_elements(p_body->'methods') LOOP
		IF v_m->>'fee_rule' = 'weight' AND (v_m->'weight_tiers' IS NULL
		    OR EXISTS (SELECT 1 FROM (SELECT (t->>'up_to_g')::bigint AS g,
			lag((t->>'up_to_g')::bigint) OVER (ORDER BY o) AS prev
			FROM jsonb_array_elements(v_m->'weight_tiers')
			WITH ORDINALITY x(t, o)) y WHERE g <= prev)) THEN
			RETURN api.err(422, 'invalid_weight_tiers',
			    format('methods[%s].weight_tiers', v_i));
		END IF;
		IF v_m->>'fee_rule' = 'flat' AND v_m ? 'weight_tiers' THEN
			RETURN api.err(422, 'invalid_weight_tiers',
			    format('methods[%s].weight_tiers', v_i));
		END IF;
		v_i := v_i + 1;
	END LOOP;
	UPDATE san.shipping_methods SET active = false
	 WHERE store_id = v_store AND active;
	INSERT INTO san.shipping_methods (store_id, carrier, name, fee_rule,
	    fee_vnd, weight_tiers, free_over_vnd, position)
	SELECT v_store, m->>'carrier', api.txt(m, 'name'), m->>'fee_rule',
	    COALESCE((m->>'fee_vnd')::bigint, 0),
	    COALESCE(m->'weight_tiers', '[]'),
	    (m->>'free_over_vnd')::bigint, o - 1
	  FROM jsonb_array_elements(p_body->'methods') WITH ORDINALITY x(m, o);
	RETURN api.ok(200, json_build_object('items',
	    api.shipping_methods_json(v_store)));
END $$;

-- Cart --------------------------------------------------------------------

-- The cart with live prices and stock; problem: null, 'unavailable' (not
-- listed any more) or 'insufficient_stock'.
CREATE FUNCTION api.cart_json(p_account bigint) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object(
	    'items', COALESCE(json_agg(json_build_object(
		'product_id', p.id, 'name', p.name, 'unit', p.unit,
		'store', json_build_object('slug', s.slug, 'name', s.name),
		'unit_price_vnd', p.price_vnd, 'qty', c.qty,
		'line_total_vnd', p.price_vnd * c.qty, 'stock', p.stock,
		'problem', CASE WHEN NOT p.listed THEN 'unavailable'
		    WHEN p.stock < c.qty THEN 'insufficient_stock' END)
		ORDER BY c.added_at, p.id), '[]'),
	    'total_vnd', COALESCE(sum(p.price_vnd * c.qty)
		FILTER (WHERE p.listed), 0))
	  FROM san.cart_items c
	  JOIN san.products p ON p.id = c.product_id
	  JOIN san.stores s ON s.id = p.store_id
	 WHERE c.account_id = p_account
$$;

CREATE FUNCTION api.cart_get(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN api.ok(200, api.cart_json(v_me));
END $$;

-- Set the quantity of a listed product in the cart (more than the stock
-- is kept and flagged: stock may come back before checkout).
CREATE FUNCTION api.cart_put(p_token_hash text, p_product bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF NOT EXISTS (SELECT 1 FROM san.products
	    WHERE id = p_product AND listed) THEN
		RETURN api.err(404, 'product_not_found');
	END IF;
	-- Serialise one buyer's cart edits so the size limit holds.
	PERFORM 1 FROM san.accounts WHERE id = v_me FOR NO KEY UPDATE;
	IF NOT EXISTS (SELECT 1 FROM san.cart_items
	    WHERE account_id = v_me AND product_id = p_product) AND
	    (SELECT count(*) FROM san.cart_items WHERE account_id = v_me) >=
	    san.setting('cart_max_items')::int THEN
		RETURN api.err(409, 'cart_full');
	END IF;
	INSERT INTO san.cart_items (account_id, product_id, qty)
	VALUES (v_me, p_product, (p_body->>'qty')::int)
	ON CONFLICT (account_id, product_id)
	DO UPDATE SET qty = EXCLUDED.qty;
	RETURN api.ok(200, api.cart_json(v_me));
END $$;

CREATE FUNCTION api.cart_delete(p_token_hash text, p_product bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	DELETE FROM san.cart_items
	 WHERE account_id = v_me AND product_id = p_product;
	RETURN api.ok(200, api.cart_json(v_me));
END $$;

-- Orders ------------------------------------------------------------------

-- An order for its buyer or its store's members.  Full form: with lines,
-- shipping address, history and e-invoice reference.
-- PL/pgSQL: as an SQL function with sub-selects it was re-planned for
-- every order placed (0.32 ms against 0.05 ms cached, pg_stat_statements).
CREATE FUNCTION api.order_json(o san.orders, p_full boolean) RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (json_build_object(
	    'id', o.id, 'code', o.code, 'group_id', o.group_id,
	    'status', o.status, 'payment_method', o.payment_method,
	    'store', (SELECT json_build_object('slug', s.slug, 'name', s.name)
		FROM san.stores s WHERE s.id = o.store_id),
	    'subtotal_vnd', o.subtotal_vnd,
	    'shipping_fee_vnd', o.shipping_fee_vnd,
	    'total_vnd', o.total_vnd,
	    'shipping', json_build_object('method_id', o.shipping_method_id,
		'carrier', o.carrier, 'tracking_no', o.tracking_no),
	    'paid_at', o.paid_at, 'cash_collected_vnd', o.cash_collected_vnd,
	    'cancel_reason', o.cancel_reason,
	    'refund', CASE WHEN o.refund_status IS NOT NULL THEN
		json_build_object('status', o.refund_status,
		    'amount_vnd', o.refund_vnd) END,
	    'invoice', o.invoice,
	    'created_at', o.created_at, 'updated_at', o.updated_at,
	    'lines', (SELECT json_agg(json_build_object(
		'product_id', l.product_id, 'name', l.name, 'unit', l.unit,
		'unit_price_vnd', l.unit_price_vnd, 'qty', l.qty,
		'line_total_vnd', l.line_total_vnd) ORDER BY l.product_id)
		FROM san.order_lines l WHERE l.order_id = o.id))::jsonb
	    || CASE WHEN p_full THEN jsonb_build_object(
		'shipping_address', (SELECT g.shipping_address
		    FROM san.order_groups g WHERE g.id = o.group_id),
		'history', (SELECT jsonb_agg(jsonb_build_object(
		    'from', e.from_status, 'to', e.to_status,
		    'by', e.actor_role, 'note', e.note, 'at', e.at)
		    ORDER BY e.id)
		    FROM san.order_events e WHERE e.order_id = o.id))
	    ELSE '{}' END)::json;
END $$;

CREATE FUNCTION api.order_event(p_order bigint, p_actor bigint,
    p_role text, p_from text, p_to text, p_note text) RETURNS void
LANGUAGE sql
AS $$ INSERT INTO san.order_events (order_id, actor_id, actor_role,
	from_status, to_status, note)
	VALUES (p_order, p_actor, p_role, p_from, p_to, p_note) $$;

-- Put an order's units back on the shelf, once (cancellation, expiry).
-- The caller holds the order's row lock.
CREATE FUNCTION api.order_restock(p_order bigint) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE san.orders SET stock_restored = true
	 WHERE id = p_order AND NOT stock_restored;
	IF FOUND THEN
		UPDATE san.products p SET stock = p.stock + l.qty
		  FROM (SELECT product_id, qty FROM san.order_lines
			 WHERE order_id = p_order ORDER BY product_id) l
		 WHERE p.id = l.product_id;
	END IF;
END $$;

/*
 * Checkout.  p_body (checked in C): items [{product_id, qty}],
 * shipping_address {recipient, phone, address, province, ward},
 * shipping {store slug: method id} (optional), payment_method.
 * province and ward: each a code or an exact current or former name,
 * stored with their codes and current names (api.place_resolve); an
 * unknown one answers 400 with its field before anything is written.
 * One transaction: the idempotency record, products locked in id order,
 * every check before any write, one order per store with the server's
 * prices and fees, stock decremented, the response stored for retries.
 */
CREATE FUNCTION api.order_place(p_token_hash text, p_key text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_hash		bytea := sha256(convert_to(p_body::text, 'UTF8'));
	v_group		san.order_groups;
	v_problems	json;
	v_store		record;
	v_method	san.shipping_methods;
	v_fee		bigint;
	v_order		bigint;
	v_status	text;
	v_total		bigint := 0;
	v_plan		jsonb := '[]';
	v_p		jsonb;
	v_body		json;
	v_shipping	jsonb := COALESCE(p_body->'shipping', '{}');
	v_ids		bigint[];
	v_qtys		int[];
	v_fail		api.result;
	v_place		record;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT * INTO v_place FROM api.place_resolve(
	    p_body->'shipping_address', 'shipping_address.');
	IF v_place.error IS NOT NULL THEN
		RETURN api.err(400, v_place.error, v_place.field);
	END IF;
	-- A concurrent request with the same key waits here for the first
	-- to commit (then replays it) or roll back (then runs itself).
	INSERT INTO san.order_groups AS g (buyer_id, idempotency_key,
	    request_hash, payment_method, shipping_address)
	VALUES (v_me, p_key, v_hash, p_body->>'payment_method',
	    v_place.place)
	ON CONFLICT (buyer_id, idempotency_key) DO NOTHING
	RETURNING * INTO v_group;
	IF v_group.id IS NULL THEN
		SELECT * INTO v_group FROM san.order_groups
		 WHERE buyer_id = v_me AND idempotency_key = p_key;
		IF v_group.request_hash <> v_hash THEN
			RETURN api.err(422, 'idempotency_key_reused');
		END IF;
		RETURN (201, v_group.response, NULL, NULL)::api.result;
	END IF;

	-- The wanted quantities, one per product (repeats add up).
	SELECT array_agg(id ORDER BY id), array_agg(qty ORDER BY id)
	  INTO v_ids, v_qtys
	  FROM (SELECT (i->>'product_id')::bigint AS id,
		    sum((i->>'qty')::int)::int AS qty
		  FROM jsonb_array_elements(p_body->'items') i GROUP BY 1) x;
	PERFORM 1 FROM san.products p
	 WHERE p.id IN (SELECT unnest(v_ids))
	 ORDER BY p.id FOR UPDATE;

	-- Every check, before any write; the first failure is the answer.
	<<checks>>
	BEGIN
		SELECT json_agg(json_build_object('product_id', w.product_id,
			'requested', w.qty,
			'available', CASE WHEN p.listed THEN p.stock ELSE 0 END,
			'reason', CASE WHEN p.listed THEN 'insufficient_stock'
			    ELSE 'unavailable' END) ORDER BY w.product_id)
		  INTO v_problems
		  FROM unnest(v_ids, v_qtys) w(product_id, qty)
		  LEFT JOIN san.products p ON p.id = w.product_id
		 WHERE p.id IS NULL OR NOT p.listed OR p.stock < w.qty;
		IF v_problems IS NOT NULL THEN
			v_fail := api.err_details(409, 'insufficient_stock',
			    json_build_object('items', v_problems), 'items');
			EXIT checks;
		END IF;

		-- Shipping per store: chosen method or the store's first.
		IF EXISTS (SELECT 1 FROM jsonb_object_keys(v_shipping) k
		    WHERE k NOT IN (SELECT s.slug
			FROM unnest(v_ids) w(product_id)
			JOIN san.products p ON p.id = w.product_id
			JOIN san.stores s ON s.id = p.store_id)) THEN
			v_fail := api.err(422, 'shipping_method_invalid',
			    'shipping');
			EXIT checks;
		END IF;
		FOR v_store IN
			SELECT p.store_id, s.slug,
			    sum(p.price_vnd * w.qty)::bigint AS subtotal,
			    sum(p.weight_g::bigint * w.qty)::bigint AS weight
			  FROM unnest(v_ids, v_qtys) w(product_id, qty)
			  JOIN san.products p ON p.id = w.product_id
			  JOIN san.stores s ON s.id = p.store_id
			 GROUP BY p.store_id, s.slug ORDER BY p.store_id
		LOOP
			v_method := NULL;
			SELECT * INTO v_method FROM san.shipping_methods m
			 WHERE m.store_id = v_store.store_id AND m.active
			   AND (NOT (v_shipping ? v_store.slug) OR
				m.id = (v_shipping->>v_store.slug)::bigint)
			 ORDER BY m.position, m.id LIMIT 1;
			v_fee := api.shipping_fee(v_method, v_store.subtotal,
			    v_store.weight);
			IF v_method.id IS NULL OR v_fee IS NULL THEN
				v_fail := api.err_details(422, CASE
				    WHEN v_method.id IS NOT NULL
				    THEN 'shipping_unavailable'
				    WHEN v_shipping ? v_store.slug
				    THEN 'shipping_method_invalid'
				    ELSE 'no_shipping_method' END,
				    json_build_object('store', v_store.slug),
				    'shipping');
				EXIT checks;
			END IF;
			v_plan := v_plan || jsonb_build_object('store',
			    v_store.store_id, 'subtotal', v_store.subtotal,
			    'weight', v_store.weight, 'fee', v_fee,
			    'method', v_method.id, 'carrier', v_method.carrier);
		END LOOP;
	END;
	IF v_fail.status IS NOT NULL THEN
		-- Nothing was written but the group row: deleting it frees
		-- the key (the same request may be retried once it can pass).
		DELETE FROM san.order_groups WHERE id = v_group.id;
		RETURN v_fail;
	END IF;

	-- Every check passed: write.
	v_status := CASE WHEN p_body->>'payment_method' = 'cod' THEN 'placed'
	    ELSE 'pending_payment' END;
	FOR v_p IN SELECT * FROM jsonb_array_elements(v_plan) LOOP
		INSERT INTO san.orders (group_id, store_id, buyer_id, status,
		    payment_method, subtotal_vnd, shipping_fee_vnd, total_vnd,
		    weight_g, shipping_method_id, carrier)
		VALUES (v_group.id, (v_p->>'store')::bigint, v_me, v_status,
		    p_body->>'payment_method', (v_p->>'subtotal')::bigint,
		    (v_p->>'fee')::bigint,
		    (v_p->>'subtotal')::bigint + (v_p->>'fee')::bigint,
		    (v_p->>'weight')::bigint, (v_p->>'method')::bigint,
		    v_p->>'carrier')
		RETURNING id INTO v_order;
		INSERT INTO san.order_lines (order_id, product_id, name, unit,
		    unit_price_vnd, qty, line_total_vnd, weight_g)
		SELECT v_order, p.id, p.name, p.unit, p.price_vnd, w.qty,
		    p.price_vnd * w.qty, p.weight_g
		  FROM unnest(v_ids, v_qtys) w(product_id, qty)
		  JOIN san.products p ON p.id = w.product_id
		 WHERE p.store_id = (v_p->>'store')::bigint;
		PERFORM api.order_event(v_order, v_me, 'buyer', NULL, v_status,
		    NULL);
		v_total := v_total + (v_p->>'subtotal')::bigint +
		    (v_p->>'fee')::bigint;
	END LOOP;
	UPDATE san.products p SET stock = p.stock - w.qty
	  FROM unnest(v_ids, v_qtys) w(product_id, qty) WHERE p.id = w.product_id;
	DELETE FROM san.cart_items
	 WHERE account_id = v_me
	   AND product_id IN (SELECT unnest(v_ids));

	SELECT json_build_object('group_id', v_group.id,
	    'total_vnd', v_total,
	    'payment_method', p_body->>'payment_method',
	    'pay_by', CASE WHEN v_status = 'pending_payment' THEN now() +
		san.setting('order_payment_timeout')::interval END,
	    'orders', json_agg(api.order_json(o, false) ORDER BY o.id))
	  INTO v_body
	  FROM san.orders o WHERE o.group_id = v_group.id;
	UPDATE san.order_groups SET total_vnd = v_total,
	    pay_by = (v_body->>'pay_by')::timestamptz,
	    response = v_body::text
	 WHERE id = v_group.id;
	RETURN api.ok(201, v_body);
END $$;

-- Orders the caller may see: as buyer, or as a member of the store.
CREATE FUNCTION api.order_visible(p_account bigint, o san.orders)
RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT o.buyer_id = p_account OR api.is_member(p_account, o.store_id) $$;

CREATE FUNCTION api.order_get(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN COALESCE((SELECT api.ok(200, api.order_json(o, true))
	    FROM san.orders o
	    WHERE o.id = p_id AND api.order_visible(v_me, o)),
	    api.err(404, 'order_not_found'));
END $$;

-- The buyer's orders, newest first, keyset on id.
CREATE FUNCTION api.order_list(p_token_hash text, p_after bigint,
    p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN api.ok(200, api.order_page(ARRAY(SELECT o.id
	    FROM san.orders o
	    WHERE o.buyer_id = v_me
	      AND o.id < COALESCE(p_after, 9223372036854775807)
	    ORDER BY o.id DESC LIMIT p_limit), p_limit, false));
END $$;

-- A store's orders for its members, newest first, optional status.
CREATE FUNCTION api.store_orders(p_token_hash text, p_slug text,
    p_status text, p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_store	bigint := api.member_store(v_me, p_slug);
BEGIN
	IF v_store IS NULL THEN
		RETURN api.not_found(v_me, 'store_not_found');
	END IF;
	RETURN api.ok(200, api.order_page(ARRAY(SELECT o.id
	    FROM san.orders o
	    WHERE o.store_id = v_store
	      AND (p_status IS NULL OR o.status = p_status)
	      AND o.id < COALESCE(p_after, 9223372036854775807)
	    ORDER BY o.id DESC LIMIT p_limit), p_limit, true));
END $$;

CREATE FUNCTION api.order_group_get(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN COALESCE((SELECT api.ok(200, json_build_object(
		'id', g.id, 'payment_method', g.payment_method,
		'total_vnd', g.total_vnd, 'created_at', g.created_at,
		'pay_by', g.pay_by, 'paid_at', g.paid_at,
		'orders', (SELECT json_agg(api.order_json(o, false)
		    ORDER BY o.id) FROM san.orders o WHERE o.group_id = g.id),
		'payments', (SELECT COALESCE(json_agg(json_build_object(
		    'id', p.id, 'provider', p.provider, 'status', p.status,
		    'amount_vnd', p.amount_vnd, 'txn_ref', p.txn_ref,
		    'created_at', p.created_at, 'settled_at', p.settled_at)
		    ORDER BY p.id), '[]')
		    FROM san.payments p WHERE p.group_id = g.id)))
	    FROM san.order_groups g
	    WHERE g.id = p_id AND g.buyer_id = v_me AND g.response IS NOT NULL),
	    api.err(404, 'order_not_found'));
END $$;

/*
 * The state machine, as data: action, from, who, to.  Cancelling is open
 * until the parcel leaves; a merchant must give a reason.  Refunds are
 * recorded by the merchant once money was received.
 */
CREATE FUNCTION api.order_next_status(p_action text, p_from text,
    p_role text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT t.next FROM (VALUES
		('confirm',  'placed',          'merchant', 'confirmed'),
		('confirm',  'paid',            'merchant', 'confirmed'),
		('ship',     'confirmed',       'merchant', 'shipped'),
		('deliver',  'shipped',         'merchant', 'delivered'),
		('complete', 'delivered',       'buyer',    'completed'),
		('cancel',   'pending_payment', 'buyer',    'cancelled'),
		('cancel',   'placed',          'buyer',    'cancelled'),
		('cancel',   'paid',            'buyer',    'cancelled'),
		('cancel',   'confirmed',       'buyer',    'cancelled'),
		('cancel',   'pending_payment', 'merchant', 'cancelled'),
		('cancel',   'placed',          'merchant', 'cancelled'),
		('cancel',   'paid',            'merchant', 'cancelled'),
		('cancel',   'confirmed',       'merchant', 'cancelled'),
		('refund',   'cancelled',       'merchant', 'refunded'),
		('refund',   'delivered',       'merchant', 'refunded'),
		('refund',   'completed',       'merchant', 'refunded')
	) AS t(action, from_status, role, next)
	 WHERE t.action = p_action AND t.from_status = p_from
	   AND t.role = p_role
$$;

/*
 * An action on an order by its buyer or a member of its store.  p_body
 * (checked in C): action, note, carrier, tracking_no, cash_collected_vnd,
 * amount_vnd.  Forbidden for the caller's role or the order's state: 409.
 */
CREATE FUNCTION api.order_action(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_o		san.orders;
	v_role		text;
	v_action	text := p_body->>'action';
	v_next		text;
	v_note		text := NULLIF(api.txt(p_body, 'note'), '');
	v_paid		boolean;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT * INTO v_o FROM san.orders o
	 WHERE o.id = p_id AND api.order_visible(v_me, o);
	IF NOT FOUND THEN
		RETURN api.err(404, 'order_not_found');
	END IF;
	-- Lock order: group, then order (payments do the same).
	PERFORM 1 FROM san.order_groups WHERE id = v_o.group_id FOR UPDATE;
	SELECT * INTO v_o FROM san.orders WHERE id = p_id FOR UPDATE;
	v_role := CASE WHEN api.is_member(v_me, v_o.store_id) THEN 'merchant'
	    ELSE 'buyer' END;
	-- A merchant buying from their own store acts as the buyer for
	-- completing; everything else as merchant.
	IF v_action = 'complete' AND v_o.buyer_id = v_me THEN
		v_role := 'buyer';
	END IF;
	v_next := api.order_next_status(v_action, v_o.status, v_role);
	IF v_next IS NULL THEN
		RETURN api.err_details(409, 'transition_not_allowed',
		    json_build_object('status', v_o.status, 'action', v_action,
			'as', v_role), 'action');
	END IF;
	v_paid := v_o.paid_at IS NOT NULL OR v_o.cash_collected_vnd IS NOT NULL;

	CASE v_action
	WHEN 'ship' THEN
		IF p_body->>'tracking_no' IS NULL THEN
			RETURN api.err(400, 'required', 'tracking_no');
		END IF;
		UPDATE san.orders SET tracking_no = p_body->>'tracking_no',
		    carrier = COALESCE(p_body->>'carrier', carrier)
		 WHERE id = p_id;
	WHEN 'deliver' THEN
		IF v_o.payment_method = 'cod' THEN
			IF p_body->>'cash_collected_vnd' IS NULL THEN
				RETURN api.err(400, 'required',
				    'cash_collected_vnd');
			END IF;
			UPDATE san.orders SET cash_collected_vnd =
			    (p_body->>'cash_collected_vnd')::bigint,
			    paid_at = now()
			 WHERE id = p_id;
		END IF;
	WHEN 'cancel' THEN
		IF v_role = 'merchant' AND v_note IS NULL THEN
			RETURN api.err(400, 'reason_required', 'note');
		END IF;
		UPDATE san.orders SET cancel_reason = v_note,
		    refund_status = CASE WHEN v_paid THEN 'pending' END,
		    refund_vnd = CASE WHEN v_paid THEN total_vnd END
		 WHERE id = p_id;
		PERFORM api.order_restock(p_id);
		-- A payment started for the group no longer matches it.
		IF v_o.status = 'pending_payment' THEN
			UPDATE san.payments SET status = 'failed'
			 WHERE group_id = v_o.group_id AND status = 'pending';
		END IF;
	WHEN 'refund' THEN
		IF NOT v_paid THEN
			RETURN api.err(409, 'not_paid', 'action');
		END IF;
		IF p_body->>'amount_vnd' IS NULL THEN
			RETURN api.err(400, 'required', 'amount_vnd');
		END IF;
		IF (p_body->>'amount_vnd')::bigint > v_o.total_vnd THEN
			RETURN api.err(422, 'refund_too_large', 'amount_vnd');
		END IF;
		UPDATE san.orders SET refund_status = 'refunded',
		    refund_vnd = (p_body->>'amount_vnd')::bigint
		 WHERE id = p_id;
	ELSE
		NULL;
	END CASE;
	PERFORM api.order_event(p_id, v_me, v_role, v_o.status, v_next,
	    COALESCE(v_note, CASE v_action WHEN 'ship' THEN concat_ws(' ',
		p_body->>'carrier', p_body->>'tracking_no')
		WHEN 'refund' THEN (p_body->>'amount_vnd') || ' VND' END));
	UPDATE san.orders SET status = v_next, updated_at = now()
	 WHERE id = p_id RETURNING * INTO v_o;
	RETURN api.ok(200, api.order_json(v_o, true));
END $$;

-- The e-invoice reference of a paid or delivered order (members of the
-- store): form, series, number, issue date, lookup code.
CREATE FUNCTION api.order_invoice_put(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_o	san.orders;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	SELECT * INTO v_o FROM san.orders o
	 WHERE o.id = p_id AND api.order_visible(v_me, o) FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'order_not_found');
	END IF;
	IF NOT api.is_member(v_me, v_o.store_id) THEN
		RETURN api.err(403, 'forbidden');
	END IF;
	IF v_o.paid_at IS NULL AND v_o.status NOT IN ('delivered',
	    'completed') THEN
		RETURN api.err(409, 'invoice_not_allowed');
	END IF;
	IF (p_body->>'issued_on')::date > api.today() THEN
		RETURN api.err(422, 'date_in_future', 'issued_on');
	END IF;
	UPDATE san.orders SET invoice = jsonb_build_object(
	    'form', p_body->>'form', 'series', p_body->>'series',
	    'number', p_body->>'number', 'issued_on', p_body->>'issued_on',
	    'lookup_code', p_body->>'lookup_code'), updated_at = now()
	 WHERE id = p_id RETURNING * INTO v_o;
	PERFORM api.order_event(p_id, v_me, 'merchant', v_o.status,
	    v_o.status, 'e-invoice ' || (p_body->>'series') || '-' ||
	    (p_body->>'number'));
	RETURN api.ok(200, api.order_json(v_o, true));
END $$;

-- A store's e-invoice references as CSV (members), orders created from
-- p_from to p_to (Vietnam dates, inclusive).
CREATE FUNCTION api.store_invoices_csv(p_token_hash text, p_slug text,
    p_from date, p_to date) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_store	bigint := api.member_store(v_me, p_slug);
BEGIN
	IF v_store IS NULL THEN
		RETURN api.not_found(v_me, 'store_not_found');
	END IF;
	RETURN (200, 'order_code,order_date,status,total_vnd,invoice_form,'
	    'invoice_series,invoice_number,issued_on,lookup_code' || E'\r\n' ||
	    COALESCE((SELECT string_agg(concat_ws(',',
		api.csv(o.code),
		to_char(o.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
		    'YYYY-MM-DD'),
		api.csv(o.status), o.total_vnd,
		api.csv(o.invoice->>'form'), api.csv(o.invoice->>'series'),
		api.csv(o.invoice->>'number'),
		api.csv(o.invoice->>'issued_on'),
		api.csv(o.invoice->>'lookup_code')) || E'\r\n', ''
		ORDER BY o.id)
	      FROM san.orders o
	     WHERE o.store_id = v_store AND o.invoice IS NOT NULL
	       AND (o.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
		   BETWEEN COALESCE(p_from, '1900-01-01')
		   AND COALESCE(p_to, '2999-12-31')), ''),
	    NULL, NULL)::api.result;
END $$;

-- One CSV field (RFC 4180), neutralising spreadsheet formulas.
CREATE FUNCTION api.csv(t text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN t IS NULL THEN ''
	    ELSE '"' || replace(CASE WHEN left(t, 1) IN ('=', '+', '-', '@')
		THEN '''' || t ELSE t END, '"', '""') || '"' END
$$;

/*
 * The expiry job: unpaid online orders past their group's pay_by become
 * 'expired' and their stock returns, once.  Safe with several app nodes:
 * one runner at a time (advisory lock), and groups being paid right now
 * are skipped (SKIP LOCKED) and retried on the next run.  Returns the
 * number of orders expired.
 */
CREATE FUNCTION api.orders_expire(p_limit int) RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
	v_group	bigint;
	v_o	san.orders;
	v_n	int := 0;
BEGIN
	IF NOT pg_try_advisory_xact_lock(7302) THEN
		RETURN 0;
	END IF;
	FOR v_group IN
		SELECT g.id FROM san.order_groups g
		 WHERE g.paid_at IS NULL AND g.pay_by IS NOT NULL
		   AND g.pay_by < now()
		 ORDER BY g.pay_by LIMIT p_limit
		   FOR UPDATE SKIP LOCKED
	LOOP
		FOR v_o IN SELECT * FROM san.orders
		    WHERE group_id = v_group AND status = 'pending_payment'
		    ORDER BY id FOR UPDATE
		LOOP
			UPDATE san.orders SET status = 'expired',
			    updated_at = now() WHERE id = v_o.id;
			PERFORM api.order_restock(v_o.id);
			PERFORM api.order_event(v_o.id, NULL, 'system',
			    'pending_payment', 'expired', 'payment timeout');
			v_n := v_n + 1;
		END LOOP;
		UPDATE san.payments SET status = 'failed'
		 WHERE group_id = v_group AND status = 'pending';
		UPDATE san.order_groups SET pay_by = NULL WHERE id = v_group;
	END LOOP;
	RETURN v_n;
END $$;
