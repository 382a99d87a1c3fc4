-- 007: monitoring and violation alerts (issue 10): versioned rules,
-- listings held for review, cases made of alerts, decisions with a
-- statement of reasons (chained, append-only).
--
-- A held product is never public: "listed" now also needs NOT held, so
-- every public query (they all read the listed flag and its partial
-- indexes) leaves it out without knowing about monitoring.

-- Settings ------------------------------------------------------------------

INSERT INTO san.settings (key, value) VALUES
	-- Case deadlines (from the first alert): requests from authorities
	-- and prohibited or unsafe goods 24 h, everything else 7 days.
	('case_deadline_authority', '24 hours'),
	('case_deadline_urgent', '24 hours'),
	('case_deadline_other', '7 days'),
	-- Per-category price statistics are recomputed when older than this.
	('price_stats_ttl', '1 hour'),
	-- Penalty points a decision adds, by category (warn and stronger).
	('penalty_points', '{"prohibited_goods": 10, "unsafe_goods": 6, "counterfeit": 6, "missing_seller_info": 2, "misleading_price": 3, "other": 2}'),
	('penalty_expiry', '12 months'),
	-- Notices from people: at most this many reports an hour per
	-- account (or e-mail address) and per client address (429 after).
	('report_limit_account', '10'),
	('report_limit_ip', '30'),
	-- A reporter with this many reports found unfounded (dismissed) in
	-- the last 6 months and none acted on no longer raises a case's
	-- priority (DSA Art. 23).
	('report_unfounded_max', '3'),
	-- The seller may appeal a decision once within this time.
	('appeal_window', '6 months'),
	-- Penalty tiers by active points (not expired, not reversed): a
	-- warning first, then new listings held for review, then the store
	-- hidden for 7 days, then a suspension proposal to the department.
	('penalty_tiers', '[{"points": 3, "measure": "warning"}, {"points": 6, "measure": "hold_new_listings"}, {"points": 10, "measure": "hide_store_7_days"}, {"points": 15, "measure": "suspension_proposal"}]')
ON CONFLICT (key) DO NOTHING;

-- Products: held for review -------------------------------------------------

ALTER TABLE san.products
	ADD COLUMN held boolean NOT NULL DEFAULT false,
	ADD COLUMN held_category text;

CREATE OR REPLACE FUNCTION san.products_set_listed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	NEW.listed := NEW.status = 'active' AND NOT NEW.held AND EXISTS (
	    SELECT 1 FROM san.stores s
	      JOIN san.businesses b ON b.id = s.business_id
	     WHERE s.id = NEW.store_id AND s.status = 'active'
	       AND b.status = 'verified');
	RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION san.stores_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	v_ok	boolean := NEW.status = 'active' AND EXISTS (
	    SELECT 1 FROM san.businesses b
	     WHERE b.id = NEW.business_id AND b.status = 'verified');
BEGIN
	UPDATE san.products p
	   SET listed = (p.status = 'active' AND NOT p.held AND v_ok)
	 WHERE p.store_id = NEW.id
	   AND p.listed <> (p.status = 'active' AND NOT p.held AND v_ok);
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION san.businesses_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE san.products p
	   SET listed = (p.status = 'active' AND NOT p.held AND
		s.status = 'active' AND NEW.status = 'verified')
	  FROM san.stores s
	 WHERE s.business_id = NEW.id AND p.store_id = s.id
	   AND p.listed <> (p.status = 'active' AND NOT p.held AND
		s.status = 'active' AND NEW.status = 'verified');
	RETURN NULL;
END $$;

-- Words of a text as matched by keyword rules: folded like search
-- (NFC, no diacritics, lower case), every run of characters other than
-- letters and digits is one separator.
CREATE FUNCTION san.mod_words(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN w = '' THEN '{}'::text[]
	ELSE string_to_array(w, ' ') END
  FROM btrim(regexp_replace(san.fold(t), '[^[:alnum:]]+', ' ', 'g')) w $$;

-- Rules ---------------------------------------------------------------------

-- The decision categories (DSA Transparency Database-like statement
-- categories, our codes).
CREATE DOMAIN san.mod_category AS text CHECK (VALUE IN ('prohibited_goods',
    'unsafe_goods', 'counterfeit', 'missing_seller_info',
    'misleading_price', 'other'));

-- The current version of each rule; every version (this one included)
-- is in san.mod_rule_versions, so an alert's (rule_id, version) always
-- names the exact rule that fired.
CREATE TABLE san.mod_rules (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version		int NOT NULL DEFAULT 1,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kind		text NOT NULL CHECK (kind IN ('keyword',
			    'price_anomaly')),
	severity	text NOT NULL CHECK (severity IN ('block', 'hold',
			    'flag')),
	category	san.mod_category NOT NULL,
	params		jsonb NOT NULL,
	active		boolean NOT NULL DEFAULT true,
	updated_by	bigint REFERENCES san.accounts,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE san.mod_rule_versions (
	rule_id		bigint NOT NULL REFERENCES san.mod_rules,
	version		int NOT NULL,
	name		text NOT NULL,
	kind		text NOT NULL,
	severity	text NOT NULL,
	category	text NOT NULL,
	params		jsonb NOT NULL,
	active		boolean NOT NULL,
	created_by	bigint REFERENCES san.accounts,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (rule_id, version)
);

-- The phrases of active keyword rules, as space-joined folded words
-- (san.mod_words): a listing matches by equality of its word n-grams,
-- one hash or index probe per n-gram whatever the number of rules.
-- Kept by san.mod_rule_terms_sync (a trigger on san.mod_rules).
CREATE TABLE san.mod_rule_terms (
	rule_id		bigint NOT NULL REFERENCES san.mod_rules
			    ON DELETE CASCADE,
	phrase		text NOT NULL,
	nwords		int NOT NULL CHECK (nwords BETWEEN 1 AND 8),
	is_except	boolean NOT NULL,
	PRIMARY KEY (phrase, rule_id, is_except)
);
CREATE INDEX mod_rule_terms_rule_idx ON san.mod_rule_terms (rule_id);
CREATE INDEX mod_rule_terms_nwords_idx ON san.mod_rule_terms (nwords);

CREATE FUNCTION san.mod_rule_terms_sync() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	DELETE FROM san.mod_rule_terms WHERE rule_id = NEW.id;
	IF NEW.active AND NEW.kind = 'keyword' THEN
		INSERT INTO san.mod_rule_terms (rule_id, phrase, nwords,
		    is_except)
		SELECT DISTINCT NEW.id, array_to_string(w, ' '),
		    cardinality(w), x.is_except
		  FROM (SELECT jsonb_array_elements_text(NEW.params->'terms'),
			false
			UNION ALL
			SELECT jsonb_array_elements_text(
			    COALESCE(NEW.params->'except', '[]')), true)
		       x(t, is_except),
		       san.mod_words(x.t) w
		 WHERE cardinality(w) BETWEEN 1 AND 8;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER mod_rule_terms_sync AFTER INSERT OR UPDATE ON san.mod_rules
    FOR EACH ROW EXECUTE FUNCTION san.mod_rule_terms_sync();

-- Median, MAD and mean absolute deviation of listed prices per category,
-- recomputed when older than the price_stats_ttl setting (screening reads
-- them; computing them on every listing change would cost a scan of the
-- category).
CREATE TABLE san.mod_price_stats (
	category_id	int PRIMARY KEY REFERENCES san.categories
			    ON DELETE CASCADE,
	n		bigint NOT NULL,
	median		double precision,
	mad		double precision,
	meanad		double precision,
	computed_at	timestamptz NOT NULL DEFAULT now()
);

-- Cases, alerts, decisions ------------------------------------------------

-- One case per target (a product, or a store) while it is open: alerts
-- and reports about it join it.  priority 0 authority, 1 prohibited or
-- unsafe goods, 2 other; deadline from the settings, from the first alert.
CREATE TABLE san.mod_cases (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	target_type	text NOT NULL CHECK (target_type IN ('product',
			    'store')),
	product_id	bigint REFERENCES san.products ON DELETE SET NULL,
	store_id	bigint NOT NULL REFERENCES san.stores,
	status		text NOT NULL DEFAULT 'open'
			    CHECK (status IN ('open', 'decided')),
	source		text NOT NULL CHECK (source IN ('rule', 'report',
			    'authority')),
	category	san.mod_category NOT NULL,
	severity	text NOT NULL CHECK (severity IN ('block', 'hold',
			    'flag')),
	priority	smallint NOT NULL,
	first_alert_at	timestamptz NOT NULL DEFAULT now(),
	deadline	timestamptz NOT NULL,
	claimed_by	bigint REFERENCES san.accounts,
	claimed_at	timestamptz,
	decision_id	bigint,
	decided_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- At most one open case per product (per store for store cases).
CREATE UNIQUE INDEX mod_cases_open_product_idx ON san.mod_cases (product_id)
    WHERE status = 'open' AND target_type = 'product';
CREATE UNIQUE INDEX mod_cases_open_store_idx ON san.mod_cases (store_id)
    WHERE status = 'open' AND target_type = 'store';
-- The queue: open cases by deadline (priority is in the deadline).
CREATE INDEX mod_cases_queue_idx ON san.mod_cases (deadline, id)
    WHERE status = 'open';
CREATE INDEX mod_cases_status_idx ON san.mod_cases (status, id);
CREATE INDEX mod_cases_store_idx ON san.mod_cases (store_id);

-- What a rule found (rule id and version, the matched phrase or the
-- price figure), or what a report or authority said.
CREATE TABLE san.mod_alerts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES san.mod_cases,
	source		text NOT NULL CHECK (source IN ('rule', 'report',
			    'authority')),
	rule_id		bigint REFERENCES san.mod_rules,
	rule_version	int,
	severity	text,
	category	san.mod_category NOT NULL,
	field		text,
	matched		text,
	figure		jsonb,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mod_alerts_case_idx ON san.mod_alerts (case_id, id);

-- Notices from people (POST /api/v1/reports) and requests from
-- authorities (market surveillance, police) recorded by officials.  The
-- client address is kept for the rate limit only.
CREATE TABLE san.mod_reports (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reference	text NOT NULL UNIQUE,
	source		text NOT NULL CHECK (source IN ('report',
			    'authority')),
	case_id		bigint NOT NULL REFERENCES san.mod_cases,
	product_id	bigint REFERENCES san.products ON DELETE SET NULL,
	store_id	bigint NOT NULL REFERENCES san.stores,
	reason		san.mod_category NOT NULL,
	explanation	text NOT NULL,
	reporter_id	bigint REFERENCES san.accounts,
	email		text,
	client_ip	text,
	authority	text,
	document_no	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (source <> 'authority' OR (authority IS NOT NULL AND
	    document_no IS NOT NULL))
);
CREATE INDEX mod_reports_reporter_idx ON san.mod_reports
    (reporter_id, created_at) WHERE reporter_id IS NOT NULL;
CREATE INDEX mod_reports_email_idx ON san.mod_reports (lower(email),
    created_at) WHERE email IS NOT NULL;
CREATE INDEX mod_reports_ip_idx ON san.mod_reports (client_ip, created_at)
    WHERE client_ip IS NOT NULL;
CREATE INDEX mod_reports_case_idx ON san.mod_reports (case_id);
ALTER TABLE san.mod_alerts ADD COLUMN report_id bigint
    REFERENCES san.mod_reports;
CREATE INDEX mod_alerts_rule_idx ON san.mod_alerts (rule_id);

-- Decisions with their statement of reasons (fields after the DSA
-- Transparency Database: decision_visibility/account -> action,
-- end_date_* -> end_date, decision_ground, illegal_content_legal_ground,
-- illegal_content_explanation / incompatible_content_explanation ->
-- explanation, category, automated_detection, automated_decision) and the
-- evidence frozen at decision time.  Chained and append-only.
CREATE TABLE san.mod_decisions (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id			bigint NOT NULL REFERENCES san.mod_cases,
	action			text NOT NULL CHECK (action IN ('dismiss',
				    'warn', 'remove_listing', 'hide_store',
				    'suspend_business')),
	ground			text NOT NULL CHECK (ground IN ('illegal',
				    'incompatible')),
	legal_provision		text,
	explanation		text NOT NULL,
	category		san.mod_category NOT NULL,
	end_date		date,
	automated_detection	boolean NOT NULL,
	automated_decision	boolean NOT NULL DEFAULT false,
	product_id		bigint,
	store_id		bigint NOT NULL,
	business_id		bigint NOT NULL,
	points			int NOT NULL DEFAULT 0,
	evidence		jsonb NOT NULL,
	decided_by		bigint NOT NULL REFERENCES san.accounts,
	created_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (ground <> 'illegal' OR legal_provision IS NOT NULL)
);
CREATE INDEX mod_decisions_business_idx ON san.mod_decisions
    (business_id, id);
SELECT san.chain_install('san.mod_decisions');

ALTER TABLE san.mod_cases ADD CONSTRAINT mod_cases_decision_fk
    FOREIGN KEY (decision_id) REFERENCES san.mod_decisions;

-- The seeded rule set (why each is there: see the README section
-- "Monitoring").  Terms are matched as whole words or phrases, without
-- diacritics or case; exceptions are phrases that contain a term and are
-- lawful.
INSERT INTO san.mod_rules (name, kind, severity, category, params) VALUES
	('Pháo nổ (Nghị định 137/2020/NĐ-CP)', 'keyword', 'block',
	 'prohibited_goods',
	 '{"terms": ["pháo nổ", "pháo hoa nổ", "pháo bi", "pháo đại", "pháo tự chế"], "except": []}'),
	('Thuốc lá điện tử (Nghị quyết 173/2024/QH15)', 'keyword', 'block',
	 'prohibited_goods',
	 '{"terms": ["thuốc lá điện tử", "thuốc lá nung nóng", "vape", "pod system", "tinh dầu vape"], "except": []}'),
	('Động vật hoang dã (Nghị định 06/2019/NĐ-CP)', 'keyword', 'hold',
	 'prohibited_goods',
	 '{"terms": ["sừng tê giác", "ngà voi", "vảy tê tê", "cao hổ cốt", "mật gấu", "rượu mật gấu"], "except": []}'),
	('Ma túy, chất cấm (Luật Phòng, chống ma túy 2021)', 'keyword', 'block',
	 'prohibited_goods',
	 '{"terms": ["cần sa", "ma túy", "thuốc lắc", "nấm ảo giác"], "except": []}'),
	('Vũ khí, công cụ hỗ trợ (Luật Quản lý vũ khí 2024)', 'keyword', 'hold',
	 'prohibited_goods',
	 '{"terms": ["súng hơi", "súng săn", "súng quân dụng", "súng điện", "dao găm", "roi điện", "bình xịt hơi cay"], "except": ["súng hơi phun sơn", "súng hơi xịt bụi", "súng hơi bơm lốp"]}'),
	('Hàng giả, hàng nhái (Nghị định 98/2020/NĐ-CP)', 'keyword', 'hold',
	 'counterfeit',
	 '{"terms": ["hàng fake", "hàng nhái", "super fake", "rep 1:1", "replica", "fake 1:1"], "except": []}'),
	('Công dụng chữa bệnh (Nghị định 15/2018/NĐ-CP, Điều 19)', 'keyword', 'flag',
	 'unsafe_goods',
	 '{"terms": ["chữa khỏi ung thư", "trị dứt điểm", "chữa bách bệnh", "thay thế thuốc chữa bệnh"], "except": []}'),
	('Giá bất thường trong danh mục', 'price_anomaly', 'flag',
	 'misleading_price',
	 '{"threshold": 3.5, "min_listings": 20, "constant_ratio": 3}');
INSERT INTO san.mod_rule_versions (rule_id, version, name, kind, severity,
    category, params, active)
SELECT id, version, name, kind, severity, category, params, active
  FROM san.mod_rules;

-- Appeals (internal complaints, DSA Art. 20): one per decision, within
-- appeal_window, decided by an official other than the one who decided.
-- The outcome is appended (chained) to san.mod_appeal_outcomes; the
-- appeal row only carries its state.
CREATE TABLE san.mod_appeals (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	decision_id	bigint NOT NULL UNIQUE REFERENCES san.mod_decisions,
	business_id	bigint NOT NULL REFERENCES san.businesses,
	appellant_id	bigint NOT NULL REFERENCES san.accounts,
	explanation	text NOT NULL,
	status		text NOT NULL DEFAULT 'open'
			    CHECK (status IN ('open', 'upheld', 'reversed')),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mod_appeals_open_idx ON san.mod_appeals (id)
    WHERE status = 'open';

CREATE TABLE san.mod_appeal_outcomes (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	appeal_id	bigint NOT NULL UNIQUE REFERENCES san.mod_appeals,
	outcome		text NOT NULL CHECK (outcome IN ('uphold',
			    'reverse')),
	explanation	text NOT NULL,
	restored	jsonb NOT NULL DEFAULT '{}',
	decided_by	bigint NOT NULL REFERENCES san.accounts,
	created_at	timestamptz NOT NULL DEFAULT now()
);
SELECT san.chain_install('san.mod_appeal_outcomes');
