-- Payments: a buyer's payment attempt for an order group, provider
-- callbacks applied exactly once, the admins' reconciliation.  Provider
-- secrets and signatures never reach the database: src/payment.c verifies
-- them (src/paysign.c) and passes on the verified claim, or the reason it
-- refused the callback, which is recorded all the same.
--
-- Lock order, everywhere: san.order_groups, then san.payments, then
-- san.orders.  The expiry job (sql/api/50_orders.sql) takes order_groups
-- FOR UPDATE SKIP LOCKED, then orders, then products; keeping the group
-- first means a callback and the job never wait on each other in a cycle,
-- and a group being paid is skipped by the job rather than expired under
-- the callback.
--
-- Callback outcomes (san.payment_callbacks.outcome, reason):
--   applied         the payment is paid and its orders moved to paid
--   duplicate       'replay': the same provider transaction again;
--                   'provider_txn_reused': its id already paid another
--                   payment (unique (provider, provider_txn_id))
--   failed_payment  the provider reports a failure: reason NULL when the
--                   pending payment became failed; otherwise why nothing
--                   changed ('already_settled', 'unknown_txn_ref',
--                   'amount_mismatch', 'not_final')
--   rejected        a success claim not applied.  Verified by signature
--                   but not applicable: money arrived for nothing and needs
--                   a refund (api.payment_money_reason); or refused in C
--                   before any claim could be trusted ('bad_signature',
--                   'no_signature', 'stale_timestamp', 'future_timestamp',
--                   'malformed', 'wrong_merchant', 'not_configured').

-- True for the reasons of a rejected callback that carried verified money
-- (reconciliation mismatches that need a refund).
CREATE FUNCTION api.payment_money_reason(p_reason text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$ SELECT COALESCE(p_reason IN ('unknown_txn_ref', 'amount_mismatch',
	'amount_not_whole', 'order_not_payable', 'payment_not_pending',
	'paid_twice'), false) $$;

-- POST /api/v1/order-groups/{id}/payments: a new attempt for the unpaid
-- orders of the caller's group.  An earlier pending attempt is superseded
-- (failed): only the newest can be paid, so a buyer who switches provider
-- or retries is never charged twice by design.  txn_ref is what the
-- provider echoes: VNPay vnp_TxnRef, MoMo orderId, VietQR reference; only
-- [A-Za-z0-9], 24 characters while both ids stay below 10^10.
-- The body carries expires_epoch (the group's pay_by as Unix seconds) for
-- the C side, which removes it.
CREATE FUNCTION api.payment_create(p_token_hash text, p_group_id bigint,
    p_provider text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_group		san.order_groups;
	v_amount	bigint;
	v_id		bigint;
	v_ref		text;
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	IF p_provider IS NULL OR p_provider NOT IN ('vnpay', 'momo', 'vietqr')
	THEN
		RETURN api.err(400, 'invalid_choice', 'provider');
	END IF;
	SELECT * INTO v_group FROM san.order_groups
	 WHERE id = p_group_id AND buyer_id = v_me
	   FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'order_not_found');
	END IF;
	IF v_group.paid_at IS NOT NULL OR EXISTS (SELECT 1 FROM san.payments
	    WHERE group_id = v_group.id AND status = 'paid') THEN
		RETURN api.err(409, 'already_paid');
	END IF;
	IF v_group.payment_method = 'cod' THEN
		RETURN api.err(409, 'cod_not_payable');
	END IF;
	-- The group's orders after the group (the expiry job's order).
	PERFORM 1 FROM san.orders WHERE group_id = v_group.id
	 ORDER BY id FOR UPDATE;
	SELECT sum(total_vnd) INTO v_amount FROM san.orders
	 WHERE group_id = v_group.id AND status = 'pending_payment';
	-- Nothing unpaid (expired, cancelled), or the payment window is over
	-- and the expiry job has not come by yet.
	IF COALESCE(v_amount, 0) <= 0 OR
	    (v_group.pay_by IS NOT NULL AND v_group.pay_by <= now()) THEN
		RETURN api.err(409, 'nothing_to_pay');
	END IF;
	UPDATE san.payments SET status = 'failed'
	 WHERE group_id = v_group.id AND status = 'pending';
	v_id := nextval(pg_get_serial_sequence('san.payments', 'id'));
	v_ref := 'SAN' || v_group.id || 'P' || v_id;
	INSERT INTO san.payments (id, group_id, provider, txn_ref, amount_vnd)
	OVERRIDING SYSTEM VALUE
	VALUES (v_id, v_group.id, p_provider, v_ref, v_amount);
	RETURN api.ok(201, json_build_object(
	    'payment_id', v_id, 'group_id', v_group.id,
	    'provider', p_provider, 'txn_ref', v_ref, 'amount_vnd', v_amount,
	    'status', 'pending', 'expires_at', v_group.pay_by,
	    'expires_epoch', floor(extract(epoch FROM
		COALESCE(v_group.pay_by, now() + interval '15 minutes')))::bigint));
END $$;

-- GET /api/v1/payments/{id}/qr.svg: what the QR of the caller's own
-- VietQR payment encodes.
CREATE FUNCTION api.payment_qr(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN RETURN api.unauthenticated(); END IF;
	RETURN COALESCE(
	    (SELECT api.ok(200, json_build_object('txn_ref', p.txn_ref,
		'amount_vnd', p.amount_vnd, 'status', p.status))
	       FROM san.payments p
	       JOIN san.order_groups g ON g.id = p.group_id
	      WHERE p.id = p_id AND g.buyer_id = v_me
		AND p.provider = 'vietqr'),
	    api.err(404, 'payment_not_found'));
END $$;

-- One provider callback, recorded and applied in one transaction.
-- p_reason set: C refused it (signature, staleness, malformed): recorded as
-- rejected, nothing else looked at.  Otherwise the claim is verified:
-- p_success true (paid), false (failed), NULL (not final yet).
-- Text is cut to 100 characters: it may come from anyone.
CREATE FUNCTION api.payment_callback(p_provider text, p_txn_ref text,
    p_provider_txn_id text, p_amount_vnd bigint, p_success boolean,
    p_reason text, p_client_ip inet, OUT outcome text, OUT reason text)
LANGUAGE plpgsql
AS $$
DECLARE
	v_group_id	bigint;
	v_group		san.order_groups;
	v_pay		san.payments;
	v_pending	bigint;
BEGIN
	p_txn_ref := left(p_txn_ref, 100);
	p_provider_txn_id := left(p_provider_txn_id, 100);
	IF p_reason IS NOT NULL THEN
		outcome := 'rejected';
		reason := left(p_reason, 100);
	ELSE
		SELECT group_id INTO v_group_id FROM san.payments
		 WHERE txn_ref = p_txn_ref AND provider = p_provider;
		IF NOT FOUND THEN
			outcome := CASE WHEN p_success THEN 'rejected'
			    ELSE 'failed_payment' END;
			reason := 'unknown_txn_ref';
		END IF;
	END IF;

	IF outcome IS NULL THEN
		-- Group first, then the payment (see the top of this file).
		SELECT * INTO v_group FROM san.order_groups
		 WHERE id = v_group_id FOR UPDATE;
		SELECT * INTO v_pay FROM san.payments
		 WHERE txn_ref = p_txn_ref FOR UPDATE;
		IF p_amount_vnd IS DISTINCT FROM v_pay.amount_vnd THEN
			outcome := CASE WHEN p_success THEN 'rejected'
			    ELSE 'failed_payment' END;
			reason := 'amount_mismatch';
		ELSIF p_success IS NULL THEN
			outcome := 'failed_payment';
			reason := 'not_final';
		ELSIF NOT p_success THEN
			-- A late failure never undoes a payment.
			outcome := 'failed_payment';
			IF v_pay.status = 'pending' THEN
				UPDATE san.payments SET status = 'failed'
				 WHERE id = v_pay.id;
			ELSE
				reason := 'already_settled';
			END IF;
		ELSIF v_pay.status = 'paid' THEN
			IF v_pay.provider_txn_id IS NOT DISTINCT FROM
			    p_provider_txn_id THEN
				outcome := 'duplicate';
				reason := 'replay';
			ELSE
				-- A second, different transfer for a paid
				-- payment: money to give back.
				outcome := 'rejected';
				reason := 'paid_twice';
			END IF;
		ELSIF v_pay.status = 'failed' THEN
			-- Superseded or reported failed, yet money came.
			outcome := 'rejected';
			reason := 'payment_not_pending';
		ELSE
			PERFORM 1 FROM san.orders WHERE group_id = v_group.id
			 ORDER BY id FOR UPDATE;
			SELECT sum(total_vnd) INTO v_pending FROM san.orders
			 WHERE group_id = v_group.id
			   AND status = 'pending_payment';
			-- Expired or cancelled since the payment was made:
			-- the money pays for nothing.
			IF v_group.paid_at IS NOT NULL OR
			    v_pending IS DISTINCT FROM v_pay.amount_vnd THEN
				outcome := 'rejected';
				reason := 'order_not_payable';
			ELSE
				BEGIN
					UPDATE san.payments SET status = 'paid',
					    provider_txn_id = p_provider_txn_id,
					    settled_at = now()
					 WHERE id = v_pay.id;
				EXCEPTION WHEN unique_violation THEN
					-- This provider transaction already
					-- paid another payment.
					outcome := 'duplicate';
					reason := 'provider_txn_reused';
				END;
				IF outcome IS NULL THEN
					WITH paid AS (
						UPDATE san.orders
						   SET status = 'paid',
						       paid_at = now(),
						       updated_at = now()
						 WHERE group_id = v_group.id
						   AND status =
						       'pending_payment'
						RETURNING id)
					INSERT INTO san.order_events (order_id,
					    actor_id, actor_role, from_status,
					    to_status, note)
					SELECT id, NULL, 'provider',
					    'pending_payment', 'paid', p_provider
					  FROM paid ORDER BY id;
					UPDATE san.order_groups SET paid_at = now()
					 WHERE id = v_group.id;
					outcome := 'applied';
				END IF;
			END IF;
		END IF;
	END IF;

	INSERT INTO san.payment_callbacks (provider, outcome, reason, txn_ref,
	    provider_txn_id, amount_vnd, payment_id, client_ip)
	VALUES (p_provider, outcome, reason, p_txn_ref, p_provider_txn_id,
	    p_amount_vnd, v_pay.id, p_client_ip);
END $$;

CREATE FUNCTION api.payment_callback_json(c san.payment_callbacks)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', c.id, 'provider', c.provider,
	    'received_at', c.received_at, 'outcome', c.outcome,
	    'reason', c.reason, 'txn_ref', c.txn_ref,
	    'provider_txn_id', c.provider_txn_id,
	    'amount_vnd', c.amount_vnd, 'payment_id', c.payment_id,
	    'expected_vnd', p.amount_vnd, 'group_id', p.group_id,
	    'payment_status', p.status, 'client_ip', host(c.client_ip))
	  FROM (SELECT 1) one
	  LEFT JOIN san.payments p ON p.id = c.payment_id
$$;

-- GET /api/v1/admin/payments/reconciliation: per provider, the callbacks
-- received on one Vietnam calendar day (default today).  received = every
-- verified success claim that was not a duplicate (money in) = matched
-- (applied) + mismatches (rejected with money: refund or investigate).
CREATE FUNCTION api.payment_reconciliation(p_token_hash text, p_date date,
    p_provider text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_day	date := COALESCE(p_date, api.today());
	v_from	timestamptz;
	v_to	timestamptz;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	v_from := v_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
	v_to := (v_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
	RETURN api.ok(200, json_build_object(
	    'date', v_day, 'time_zone', 'Asia/Ho_Chi_Minh',
	    'providers', (SELECT json_agg(json_build_object(
		'provider', pr.provider,
		'callbacks', s.callbacks,
		'received', json_build_object('count', s.matched_n + s.mis_n,
		    'amount_vnd', s.matched_vnd + s.mis_vnd),
		'matched', json_build_object('count', s.matched_n,
		    'amount_vnd', s.matched_vnd, 'orders', s.orders),
		'mismatches', json_build_object('count', s.mis_n,
		    'amount_vnd', s.mis_vnd),
		'duplicates', s.dup_n,
		'failed', s.failed_n,
		'rejected_unverified', s.unverified_n,
		'mismatch_list', s.list) ORDER BY pr.provider)
	      FROM (VALUES ('momo'), ('vietqr'), ('vnpay')) pr(provider)
	      CROSS JOIN LATERAL (
		SELECT count(*) AS callbacks,
		    count(*) FILTER (WHERE c.outcome = 'applied') AS matched_n,
		    COALESCE(sum(c.amount_vnd) FILTER (WHERE
			c.outcome = 'applied'), 0) AS matched_vnd,
		    count(*) FILTER (WHERE c.outcome = 'rejected' AND
			api.payment_money_reason(c.reason)) AS mis_n,
		    COALESCE(sum(c.amount_vnd) FILTER (WHERE
			c.outcome = 'rejected' AND
			api.payment_money_reason(c.reason)), 0) AS mis_vnd,
		    count(*) FILTER (WHERE c.outcome = 'duplicate') AS dup_n,
		    count(*) FILTER (WHERE
			c.outcome = 'failed_payment') AS failed_n,
		    count(*) FILTER (WHERE c.outcome = 'rejected' AND
			NOT api.payment_money_reason(c.reason))
			AS unverified_n,
		    (SELECT count(*) FROM san.orders o
		      WHERE o.group_id IN (SELECT p.group_id
			FROM san.payment_callbacks a
			JOIN san.payments p ON p.id = a.payment_id
		       WHERE a.provider = pr.provider
			 AND a.outcome = 'applied'
			 AND a.received_at >= v_from
			 AND a.received_at < v_to)
			AND o.paid_at IS NOT NULL) AS orders,
		    COALESCE((SELECT json_agg(api.payment_callback_json(m)
			ORDER BY m.id)
			FROM san.payment_callbacks m
		       WHERE m.provider = pr.provider
			 AND m.received_at >= v_from
			 AND m.received_at < v_to
			 AND m.outcome = 'rejected'
			 AND api.payment_money_reason(m.reason)), '[]')
			AS list
		  FROM san.payment_callbacks c
		 WHERE c.provider = pr.provider
		   AND c.received_at >= v_from AND c.received_at < v_to) s
	     WHERE p_provider IS NULL OR pr.provider = p_provider)));
END $$;

-- GET /api/v1/admin/payments/callbacks: every recorded callback, newest
-- first, keyset on id; optionally one outcome and/or provider.
CREATE FUNCTION api.payment_callbacks(p_token_hash text, p_outcome text,
    p_provider text, p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN (WITH page AS MATERIALIZED (
		SELECT c.id FROM san.payment_callbacks c
		 WHERE (p_outcome IS NULL OR c.outcome = p_outcome)
		   AND (p_provider IS NULL OR c.provider = p_provider)
		   AND c.id < COALESCE(p_after, 9223372036854775807)
		 ORDER BY c.id DESC
		 LIMIT p_limit)
	SELECT api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(api.payment_callback_json(c)
		ORDER BY c.id DESC) FROM page
		JOIN san.payment_callbacks c ON c.id = page.id), '[]'),
	    'next', (SELECT CASE WHEN count(*) = p_limit
		THEN min(id)::text END FROM page))));
END $$;

-- The admins' payment attempts, newest first (keyset on id: p_after, the
-- `next` of the previous page), by status, provider and the Vietnam days
-- p_from..p_to of their creation.  Others: 404, anonymous 401.
CREATE FUNCTION api.payment_list(p_token_hash text, p_status text,
    p_provider text, p_from date, p_to date, p_after bigint, p_limit int)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	IF p_from > p_to THEN
		RETURN api.err(400, 'invalid_range', 'to');
	END IF;
	RETURN (WITH page AS MATERIALIZED (
		SELECT p.* FROM san.payments p
		 WHERE (p_status IS NULL OR p.status = p_status)
		   AND (p_provider IS NULL OR p.provider = p_provider)
		   AND (p_from IS NULL OR p.created_at >=
			p_from::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
		   AND (p_to IS NULL OR p.created_at <
			(p_to + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
		   AND p.id < COALESCE(p_after, 9223372036854775807)
		 ORDER BY p.id DESC
		 LIMIT p_limit)
	SELECT api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(json_build_object(
		'id', id, 'group_id', group_id, 'provider', provider,
		'txn_ref', txn_ref, 'amount_vnd', amount_vnd, 'status', status,
		'provider_txn_id', provider_txn_id, 'created_at', created_at,
		'settled_at', settled_at) ORDER BY id DESC) FROM page), '[]'),
	    'next', (SELECT CASE WHEN count(*) = p_limit
		THEN min(id)::text END FROM page))));
END $$;
