-- 022: what issue 12 left open about places and the survey.
--  * Stores get a place of their own (province, ward, codes); existing
--    stores take their business's.
--  * Province names the unit tables do not carry (Thừa Thiên Huế, the
--    name of Huế until 1 January 2025) resolve through aliases.
--  * The statistics' business rows keep the codes beside the names.
--  * Products get the code of their origin province (the text stays for
--    rows whose text names no province), indexed for search's origin=.
--  * A survey round freezes the businesses it targets when it opens.

-- Province aliases ---------------------------------------------------------

-- Names of a province that are neither its current name nor a former
-- province's of 015: names it had before (Huế was Tỉnh Thừa Thiên Huế
-- until 1 January 2025, Resolution 1264/NQ-UBTVQH15) and the common
-- written forms of a current or former name.
CREATE TABLE san.province_aliases (
	name		text PRIMARY KEY,
	province_code	text NOT NULL REFERENCES san.provinces,
	name_fold	text GENERATED ALWAYS AS (san.fold(name)) STORED UNIQUE
);
INSERT INTO san.province_aliases (name, province_code) VALUES
	('Thừa Thiên Huế', '46'),
	('Tỉnh Thừa Thiên Huế', '46'),
	('Thừa Thiên - Huế', '46'),
	('TP. Huế', '46'),
	('TP Huế', '46'),
	('TP. Hồ Chí Minh', '79'),
	('TP Hồ Chí Minh', '79'),
	('TP.HCM', '79'),
	('TP HCM', '79'),
	('Sài Gòn', '79'),
	('Bà Rịa Vũng Tàu', '79'),
	('Bà Rịa-Vũng Tàu', '79'),
	('TP. Hà Nội', '01'),
	('TP Hà Nội', '01'),
	('TP. Đà Nẵng', '48'),
	('TP Đà Nẵng', '48'),
	('TP. Hải Phòng', '31'),
	('TP Hải Phòng', '31'),
	('TP. Cần Thơ', '92'),
	('TP Cần Thơ', '92');

/*
 * The code of the province p names, or NULL: its code ("80"; "8" for
 * "08"), its name or official name, the name or official name of a
 * former province (→ the province it became part of), or an alias
 * (san.province_aliases: "Thừa Thiên Huế" → 46); names compare folded
 * like search (san.fold: case, diacritics, NFC), trimmed.
 */
CREATE OR REPLACE FUNCTION san.province_code(p text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
	SELECT code FROM (
		SELECT v.code, 1 AS o FROM san.provinces v
		 WHERE btrim(p) ~ '^[0-9]{1,2}$'
		   AND v.code = lpad(btrim(p), 2, '0')
		UNION ALL
		SELECT v.code, 2 FROM san.provinces v
		 WHERE san.fold(btrim(p)) IN (v.name_fold, v.full_fold)
		UNION ALL
		SELECT f.province_code, 3 FROM san.former_provinces f
		 WHERE san.fold(btrim(p)) IN (f.name_fold, f.full_fold)
		UNION ALL
		SELECT a.province_code, 4 FROM san.province_aliases a
		 WHERE a.name_fold = san.fold(btrim(p))) x
	 ORDER BY o LIMIT 1 $$;

-- Rows written before this migration that an alias now resolves.
UPDATE san.businesses SET province_code = san.province_code(province)
 WHERE province_code IS NULL AND san.province_code(province) IS NOT NULL;

-- Stores ---------------------------------------------------------------------

-- A store's place: pickup_address is its address line, these its ward and
-- province.  Codes are the truth, the names follow them (as businesses'
-- in 015); a NULL code is a store of a business whose text named no unit.
ALTER TABLE san.stores
    ADD COLUMN province text,
    ADD COLUMN ward text,
    ADD COLUMN province_code text REFERENCES san.provinces,
    ADD COLUMN ward_code text REFERENCES san.wards;
CREATE INDEX stores_province_idx ON san.stores (province_code);
CREATE INDEX stores_ward_fk_idx ON san.stores (ward_code);

/*
 * A store inserted without a place (demo data, SQL by hand) takes its
 * business's; names follow codes on every write.  The API resolves what
 * the owner gives (api.place_resolve) and refuses unknown names itself.
 */
CREATE FUNCTION san.stores_place() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' AND NEW.province_code IS NULL AND
	    NEW.province IS NULL THEN
		SELECT b.province, b.ward, b.province_code, b.ward_code
		  INTO NEW.province, NEW.ward, NEW.province_code, NEW.ward_code
		  FROM san.businesses b WHERE b.id = NEW.business_id;
	END IF;
	NEW.province := COALESCE((SELECT name FROM san.provinces
	    WHERE code = NEW.province_code), NEW.province);
	NEW.ward := COALESCE((SELECT name FROM san.wards
	    WHERE code = NEW.ward_code), NEW.ward);
	RETURN NEW;
END $$;
CREATE TRIGGER stores_place BEFORE INSERT OR UPDATE OF province, ward,
    province_code, ward_code ON san.stores
    FOR EACH ROW EXECUTE FUNCTION san.stores_place();

-- Existing stores: their business's place.
UPDATE san.stores s
   SET province = b.province, ward = b.ward,
       province_code = b.province_code, ward_code = b.ward_code
  FROM san.businesses b
 WHERE b.id = s.business_id;

-- Statistics' business rows: codes beside the names ------------------------

ALTER TABLE san.stat_businesses
    ADD COLUMN province_code text,
    ADD COLUMN ward_code text;

CREATE OR REPLACE FUNCTION san.stat_business_refresh(p_business bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	INSERT INTO san.stat_businesses AS s (business_id, province, ward,
	    province_code, ward_code, verified_at, on_floor)
	SELECT b.id, b.province, b.ward, b.province_code, b.ward_code,
	    CASE WHEN b.status = 'verified' THEN now() END,
	    b.status = 'verified' AND EXISTS (SELECT 1 FROM san.stores st
		WHERE st.business_id = b.id AND st.status = 'active')
	  FROM san.businesses b WHERE b.id = p_business
	ON CONFLICT (business_id) DO UPDATE SET
	    province = EXCLUDED.province, ward = EXCLUDED.ward,
	    province_code = EXCLUDED.province_code,
	    ward_code = EXCLUDED.ward_code,
	    verified_at = COALESCE(s.verified_at, EXCLUDED.verified_at),
	    on_floor = EXCLUDED.on_floor;
END $$;

DROP TRIGGER stat_businesses_update ON san.businesses;
CREATE TRIGGER stat_businesses_update AFTER UPDATE ON san.businesses
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.province IS DISTINCT FROM NEW.province
	OR OLD.ward IS DISTINCT FROM NEW.ward
	OR OLD.province_code IS DISTINCT FROM NEW.province_code
	OR OLD.ward_code IS DISTINCT FROM NEW.ward_code)
    EXECUTE FUNCTION san.stat_businesses_track();

UPDATE san.stat_businesses s
   SET province = b.province, ward = b.ward,
       province_code = b.province_code, ward_code = b.ward_code
  FROM san.businesses b
 WHERE b.id = s.business_id;

-- Products' origin province --------------------------------------------------

-- The origin's code when origin_province names a province (code or name,
-- san.province_code), its text made the current name; else NULL and the
-- text kept as written (rows of before 022 that name no province).
ALTER TABLE san.products
    ADD COLUMN origin_province_code text REFERENCES san.provinces;

CREATE FUNCTION san.products_origin() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.origin_province IS DISTINCT FROM
	    OLD.origin_province OR NEW.origin_province_code IS DISTINCT FROM
	    OLD.origin_province_code THEN
		IF TG_OP = 'INSERT' OR NEW.origin_province_code IS NOT
		    DISTINCT FROM OLD.origin_province_code THEN
			NEW.origin_province_code :=
			    san.province_code(NEW.origin_province);
		END IF;
		NEW.origin_province := COALESCE((SELECT name
		    FROM san.provinces WHERE code = NEW.origin_province_code),
		    NEW.origin_province);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER products_origin BEFORE INSERT OR UPDATE OF origin_province,
    origin_province_code ON san.products
    FOR EACH ROW EXECUTE FUNCTION san.products_origin();

-- Existing rows (the trigger makes the text the current name).
UPDATE san.products SET origin_province_code =
    san.province_code(origin_province)
 WHERE san.province_code(origin_province) IS NOT NULL;

-- Search's origin= filter: listed products of one origin, newest first.
CREATE INDEX products_listed_origin_idx ON san.products
    (origin_province_code, id) WHERE listed;

-- Survey targets ------------------------------------------------------------

-- The businesses a round targets, frozen when the round is opened: the
-- verified businesses then, or a random sample of them of the size the
-- admin chose (Tây Ninh's plan surveys 250–300 businesses).  Progress is
-- the targeted businesses that answered over those targeted.
ALTER TABLE san.survey_rounds ADD COLUMN sample_size int
    CHECK (sample_size > 0);
CREATE TABLE san.survey_targets (
	round_id	bigint NOT NULL REFERENCES san.survey_rounds,
	business_id	bigint NOT NULL REFERENCES san.businesses,
	PRIMARY KEY (round_id, business_id)
);
CREATE INDEX survey_targets_business_idx ON san.survey_targets
    (business_id);

-- Rounds opened before 022: the businesses verified now and those that
-- answered (the nearest to what they targeted).
INSERT INTO san.survey_targets (round_id, business_id)
SELECT r.id, b.id FROM san.survey_rounds r
  JOIN san.businesses b ON b.status = 'verified'
UNION
SELECT x.round_id, x.business_id FROM san.survey_responses x;
