-- 015: administrative units as they are since 1 July 2025 (Resolution
-- 202/2025/QH15: 34 provinces, no district level; Decision 19/2025/QĐ-TTg
-- codes), the mapping from the 63 former provinces and their wards, and
-- codes for the province and ward of businesses and shipping addresses.
-- The data is in sql/units/ (its README names the source).

CREATE TABLE san.provinces (
	code		text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
	name		text NOT NULL UNIQUE,	-- "Tây Ninh", "Hồ Chí Minh"
	full_name	text NOT NULL,		-- "Tỉnh Tây Ninh"
	name_fold	text GENERATED ALWAYS AS (san.fold(name)) STORED,
	full_fold	text GENERATED ALWAYS AS (san.fold(full_name)) STORED
);

CREATE TABLE san.wards (
	code		text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
	province_code	text NOT NULL REFERENCES san.provinces,
	name		text NOT NULL,		-- "Phường Tân Ninh"
	name_fold	text GENERATED ALWAYS AS (san.fold(name)) STORED,
	-- the name without its kind ("tan ninh"), accepted when unique
	short_fold	text GENERATED ALWAYS AS (san.fold(regexp_replace(name,
			    '^(Phường|Xã|Đặc khu) ', ''))) STORED,
	UNIQUE (province_code, name)
);
-- Folded names are not unique ("Xã Văn Lang", "Xã Vạn Lăng").
CREATE INDEX wards_fold_idx ON san.wards (province_code, name_fold);
CREATE INDEX wards_short_idx ON san.wards (province_code, short_fold);

-- The 63 provinces before 1 July 2025; code is the former code (some are
-- reused by the new provinces: Long An's 80 is Tây Ninh's now).
CREATE TABLE san.former_provinces (
	code		text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
	name		text NOT NULL UNIQUE,
	full_name	text NOT NULL,
	province_code	text NOT NULL REFERENCES san.provinces,
	name_fold	text GENERATED ALWAYS AS (san.fold(name)) STORED,
	full_fold	text GENERATED ALWAYS AS (san.fold(full_name)) STORED
);
CREATE INDEX former_provinces_to_idx ON san.former_provinces (province_code);

-- Former wards and communes, one row per ward they became part of.
CREATE TABLE san.former_wards (
	code			text NOT NULL CHECK (code ~ '^[0-9]{5}$'),
	former_province_code	text NOT NULL REFERENCES san.former_provinces,
	name			text NOT NULL,
	ward_code		text NOT NULL REFERENCES san.wards,
	name_fold		text GENERATED ALWAYS AS (san.fold(name)) STORED,
	PRIMARY KEY (code, ward_code)
);
CREATE INDEX former_wards_name_idx ON san.former_wards
    (former_province_code, name_fold);

\ir units/provinces.sql
\ir units/wards.sql
\ir units/former-provinces.sql
\ir units/former-wards.sql

/*
 * The code of the province p names, or NULL: its code ("80"; "8" for
 * "08"), its name or official name, or the name or official name of a
 * former province (→ the province it became part of); names compare
 * folded like search (san.fold: case, diacritics, NFC), trimmed.
 */
CREATE FUNCTION san.province_code(p text) RETURNS text
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
		 WHERE san.fold(btrim(p)) IN (f.name_fold, f.full_fold)) x
	 ORDER BY o LIMIT 1 $$;

/*
 * The code of the ward p names in province p_province (a code), or NULL:
 * its code; its official name ("Phường Tân Ninh"): as written (case
 * aside), else folded when one ward of the province has it ("Xã Văn Lang"
 * and "Xã Vạn Lăng" fold alike); its name without the kind ("Tân Ninh")
 * when one ward of the province has it; or the name of a former ward of
 * the province that became part of one ward only.
 * p_given (the province as the caller wrote it) narrows former wards to
 * that former province when it names one ("Tây Ninh" + "Phường 1" is
 * former Tây Ninh's Phường 1, not Long An's).  p_legacy (text written
 * before 1 July 2025: rows migrated, demo data) tries the former wards
 * first ("Xã Tân Hưng" of former Tây Ninh is Xã Tân Phú now, not today's
 * Xã Tân Hưng, once Long An's).
 */
CREATE FUNCTION san.ward_code(p_province text, p_given text, p text,
    p_legacy boolean DEFAULT false)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT code FROM (
		SELECT w.code, 1 AS o FROM san.wards w
		 WHERE btrim(p) ~ '^[0-9]{1,5}$'
		   AND w.code = lpad(btrim(p), 5, '0')
		   AND w.province_code = p_province
		UNION ALL
		SELECT w.code, 2 FROM san.wards w
		 WHERE w.province_code = p_province
		   AND lower(w.name) = lower(normalize(btrim(p), NFC))
		UNION ALL
		SELECT min(w.code), 3 FROM san.wards w
		 WHERE w.province_code = p_province
		   AND w.name_fold = san.fold(btrim(p))
		HAVING count(*) = 1
		UNION ALL
		SELECT min(w.code), 4 FROM san.wards w
		 WHERE w.province_code = p_province
		   AND w.short_fold = san.fold(btrim(p))
		HAVING count(*) = 1
		UNION ALL
		SELECT min(f.ward_code), 5 FROM san.former_wards f
		  JOIN san.former_provinces fp
		    ON fp.code = f.former_province_code
		 WHERE fp.province_code = p_province
		   AND f.name_fold = san.fold(btrim(p))
		   AND (san.fold(btrim(p_given)) IN (fp.name_fold, fp.full_fold)
			OR NOT EXISTS (SELECT 1 FROM san.former_provinces g
			    WHERE g.province_code = p_province
			      AND san.fold(btrim(p_given))
				  IN (g.name_fold, g.full_fold)))
		HAVING count(DISTINCT f.ward_code) = 1) x
	 WHERE code IS NOT NULL
	 ORDER BY p_legacy AND o = 5 DESC, o LIMIT 1 $$;

-- Businesses: codes are the truth, the names follow them.  A NULL code
-- is a row written before 015 whose text names no unit (kept as written).
ALTER TABLE san.businesses
    ADD COLUMN province_code text REFERENCES san.provinces,
    ADD COLUMN ward_code text REFERENCES san.wards;
CREATE INDEX businesses_province_idx ON san.businesses (province_code);

/*
 * Names follow codes.  A row written by name alone (demo data, SQL by
 * hand: text of before 1 July 2025) gets its codes resolved like the
 * migration's (san.province_code, san.ward_code with p_legacy); the API
 * resolves and refuses unknown names itself before writing.
 */
CREATE FUNCTION san.businesses_place() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	v_given	text := NEW.province;
BEGIN
	IF TG_OP = 'INSERT' OR
	    NEW.province_code IS DISTINCT FROM OLD.province_code OR
	    NEW.province IS DISTINCT FROM OLD.province THEN
		IF NEW.province_code IS NULL OR (TG_OP = 'UPDATE' AND
		    NEW.province_code IS NOT DISTINCT FROM OLD.province_code)
		THEN
			NEW.province_code := san.province_code(NEW.province);
		END IF;
		NEW.province := COALESCE((SELECT name FROM san.provinces
		    WHERE code = NEW.province_code), NEW.province);
	END IF;
	IF TG_OP = 'INSERT' OR
	    NEW.ward_code IS DISTINCT FROM OLD.ward_code OR
	    NEW.ward IS DISTINCT FROM OLD.ward OR
	    NEW.province_code IS DISTINCT FROM OLD.province_code THEN
		IF NEW.ward_code IS NULL OR (TG_OP = 'UPDATE' AND
		    NEW.ward_code IS NOT DISTINCT FROM OLD.ward_code) THEN
			NEW.ward_code := san.ward_code(NEW.province_code,
			    v_given, NEW.ward, true);
		END IF;
		NEW.ward := COALESCE((SELECT name FROM san.wards
		    WHERE code = NEW.ward_code), NEW.ward);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER businesses_place BEFORE INSERT OR UPDATE OF province, ward,
    province_code, ward_code ON san.businesses
    FOR EACH ROW EXECUTE FUNCTION san.businesses_place();

-- Existing rows: a former province's name maps to its new province, a
-- former ward's to its new ward when it became part of one only.
UPDATE san.businesses b
   SET province_code = x.p,
       ward_code = san.ward_code(x.p, b.province, b.ward, true)
  FROM (SELECT id, san.province_code(province) AS p
	  FROM san.businesses) x
 WHERE x.id = b.id;

-- Shipping addresses of past checkouts: codes added, names made current
-- where they name a unit (the text is kept where they do not).
UPDATE san.order_groups g
   SET shipping_address = g.shipping_address || jsonb_strip_nulls(
	jsonb_build_object('province_code', x.p, 'ward_code', x.w,
	    'province', (SELECT name FROM san.provinces WHERE code = x.p),
	    'ward', (SELECT name FROM san.wards WHERE code = x.w)))
  FROM (SELECT id, p, san.ward_code(p, shipping_address->>'province',
		shipping_address->>'ward', true) AS w
	  FROM (SELECT id, shipping_address,
		    san.province_code(shipping_address->>'province') AS p
		  FROM san.order_groups) y) x
 WHERE x.id = g.id;
