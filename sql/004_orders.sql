-- 004: carts, shipping methods, orders (one group per checkout, one order
-- per store), order history, e-invoice references, payments and the record
-- of every provider callback.  The rules live in sql/api/50_orders.sql and
-- sql/api/60_payments.sql; these are the tables and their invariants.

INSERT INTO san.settings (key, value) VALUES
	('order_payment_timeout', '30 minutes'),
	('cart_max_items', '100');

-- Server-side cart of a signed-in buyer: product and quantity only; prices
-- and stock are read live when the cart is shown.
CREATE TABLE san.cart_items (
	account_id	bigint NOT NULL REFERENCES san.accounts ON DELETE CASCADE,
	product_id	bigint NOT NULL REFERENCES san.products ON DELETE CASCADE,
	qty		int NOT NULL CHECK (qty BETWEEN 1 AND 999),
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, product_id)
);

-- A store's ways of delivering.  fee_rule 'flat': fee_vnd; 'weight':
-- weight_tiers [{"up_to_g": n, "fee_vnd": n}, ...] ascending, heavier
-- parcels cannot be carried.  free_over_vnd: no fee from that subtotal on.
-- Replaced methods are kept (inactive) because orders refer to them.
CREATE TABLE san.shipping_methods (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	store_id	bigint NOT NULL REFERENCES san.stores,
	carrier		text NOT NULL CHECK (carrier IN ('own', 'vnpost',
			    'viettelpost', 'ghn', 'ghtk', 'jnt')),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	fee_rule	text NOT NULL CHECK (fee_rule IN ('flat', 'weight')),
	fee_vnd		bigint NOT NULL DEFAULT 0 CHECK (fee_vnd >= 0),
	weight_tiers	jsonb NOT NULL DEFAULT '[]',
	free_over_vnd	bigint CHECK (free_over_vnd > 0),
	position	smallint NOT NULL DEFAULT 0,
	active		boolean NOT NULL DEFAULT true
);
CREATE INDEX shipping_methods_store_idx ON san.shipping_methods
    (store_id, position) WHERE active;

-- One checkout.  (buyer, idempotency key) is unique: a retried request
-- finds the group and answers its stored response; request_hash tells a
-- retry from a different request under the same key.
CREATE TABLE san.order_groups (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	buyer_id	bigint NOT NULL REFERENCES san.accounts,
	idempotency_key	text NOT NULL CHECK (length(idempotency_key)
			    BETWEEN 1 AND 100),
	request_hash	bytea NOT NULL,
	response	text,
	payment_method	text NOT NULL CHECK (payment_method IN ('cod',
			    'vnpay', 'momo', 'vietqr')),
	total_vnd	bigint NOT NULL DEFAULT 0 CHECK (total_vnd >= 0),
	shipping_address jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	pay_by		timestamptz,
	paid_at		timestamptz,
	UNIQUE (buyer_id, idempotency_key)
);

CREATE TABLE san.orders (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	group_id		bigint NOT NULL REFERENCES san.order_groups,
	store_id		bigint NOT NULL REFERENCES san.stores,
	buyer_id		bigint NOT NULL REFERENCES san.accounts,
	code			text GENERATED ALWAYS AS
				    ('DH' || lpad(id::text, 8, '0')) STORED
				    UNIQUE,
	status			text NOT NULL CHECK (status IN (
				    'pending_payment', 'placed', 'paid',
				    'confirmed', 'shipped', 'delivered',
				    'completed', 'cancelled', 'expired',
				    'refunded')),
	payment_method		text NOT NULL,
	subtotal_vnd		bigint NOT NULL CHECK (subtotal_vnd >= 0),
	shipping_fee_vnd	bigint NOT NULL CHECK (shipping_fee_vnd >= 0),
	total_vnd		bigint NOT NULL
				    CHECK (total_vnd = subtotal_vnd +
				    shipping_fee_vnd),
	weight_g		bigint NOT NULL DEFAULT 0,
	shipping_method_id	bigint NOT NULL
				    REFERENCES san.shipping_methods,
	carrier			text NOT NULL,
	tracking_no		text,
	paid_at			timestamptz,
	cash_collected_vnd	bigint CHECK (cash_collected_vnd >= 0),
	cancel_reason		text,
	-- Stock goes back once, when the order is cancelled or expires.
	stock_restored		boolean NOT NULL DEFAULT false,
	refund_status		text CHECK (refund_status IN ('pending',
				    'refunded')),
	refund_vnd		bigint CHECK (refund_vnd >= 0),
	invoice			jsonb,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (refund_vnd IS NULL OR refund_vnd <= total_vnd)
);
CREATE INDEX orders_group_idx ON san.orders (group_id);
CREATE INDEX orders_buyer_idx ON san.orders (buyer_id, id);
CREATE INDEX orders_store_idx ON san.orders (store_id, id);
CREATE INDEX orders_store_status_idx ON san.orders (store_id, status, id);

-- Price snapshot per line: what the buyer agreed to pay, whatever the
-- product costs later.
CREATE TABLE san.order_lines (
	order_id	bigint NOT NULL REFERENCES san.orders,
	product_id	bigint NOT NULL REFERENCES san.products,
	name		text NOT NULL,
	unit		text NOT NULL,
	unit_price_vnd	bigint NOT NULL CHECK (unit_price_vnd > 0),
	qty		int NOT NULL CHECK (qty > 0),
	line_total_vnd	bigint NOT NULL
			    CHECK (line_total_vnd = unit_price_vnd * qty),
	weight_g	int NOT NULL DEFAULT 0,
	PRIMARY KEY (order_id, product_id)
);

-- Every transition: who (NULL actor: the system), when, from, to, why.
CREATE TABLE san.order_events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	order_id	bigint NOT NULL REFERENCES san.orders,
	actor_id	bigint REFERENCES san.accounts,
	actor_role	text NOT NULL CHECK (actor_role IN ('buyer',
			    'merchant', 'system', 'provider')),
	from_status	text,
	to_status	text NOT NULL,
	note		text,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_idx ON san.order_events (order_id, id);

-- Unpaid online orders, for the expiry job.
CREATE INDEX order_groups_pay_by_idx ON san.order_groups (pay_by)
    WHERE paid_at IS NULL AND pay_by IS NOT NULL;

-- A payment attempt of a group with one provider.  txn_ref is what the
-- provider echoes back (VNPay vnp_TxnRef, MoMo orderId, VietQR reference).
-- provider_txn_id is unique per provider: a callback replayed any number
-- of times applies once.
CREATE TABLE san.payments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	group_id	bigint NOT NULL REFERENCES san.order_groups,
	provider	text NOT NULL CHECK (provider IN ('vnpay', 'momo',
			    'vietqr')),
	txn_ref		text NOT NULL UNIQUE,
	amount_vnd	bigint NOT NULL CHECK (amount_vnd > 0),
	status		text NOT NULL DEFAULT 'pending'
			    CHECK (status IN ('pending', 'paid', 'failed')),
	provider_txn_id	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	settled_at	timestamptz,
	UNIQUE (provider, provider_txn_id)
);
CREATE INDEX payments_group_idx ON san.payments (group_id);
CREATE INDEX payments_settled_idx ON san.payments (settled_at)
    WHERE settled_at IS NOT NULL;
-- At most one successful payment per group.
CREATE UNIQUE INDEX payments_one_paid_idx ON san.payments (group_id)
    WHERE status = 'paid';

-- Every callback received, applied or not: the provider's transaction id,
-- what it claimed, and the outcome.  No secrets, no signatures.
CREATE TABLE san.payment_callbacks (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	provider	text NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT now(),
	outcome		text NOT NULL CHECK (outcome IN ('applied',
			    'duplicate', 'failed_payment', 'rejected')),
	reason		text,
	txn_ref		text,
	provider_txn_id	text,
	amount_vnd	bigint,
	payment_id	bigint REFERENCES san.payments,
	client_ip	inet
);
CREATE INDEX payment_callbacks_received_idx ON san.payment_callbacks
    (received_at);
CREATE INDEX payment_callbacks_rejected_idx ON san.payment_callbacks (id)
    WHERE outcome = 'rejected';
