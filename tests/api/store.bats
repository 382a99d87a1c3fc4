#!/usr/bin/env bats
# Storefronts: opened by owners of verified businesses, public view with the
# Decree 52 seller identity, search, pagination, visibility with the
# business status.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email shop)")
	[ -n "$tok" ]
	export OWNER_ID=$id OWNER_TOK=$tok
}

setup() {
	# A fresh verified business for every test.
	BIZ=$(verified_business "$OWNER_TOK" "Hợp tác xã Cà phê Đất Đỏ")
	[ -n "$BIZ" ]
}

# list_walk QUERY LIMIT: every slug of GET /api/v1/stores?QUERY, following
# "next" from page to page, one per line.
list_walk() {
	local q=$1 limit=$2 after="" pages=0
	while :; do
		TOKEN= api GET "/api/v1/stores?${q:+$q&}limit=$limit${after:+&after=$after}"
		[ "$code" = 200 ] || { echo "page: $code $body" >&2; return 1; }
		[ "$(jq '.items | length' <<<"$body")" -le "$limit" ] || return 1
		jq -r '.items[].slug' <<<"$body"
		after=$(jq -r '.next // empty' <<<"$body")
		[ -n "$after" ] || break
		pages=$((pages + 1))
		[ $pages -lt 10000 ] || return 1
	done
}

@test "owner of a verified business opens a store with an explicit slug (201)" {
	local slug; slug=$(uniq_slug ca-phe-dat-do)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Cà phê Đất Đỏ" "$slug")"
	[ "$code" = 201 ]
	[ "$(jq -r .slug <<<"$body")" = "$slug" ]
	[ "$(jq -r .name <<<"$body")" = "Cà phê Đất Đỏ" ]
	[ "$(jq -r .phone <<<"$body")" = "+84987654321" ]
	[ "$(sql "SELECT business_id || ' ' || name || ' ' || phone FROM san.stores WHERE slug = '$slug'")" = "$BIZ Cà phê Đất Đỏ +84987654321" ]
}

@test "a slug is derived from a Vietnamese name; a second store of the same name gets -2" {
	# This test owns the name: earlier runs on the same database are
	# cleared so the first derived slug is the bare one.
	sql "DELETE FROM san.stores WHERE slug ~ '^dac-san-tay-ninh(-[0-9]+)?\$'"
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Đặc sản Tây Ninh")"
	[ "$code" = 201 ]
	[ "$(jq -r .slug <<<"$body")" = dac-san-tay-ninh ]
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Đặc sản Tây Ninh")"
	[ "$code" = 201 ]
	[ "$(jq -r .slug <<<"$body")" = dac-san-tay-ninh-2 ]
	# NFD input and other case give the same slug base.
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "$(printf '\xc4\x90A\xcc\xa3\xcc\x86C SA\xcc\x89N TA\xcc\x82Y NINH')")"
	[ "$code" = 201 ]
	[ "$(jq -r .slug <<<"$body")" = dac-san-tay-ninh-3 ]
	[ "$(sql "SELECT string_agg(slug, ',' ORDER BY id) FROM san.stores WHERE business_id = $BIZ")" = "dac-san-tay-ninh,dac-san-tay-ninh-2,dac-san-tay-ninh-3" ]
	# A name with nothing to transliterate still gets a valid slug.
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "★ ☕ ★")"
	[ "$code" = 201 ]
	[[ "$(jq -r .slug <<<"$body")" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]]
}

@test "a duplicate explicit slug answers 409 slug_taken and adds nothing" {
	local slug before
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug taken)")
	before=$(snapshot)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng khác" "$slug")"
	assert_error 409 slug_taken slug
	# Another owner cannot take it either.
	local id2 tok2 biz2
	read -r id2 tok2 < <(new_account)
	biz2=$(verified_business "$tok2")
	before=$(snapshot)
	TOKEN=$tok2 api POST /api/v1/stores "$(store_body "$biz2" "Gian hàng khác" "$slug")"
	assert_error 409 slug_taken slug
	assert_unchanged "$before"
}

@test "invalid slugs answer 400 invalid_slug and add nothing" {
	local before s
	before=$(snapshot)
	for s in "Dac-San" "dac san" "dac--san" "-dac-san" "dac-san-" "ab" "đặc-sản" "dac_san" "dac/san" \
	    "$(printf 'a%.0s' $(seq 64))"; do
		TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" "$s")"
		assert_error 400 invalid_slug slug || { echo "slug: $s"; return 1; }
	done
	assert_unchanged "$before"
	# 63 characters is the longest allowed.
	s=$(printf 'a%.0s' $(seq 60))$((RANDOM % 900 + 100))
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" "$s")"
	[ "$code" = 201 ]
}

@test "a business that is not verified cannot open a store (409 business_not_verified)" {
	local before p st
	p=$(new_business "$OWNER_TOK")
	before=$(snapshot)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$p" "Gian hàng chờ duyệt" "$(uniq_slug pending)")"
	assert_error 409 business_not_verified business_id
	for st in rejected suspended; do
		sql "UPDATE san.businesses SET status = '$st' WHERE id = $p"
		before=$(snapshot)
		TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$p" "Gian hàng" "$(uniq_slug "$st")")"
		assert_error 409 business_not_verified business_id
		assert_unchanged "$before"
	done
}

@test "store bodies are validated: missing, unknown and malformed members answer 400" {
	local before
	before=$(snapshot)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c 'del(.business_id)')"
	assert_error 400 required business_id
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c '.business_id = "1"')"
	assert_error 400 invalid_id business_id
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c '.business_id = 0')"
	assert_error 400 invalid_id business_id
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c 'del(.pickup_address)')"
	assert_error 400 required pickup_address
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c '.phone = "0123"')"
	assert_error 400 invalid_phone phone
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c '.email = "khong-phai-email"')"
	assert_error 400 invalid_email email
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng" | jq -c '.owner_id = 1')"
	assert_error 400 unknown_field
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body 999999999 "Gian hàng")"
	assert_error 404 business_not_found business_id
	assert_unchanged "$before"
}

@test "GET /api/v1/stores/{slug} is public and shows the seller identity" {
	local slug
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug public)" "Cà phê Đất Đỏ")
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
	[ "$(jq -r .slug <<<"$body")" = "$slug" ]
	[ "$(jq -r .name <<<"$body")" = "Cà phê Đất Đỏ" ]
	local b; b=$(sql "SELECT json_build_object('name', name, 'tax_code', tax_code, 'address', address, 'phone', phone) FROM san.businesses WHERE id = $BIZ")
	[ "$(jq -c '.seller | {name, tax_code, address, phone}' <<<"$body")" = "$(jq -c '{name, tax_code, address, phone}' <<<"$b")" ]
	[ "$(jq -r .seller.name <<<"$body")" = "Hợp tác xã Cà phê Đất Đỏ" ]
	[[ "$(jq -r .seller.tax_code <<<"$body")" =~ ^[0-9]{10}$ ]]
	[ "$(jq -r .seller.phone <<<"$body")" = "+84912345678" ]
	[ "$(jq -r .seller.address <<<"$body")" = "12 Đường 30/4, Phường 1" ]
	# The public view carries no internal ids or review history.
	[ "$(jq -r '.seller | has("history") or has("status") or has("id")' <<<"$body")" = false ]
	TOKEN= api GET "/api/v1/stores/khong-co-gian-hang-nay"
	assert_error 404 store_not_found
}

@test "GET /api/v1/stores?q= finds names without regard to diacritics or case" {
	local tag slug n
	tag=$RANDOM$RANDOM
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug caphe)" "Cà phê $tag Đất Đỏ")
	new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug tra)" "Trà xanh $tag" >/dev/null
	# q=ca phe, q=cà phê (NFC), CÀ PHÊ, cà phê with a combining grave
	# (NFD), đất đỏ, dat do.
	for q in "ca%20phe%20$tag" "c%C3%A0%20ph%C3%AA%20$tag" "C%C3%80+PH%C3%8A+$tag" \
	    "ca%CC%80%20phe%CC%82%20$tag" "$tag%20%C4%91%E1%BA%A5t%20%C4%91%E1%BB%8F" "$tag+dat+do"; do
		TOKEN= api GET "/api/v1/stores?q=$q"
		[ "$code" = 200 ]
		[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$slug" ] || { echo "q=$q: $body"; return 1; }
	done
	TOKEN= api GET "/api/v1/stores?q=$tag"
	[ "$(jq '.items | length' <<<"$body")" = 2 ]
	# LIKE metacharacters are literal.
	TOKEN= api GET "/api/v1/stores?q=%25$tag"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
	TOKEN= api GET "/api/v1/stores?q=c_%20phe%20$tag"
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
	# Blank q lists everything; a too long one is refused.
	TOKEN= api GET "/api/v1/stores?q=%20%20"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores?q=$(printf 'a%.0s' $(seq 300))"
	assert_error 400 invalid_query q
	TOKEN= api GET "/api/v1/stores?q=%FF%FE"
	assert_error 400 invalid_query q
}

@test "GET /api/v1/stores?province= filters by the store's province (by default its seller's): a code or a current or former name, diacritics ignored" {
	local tag oid otok obiz s1 s2
	tag=$RANDOM$RANDOM
	read -r oid otok < <(new_account)
	obiz=$(verified_business "$otok" "Hộ kinh doanh Bến Tre" "Bến Tre")
	s1=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug tn)" "Bánh tráng $tag")
	s2=$(new_store "$otok" "$obiz" "$(uniq_slug bt)" "Bánh tráng $tag")
	TOKEN= api GET "/api/v1/stores?q=$tag&province=T%C3%A2y%20Ninh"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$s1" ]
	TOKEN= api GET "/api/v1/stores?q=$tag&province=ben%20tre"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$s2" ]
	TOKEN= api GET "/api/v1/stores?q=$tag&province=H%C3%A0%20N%E1%BB%99i"
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
	# Bến Tre is part of Vĩnh Long (86) since 1 July 2025: the same list.
	TOKEN= api GET "/api/v1/stores?q=$tag&province=86"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$s2" ]
	TOKEN= api GET "/api/v1/stores?q=$tag&province=vinh%20long"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$s2" ]
	# Every store of a province list is in that province.
	TOKEN= api GET "/api/v1/stores?province=ben+tre&limit=100"
	[ "$(jq -r '[.items[] | .province + " " + .province_code] | unique | join(",")' <<<"$body")" = "Vĩnh Long 86" ]
}

# store_place: "province|province_code|ward|ward_code" of the last answer.
store_place() {
	jq -r '[.province, .province_code, .ward, .ward_code] | join("|")' <<<"$body"
}

@test "a store has a place of its own: its business's by default, else a code or a current or former name, answered as code + current name" {
	local slug tag
	tag=$RANDOM$RANDOM
	# Default: the business's (Tây Ninh, Phường 1 → Phường Tân Ninh).
	slug=$(uniq_slug own)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Nơi $tag" "$slug")"
	[ "$code" = 201 ]
	[ "$(store_place)" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
	[ "$(jq -r '.seller.province_code' <<<"$body")" = 80 ]
	# A former province's name and a ward of it: Long An → Tây Ninh.
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Nơi khác $tag" "$(uniq_slug la)" |
	    jq -c '.province = "Long An" | .ward = "Phường Long An"')"
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	[ "$(store_place)" = "Tây Ninh|80|Phường Long An|27694" ]
	# Codes, in another province than the business's (Hà Nội, Ba Đình).
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"province":"01","ward":"00004"}'
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(store_place)" = "Hà Nội|01|Phường Ba Đình|00004" ]
	# Only the ward: read in the store's province.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"ward":"phuong hoan kiem"}'
	[ "$code" = 200 ]
	[ "$(store_place)" = "Hà Nội|01|Phường Hoàn Kiếm|00070" ]
	# Stored as codes and current names; the seller's stays its own.
	[ "$(sql "SELECT concat_ws('|', s.province, s.province_code, s.ward, s.ward_code, b.province_code)
		FROM san.stores s JOIN san.businesses b ON b.id = s.business_id WHERE s.slug = '$slug'")" = \
	    "Hà Nội|01|Phường Hoàn Kiếm|00070|80" ]
	# Public view and the province filter follow the store, not its seller.
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$(store_place)" = "Hà Nội|01|Phường Hoàn Kiếm|00070" ]
	TOKEN= api GET "/api/v1/stores?q=$tag&province=ha%20noi"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$slug" ]
	TOKEN= api GET "/api/v1/stores?q=$tag&province=80"
	[ "$(jq -r '[.items[].name] | join(",")' <<<"$body")" = "Nơi khác $tag" ]
}

@test "a store's unknown province or ward is refused 400 with its field, nothing saved (create and PATCH)" {
	local slug before
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug bad)")
	before=$(snapshot)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Sai" | jq -c '.province = "Tỉnh Không Có"')"
	assert_error 400 unknown_province province
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Sai" | jq -c '.ward = "Phường Không Có"')"
	assert_error 400 unknown_ward ward
	# Another province without a ward of it: the business's ward does not fit.
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Sai" | jq -c '.province = "01"')"
	assert_error 400 unknown_ward ward
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"province":"99","name":"Đổi tên"}'
	assert_error 400 unknown_province province
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"ward":"00004","name":"Đổi tên"}'
	assert_error 400 unknown_ward ward
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"province":null}'
	assert_error 400 cannot_clear province
	[ "$(snapshot)" = "$before" ]
	[ "$(sql "SELECT name || '|' || province_code || '|' || ward_code FROM san.stores WHERE slug = '$slug'")" = "Gian hàng thử|80|25459" ]
}

@test "migration 022: existing stores take their business's place; a store written by SQL alone gets it too" {
	local out
	out=$("$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "BEGIN" \
	    -c "UPDATE san.businesses SET province = 'Long An', ward = 'Phường Long An', province_code = NULL, ward_code = NULL WHERE id = $BIZ" \
	    -c "SET LOCAL session_replication_role = replica" \
	    -c "INSERT INTO san.stores (business_id, slug, name, phone, email, pickup_address)
		VALUES ($BIZ, 'cu-022-$BIZ', 'Cũ', '+84912345678', 'x@example.vn', 'x')" \
	    -c "SET LOCAL session_replication_role = origin" \
	    -c "SELECT concat_ws('|', province, province_code, ward, ward_code, 'before') FROM san.stores WHERE slug = 'cu-022-$BIZ'" \
	    -c "$(sed -n '/^-- Existing stores:/,/^ WHERE b.id = s.business_id;/p' "$BATS_TEST_DIRNAME/../../sql/022_place_codes.sql")" \
	    -c "SELECT concat_ws('|', province, province_code, ward, ward_code) FROM san.stores WHERE slug = 'cu-022-$BIZ'" \
	    -c "INSERT INTO san.stores (business_id, slug, name, phone, email, pickup_address)
		VALUES ($BIZ, 'moi-022-$BIZ', 'Mới', '+84912345678', 'x@example.vn', 'x')" \
	    -c "SELECT concat_ws('|', province, province_code, ward, ward_code) FROM san.stores WHERE slug = 'moi-022-$BIZ'" \
	    -c "ROLLBACK")
	[ "$out" = "$(printf 'before\nTây Ninh|80|Phường Long An|27694\nTây Ninh|80|Phường Long An|27694')" ] ||
	    { echo "$out"; return 1; }
	# After the migration no store lacks the place its business has.
	[ "$(sql "SELECT count(*) FROM san.stores s JOIN san.businesses b ON b.id = s.business_id
		WHERE s.province_code IS NULL AND b.province_code IS NOT NULL")" = 0 ]
}

@test "keyset pagination returns each store exactly once; bad limit/after answer 400" {
	local tag i expected walked
	tag=$RANDOM$RANDOM
	for i in 1 2 3 4 5; do
		new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug "page$i")" "Trang $tag số $i" >/dev/null
	done
	expected=$(sql "SELECT slug FROM san.stores WHERE name LIKE 'Trang $tag %' ORDER BY id DESC")
	[ "$(wc -l <<<"$expected")" = 5 ]
	for i in 1 2 3 5 6; do
		walked=$(list_walk "q=$tag" "$i")
		[ "$walked" = "$expected" ] || { echo "limit $i: $walked"; return 1; }
	done
	# The whole public list: each visible store once (active, of a
	# verified business; a store hidden by a monitoring decision is not).
	walked=$(list_walk "" 7)
	[ -z "$(sort <<<"$walked" | uniq -d)" ]
	[ "$(sort <<<"$walked")" = "$(sql "SELECT s.slug FROM san.stores s JOIN san.businesses b ON b.id = s.business_id WHERE b.status = 'verified' AND s.status = 'active'" | sort)" ]
	# Bad arguments.
	for a in limit=0 limit=101 limit=-1 limit=abc limit=; do
		TOKEN= api GET "/api/v1/stores?$a"
		assert_error 400 invalid_limit limit || { echo "$a"; return 1; }
	done
	for a in after=abc after=0 after=-5 after=1.5 after=; do
		TOKEN= api GET "/api/v1/stores?$a"
		assert_error 400 invalid_cursor after || { echo "$a"; return 1; }
	done
	TOKEN= api GET "/api/v1/stores?limit=100"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores?limit=1"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 1 ]
}

@test "suspending the business hides its stores at once; reinstating brings them back" {
	local oid otok tag slug
	read -r oid otok < <(new_role_account official)
	tag=$RANDOM$RANDOM
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug hide)" "Mật ong $tag")
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores?q=$tag"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$slug" ]

	decide "$otok" "$BIZ" suspend "Hàng giả"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores/$slug"
	assert_error 404 store_not_found
	TOKEN= api GET "/api/v1/stores?q=$tag"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
	# Not through the province filter or a page walk either.
	! list_walk "" 100 | grep -qx "$slug" || false
	# The store row itself is kept.
	[ "$(sql "SELECT count(*) FROM san.stores WHERE slug = '$slug'")" = 1 ]

	decide "$otok" "$BIZ" reinstate "Đã khắc phục"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores?q=$tag"
	[ "$(jq -r '[.items[].slug] | join(",")' <<<"$body")" = "$slug" ]
}

# session_hash ACCOUNT_ID: the token hash of the account's newest session
# (for calling the api functions directly, as the server does).
session_hash() {
	sql "SELECT token_hash FROM san.sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1"
}

# sql_call FUNCTION_CALL: "status error" of an api.result.
sql_call() {
	sql "SELECT status || ' ' || COALESCE(error, '-') FROM $1"
}

@test "a new store can sell at once: it opens with the floor's default shipping method, shown to its members" {
	local slug; slug=$(uniq_slug giao-hang)
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng mới mở" "$slug")"
	[ "$code" = 201 ]
	# The members' view: status and the methods buyers choose from.
	[ "$(jq -r '.status' <<<"$body")" = active ]
	[ "$(jq -r '[.shipping_methods[] | "\(.carrier)/\(.fee_rule)/\(.fee_vnd)/\(.name)"] | join(" ")' <<<"$body")" = \
	    "own/flat/30000/Cửa hàng tự giao" ]
	local method; method=$(jq -r '.shipping_methods[0].id' <<<"$body")
	[ "$(sql "SELECT value::jsonb->>'fee_vnd' FROM san.settings WHERE key = 'store_default_shipping'")" = 30000 ]
	# Everyone sees the method; the public store view stays as it was.
	TOKEN= api GET "/api/v1/stores/$slug/shipping-methods"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].id] | join(",")' <<<"$body")" = "$method" ]
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
	[ "$(jq -c '[has("status"), has("shipping_methods"), .slug == "'"$slug"'"]' <<<"$body")" = '[false,false,true]' ]
	# The owner's PATCH answers the members' view too.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/stores/$slug" '{"name":"Gian hàng mới mở đổi tên"}'
	[ "$code" = 200 ]
	[ "$(jq -r '[.name, .status, (.shipping_methods | length)] | join("|")' <<<"$body")" = "Gian hàng mới mở đổi tên|active|1" ]
	# The first buyer checks out with it (was 422 no_shipping_method).
	local p bid btok
	p=$(new_product "$OWNER_TOK" "$slug" "$(product_body "$(category_id ca-phe)" "Cà phê đầu tiên" 50000 '{"status":"active"}')")
	read -r bid btok < <(new_account)
	place_order "$btok" "$(uniq_key)" "$(items_json "$p" 2)" cod
	[ "$code" = 201 ] || { echo "checkout: $code $body"; return 1; }
	[ "$(jq -r '.orders[0] | [.subtotal_vnd, .shipping_fee_vnd, .total_vnd, .shipping.method_id, .shipping.carrier] | map(tostring) | join(" ")' <<<"$body")" = \
	    "100000 30000 130000 $method own" ]
	# An operator may turn the default off: then a store opens without one.
	sql "UPDATE san.settings SET value = '' WHERE key = 'store_default_shipping'"
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$BIZ" "Gian hàng không giao" "$(uniq_slug khong-giao)")"
	local c2=$code b2=$body
	sql "UPDATE san.settings SET value = '{\"carrier\": \"own\", \"name\": \"Cửa hàng tự giao\", \"fee_rule\": \"flat\", \"fee_vnd\": 30000}' WHERE key = 'store_default_shipping'"
	[ "$c2" = 201 ]
	[ "$(jq -c .shipping_methods <<<"$b2")" = '[]' ]
}

@test "PATCH with null clears the optional fields that can be cleared (store and product description, weight_g)" {
	# Through the functions the server calls: the server lets null
	# through only for these members (and answers 400 for the others).
	local slug h p
	slug=$(new_store "$OWNER_TOK" "$BIZ" "$(uniq_slug xoa)")
	h=$(session_hash "$OWNER_ID")
	[ -n "$h" ]
	[ "$(sql "SELECT description FROM san.stores WHERE slug = '$slug'")" = "Đặc sản địa phương" ]
	[ "$(sql_call "api.store_update('$h', '$slug', '{\"description\": null}')")" = "200 -" ]
	[ "$(sql "SELECT description = '' FROM san.stores WHERE slug = '$slug'")" = t ]
	# Absent: unchanged; a value: set.
	[ "$(sql_call "api.store_update('$h', '$slug', '{\"description\": \"Mới\"}')")" = "200 -" ]
	[ "$(sql_call "api.store_update('$h', '$slug', '{\"name\": \"Tên mới\"}')")" = "200 -" ]
	[ "$(sql "SELECT description || '|' || name FROM san.stores WHERE slug = '$slug'")" = "Mới|Tên mới" ]

	p=$(new_product "$OWNER_TOK" "$slug" "$(product_body "$(category_id ca-phe)" "Cà phê xoá" 50000 '{"weight_g":750,"trace_code":"TC-1"}')")
	[ "$(sql "SELECT description || '|' || weight_g FROM san.products WHERE id = $p")" = "Sản phẩm thử nghiệm|750" ]
	[ "$(sql_call "api.product_update('$h', $p, '{\"name\": \"Cà phê giữ\"}')")" = "200 -" ]
	[ "$(sql "SELECT description || '|' || weight_g || '|' || trace_code FROM san.products WHERE id = $p")" = "Sản phẩm thử nghiệm|750|TC-1" ]
	[ "$(sql_call "api.product_update('$h', $p, '{\"description\": null, \"weight_g\": null}')")" = "200 -" ]
	[ "$(sql "SELECT (description = '') || '|' || weight_g || '|' || trace_code || '|' || name FROM san.products WHERE id = $p")" = "true|0|TC-1|Cà phê giữ" ]
	[ "$(sql_call "api.product_update('$h', $p, '{\"trace_code\": null}')")" = "200 -" ]
	[ "$(sql "SELECT trace_code IS NULL FROM san.products WHERE id = $p")" = t ]
	# The answers show it.
	TOKEN=$OWNER_TOK api GET "/api/v1/products/$p"
	[ "$(jq -c '[.description, .weight_g, .trace_code]' <<<"$body")" = '["",0,null]' ]
}

@test "api.category_admin_list: 401 anonymous, 404 for non-admins, the category list for admins" {
	local aid atok ah oh
	[ "$(sql_call "api.category_admin_list(NULL)")" = "401 unauthenticated" ]
	[ "$(sql_call "api.category_admin_list('no-such-session')")" = "401 unauthenticated" ]
	oh=$(session_hash "$OWNER_ID")
	[ "$(sql_call "api.category_admin_list('$oh')")" = "404 not_found" ]
	read -r aid atok < <(new_account)
	grant_role "$aid" official
	ah=$(session_hash "$aid")
	[ "$(sql_call "api.category_admin_list('$ah')")" = "404 not_found" ]
	grant_role "$aid" admin
	[ "$(sql_call "api.category_admin_list('$ah')")" = "200 -" ]
	[ "$(sql "SELECT body FROM api.category_admin_list('$ah')")" = "$(sql "SELECT body FROM api.category_list()")" ]
	[ "$(sql "SELECT json_array_length(body::json->'items') > 40 FROM api.category_admin_list('$ah')")" = t ]
}

@test "GET /api/v1/me lists each business's stores (slug, name, status), hidden ones too (the web app's merchant screens)" {
	local id tok biz slug
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Gian Hàng Của Tôi")
	TOKEN=$tok api GET /api/v1/me
	[ "$code" = 200 ]
	[ "$(jq -c --argjson b "$biz" '.businesses[] | select(.id == $b) | .stores' <<<"$body")" = \
	    "[{\"slug\":\"$slug\",\"name\":\"Gian hàng thử\",\"status\":\"active\"}]" ]
	TOKEN=$tok api PATCH "/api/v1/stores/$slug" '{"status":"hidden"}'
	[ "$code" = 200 ]
	TOKEN=$tok api GET /api/v1/me
	[ "$(jq -r --argjson b "$biz" '.businesses[] | select(.id == $b) | .stores[0].status' <<<"$body")" = hidden ]
	# A business without a store: an empty list.
	TOKEN=$OWNER_TOK api GET /api/v1/me
	[ "$(jq -c --argjson b "$BIZ" '.businesses[] | select(.id == $b) | .stores' <<<"$body")" = "[]" ]
}
