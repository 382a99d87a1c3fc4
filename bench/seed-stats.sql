-- :n orders for the statistics bench of make bench (BENCH_ONLY=stats),
-- spread over 24 months, the synthetic stores and every status; the
-- summary tables are then rebuilt in one pass (the per-row trigger is off
-- while the rows go in, as a restore would do), so the indicators read
-- what 1,000,000 orders leave behind.
--   psql -v n=1000000 -f bench/seed-stats.sql
BEGIN;
INSERT INTO san.accounts (email, password_hash, full_name)
VALUES ('stats-buyer@bench.invalid', 'x', 'Người mua thống kê');
INSERT INTO san.shipping_methods (store_id, carrier, name, fee_rule, fee_vnd)
SELECT s.id, 'own', 'Giao tận nơi', 'flat', 15000 FROM san.stores s
 WHERE s.slug LIKE 'bench-%' AND NOT EXISTS (SELECT 1
	FROM san.shipping_methods x WHERE x.store_id = s.id);
CREATE TEMP TABLE st AS
SELECT s.id AS store_id, m.id AS method_id,
    row_number() OVER (ORDER BY s.id) AS k
  FROM san.stores s
  JOIN LATERAL (SELECT id FROM san.shipping_methods x
	WHERE x.store_id = s.id ORDER BY id LIMIT 1) m ON true
 WHERE s.slug LIKE 'bench-%';
INSERT INTO san.order_groups (buyer_id, idempotency_key, request_hash,
    payment_method, shipping_address)
SELECT a.id, 'stats-bench', '\x00', 'cod', '{}'
  FROM san.accounts a WHERE a.email = 'stats-buyer@bench.invalid';
ALTER TABLE san.orders DISABLE TRIGGER stat_orders_insert;
INSERT INTO san.orders (group_id, store_id, buyer_id, status, payment_method,
    subtotal_vnd, shipping_fee_vnd, total_vnd, shipping_method_id, carrier,
    paid_at, invoice, created_at)
SELECT g.id, st.store_id, g.buyer_id,
    (ARRAY['placed','paid','confirmed','shipped','delivered','completed',
	'completed','completed','cancelled','expired'])[1 + i % 10],
    CASE WHEN i % 10 IN (1, 9) OR i % 3 = 0 THEN 'vnpay' ELSE 'cod' END,
    50000 + (i % 40) * 5000, 15000, 65000 + (i % 40) * 5000,
    st.method_id, 'own',
    CASE WHEN i % 10 NOT IN (0, 9) THEN now() END,
    CASE WHEN i % 10 IN (5, 6) THEN '{"form":"1","series":"C25TAA","number":"1","issued_on":"2025-01-01","lookup_code":"X"}'::jsonb END,
    now() - ((i % 730) || ' days')::interval
  FROM generate_series(1, :n) i
  JOIN st ON st.k = 1 + i % (SELECT count(*) FROM st)
  CROSS JOIN (SELECT id, buyer_id FROM san.order_groups
	WHERE idempotency_key = 'stats-bench') g;
ALTER TABLE san.orders ENABLE TRIGGER stat_orders_insert;
DELETE FROM san.stat_orders;
INSERT INTO san.stat_orders (month, store_id, business_id, orders_n,
    value_vnd, online_n, online_vnd, completed_n, einvoice_n, delivered_n,
    cancelled_n)
SELECT san.stat_month(o.created_at), o.store_id, s.business_id,
    sum(c.counted), sum(c.value_vnd), sum(c.online), sum(c.online_vnd),
    sum(c.completed), sum(c.einvoice), sum(c.delivered), sum(c.cancelled)
  FROM san.orders o
  JOIN san.stores s ON s.id = o.store_id
  CROSS JOIN LATERAL san.stat_order_contrib(o) c
 WHERE c.counted = 1
 GROUP BY 1, 2, 3;
SELECT san.stat_orders_months_rebuild();
COMMIT;
VACUUM ANALYZE san.orders, san.stat_orders, san.stat_orders_months,
    san.stat_businesses;
