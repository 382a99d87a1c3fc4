#!/usr/bin/env bats
# Administrative units since 1 July 2025 (issue 12, "Provinces as they are
# now"; sql/015_admin_units.sql, sql/units/): the public lists, the codes
# of businesses' and shipping addresses' provinces and wards (a code or an
# exact current or former name, answered as code + current name, unknown
# ones refused with nothing saved), the legacy mapping from the 63 former
# provinces, existing rows migrated, stores listed by province.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email owner)")
	export OWNER_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_TOK=$tok
	local m
	m=$(new_merchant "Hợp tác xã Địa Giới") || return 1
	read -r id tok M_BIZ M_SLUG <<<"$m"
	export M_TOK=$tok M_BIZ M_SLUG
	shipping_flat "$M_TOK" "$M_SLUG" 0 >/dev/null || return 1
	local cat
	cat=$(sql "SELECT id FROM san.categories c WHERE policy = 'normal' AND NOT EXISTS
		(SELECT 1 FROM san.categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1")
	P=$(new_product "$M_TOK" "$M_SLUG" "$(product_body "$cat" "Muối tôm địa giới" 50000 '{"status":"active","stock":100}')") || return 1
	export P
}

# reg PROVINCE WARD: registers a business with that province and ward as
# OWNER_TOK; sets $code and $body.
reg() {
	TOKEN=$OWNER_TOK api POST /api/v1/businesses \
	    "$(business_json "$(tax_code $RANDOM)" | jq -c --arg p "$1" --arg w "$2" \
	    '.province = $p | .ward = $w')"
}

# place: "province province_code ward ward_code" of the last answer.
place() {
	jq -r '[.province, .province_code, .ward, .ward_code] | join("|")' <<<"$body"
}

@test "GET /api/v1/provinces: the 34 provinces by code, each with its former ones; public and cacheable" {
	TOKEN= api GET /api/v1/provinces
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 34 ]
	[ "$(jq '[.items[].wards] | add' <<<"$body")" = 3321 ]
	[ "$(jq '[.items[].former | length] | add' <<<"$body")" = 63 ]
	[ "$(jq -r '[.items[].code] | join(",")' <<<"$body")" = \
	    "01,04,08,11,12,14,15,19,20,22,24,25,31,33,37,38,40,42,44,46,48,51,52,56,66,68,75,79,80,82,86,91,92,96" ]
	# The seeds' three provinces, each merged with a neighbour.
	[ "$(jq -c '[.items[] | select(.code | IN("80","56","51")) | [.code, .name, .full_name, .wards, [.former[].name]]]' <<<"$body")" = \
	    '[["51","Quảng Ngãi","Tỉnh Quảng Ngãi",96,["Quảng Ngãi","Kon Tum"]],["56","Khánh Hòa","Tỉnh Khánh Hòa",65,["Khánh Hòa","Ninh Thuận"]],["80","Tây Ninh","Tỉnh Tây Ninh",96,["Tây Ninh","Long An"]]]' ]
	[ "$(header cache-control)" = "public, max-age=86400" ]
}

@test "GET /api/v1/provinces/{code}/wards: Tây Ninh's 96 wards and communes; 8 = 08; unknown code 404" {
	TOKEN= api GET /api/v1/provinces/80/wards
	[ "$code" = 200 ]
	[ "$(jq -c .province <<<"$body")" = '{"code":"80","name":"Tây Ninh"}' ]
	[ "$(jq '.items | length' <<<"$body")" = 96 ]
	[ "$(jq -r '.items[] | select(.code == "25459") | .name' <<<"$body")" = "Phường Tân Ninh" ]
	[ "$(jq '[.items[] | select(.name | startswith("Phường"))] | length' <<<"$body")" = 14 ]
	[ "$(header cache-control)" = "public, max-age=86400" ]
	TOKEN= api GET /api/v1/provinces/8/wards
	[ "$code" = 200 ]
	[ "$(jq -r '.province.name + " " + (.items | length | tostring)' <<<"$body")" = "Tuyên Quang 124" ]
	TOKEN= api GET /api/v1/provinces/08/wards
	[ "$(jq -r .province.code <<<"$body")" = 08 ]
	TOKEN= api GET /api/v1/provinces/99/wards
	assert_error 404 province_not_found
	[ "$(header cache-control)" = "no-store" ]
	TOKEN= api GET /api/v1/provinces/0/wards
	assert_error 404 province_not_found
	TOKEN= api GET /api/v1/provinces/800/wards
	[ "$code" = 404 ]
}

@test "business: codes, current names and former names are accepted and answered as code + current name" {
	reg 80 25459
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	[ "$(place)" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
	# Names folded like search (case, diacritics), official or short.
	reg "TỈNH TÂY NINH" "phuong tan ninh"
	[ "$(place)" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
	reg "tay ninh" "Tân Ninh"
	[ "$(place)" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
	reg 80 "Xã Tân Thạnh"
	[ "$(place)" = "Tây Ninh|80|Xã Tân Thạnh|27826" ]
	# A former province maps to the one it became part of.
	reg "Long An" "Phường Long An"
	[ "$(place)" = "Tây Ninh|80|Phường Long An|27694" ]
	reg "Tỉnh Ninh Thuận" "Phường Phan Rang"
	[ "$(jq -r '.province + "|" + .province_code' <<<"$body")" = "Khánh Hòa|56" ]
	reg "Kon Tum" "$(sql "SELECT name FROM san.wards WHERE province_code = '51' ORDER BY code DESC LIMIT 1")"
	[ "$(jq -r '.province + "|" + .province_code' <<<"$body")" = "Quảng Ngãi|51" ]
	# A former ward that became part of one ward, read in the former
	# province the caller named (Tây Ninh's Phường 1, not Long An's).
	reg "Tây Ninh" "Phường 1"
	[ "$(place)" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
	# What is stored is the codes and the current names.
	[ "$(sql "SELECT province || '|' || province_code || '|' || ward || '|' || ward_code
		FROM san.businesses WHERE id = $(jq .id <<<"$body")")" = "Tây Ninh|80|Phường Tân Ninh|25459" ]
}

@test "business: unknown province or ward refused 400 with its field, nothing saved" {
	local before bad
	before=$(snapshot)
	reg "Tỉnh Không Có" "Phường 1"
	expect_error 400 unknown_province province
	reg 99 25459
	expect_error 400 unknown_province province
	reg "Tây" "Phường Tân Ninh"
	expect_error 400 unknown_province province
	reg 80 "Phường Không Có"
	expect_error 400 unknown_ward ward
	# A ward of another province (Hà Nội's Ba Đình).
	reg 80 00004
	expect_error 400 unknown_ward ward
	# Long An had two Phường 1 (Tân An, Kiến Tường): ambiguous.
	reg "Long An" "Phường 1"
	expect_error 400 unknown_ward ward
	# Xã Tân Thành and Xã Tân Thạnh fold alike: without diacritics,
	# ambiguous; as written, each its own.
	reg 80 "xa tan thanh"
	expect_error 400 unknown_ward ward
	[ "$(snapshot)" = "$before" ]
	# English message too.
	TOKEN=$OWNER_TOK api POST /api/v1/businesses \
	    "$(business_json "$(tax_code $RANDOM)" | jq -c '.province = "Atlantis"')" \
	    -H 'Accept-Language: en'
	[[ "$(jq -r .error.message <<<"$body")" == Unknown\ province* ]]
}

@test "business PATCH: a new province needs a ward of it; codes follow; unknown refused, nothing changed" {
	local id before
	reg 80 25459
	id=$(jq .id <<<"$body")
	before=$(snapshot)
	# Tân Ninh is not in Khánh Hòa.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"province":"Khánh Hòa"}'
	expect_error 400 unknown_ward ward
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"ward":"Phường Không Có"}'
	expect_error 400 unknown_ward ward
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"province":"Không Có","ward":"Phường Tân Ninh"}'
	expect_error 400 unknown_province province
	[ "$(snapshot)" = "$before" ]
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"province":"Ninh Thuận","ward":"Phường Phan Rang"}'
	[ "$code" = 200 ] || { echo "$body"; return 1; }
	[ "$(jq -r '.province + "|" + .province_code + "|" + .ward' <<<"$body")" = "Khánh Hòa|56|Phường Phan Rang" ]
	# The ward alone, by code, within the same province.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "{\"ward\":\"$(sql "SELECT code FROM san.wards WHERE province_code = '56' AND name = 'Phường Cam Ranh'")\"}"
	[ "$code" = 200 ]
	[ "$(jq -r '.province_code + "|" + .ward' <<<"$body")" = "56|Phường Cam Ranh" ]
}

@test "checkout: the shipping address's province and ward are resolved and stored with codes; unknown refused, nothing saved" {
	local before items
	items=$(items_json "$P" 1)
	before=$(snapshot)
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(order_body "$items" cod | jq -c '.shipping_address.province = "Không Có"')" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_province shipping_address.province
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(order_body "$items" cod | jq -c '.shipping_address.ward = "Phường Ba Đình"')" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_ward shipping_address.ward
	[ "$(snapshot)" = "$before" ]
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(order_body "$items" cod | jq -c '.shipping_address.province = "long an" | .shipping_address.ward = "27694"')" -H "Idempotency-Key: $(uniq_key)"
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	local o
	o=$(jq -r '.orders[0].id' <<<"$body")
	TOKEN=$BUYER_TOK api GET "/api/v1/orders/$o"
	[ "$(jq -r '.shipping_address | [.province, .province_code, .ward, .ward_code, .recipient] | join("|")' <<<"$body")" = \
	    "Tây Ninh|80|Phường Long An|27694|Nguyễn Thị Mai" ]
}

@test "the legacy mapping: each of the 63 former provinces maps to its province (Resolution 202/2025/QH15)" {
	[ "$(sql "SELECT count(*) FROM san.former_provinces")" = 63 ]
	[ "$(sql "SELECT string_agg(p || '>' || san.province_code(p), ',' ORDER BY p COLLATE \"C\")
		FROM unnest(ARRAY['Long An', 'Ninh Thuận', 'Kon Tum', 'Tây Ninh',
		    'Bà Rịa - Vũng Tàu', 'ha giang', 'Tỉnh Hậu Giang', 'Thành phố Huế']) p")" = \
	    "Bà Rịa - Vũng Tàu>79,Kon Tum>51,Long An>80,Ninh Thuận>56,Thành phố Huế>46,Tây Ninh>80,Tỉnh Hậu Giang>92,ha giang>08" ]
	# Every former province resolves, by name and by official name, to
	# the province that lists it.
	[ "$(sql "SELECT count(*) FROM san.former_provinces f
		WHERE san.province_code(f.name) = f.province_code
		  AND san.province_code(f.full_name) = f.province_code")" = 63 ]
	# Every province and ward resolves to itself by name and by code.
	[ "$(sql "SELECT count(*) FROM san.wards w
		WHERE san.ward_code(w.province_code, w.province_code, w.name) = w.code
		  AND san.ward_code(w.province_code, NULL, w.code) = w.code")" = 3321 ]
}

@test "Thừa Thiên Huế (Huế's name until 1 January 2025) and the common written forms resolve (sql/022 aliases)" {
	[ "$(sql "SELECT string_agg(p || '>' || COALESCE(san.province_code(p), '-'), ',' ORDER BY p COLLATE \"C\")
		FROM unnest(ARRAY['Thừa Thiên Huế', 'tinh thua thien hue', 'Thừa Thiên - Huế',
		    'TP. Hồ Chí Minh', 'TP.HCM', 'Bà Rịa-Vũng Tàu', 'TP Cần Thơ', 'Thừa Thiên']) p")" = \
	    "Bà Rịa-Vũng Tàu>79,TP Cần Thơ>92,TP. Hồ Chí Minh>79,TP.HCM>79,Thừa Thiên>-,Thừa Thiên - Huế>46,Thừa Thiên Huế>46,tinh thua thien hue>46" ]
	# Every alias names the province it says.
	[ "$(sql "SELECT count(*) FROM san.province_aliases a WHERE san.province_code(a.name) <> a.province_code")" = 0 ]
	# Through the API: a business registered in Thừa Thiên Huế is Huế's.
	reg "Thừa Thiên Huế" "$(sql "SELECT name FROM san.wards WHERE province_code = '46' ORDER BY code LIMIT 1")"
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r '.province + "|" + .province_code' <<<"$body")" = "Huế|46" ]
	TOKEN= api GET "/api/v1/stores?province=Th%E1%BB%ABa%20Thi%C3%AAn%20Hu%E1%BA%BF"
	[ "$code" = 200 ]
}

@test "existing rows are migrated: the demo businesses' wards, and rows written by name alone" {
	# The demo data's wards (sql/seed/demo.sql, Tây Ninh before the
	# merger) name one ward now, but the three communes that were split
	# between several (kept as written, without a code).
	local w n=0 left=()
	while read -r w; do
		n=$((n + 1))
		[ -n "$(sql "SELECT san.ward_code('80', 'Tây Ninh', '$w', true)")" ] || left+=("$w")
	done < <(sed -nE "s/^\t '((Phường|Xã) [^']+)', '[^']+', '\+84.*/\1/p" "$BATS_TEST_DIRNAME/../../sql/seed/demo.sql" | sort -u)
	[ "$n" -ge 15 ]
	[ "$(IFS=,; echo "${left[*]}")" = "Xã Suối Dây,Xã Suối Đá,Xã Tân Bình" ] || { echo "${left[*]}"; return 1; }
	# Former before current for such text: former Tây Ninh's Xã Tân Hưng
	# is Xã Tân Phú now (today's Xã Tân Hưng was Long An's).
	[ "$(sql "SELECT san.ward_code('80', 'Tây Ninh', 'Xã Tân Hưng', true) || ' ' ||
		san.ward_code('80', 'Tây Ninh', 'Xã Tân Hưng')")" = "25549 27721" ]
	# The migration's own statement on rows written as before 015
	# (triggers off while writing them, as the old schema had none).
	out=$("$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "BEGIN" -c "SET LOCAL session_replication_role = replica" \
	    -c "INSERT INTO san.businesses (tax_code, name, kind, registration_no,
		registration_date, registration_issuer, address, province, ward,
		representative, phone, email) VALUES
		('9999999901', 'Cũ 1', 'household', '1', '2020-01-01', 'x', 'x', 'Long An', 'Phường Long An', 'x', '+84912345678', 'x@example.vn'),
		('9999999902', 'Cũ 2', 'household', '1', '2020-01-01', 'x', 'x', 'Tây Ninh', 'Phường 3', 'x', '+84912345678', 'x@example.vn'),
		('9999999903', 'Cũ 3', 'household', '1', '2020-01-01', 'x', 'x', 'Tỉnh Xưa', 'Ấp Cũ', 'x', '+84912345678', 'x@example.vn')" \
	    -c "SET LOCAL session_replication_role = origin" \
	    -c "$(sed -n '/^-- Existing rows:/,/^ WHERE x.id = b.id;/p' "$BATS_TEST_DIRNAME/../../sql/015_admin_units.sql")" \
	    -c "SELECT string_agg(concat_ws('|', tax_code, province, COALESCE(province_code, ''), ward, COALESCE(ward_code, '')), ',' ORDER BY tax_code)
		FROM san.businesses WHERE tax_code LIKE '99999999%'" \
	    -c "ROLLBACK")
	[ "$out" = "9999999901|Tây Ninh|80|Phường Long An|27694,9999999902|Tây Ninh|80|Phường Tân Ninh|25459,9999999903|Tỉnh Xưa||Ấp Cũ|" ] ||
	    { echo "$out"; return 1; }
}
