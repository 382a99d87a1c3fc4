-- 003: product catalogue: category tree (with legal policy), products with
-- price history, images, per-category counts; the "listed" flag that the
-- public queries and their partial indexes rely on.
--
-- listed = product.status = 'active' AND store.status = 'active' AND
-- business.status = 'verified'.  It is kept true by triggers (products:
-- before insert/update; stores and businesses: after a status change), so
-- suspending a business or hiding a store unlists its products at once and
-- reinstating relists them.  Trigger functions live in schema san: schema
-- api is dropped and rebuilt by scripts/migrate.sh.

-- Stores can be hidden by their owner. ----------------------------------

ALTER TABLE san.stores ADD COLUMN status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'hidden'));

-- Categories ---------------------------------------------------------------

-- policy: 'conditional' = a listing needs a licence / certificate reference
-- (licence_hint says which); 'prohibited' = goods that may not be traded
-- (cannot be listed at all).  A category is as strict as its strictest
-- ancestor (san.category_policy).
CREATE TABLE san.categories (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	parent_id	int REFERENCES san.categories,
	slug		text NOT NULL UNIQUE
			    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
			    AND length(slug) <= 63),
	name_vi		text NOT NULL
			    CHECK (length(name_vi) BETWEEN 1 AND 100),
	name_en		text NOT NULL
			    CHECK (length(name_en) BETWEEN 1 AND 100),
	policy		text NOT NULL DEFAULT 'normal'
			    CHECK (policy IN ('normal', 'conditional',
			    'prohibited')),
	licence_hint	text,
	position	int NOT NULL DEFAULT 0,
	CHECK (parent_id <> id)
);
CREATE INDEX categories_parent_idx ON san.categories (parent_id, position, id);

-- The category and its ancestors, self first (depth 0).  The tree is kept
-- acyclic by api.category_update; the depth bound is a safety net.
CREATE FUNCTION san.category_ancestors(p_id int)
RETURNS TABLE (id int, depth int)
LANGUAGE sql STABLE
AS $$
	WITH RECURSIVE up(id, parent_id, depth) AS (
		SELECT c.id, c.parent_id, 0 FROM san.categories c
		 WHERE c.id = p_id
		UNION ALL
		SELECT c.id, c.parent_id, up.depth + 1
		  FROM san.categories c JOIN up ON c.id = up.parent_id
		 WHERE up.depth < 32)
	SELECT id, depth FROM up
$$;

-- The category and all its descendants.
CREATE FUNCTION san.category_subtree(p_id int) RETURNS int[]
LANGUAGE sql STABLE
AS $$
	WITH RECURSIVE down(id, depth) AS (
		SELECT c.id, 0 FROM san.categories c WHERE c.id = p_id
		UNION ALL
		SELECT c.id, down.depth + 1
		  FROM san.categories c JOIN down ON c.parent_id = down.id
		 WHERE down.depth < 32)
	SELECT array_agg(id ORDER BY id) FROM down
$$;

-- Effective policy: the strictest along the path to the root; NULL when
-- the category does not exist.
CREATE FUNCTION san.category_policy(p_id int) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT CASE max(CASE c.policy WHEN 'prohibited' THEN 2
		WHEN 'conditional' THEN 1 ELSE 0 END)
		WHEN 2 THEN 'prohibited' WHEN 1 THEN 'conditional'
		WHEN 0 THEN 'normal' END
	  FROM san.category_ancestors(p_id) a
	  JOIN san.categories c ON c.id = a.id
$$;

-- A sensible two-level taxonomy for a provincial floor.  Conditional and
-- prohibited categories cite the rule that makes them so.
CREATE TEMP TABLE seed_category (
	slug text, parent text, name_vi text, name_en text, policy text,
	licence_hint text, position int) ON COMMIT DROP;
INSERT INTO seed_category VALUES
	-- Farm produce
	('nong-san', NULL, 'Nông sản', 'Farm produce', 'normal', NULL, 10),
	('rau-cu', 'nong-san', 'Rau củ', 'Vegetables', 'normal', NULL, 10),
	('trai-cay', 'nong-san', 'Trái cây', 'Fruit', 'normal', NULL, 20),
	('gao-ngu-coc', 'nong-san', 'Gạo, ngũ cốc', 'Rice and grains', 'normal', NULL, 30),
	('hat-dau', 'nong-san', 'Hạt, đậu', 'Nuts and beans', 'normal', NULL, 40),
	('nam', 'nong-san', 'Nấm', 'Mushrooms', 'normal', NULL, 50),
	('thit-trung-thuy-san', 'nong-san', 'Thịt, trứng, thủy sản tươi',
	 'Fresh meat, eggs and seafood', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm hoặc giấy chứng nhận kiểm dịch (Luật Thú y 2015, Nghị định 15/2018/NĐ-CP)', 60),
	-- Processed food: food-safety certificate (Decree 15/2018, art. 11)
	('thuc-pham-che-bien', NULL, 'Thực phẩm chế biến', 'Processed food', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 20),
	('banh-keo-mut', 'thuc-pham-che-bien', 'Bánh kẹo, mứt', 'Confectionery and preserves', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 10),
	('trai-cay-say', 'thuc-pham-che-bien', 'Trái cây sấy', 'Dried fruit', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 20),
	('thit-ca-che-bien', 'thuc-pham-che-bien', 'Thịt, cá chế biến', 'Processed meat and fish', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 30),
	('thuc-pham-chay', 'thuc-pham-che-bien', 'Thực phẩm chay', 'Vegetarian food', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 40),
	('do-an-lien', 'thuc-pham-che-bien', 'Đồ ăn liền, đồ hộp', 'Instant and canned food', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 50),
	-- Regional specialities
	('dac-san', NULL, 'Đặc sản vùng miền', 'Regional specialities', 'normal', NULL, 30),
	('banh-trang', 'dac-san', 'Bánh tráng', 'Rice paper', 'normal', NULL, 10),
	('muoi-gia-vi', 'dac-san', 'Muối, gia vị', 'Salts and seasonings', 'normal', NULL, 20),
	('mam-nuoc-cham', 'dac-san', 'Mắm, nước chấm', 'Fish sauce and dipping sauces', 'normal', NULL, 30),
	('duong-mat', 'dac-san', 'Đường mía, mật ong', 'Cane sugar and honey', 'normal', NULL, 40),
	('qua-bieu', 'dac-san', 'Quà biếu đặc sản', 'Speciality gift sets', 'normal', NULL, 50),
	-- Beverages; alcohol needs a licence (Decree 105/2017)
	('do-uong', NULL, 'Đồ uống', 'Beverages', 'normal', NULL, 40),
	('ca-phe', 'do-uong', 'Cà phê', 'Coffee', 'normal', NULL, 10),
	('tra', 'do-uong', 'Trà', 'Tea', 'normal', NULL, 20),
	('nuoc-ep', 'do-uong', 'Nước ép, nước giải khát', 'Juices and soft drinks', 'normal', NULL, 30),
	('ruou', 'do-uong', 'Rượu', 'Alcoholic drinks', 'conditional',
	 'Giấy phép sản xuất hoặc bán lẻ rượu (Nghị định 105/2017/NĐ-CP, sửa đổi bởi Nghị định 17/2020/NĐ-CP)', 40),
	-- Handicrafts
	('thu-cong-my-nghe', NULL, 'Thủ công mỹ nghệ', 'Handicrafts', 'normal', NULL, 50),
	('may-tre-dan', 'thu-cong-my-nghe', 'Mây tre đan', 'Rattan and bamboo', 'normal', NULL, 10),
	('gom-su', 'thu-cong-my-nghe', 'Gốm sứ', 'Pottery and ceramics', 'normal', NULL, 20),
	('det-may', 'thu-cong-my-nghe', 'Dệt may, thổ cẩm', 'Textiles and brocade', 'normal', NULL, 30),
	('nhang-tram', 'thu-cong-my-nghe', 'Nhang, trầm', 'Incense', 'normal', NULL, 40),
	-- OCOP products (One Commune One Product, Decision 148/QĐ-TTg 2023)
	('ocop', NULL, 'Sản phẩm OCOP', 'OCOP products', 'normal', NULL, 60),
	('ocop-thuc-pham', 'ocop', 'Thực phẩm OCOP', 'OCOP food', 'conditional',
	 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (Nghị định 15/2018/NĐ-CP)', 10),
	('ocop-do-uong', 'ocop', 'Đồ uống OCOP', 'OCOP beverages', 'normal', NULL, 20),
	('ocop-luu-niem', 'ocop', 'Lưu niệm, trang trí OCOP', 'OCOP souvenirs and decor', 'normal', NULL, 30),
	-- Medicinal herbs (Law on Pharmacy 2016)
	('duoc-lieu', NULL, 'Dược liệu', 'Medicinal herbs', 'conditional',
	 'Giấy chứng nhận đủ điều kiện kinh doanh dược hoặc hồ sơ nguồn gốc dược liệu (Luật Dược 2016, Nghị định 54/2017/NĐ-CP)', 70),
	('duoc-lieu-kho', 'duoc-lieu', 'Dược liệu khô', 'Dried herbs', 'conditional',
	 'Giấy chứng nhận đủ điều kiện kinh doanh dược (Luật Dược 2016)', 10),
	('cao-duoc-lieu', 'duoc-lieu', 'Cao, tinh dầu dược liệu', 'Herbal extracts and oils', 'conditional',
	 'Giấy chứng nhận đủ điều kiện kinh doanh dược (Luật Dược 2016)', 20),
	-- Dietary supplements (Decree 15/2018, art. 7)
	('thuc-pham-chuc-nang', NULL, 'Thực phẩm chức năng', 'Dietary supplements', 'conditional',
	 'Giấy tiếp nhận đăng ký bản công bố sản phẩm (Nghị định 15/2018/NĐ-CP)', 80),
	-- Farm supplies
	('vat-tu-nong-nghiep', NULL, 'Vật tư nông nghiệp', 'Farm supplies', 'normal', NULL, 90),
	('giong-cay-trong', 'vat-tu-nong-nghiep', 'Giống cây trồng', 'Seeds and seedlings', 'normal', NULL, 10),
	('phan-bon', 'vat-tu-nong-nghiep', 'Phân bón', 'Fertilisers', 'conditional',
	 'Giấy chứng nhận đủ điều kiện buôn bán phân bón (Nghị định 84/2019/NĐ-CP)', 20),
	('thuoc-bao-ve-thuc-vat', 'vat-tu-nong-nghiep', 'Thuốc bảo vệ thực vật', 'Pesticides', 'conditional',
	 'Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (Luật Bảo vệ và kiểm dịch thực vật 2013)', 30),
	('dung-cu-nong-nghiep', 'vat-tu-nong-nghiep', 'Dụng cụ nông nghiệp', 'Farm tools', 'normal', NULL, 40),
	-- Goods that may not be traded (Law on Investment 2020 art. 6, Decree
	-- 52/2013 as amended by Decree 85/2021, Decree 137/2020 on fireworks,
	-- Resolution 173/2024/QH15 on e-cigarettes)
	('hang-cam', NULL, 'Hàng cấm kinh doanh', 'Prohibited goods', 'prohibited', NULL, 100),
	('phao-no', 'hang-cam', 'Pháo nổ', 'Firecrackers', 'prohibited', NULL, 10),
	('vu-khi-cong-cu-ho-tro', 'hang-cam', 'Vũ khí, công cụ hỗ trợ', 'Weapons and restraint devices', 'prohibited', NULL, 20),
	('dong-vat-hoang-da', 'hang-cam', 'Động vật hoang dã quý hiếm', 'Rare wild animals', 'prohibited', NULL, 30),
	('thuc-vat-rung-quy-hiem', 'hang-cam', 'Thực vật rừng quý hiếm', 'Rare forest plants', 'prohibited', NULL, 40),
	('ma-tuy-tien-chat', 'hang-cam', 'Ma túy và tiền chất', 'Narcotics and precursors', 'prohibited', NULL, 50),
	('thuoc-la-dien-tu', 'hang-cam', 'Thuốc lá điện tử, thuốc lá nung nóng', 'E-cigarettes and heated tobacco', 'prohibited', NULL, 60),
	('hang-gia', 'hang-cam', 'Hàng giả, hàng xâm phạm sở hữu trí tuệ', 'Counterfeit and infringing goods', 'prohibited', NULL, 70);

INSERT INTO san.categories (parent_id, slug, name_vi, name_en, policy,
    licence_hint, position)
SELECT NULL, slug, name_vi, name_en, policy, licence_hint, position
  FROM seed_category WHERE parent IS NULL ORDER BY position;
INSERT INTO san.categories (parent_id, slug, name_vi, name_en, policy,
    licence_hint, position)
SELECT p.id, s.slug, s.name_vi, s.name_en, s.policy, s.licence_hint,
    s.position
  FROM seed_category s JOIN san.categories p ON p.slug = s.parent
 ORDER BY p.position, s.position;

-- Products -----------------------------------------------------------------

-- name_fold and province_fold are san.fold() of name and origin_province,
-- stored: folding costs ~7 µs a value (mostly normalize()), and search
-- would otherwise recompute it for every candidate row.
CREATE TABLE san.products (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	store_id		bigint NOT NULL REFERENCES san.stores,
	category_id		int NOT NULL REFERENCES san.categories,
	name			text NOT NULL
				    CHECK (length(name) BETWEEN 1 AND 200),
	description		text NOT NULL DEFAULT '',
	price_vnd		bigint NOT NULL CHECK (price_vnd > 0),
	unit			text NOT NULL,
	stock			int NOT NULL DEFAULT 0 CHECK (stock >= 0),
	weight_g		int NOT NULL DEFAULT 0 CHECK (weight_g >= 0),
	origin_province		text,
	ocop_stars		smallint CHECK (ocop_stars BETWEEN 3 AND 5),
	ocop_certificate	text,
	trace_code		text,
	licence_ref		text,
	status			text NOT NULL DEFAULT 'draft'
				    CHECK (status IN ('draft', 'active',
				    'hidden', 'removed')),
	removed_reason		text,
	listed			boolean NOT NULL DEFAULT false,
	cover_image_id		bigint,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	name_fold		text GENERATED ALWAYS AS (san.fold(name)) STORED,
	province_fold		text
				    GENERATED ALWAYS AS (san.fold(origin_province))
				    STORED,
	CHECK (NOT listed OR status = 'active')
) WITH (fillfactor = 90);

-- Members' view of a store (any status), and the foreign-key lookups of
-- the store and business triggers.
CREATE INDEX products_store_idx ON san.products (store_id, id);
CREATE INDEX products_category_fk_idx ON san.products (category_id);
-- The public (listed) hot paths.
CREATE INDEX products_listed_id_idx ON san.products (id) WHERE listed;
CREATE INDEX products_listed_category_idx ON san.products (category_id, id)
    WHERE listed;
CREATE INDEX products_listed_category_price_idx ON san.products
    (category_id, price_vnd, id) WHERE listed;
CREATE INDEX products_listed_price_idx ON san.products (price_vnd, id)
    WHERE listed;
CREATE INDEX products_listed_store_idx ON san.products (store_id, id)
    WHERE listed;
CREATE INDEX products_listed_province_idx ON san.products (province_fold, id)
    WHERE listed;
CREATE INDEX products_listed_ocop_idx ON san.products (id)
    WHERE listed AND ocop_stars IS NOT NULL;
-- Trigram indexes for search.  A small pending list: every search scans
-- it, and product writes are rare next to searches.
CREATE INDEX products_listed_name_trgm_idx ON san.products
    USING gin (name_fold gin_trgm_ops) WITH (gin_pending_list_limit = 256)
    WHERE listed;
-- Names containing the query with its diacritics (search ranks them
-- first); also gives the planner statistics on lower(name).
CREATE INDEX products_listed_name_lower_trgm_idx ON san.products
    USING gin (lower(name) gin_trgm_ops) WITH (gin_pending_list_limit = 256)
    WHERE listed;

-- listed, computed for every written row.  Writers that change a product
-- lock its store and business FOR SHARE first (api functions), so a
-- concurrent suspension waits and then sees the new row.
CREATE FUNCTION san.products_set_listed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	NEW.listed := NEW.status = 'active' AND EXISTS (
	    SELECT 1 FROM san.stores s
	      JOIN san.businesses b ON b.id = s.business_id
	     WHERE s.id = NEW.store_id AND s.status = 'active'
	       AND b.status = 'verified');
	RETURN NEW;
END $$;
CREATE TRIGGER products_set_listed BEFORE INSERT OR UPDATE ON san.products
    FOR EACH ROW EXECUTE FUNCTION san.products_set_listed();

CREATE FUNCTION san.stores_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	v_ok	boolean := NEW.status = 'active' AND EXISTS (
	    SELECT 1 FROM san.businesses b
	     WHERE b.id = NEW.business_id AND b.status = 'verified');
BEGIN
	UPDATE san.products p SET listed = (p.status = 'active' AND v_ok)
	 WHERE p.store_id = NEW.id
	   AND p.listed <> (p.status = 'active' AND v_ok);
	RETURN NULL;
END $$;
CREATE TRIGGER stores_relist AFTER UPDATE OF status ON san.stores
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION san.stores_relist();

CREATE FUNCTION san.businesses_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE san.products p
	   SET listed = (p.status = 'active' AND s.status = 'active' AND
		NEW.status = 'verified')
	  FROM san.stores s
	 WHERE s.business_id = NEW.id AND p.store_id = s.id
	   AND p.listed <> (p.status = 'active' AND s.status = 'active' AND
		NEW.status = 'verified');
	RETURN NULL;
END $$;
CREATE TRIGGER businesses_relist AFTER UPDATE OF status ON san.businesses
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION san.businesses_relist();

-- Listed products per category (not counting subcategories), so the
-- category list is cheap whatever the size of the catalogue.  Statement
-- triggers with transition tables: a bulk insert of a million rows
-- touches each counter once; counters are updated in category order so
-- concurrent writers cannot deadlock on them.
CREATE TABLE san.category_counts (
	category_id	int PRIMARY KEY REFERENCES san.categories
			    ON DELETE CASCADE,
	n		bigint NOT NULL DEFAULT 0
);
INSERT INTO san.category_counts (category_id, n)
SELECT c.id, (SELECT count(*) FROM san.products p
	WHERE p.category_id = c.id AND p.listed)
  FROM san.categories c;

CREATE FUNCTION san.category_counts_add() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO san.category_counts AS cc (category_id, n)
		SELECT category_id, count(*) FROM new_rows WHERE listed
		 GROUP BY category_id ORDER BY category_id
		ON CONFLICT (category_id) DO UPDATE SET n = cc.n + EXCLUDED.n;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO san.category_counts AS cc (category_id, n)
		SELECT category_id, -count(*) FROM old_rows WHERE listed
		 GROUP BY category_id ORDER BY category_id
		ON CONFLICT (category_id) DO UPDATE SET n = cc.n + EXCLUDED.n;
	ELSE
		INSERT INTO san.category_counts AS cc (category_id, n)
		SELECT category_id, sum(d) FROM (
			SELECT category_id, 1 AS d FROM new_rows WHERE listed
			UNION ALL
			SELECT category_id, -1 FROM old_rows WHERE listed) x
		 GROUP BY category_id HAVING sum(d) <> 0 ORDER BY category_id
		ON CONFLICT (category_id) DO UPDATE SET n = cc.n + EXCLUDED.n;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER category_counts_insert AFTER INSERT ON san.products
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.category_counts_add();
CREATE TRIGGER category_counts_update AFTER UPDATE ON san.products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.category_counts_add();
CREATE TRIGGER category_counts_delete AFTER DELETE ON san.products
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.category_counts_add();

-- Price history: the price from valid_from on.  A row when the product is
-- created (from its created_at) and at every change of price; two changes
-- in one transaction keep the last.  api.product_price_at answers "price
-- at time T" (orders will snapshot prices besides).
CREATE TABLE san.product_prices (
	product_id	bigint NOT NULL REFERENCES san.products
			    ON DELETE CASCADE,
	price_vnd	bigint NOT NULL CHECK (price_vnd > 0),
	valid_from	timestamptz NOT NULL,
	PRIMARY KEY (product_id, valid_from)
);

CREATE FUNCTION san.product_prices_record() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO san.product_prices (product_id, price_vnd,
		    valid_from)
		SELECT id, price_vnd, created_at FROM new_rows
		ON CONFLICT (product_id, valid_from)
		DO UPDATE SET price_vnd = EXCLUDED.price_vnd;
	ELSE
		INSERT INTO san.product_prices (product_id, price_vnd,
		    valid_from)
		SELECT n.id, n.price_vnd, now()
		  FROM new_rows n JOIN old_rows o ON o.id = n.id
		 WHERE n.price_vnd <> o.price_vnd
		ON CONFLICT (product_id, valid_from)
		DO UPDATE SET price_vnd = EXCLUDED.price_vnd;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER product_prices_insert AFTER INSERT ON san.products
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.product_prices_record();
CREATE TRIGGER product_prices_update AFTER UPDATE ON san.products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION san.product_prices_record();

-- Images -------------------------------------------------------------------

-- At most 8 a product (api.image_add, under a lock on the product);
-- positions 0..n-1, the lowest is the cover (products.cover_image_id,
-- kept by the api functions; no foreign key, so deleting an image needs
-- no index on cover_image_id).  Bytes are already compressed formats:
-- stored out of line without compression.  etag: hex SHA-256 from the
-- server.
CREATE TABLE san.product_images (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	product_id	bigint NOT NULL REFERENCES san.products
			    ON DELETE CASCADE,
	position	smallint NOT NULL CHECK (position BETWEEN 0 AND 7),
	mime		text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png',
			    'image/webp')),
	bytes		bytea NOT NULL,
	size		int NOT NULL,
	etag		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE san.product_images ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX product_images_product_idx ON san.product_images
    (product_id, position);
