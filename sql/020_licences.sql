-- 020: monitoring (issue 10): the licence register and the "category" rule
-- kind.  A business records the licences and certificates it holds for
-- conditional categories (san.categories.policy); a licence for category
-- L covers L and every category under it.  A category rule (params
-- {"categories": [ids]}: those conditional categories and what is under
-- them, [] every conditional category) hits a listing whose business has
-- no licence covering its category that is valid today (not withdrawn,
-- issued_on <= today <= expires_on, Vietnam calendar).  Screening (create,
-- category change), the rescan and the dry run evaluate it
-- (sql/api/70_monitoring.sql); when a licence lapses (expires or is
-- withdrawn) the background job re-screens the business's listings it
-- covered (api.mod_licence_step).
CREATE TABLE san.business_licences (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	business_id		bigint NOT NULL REFERENCES san.businesses,
	-- The conditional category it covers (with its subcategories).
	category_id		int NOT NULL REFERENCES san.categories,
	number			text NOT NULL
				    CHECK (length(number) BETWEEN 1 AND 100),
	issuer			text NOT NULL
				    CHECK (length(issuer) BETWEEN 1 AND 255),
	issued_on		date NOT NULL,
	-- NULL: no expiry.  Valid through expires_on (Vietnam day).
	expires_on		date CHECK (expires_on > issued_on),
	created_by		bigint REFERENCES san.accounts,
	created_at		timestamptz NOT NULL DEFAULT now(),
	-- Withdrawn by a member of the business (it stops counting at once).
	revoked_at		timestamptz,
	revoked_by		bigint REFERENCES san.accounts,
	revoked_on		date,
	-- The first Vietnam day it no longer counts (NULL: never, so far).
	lapses_on		date GENERATED ALWAYS AS
				    (LEAST(expires_on + 1, revoked_on)) STORED,
	-- The re-screen after the lapse: per-licence watermark (NULL: not
	-- done yet) and progress (the last product id re-screened).
	lapse_screened_at	timestamptz,
	lapse_product_id	bigint NOT NULL DEFAULT 0,
	CHECK ((revoked_at IS NULL) = (revoked_on IS NULL))
);
CREATE INDEX business_licences_business_idx ON san.business_licences
    (business_id, category_id);
-- One live licence per business, category and number.
CREATE UNIQUE INDEX business_licences_live_idx ON san.business_licences
    (business_id, category_id, number) WHERE revoked_at IS NULL;
-- What the background job looks at: lapsed and not re-screened yet.
CREATE INDEX business_licences_lapse_idx ON san.business_licences
    (lapses_on, id) WHERE lapse_screened_at IS NULL;

ALTER TABLE san.mod_rules DROP CONSTRAINT mod_rules_kind_check;
ALTER TABLE san.mod_rules ADD CONSTRAINT mod_rules_kind_check
    CHECK (kind IN ('keyword', 'price_anomaly', 'seller_signals',
    'same_image', 'category'));

-- Seeded inactive: every conditional category without a valid licence in
-- the register.  Listings written before the register existed carry only
-- the free-text licence_ref, so officials switch it on once merchants
-- have registered their licences (a flag: a person looks first).
INSERT INTO san.mod_rules (name, kind, severity, category, params, active)
VALUES ('Kinh doanh có điều kiện: thiếu giấy phép còn hiệu lực '
	'(Nghị định 15/2018/NĐ-CP, Nghị định 52/2013/NĐ-CP Điều 36)',
	'category', 'flag', 'other', '{"categories": []}', false);
INSERT INTO san.mod_rule_versions (rule_id, version, name, kind, severity,
    category, params, active)
SELECT id, version, name, kind, severity, category, params, active
  FROM san.mod_rules WHERE kind = 'category';
