-- 009: statistics against the plan targets (issue 12).
--
-- Indicators are data (san.stat_indicators: code, names, definition,
-- unit, source, direction) with the plan targets they are measured
-- against (san.stat_targets, seeded from the seeds' plans).  The figures
-- come from summary tables kept by the database in the writing
-- transaction, never from count(*) over orders at request time:
--
--	san.stat_orders		per Vietnam month and store: orders, value,
--				paid online, completed, with e-invoice,
--				delivered, cancelled (deferred row trigger
--				on san.orders)
--	san.stat_businesses	per business: where it is, when it was
--				first verified, whether it is on the floor
--				(verified with an active store), its listed
--				products (triggers on businesses, stores,
--				products)
--
-- The functions that read them live in sql/api/85_stats.sql.  Adding an
-- indicator (the monitoring and subsidy figures, when those modules land)
-- is a row in san.stat_indicators (and its targets) plus one SQL
-- expression in api.stat_values / api.stat_series_rows.

-- Indicators and targets ---------------------------------------------------

CREATE TABLE san.stat_indicators (
	code		text PRIMARY KEY
			    CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	position	int NOT NULL,
	name_vi		text NOT NULL,
	name_en		text NOT NULL,
	-- numerator, denominator (NULL for a plain figure), in words
	numerator	text NOT NULL,
	denominator	text,
	unit		text NOT NULL CHECK (unit IN ('count', 'vnd',
			    'percent', 'hours')),
	-- flow: over the period asked for; stock: the state now
	kind		text NOT NULL CHECK (kind IN ('flow', 'stock')),
	-- up: higher is better; down: lower is better
	direction	text NOT NULL DEFAULT 'up'
			    CHECK (direction IN ('up', 'down')),
	source		text NOT NULL
);

-- The plans whose targets the floor is measured against.
CREATE TABLE san.stat_plans (
	code		text PRIMARY KEY
			    CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	title		text NOT NULL,
	province	text NOT NULL,
	decision	text NOT NULL
);

CREATE TABLE san.stat_targets (
	indicator	text NOT NULL REFERENCES san.stat_indicators,
	plan		text NOT NULL REFERENCES san.stat_plans,
	year		int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	value		numeric NOT NULL,
	citation	text NOT NULL,
	PRIMARY KEY (indicator, plan, year)
);

-- The plan the floor's own targets come from (indicators?year= compares
-- with its target first; the other plans' targets are listed too).
INSERT INTO san.settings (key, value) VALUES ('stats_plan', 'tn-1087-2017');

-- The denominator of the SME share: the province's small and medium
-- businesses per year, entered by an admin with its source.
CREATE TABLE san.stat_sme_counts (
	year		int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
	sme_count	int NOT NULL CHECK (sme_count > 0),
	source		text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
	entered_by	bigint NOT NULL REFERENCES san.accounts,
	entered_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO san.stat_plans (code, title, province, decision) VALUES
	('tn-1087-2017', 'Kế hoạch phát triển TMĐT tỉnh Tây Ninh giai đoạn 2016 - 2020',
	 'Tây Ninh', 'Quyết định 1087/QĐ-UBND ngày 16/5/2017, Phụ lục 2'),
	('kh-2021-2025', 'Kế hoạch phát triển TMĐT tỉnh Khánh Hòa giai đoạn 2021 - 2025 (dự thảo)',
	 'Khánh Hòa', 'Dự thảo kế hoạch, mục I.2 Mục tiêu cụ thể'),
	('qn-428-2016', 'Chương trình phát triển TMĐT tỉnh Quảng Ngãi giai đoạn 2016 - 2020',
	 'Quảng Ngãi', 'Quyết định 428/QĐ-UBND ngày 18/3/2016, Mục tiêu cụ thể');

INSERT INTO san.stat_indicators (code, position, name_vi, name_en, numerator,
    denominator, unit, kind, direction, source) VALUES
	('businesses-on-floor', 10, 'Doanh nghiệp trên sàn',
	 'Businesses on the floor',
	 'businesses verified by the department with at least one active store',
	 NULL, 'count', 'stock', 'up', 'san.businesses, san.stores (san.stat_businesses)'),
	('sme-share', 20, 'Tỷ lệ doanh nghiệp nhỏ và vừa kinh doanh trên sàn',
	 'Share of the province''s SMEs on the floor',
	 'businesses on the floor',
	 'small and medium businesses of the province that year (entered by an admin, with its source)',
	 'percent', 'stock', 'up', 'san.stat_businesses; san.stat_sme_counts'),
	('new-businesses', 30, 'Doanh nghiệp mới được xác minh',
	 'Newly verified businesses',
	 'businesses first verified by the department in the period',
	 NULL, 'count', 'flow', 'up', 'san.businesses (san.stat_businesses.verified_at)'),
	('active-listings', 40, 'Sản phẩm đang bày bán', 'Active listings',
	 'listed products (active, in an active store of a verified business)',
	 NULL, 'count', 'stock', 'up', 'san.products (san.stat_businesses.listed_n)'),
	('orders', 50, 'Đơn hàng', 'Orders',
	 'orders placed in the period: cash on delivery not expired, or paid online',
	 NULL, 'count', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('order-value', 60, 'Giá trị đơn hàng', 'Order value',
	 'total (goods and shipping) of the orders placed in the period',
	 NULL, 'vnd', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('cashless-share', 70, 'Tỷ lệ thanh toán không dùng tiền mặt (số đơn)',
	 'Cashless share (orders)',
	 'orders of the period paid online (VNPay, MoMo, VietQR)',
	 'orders of the period', 'percent', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('cashless-value-share', 80, 'Tỷ lệ thanh toán không dùng tiền mặt (giá trị)',
	 'Cashless share (value)',
	 'value of the orders of the period paid online',
	 'value of the orders of the period', 'percent', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('einvoice-share', 90, 'Tỷ lệ đơn hoàn thành có hóa đơn điện tử',
	 'E-invoice share of completed orders',
	 'completed orders of the period with an e-invoice reference',
	 'completed orders of the period', 'percent', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('delivery-rate', 100, 'Tỷ lệ giao hàng thành công', 'Delivery rate',
	 'orders of the period delivered (delivered or completed)',
	 'orders of the period', 'percent', 'flow', 'up', 'san.orders (san.stat_orders)'),
	('cancellation-rate', 110, 'Tỷ lệ hủy đơn', 'Cancellation rate',
	 'orders of the period cancelled or refunded',
	 'orders of the period', 'percent', 'flow', 'down', 'san.orders (san.stat_orders)');

-- Targets from the seeds (values in percent).  Tây Ninh's Appendix 2 and
-- Quảng Ngãi's objectives measure businesses taking orders through
-- e-commerce in general, the nearest the plans come to the floor's share.
INSERT INTO san.stat_targets (indicator, plan, year, value, citation) VALUES
	('sme-share', 'kh-2021-2025', 2025, 20,
	 'Mục tiêu 2.1.d: 20% doanh nghiệp vừa và nhỏ tiến hành hoạt động kinh doanh trên Sàn giao dịch TMĐT tỉnh Khánh Hòa và các sàn giao dịch TMĐT khác'),
	('sme-share', 'tn-1087-2017', 2020, 50,
	 'Phụ lục 2, chỉ tiêu 4: Doanh nghiệp thực hiện đặt hàng hoặc nhận đơn hàng thông qua các ứng dụng TMĐT (ước đạt 2020: 50%; mục tiêu Chính phủ: 80%)'),
	('sme-share', 'qn-428-2016', 2020, 50,
	 'Mục tiêu cụ thể: có 50% doanh nghiệp tham gia các website TMĐT để mua bán các sản phẩm hàng hóa và dịch vụ'),
	('cashless-share', 'kh-2021-2025', 2025, 50,
	 'Mục tiêu 2.2.a: Thanh toán không dùng tiền mặt trong thương mại điện tử đạt 50%'),
	('cashless-value-share', 'kh-2021-2025', 2025, 50,
	 'Mục tiêu 2.2.a: Thanh toán không dùng tiền mặt trong thương mại điện tử đạt 50%'),
	('cashless-share', 'tn-1087-2017', 2020, 50,
	 'Phụ lục 2, chỉ tiêu 7: Cá nhân, hộ gia đình sử dụng phương tiện thanh toán không dùng tiền mặt trong mua sắm, tiêu dùng (2020: 50%)'),
	('einvoice-share', 'kh-2021-2025', 2025, 40,
	 'Mục tiêu 2.2.d: 40% các giao dịch mua hàng trên website/ứng dụng TMĐT có hóa đơn điện tử');

-- Orders per Vietnam month and store ----------------------------------------

CREATE TABLE san.stat_orders (
	month		date NOT NULL,
	store_id	bigint NOT NULL REFERENCES san.stores,
	business_id	bigint NOT NULL REFERENCES san.businesses,
	orders_n	bigint NOT NULL DEFAULT 0,
	value_vnd	bigint NOT NULL DEFAULT 0,
	online_n	bigint NOT NULL DEFAULT 0,
	online_vnd	bigint NOT NULL DEFAULT 0,
	completed_n	bigint NOT NULL DEFAULT 0,
	einvoice_n	bigint NOT NULL DEFAULT 0,
	delivered_n	bigint NOT NULL DEFAULT 0,
	cancelled_n	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (month, store_id)
);

-- What one order adds to its month and store (all zero while it does not
-- count: an online order never paid, an expired one).
CREATE FUNCTION san.stat_order_contrib(o san.orders,
    OUT counted int, OUT value_vnd bigint, OUT online int,
    OUT online_vnd bigint, OUT completed int, OUT einvoice int,
    OUT delivered int, OUT cancelled int)
LANGUAGE sql IMMUTABLE
AS $$
	SELECT c::int, CASE WHEN c THEN o.total_vnd ELSE 0 END,
	    (c AND o.payment_method <> 'cod')::int,
	    CASE WHEN c AND o.payment_method <> 'cod' THEN o.total_vnd
		ELSE 0 END,
	    (c AND o.status = 'completed')::int,
	    (c AND o.status = 'completed' AND o.invoice IS NOT NULL)::int,
	    (c AND o.status IN ('delivered', 'completed'))::int,
	    (c AND o.status IN ('cancelled', 'refunded'))::int
	  FROM (SELECT (o.payment_method = 'cod' AND o.status <> 'expired')
		OR o.paid_at IS NOT NULL AS c) x
$$;

CREATE FUNCTION san.stat_month(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE
AS $$ SELECT date_trunc('month', t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date $$;

-- Adds sign x the contribution of o to its month and store.
CREATE FUNCTION san.stat_orders_apply(o san.orders, sign int) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	c	record := san.stat_order_contrib(o);
BEGIN
	IF c.counted = 0 THEN
		RETURN;
	END IF;
	INSERT INTO san.stat_orders AS s (month, store_id, business_id,
	    orders_n, value_vnd, online_n, online_vnd, completed_n,
	    einvoice_n, delivered_n, cancelled_n)
	SELECT san.stat_month(o.created_at), o.store_id, st.business_id,
	    sign * c.counted, sign * c.value_vnd, sign * c.online,
	    sign * c.online_vnd, sign * c.completed, sign * c.einvoice,
	    sign * c.delivered, sign * c.cancelled
	  FROM san.stores st WHERE st.id = o.store_id
	ON CONFLICT (month, store_id) DO UPDATE SET
	    orders_n = s.orders_n + EXCLUDED.orders_n,
	    value_vnd = s.value_vnd + EXCLUDED.value_vnd,
	    online_n = s.online_n + EXCLUDED.online_n,
	    online_vnd = s.online_vnd + EXCLUDED.online_vnd,
	    completed_n = s.completed_n + EXCLUDED.completed_n,
	    einvoice_n = s.einvoice_n + EXCLUDED.einvoice_n,
	    delivered_n = s.delivered_n + EXCLUDED.delivered_n,
	    cancelled_n = s.cancelled_n + EXCLUDED.cancelled_n;
END $$;

-- Deferred to commit: the counter rows are locked last, after every other
-- lock of the transaction (checkout takes products before it writes
-- orders, a cancellation takes the order before the products), so the
-- counters add no lock-order cycle to the existing ones.  OLD and NEW are
-- the row images of the event itself.
CREATE FUNCTION san.stat_orders_track() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		PERFORM san.stat_orders_apply(OLD, -1);
	END IF;
	PERFORM san.stat_orders_apply(NEW, 1);
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER stat_orders_insert AFTER INSERT ON san.orders
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION san.stat_orders_track();
CREATE CONSTRAINT TRIGGER stat_orders_update AFTER UPDATE ON san.orders
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.paid_at IS DISTINCT FROM NEW.paid_at
	OR (OLD.invoice IS NULL) <> (NEW.invoice IS NULL)
	OR OLD.total_vnd <> NEW.total_vnd
	OR OLD.store_id <> NEW.store_id
	OR OLD.created_at <> NEW.created_at)
    EXECUTE FUNCTION san.stat_orders_track();

-- Backfill.
INSERT INTO san.stat_orders (month, store_id, business_id, orders_n,
    value_vnd, online_n, online_vnd, completed_n, einvoice_n, delivered_n,
    cancelled_n)
SELECT san.stat_month(o.created_at), o.store_id, st.business_id,
    sum(c.counted), sum(c.value_vnd), sum(c.online), sum(c.online_vnd),
    sum(c.completed), sum(c.einvoice), sum(c.delivered), sum(c.cancelled)
  FROM san.orders o
  JOIN san.stores st ON st.id = o.store_id
  CROSS JOIN LATERAL san.stat_order_contrib(o) c
 WHERE c.counted = 1
 GROUP BY 1, 2, 3;

-- Businesses --------------------------------------------------------------

CREATE TABLE san.stat_businesses (
	business_id	bigint PRIMARY KEY REFERENCES san.businesses
			    ON DELETE CASCADE,
	province	text NOT NULL,
	ward		text NOT NULL,
	verified_at	timestamptz,	-- first verification
	on_floor	boolean NOT NULL DEFAULT false,
	listed_n	bigint NOT NULL DEFAULT 0
);
CREATE INDEX stat_businesses_verified_idx ON san.stat_businesses
    (verified_at) WHERE verified_at IS NOT NULL;

-- Recomputes a business's row but its listed count (a few of its own rows).
CREATE FUNCTION san.stat_business_refresh(p_business bigint) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	INSERT INTO san.stat_businesses AS s (business_id, province, ward,
	    verified_at, on_floor)
	SELECT b.id, b.province, b.ward,
	    CASE WHEN b.status = 'verified' THEN now() END,
	    b.status = 'verified' AND EXISTS (SELECT 1 FROM san.stores st
		WHERE st.business_id = b.id AND st.status = 'active')
	  FROM san.businesses b WHERE b.id = p_business
	ON CONFLICT (business_id) DO UPDATE SET
	    province = EXCLUDED.province, ward = EXCLUDED.ward,
	    verified_at = COALESCE(s.verified_at, EXCLUDED.verified_at),
	    on_floor = EXCLUDED.on_floor;
END $$;

CREATE FUNCTION san.stat_businesses_track() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_TABLE_NAME = 'businesses' THEN
		PERFORM san.stat_business_refresh(NEW.id);
	ELSE
		IF TG_OP = 'UPDATE' AND OLD.business_id <> NEW.business_id THEN
			PERFORM san.stat_business_refresh(OLD.business_id);
		END IF;
		PERFORM san.stat_business_refresh(NEW.business_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER stat_businesses_insert AFTER INSERT ON san.businesses
    FOR EACH ROW EXECUTE FUNCTION san.stat_businesses_track();
CREATE TRIGGER stat_businesses_update AFTER UPDATE ON san.businesses
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.province IS DISTINCT FROM NEW.province
	OR OLD.ward IS DISTINCT FROM NEW.ward)
    EXECUTE FUNCTION san.stat_businesses_track();
CREATE TRIGGER stat_stores_insert AFTER INSERT ON san.stores
    FOR EACH ROW EXECUTE FUNCTION san.stat_businesses_track();
CREATE TRIGGER stat_stores_update AFTER UPDATE ON san.stores
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.business_id IS DISTINCT FROM NEW.business_id)
    EXECUTE FUNCTION san.stat_businesses_track();

-- Listed products per business, as san.category_counts does per category:
-- statement triggers, counters touched once per statement in business
-- order.
CREATE FUNCTION san.stat_listings_add() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE san.stat_businesses s SET listed_n = s.listed_n + d.n
		  FROM (SELECT st.business_id, count(*) AS n FROM new_rows r
			JOIN san.stores st ON st.id = r.store_id
			WHERE r.listed GROUP BY st.business_id
			ORDER BY st.business_id) d
		 WHERE s.business_id = d.business_id;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE san.stat_businesses s SET listed_n = s.listed_n - d.n
		  FROM (SELECT st.business_id, count(*) AS n FROM old_rows r
			JOIN san.stores st ON st.id = r.store_id
			WHERE r.listed GROUP BY st.business_id
			ORDER BY st.business_id) d
		 WHERE s.business_id = d.business_id;
	ELSE
		UPDATE san.stat_businesses s SET listed_n = s.listed_n + d.n
		  FROM (SELECT st.business_id, sum(x.d) AS n FROM (
			SELECT store_id, 1 AS d FROM new_rows WHERE listed
			UNION ALL
			SELECT store_id, -1 FROM old_rows WHERE listed) x
			JOIN san.stores st ON st.id = x.store_id
			GROUP BY st.business_id HAVING sum(x.d) <> 0
			ORDER BY st.business_id) d
		 WHERE s.business_id = d.business_id;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER stat_listings_insert AFTER INSERT ON san.products
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.stat_listings_add();
CREATE TRIGGER stat_listings_update AFTER UPDATE ON san.products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.stat_listings_add();
CREATE TRIGGER stat_listings_delete AFTER DELETE ON san.products
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.stat_listings_add();

-- Backfill: first verification from the decisions' history (else now).
INSERT INTO san.stat_businesses (business_id, province, ward, verified_at,
    on_floor, listed_n)
SELECT b.id, b.province, b.ward,
    COALESCE((SELECT min(e.at) FROM san.business_events e
	WHERE e.business_id = b.id AND e.to_status = 'verified'),
	CASE WHEN b.status = 'verified' THEN b.updated_at END),
    b.status = 'verified' AND EXISTS (SELECT 1 FROM san.stores st
	WHERE st.business_id = b.id AND st.status = 'active'),
    (SELECT count(*) FROM san.products p JOIN san.stores st
	ON st.id = p.store_id WHERE st.business_id = b.id AND p.listed)
  FROM san.businesses b;

-- The annual business survey ----------------------------------------------
--
-- Admins write a questionnaire (questions are fixed once written: a
-- change is a new questionnaire, so answers always match their
-- questions), open a round of it for a period and close it.  Members of
-- each verified business answer once per round (one row per business
-- and round), editing until the round closes.

CREATE TABLE san.survey_questionnaires (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title_vi	text NOT NULL CHECK (length(title_vi) BETWEEN 1 AND 200),
	title_en	text CHECK (length(title_en) BETWEEN 1 AND 200),
	created_by	bigint NOT NULL REFERENCES san.accounts,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- choices: [{"vi": "...", "en": "..."}, ...] for single and multiple
-- choice questions (answers name them by index, from 0), [] otherwise.
CREATE TABLE san.survey_questions (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	questionnaire_id	bigint NOT NULL
				    REFERENCES san.survey_questionnaires,
	position		int NOT NULL,
	kind			text NOT NULL CHECK (kind IN ('single',
				    'multiple', 'number', 'text')),
	text_vi			text NOT NULL
				    CHECK (length(text_vi) BETWEEN 1 AND 500),
	text_en			text CHECK (length(text_en) BETWEEN 1 AND 500),
	required		boolean NOT NULL DEFAULT false,
	choices			jsonb NOT NULL DEFAULT '[]',
	UNIQUE (questionnaire_id, position),
	CHECK ((kind IN ('single', 'multiple')) =
	    (jsonb_array_length(choices) > 0))
);

CREATE TABLE san.survey_rounds (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	questionnaire_id	bigint NOT NULL
				    REFERENCES san.survey_questionnaires,
	title			text NOT NULL
				    CHECK (length(title) BETWEEN 1 AND 200),
	opens_on		date NOT NULL,
	closes_on		date NOT NULL CHECK (closes_on >= opens_on),
	closed_at		timestamptz,
	opened_by		bigint NOT NULL REFERENCES san.accounts,
	created_at		timestamptz NOT NULL DEFAULT now()
);

-- answers: {"<question id>": value}, value a choice index (single), an
-- array of indexes (multiple), a number, or a text.
CREATE TABLE san.survey_responses (
	round_id	bigint NOT NULL REFERENCES san.survey_rounds,
	business_id	bigint NOT NULL REFERENCES san.businesses,
	answers		jsonb NOT NULL,
	submitted_by	bigint NOT NULL REFERENCES san.accounts,
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (round_id, business_id)
);
