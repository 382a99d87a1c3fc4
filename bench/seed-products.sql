-- Synthetic listed products for make bench and the EXPLAIN tests:
-- psql -v n=100000 -f bench/seed-products.sql.  Vietnamese-looking names
-- from word lists, spread over the normal leaf categories, the public
-- stores, prices and provinces.  One transaction.
BEGIN;
INSERT INTO san.products (store_id, category_id, name, description, price_vnd,
    unit, stock, weight_g, origin_province, status)
SELECT s.a[1 + g % cardinality(s.a)],
    c.a[1 + (g / 7) % cardinality(c.a)],
    w.one[1 + g % cardinality(w.one)] || ' ' ||
	w.two[1 + (g / 25) % cardinality(w.two)] || ' ' || (g % 997),
    'Sản phẩm thử tải số ' || g,
    1000 * (5 + (g::bigint * 7919) % 995), 'gói', 100 + g % 50, 100 + g % 2000,
    (ARRAY['Tây Ninh', 'Khánh Hòa', 'Quảng Ngãi', 'Lâm Đồng'])[1 + g % 4],
    'active'
  FROM generate_series(1, :n) g,
    (SELECT array_agg(s.id) AS a FROM san.stores s
       JOIN san.businesses b ON b.id = s.business_id
      WHERE b.status = 'verified' AND s.status = 'active') s,
    (SELECT array_agg(id) AS a FROM san.categories k
      WHERE k.policy = 'normal' AND NOT EXISTS (SELECT 1
	FROM san.categories ch WHERE ch.parent_id = k.id)) c,
    (SELECT ARRAY['Cà phê', 'Bánh tráng', 'Muối tôm', 'Mãng cầu', 'Gạo',
	'Mật ong', 'Trà', 'Nước mắm', 'Hạt điều', 'Tiêu', 'Bánh pía',
	'Kẹo dừa', 'Nem chua', 'Chả lụa', 'Bưởi', 'Xoài', 'Sầu riêng', 'Chè',
	'Miến dong', 'Tỏi', 'Yến sào', 'Nấm linh chi', 'Khô bò', 'Mắm ruốc',
	'Bánh canh'] AS one,
	ARRAY['rang xay', 'phơi sương', 'đặc biệt', 'hữu cơ', 'thượng hạng',
	'truyền thống', 'sấy dẻo', 'nguyên chất', 'Tây Ninh', 'Bà Đen',
	'Trảng Bàng', 'Đà Lạt', 'Buôn Ma Thuột', 'Phú Quốc', 'Cao Bằng',
	'loại 1', 'xuất khẩu', 'gia truyền'] AS two) w;
COMMIT;
-- VACUUM, not only ANALYZE: it flushes the trigram indexes' pending lists
-- and sets the visibility map for index-only scans.
VACUUM ANALYZE san.products;
