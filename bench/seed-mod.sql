-- The seller of the monitoring bench's product updates (make bench,
-- BENCH_ONLY=monitoring):
--   psql -v hash=HASH -v products=1000 -f bench/seed-mod.sql
-- A seller account whose session's token hashes (BLAKE2b-256, as
-- src/api.c hashes a Bearer token) to :hash, owner of the business of the
-- synthetic store bench-<first>, and :products listed products of that
-- store with a description of about fifty words (a real listing's
-- length: screening reads the name and the description whenever either
-- changes).  One INSERT, so their ids are consecutive.
BEGIN;
CREATE SCHEMA IF NOT EXISTS bench;
INSERT INTO san.accounts (email, password_hash, full_name)
VALUES ('mod-seller@bench.invalid', 'x', 'Người bán thử giám sát');
INSERT INTO san.sessions (token_hash, account_id, expires_at)
SELECT :'hash', id, now() + interval '1 day' FROM san.accounts
 WHERE email = 'mod-seller@bench.invalid';
CREATE TABLE bench.mod_store AS
SELECT s.id, s.business_id FROM san.stores s
  JOIN san.businesses b ON b.id = s.business_id
 WHERE s.slug LIKE 'bench-%' AND s.status = 'active'
   AND b.status = 'verified'
 ORDER BY s.id DESC LIMIT 1;
INSERT INTO san.business_members (business_id, account_id, role)
SELECT m.business_id, a.id, 'owner' FROM bench.mod_store m, san.accounts a
 WHERE a.email = 'mod-seller@bench.invalid';
INSERT INTO san.products (store_id, category_id, name, description,
    price_vnd, unit, stock, weight_g, origin_province, status)
SELECT m.id, c.id, 'Cà phê rang xay giám sát ' || g,
    'Cà phê Robusta trồng trên đất đỏ bazan, thu hái khi chín đỏ, phơi '
    'trên giàn tre rồi rang mộc bằng củi ở nhiệt độ vừa phải để giữ hương '
    'vị đậm đà. Đóng gói túi zip có van một chiều, bảo quản nơi khô ráo '
    'thoáng mát, tránh ánh nắng trực tiếp. Pha phin hoặc pha máy đều '
    'ngon, dùng trong ba tháng kể từ ngày mở túi. Lô số ' || g || '.',
    1000 * (50 + g % 200), 'gói', 1000, 500, 'Tây Ninh', 'active'
  FROM generate_series(1, :products) g, bench.mod_store m,
    (SELECT min(id) AS id FROM san.categories k
      WHERE k.policy = 'normal' AND NOT EXISTS (SELECT 1
	FROM san.categories ch WHERE ch.parent_id = k.id)) c;
CREATE TABLE bench.mod_products AS
SELECT min(p.id) AS lo, max(p.id) AS hi, count(*) AS n
  FROM san.products p, bench.mod_store m
 WHERE p.store_id = m.id AND p.name LIKE 'Cà phê rang xay giám sát %';
COMMIT;
VACUUM ANALYZE san.products, san.sessions, san.business_members;
