-- 005: a store can sell from the day it opens.  Until now a new store had
-- no shipping method, so its first buyer got 422 no_shipping_method.
-- api.store_create now gives it the floor's default method from this
-- setting (JSON, a method as in PUT /api/v1/stores/{slug}/shipping-methods;
-- an empty value: none), and stores that never had a method get it now.
-- The owner replaces it like any other.
INSERT INTO san.settings (key, value) VALUES
	('store_default_shipping', '{"carrier": "own", "name": "Cửa hàng tự giao", "fee_rule": "flat", "fee_vnd": 30000}');

INSERT INTO san.shipping_methods (store_id, carrier, name, fee_rule, fee_vnd)
SELECT s.id, d.m->>'carrier', d.m->>'name', d.m->>'fee_rule',
    (d.m->>'fee_vnd')::bigint
  FROM san.stores s,
    (SELECT san.setting('store_default_shipping')::jsonb AS m) d
 WHERE NOT EXISTS (SELECT 1 FROM san.shipping_methods x
	WHERE x.store_id = s.id);
