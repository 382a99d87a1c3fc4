-- Buyers, stores and products for the order benches of make bench:
--   psql -v products=1000 -v stores=20 -v stock=1000000 \
--        -f bench/seed-orders.sql <HASHES
-- HASHES (standard input) holds "n<TAB>token_hash" per buyer:
-- scripts/bench.sh makes the
-- tokens and hashes them (BLAKE2b-256, as src/api.c does a Bearer token),
-- so wrk sends real tokens and pgbench passes the same sessions' hashes.
-- Everything the bench needs to look up lives in schema bench.
BEGIN;
CREATE SCHEMA bench;
CREATE TABLE bench.buyers (
	n		int PRIMARY KEY,
	token_hash	text NOT NULL,
	account_id	bigint
);
\copy bench.buyers (n, token_hash) FROM pstdin
INSERT INTO san.accounts (email, password_hash, full_name)
SELECT 'buyer' || n || '@bench.invalid', 'x', 'Người mua ' || n
  FROM bench.buyers ORDER BY n;
UPDATE bench.buyers b SET account_id = a.id
  FROM san.accounts a WHERE lower(a.email) = 'buyer' || b.n || '@bench.invalid';
INSERT INTO san.sessions (token_hash, account_id, expires_at)
SELECT token_hash, account_id, now() + interval '1 day' FROM bench.buyers;

-- :stores of the synthetic stores sell, each with one flat-fee method.
CREATE TABLE bench.order_stores AS
SELECT s.id FROM san.stores s
  JOIN san.businesses b ON b.id = s.business_id
 WHERE s.slug LIKE 'bench-%' AND s.status = 'active'
   AND b.status = 'verified'
 ORDER BY s.id LIMIT :stores;
INSERT INTO san.shipping_methods (store_id, carrier, name, fee_rule, fee_vnd)
SELECT id, 'own', 'Giao tận nơi', 'flat', 15000 FROM bench.order_stores;

-- :products products with :stock units each, spread over those stores;
-- one INSERT, so their ids are consecutive (bench.sh checks).
INSERT INTO san.products (store_id, category_id, name, description,
    price_vnd, unit, stock, weight_g, origin_province, status)
SELECT s.a[1 + g % cardinality(s.a)], c.id,
    'Hàng đặt thử ' || g, 'Sản phẩm cho bài đo đặt hàng',
    1000 * (10 + g % 490), 'gói', :stock, 200 + g % 1800, 'Tây Ninh',
    'active'
  FROM generate_series(1, :products) g,
    (SELECT array_agg(id ORDER BY id) AS a FROM bench.order_stores) s,
    (SELECT min(id) AS id FROM san.categories k
      WHERE k.policy = 'normal' AND NOT EXISTS (SELECT 1
	FROM san.categories ch WHERE ch.parent_id = k.id)) c;
CREATE TABLE bench.order_products AS
SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM san.products
 WHERE name LIKE 'Hàng đặt thử %';
COMMIT;
VACUUM ANALYZE san.accounts, san.sessions, san.products,
    san.shipping_methods, bench.buyers;
