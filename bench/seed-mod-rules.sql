-- The monitoring bench's rule set (make bench, BENCH_ONLY=monitoring):
--   psql -v n=1000 -f bench/seed-mod-rules.sql
-- Every rule of the database is made inactive, then :n active keyword
-- rules are added, shaped like the seeded ones (migration 007): 1-3
-- terms each, mostly two- or three-word phrases (goods + a qualifier:
-- "sừng tê giác", "đồng hồ super fake"), one in ten a single word (a
-- brand or slang: "vape", "replica"), one rule in five with an exception
-- that contains one of its terms ("súng hơi đồ chơi" beside "súng hơi").
-- Terms repeat across rules, as they do when officials write rules for
-- overlapping laws.  Severity: 60 % flag, 30 % hold, 10 % block.  The
-- names and descriptions the bench writes match none of them (a clean
-- update, the common case), so every screening does the whole lookup.
-- Written directly (no rescan jobs): the rescan part makes its own.
BEGIN;
UPDATE san.mod_rules SET active = false WHERE active;
INSERT INTO san.mod_rules (name, kind, severity, category, params)
SELECT 'Bench ' || g, 'keyword',
    (ARRAY['flag', 'flag', 'flag', 'flag', 'flag', 'flag', 'hold', 'hold',
	'hold', 'block'])[1 + g % 10],
    (ARRAY['prohibited_goods', 'unsafe_goods', 'counterfeit', 'other',
	'misleading_price'])[1 + g % 5],
    jsonb_build_object('terms', t.terms, 'except',
	CASE WHEN g % 5 = 0 THEN jsonb_build_array(t.terms->>0 || ' ' ||
	    (ARRAY['đồ chơi', 'mô hình', 'trang trí', 'phun sơn'])[1 + g % 4])
	ELSE '[]'::jsonb END)
  FROM generate_series(1, :n) g,
    LATERAL (SELECT jsonb_agg(CASE WHEN (g + k) % 10 = 0
	THEN w.one[1 + (g * 13 + k * 7) % cardinality(w.one)]
	ELSE w.goods[1 + (g * 31 + k * 17) % cardinality(w.goods)] || ' ' ||
	    w.qual[1 + (g * 7 + k * 29) % cardinality(w.qual)] END) AS terms
	FROM generate_series(0, g % 3) k,
	    (SELECT ARRAY['súng', 'đạn', 'pháo', 'thuốc lá', 'tinh dầu',
		'rượu', 'mật', 'sừng', 'ngà', 'vảy', 'cao', 'nấm', 'hạt', 'bột',
		'viên', 'kem', 'túi', 'đồng hồ', 'giày', 'kính', 'nước hoa',
		'mỹ phẩm', 'thực phẩm chức năng', 'dao', 'roi', 'bình xịt',
		'máy', 'thẻ', 'sim', 'tiền', 'vàng', 'đá', 'gỗ', 'da', 'lông',
		'chim', 'rùa', 'khỉ', 'trăn', 'kỳ đà'] AS goods,
	    ARRAY['giả', 'nhái', 'lậu', 'cấm', 'tự chế', 'quân dụng',
		'hoang dã', 'tê giác', 'hổ', 'gấu', 'voi', 'tê tê', 'điện',
		'hơi', 'săn', 'không nhãn', 'không rõ nguồn gốc',
		'chữa ung thư', 'giảm cân cấp tốc', 'kích dục', 'super fake',
		'rep 1 1', 'hàng hiệu fake', 'trôi nổi', 'hết hạn', 'tái chế',
		'chưa kiểm định', 'xách tay không hóa đơn', 'nội tạng', 'sống',
		'nổ', 'ảo giác', 'nung nóng', 'mạo danh', 'rác', 'số đẹp',
		'tín dụng', 'ngoại tệ', 'trang sức cổ', 'sưa đỏ'] AS qual,
	    ARRAY['vape', 'replica', 'ketamine', 'tramadol', 'cocaine',
		'shisha', 'airsoft', 'nunchaku', 'fentanyl', 'mephedrone']
		AS one) w) t;
INSERT INTO san.mod_rule_versions (rule_id, version, name, kind, severity,
    category, params, active)
SELECT id, version, name, kind, severity, category, params, active
  FROM san.mod_rules WHERE name LIKE 'Bench %';
COMMIT;
ANALYZE san.mod_rules, san.mod_rule_terms;
