#!/usr/bin/env bats
# The licence register and the "category" monitoring rule kind (issue 10):
# members of a business add, list and withdraw its licences for
# conditional categories (another business's answer 404; inputs bounded,
# dates checked); a category rule holds or flags a listing of a
# conditional category whose business has no licence valid today, at
# creation, at a change of category, in the rescan and the dry run; a
# licence that expires or is withdrawn makes the listings it covered hits
# through the background job (src/monitor.c's timer), with no step called
# from the test.
load helpers

setup_file() {
	local id tok biz slug v
	read -r id tok biz slug < <(new_merchant "Cơ sở Bánh Kẹo Giấy Phép")
	export A_TOK=$tok A_BIZ=$biz A_STORE=$slug
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Không Giấy Phép")
	export B_TOK=$tok B_BIZ=$biz B_STORE=$slug
	read -r id tok < <(new_role_account official)
	export OFF_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_TOK=$tok
	# Conditional categories of these tests alone (a parent with a child,
	# and one for the dry run and rescan), so rules scoped to them touch
	# no other test's listings; and a normal one.
	local tag="gp$(date +%s%N | tail -c 7)"
	export CAT_L CAT_LC CAT_D CAT_N
	CAT_L=$(sql "INSERT INTO san.categories (slug, name_vi, name_en, policy, licence_hint)
		VALUES ('$tag-cha', 'Thử giấy phép', 'Licence test', 'conditional', 'Giấy chứng nhận ATTP')
		RETURNING id")
	CAT_LC=$(sql "INSERT INTO san.categories (parent_id, slug, name_vi, name_en)
		VALUES ($CAT_L, '$tag-con', 'Thử giấy phép con', 'Licence test child') RETURNING id")
	CAT_D=$(sql "INSERT INTO san.categories (slug, name_vi, name_en, policy)
		VALUES ('$tag-chay-thu', 'Thử chạy thử', 'Dry run test', 'conditional') RETURNING id")
	CAT_N=$(category_id tra)
	# The rule of these tests: hold what lacks a licence under CAT_L.
	TOKEN=$OFF_TOK api POST /api/v1/official/rules "$(jq -nc --argjson c "$CAT_L" '{name:"Thử: thiếu giấy phép",kind:"category",severity:"hold",category:"unsafe_goods",params:{categories:[$c]}}')"
	export R_CAT; R_CAT=$(jq -r .id <<<"$body")
	for v in A_TOK A_STORE B_TOK B_STORE OFF_TOK BUYER_TOK CAT_L CAT_LC CAT_D CAT_N R_CAT; do
		[ -n "${!v}" ] && [ "${!v}" != null ] || { echo "set-up failed: $v" >&2; return 1; }
	done
}

teardown_file() {
	# Rules stay in the database: switch this file's off.
	local r
	for r in $(sql "SELECT id FROM san.mod_rules WHERE kind = 'category' AND active AND name LIKE 'Thử:%'"); do
		TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$r" '{"active":false}'
	done
}

# licence_body CATEGORY NUMBER [ISSUED] [EXPIRES]: a licence body.
licence_body() {
	jq -nc --argjson c "$1" --arg n "$2" --arg i "${3:-2025-01-15}" \
	    --arg e "${4:-}" '{category_id:$c, number:$n,
		issuer:"Sở Y tế tỉnh Tây Ninh", issued_on:$i}
		+ (if $e == "" then {} else {expires_on:$e} end)'
}

# add_licence TOKEN BUSINESS CATEGORY NUMBER [ISSUED] [EXPIRES]: prints the id.
add_licence() {
	local TOKEN=$1
	api POST "/api/v1/businesses/$2/licences" "$(licence_body "$3" "$4" "${5:-}" "${6:-}")"
	[ "$code" = 201 ] || { echo "licence failed: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# listing TOKEN STORE CATEGORY NAME: POST an active product (with the
# listing's licence_ref a conditional category needs); sets code/body.
listing() {
	TOKEN=$1 api POST "/api/v1/stores/$2/products" \
	    "$(product_body "$3" "$4" 45000 '{"status":"active","licence_ref":"ATTP-01/2025"}')"
}

# wait_for SQL WANT [SECONDS]: poll SQL once a second until it answers
# WANT (what the server's background job does on its own).
wait_for() {
	local i got
	for i in $(seq 1 "${3:-60}"); do
		got=$(sql "$1")
		[ "$got" = "$2" ] && return 0
		sleep 1
	done
	echo "waited for '$2', got '$got': $1"
	return 1
}

# alert_of PRODUCT: "rule field reason matched" of the category rule's
# alerts on PRODUCT, one per line.
alert_of() {
	sql "SELECT a.rule_id || ' ' || a.field || ' ' || (a.figure->>'reason') || ' ' || COALESCE(a.matched, '-')
	       FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
	      WHERE c.product_id = $1 AND a.rule_id = $R_CAT ORDER BY a.id"
}

@test "register: members add, list and withdraw licences; another business 404; inputs checked" {
	local lid n before
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "ATTP-123/2025" 2025-01-15 2030-01-14)"
	[ "$code" = 201 ]
	lid=$(jq .id <<<"$body")
	[ "$(jq -r '[.status, .category.id, .number, .issued_on, .expires_on] | join(" ")' <<<"$body")" = "valid $CAT_L ATTP-123/2025 2025-01-15 2030-01-14" ]
	TOKEN=$A_TOK api GET "/api/v1/businesses/$A_BIZ/licences"
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$lid]" ]
	# officials read it; nobody else does
	TOKEN=$OFF_TOK api GET "/api/v1/businesses/$A_BIZ/licences"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 1 ]
	TOKEN=$B_TOK api GET "/api/v1/businesses/$A_BIZ/licences"
	expect_error 404 business_not_found
	TOKEN=$BUYER_TOK api GET "/api/v1/businesses/$A_BIZ/licences"
	expect_error 404 business_not_found
	TOKEN= api GET "/api/v1/businesses/$A_BIZ/licences"
	expect_error 401 unauthenticated
	# nobody but a member writes
	before=$(snapshot)
	TOKEN=$B_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-B")"
	expect_error 404 business_not_found
	TOKEN=$OFF_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-O")"
	expect_error 404 business_not_found
	TOKEN=$B_TOK api DELETE "/api/v1/businesses/$A_BIZ/licences/$lid"
	expect_error 404 business_not_found
	TOKEN=$B_TOK api DELETE "/api/v1/businesses/$B_BIZ/licences/$lid"
	expect_error 404 licence_not_found
	TOKEN=$A_TOK api DELETE "/api/v1/businesses/$A_BIZ/licences/999999999999"
	expect_error 404 licence_not_found
	# inputs: the category conditional, dates sane, text bounded
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_N" "GP-1")"
	expect_error 422 category_not_conditional category_id
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body 999999999 "GP-1")"
	expect_error 422 category_not_found category_id
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body 99999999999 "GP-1")"
	expect_error 422 category_not_found category_id
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-1" 2099-01-01)"
	expect_error 400 date_in_future issued_on
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-1" 2025-03-01 2025-03-01)"
	expect_error 422 expiry_before_issue expires_on
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-1" 2025-02-30)"
	expect_error 400 invalid_date issued_on
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "$(printf 'G%.0s' {1..101})")"
	expect_error 400 too_long number
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(jq -nc --argjson c "$CAT_L" '{category_id:$c,number:"GP-1",issued_on:"2025-01-01"}')"
	expect_error 400 required issuer
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "ATTP-123/2025")"
	expect_error 409 licence_exists number
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-1" 2025-03-01 2025-03-01)" -H 'Accept-Language: en'
	[ "$(jq -r .error.message <<<"$body")" = "The expiry date must be after the date of issue." ]
	assert_unchanged "$before"
	# withdrawn: kept, marked, once
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-RUT")"
	[ "$code" = 201 ]
	n=$(jq .id <<<"$body")
	[ "$(jq .expires_on <<<"$body")" = null ]
	TOKEN=$A_TOK api DELETE "/api/v1/businesses/$A_BIZ/licences/$n"
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = withdrawn ]
	TOKEN=$A_TOK api DELETE "/api/v1/businesses/$A_BIZ/licences/$n"
	expect_error 409 licence_withdrawn
	TOKEN=$A_TOK api GET "/api/v1/businesses/$A_BIZ/licences"
	[ "$(jq -r '[.items[] | "\(.id) \(.status)"] | join(",")' <<<"$body")" = "$n withdrawn,$lid valid" ]
	# the same number may be registered again once withdrawn
	TOKEN=$A_TOK api POST "/api/v1/businesses/$A_BIZ/licences" "$(licence_body "$CAT_L" "GP-RUT")"
	[ "$code" = 201 ]
}

@test "category rule: a listing without a valid licence is held at creation and at a change of category; with one, no hit" {
	local pid pok pn
	# B has no licence: held, not public, the merchant sees the concern
	listing "$B_TOK" "$B_STORE" "$CAT_LC" "Mứt gừng không giấy phép"
	[ "$code" = 201 ]
	pid=$(jq .id <<<"$body")
	[ "$(jq -c '[.listed, .review]' <<<"$body")" = '[false,{"held":true,"category":"unsafe_goods"}]' ]
	TOKEN= api GET "/api/v1/products/$pid"
	[ "$code" = 404 ]
	[ "$(alert_of "$pid")" = "$R_CAT category_id missing -" ]
	[ "$(sql "SELECT a.figure->'licence' FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
		WHERE c.product_id = $pid AND a.rule_id = $R_CAT")" = null ]
	# A holds a valid licence for the parent category: it covers the child
	listing "$A_TOK" "$A_STORE" "$CAT_LC" "Mứt gừng có giấy phép"
	[ "$code" = 201 ]
	pok=$(jq .id <<<"$body")
	[ "$(jq .listed <<<"$body")" = true ]
	[ "$(alert_of "$pok")" = "" ]
	# a normal category is no concern; moving into a conditional one is
	listing "$B_TOK" "$B_STORE" "$CAT_N" "Trà đổi danh mục"
	[ "$code" = 201 ]
	pn=$(jq .id <<<"$body")
	[ "$(jq .listed <<<"$body")" = true ]
	TOKEN=$B_TOK api PATCH "/api/v1/products/$pn" "$(jq -nc --argjson c "$CAT_L" '{category_id:$c}')"
	[ "$code" = 200 ]
	[ "$(jq .listed <<<"$body")" = false ]
	[ "$(alert_of "$pn")" = "$R_CAT category_id missing -" ]
	# a licence not valid yet or expired does not count; the figure names it
	add_licence "$B_TOK" "$B_BIZ" "$CAT_L" "GP-CU-01" 2024-01-01 2024-12-31 >/dev/null
	listing "$B_TOK" "$B_STORE" "$CAT_L" "Mứt me giấy phép hết hạn"
	[ "$code" = 201 ]
	[ "$(jq .listed <<<"$body")" = false ]
	[ "$(alert_of "$(jq .id <<<"$body")")" = "$R_CAT category_id expired GP-CU-01" ]
	[ "$(sql "SELECT a.figure->'licence'->>'expires_on' FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
		WHERE c.product_id = $(jq .id <<<"$body") AND a.rule_id = $R_CAT")" = 2024-12-31 ]
	# officials see the register in the case's evidence
	local case; case=$(sql "SELECT id FROM san.mod_cases WHERE product_id = $pid AND status = 'open'")
	TOKEN=$OFF_TOK api GET "/api/v1/official/cases/$case"
	[ "$code" = 200 ]
	[ "$(jq -r '[.evidence.business.licences[] | "\(.number) \(.status)"] | join(",")' <<<"$body")" = "GP-CU-01 expired" ]
}

@test "category rule: block refuses with the field and nothing saved; flag lists with an alert; params checked" {
	local before rid pid
	TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$R_CAT" '{"severity":"block"}'
	[ "$code" = 200 ]
	before=$(snapshot)
	listing "$B_TOK" "$B_STORE" "$CAT_LC" "Mứt bị chặn"
	[ "$code" = 422 ]
	[ "$(jq -r '[.error.code, .error.field, .error.details.category] | join(" ")' <<<"$body")" = "listing_blocked category_id unsafe_goods" ]
	assert_unchanged "$before"
	TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$R_CAT" '{"severity":"flag"}'
	[ "$code" = 200 ]
	listing "$B_TOK" "$B_STORE" "$CAT_LC" "Mứt được đánh dấu"
	[ "$code" = 201 ]
	pid=$(jq .id <<<"$body")
	[ "$(jq .listed <<<"$body")" = true ]
	[ "$(sql "SELECT a.rule_version || ' ' || a.severity FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
		WHERE c.product_id = $pid AND a.rule_id = $R_CAT")" = "3 flag" ]
	TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$R_CAT" '{"severity":"hold"}'
	[ "$code" = 200 ]
	# params: conditional categories only, ids
	TOKEN=$OFF_TOK api POST /api/v1/official/rules "$(jq -nc --argjson c "$CAT_L" --argjson n "$CAT_N" '{name:"x",kind:"category",severity:"hold",category:"other",params:{categories:[$c,$n]}}')"
	expect_error 422 category_not_conditional 'params.categories[1]'
	TOKEN=$OFF_TOK api POST /api/v1/official/rules '{"name":"x","kind":"category","severity":"hold","category":"other","params":{"categories":[0]}}'
	expect_error 400 invalid_id 'params.categories[0]'
	TOKEN=$OFF_TOK api POST /api/v1/official/rules '{"name":"x","kind":"category","severity":"hold","category":"other","params":{"terms":["a"]}}'
	expect_error 400 unknown_field params
	TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$R_CAT" "$(jq -nc --argjson n "$CAT_N" '{kind:"category",params:{categories:[$n]}}')"
	expect_error 422 category_not_conditional 'params.categories[0]'
	[ "$(sql "SELECT version FROM san.mod_rules WHERE id = $R_CAT")" = 4 ]
}

@test "a licence that expires or is withdrawn: the background job holds the listings it covered" {
	local c_tok c_biz c_store d_tok d_biz d_store e_tok e_biz e_store
	local lc ld le1 pc pd pe before
	read -r _ c_tok c_biz c_store < <(new_merchant "Cơ sở Hết Hạn")
	read -r _ d_tok d_biz d_store < <(new_merchant "Cơ sở Rút Giấy Phép")
	read -r _ e_tok e_biz e_store < <(new_merchant "Cơ sở Hai Giấy Phép")
	lc=$(add_licence "$c_tok" "$c_biz" "$CAT_L" "GP-HH-01" 2025-06-01)
	ld=$(add_licence "$d_tok" "$d_biz" "$CAT_LC" "GP-RUT-01" 2025-06-01)
	le1=$(add_licence "$e_tok" "$e_biz" "$CAT_L" "GP-E-01" 2025-06-01)
	add_licence "$e_tok" "$e_biz" "$CAT_LC" "GP-E-02" 2025-06-01 >/dev/null
	listing "$c_tok" "$c_store" "$CAT_LC" "Mứt sen hết hạn"
	pc=$(jq .id <<<"$body")
	listing "$d_tok" "$d_store" "$CAT_LC" "Mứt dừa rút giấy phép"
	pd=$(jq .id <<<"$body")
	listing "$e_tok" "$e_store" "$CAT_LC" "Mứt bí còn giấy phép"
	pe=$(jq .id <<<"$body")
	[ "$(sql "SELECT count(*) FROM san.products WHERE id IN ($pc, $pd, $pe) AND listed")" = 3 ]
	# C's licence expired yesterday (set behind the application's back);
	# D withdraws its licence; E withdraws one of two that cover it
	sql "UPDATE san.business_licences SET expires_on = api.today() - 1 WHERE id = $lc"
	TOKEN=$d_tok api DELETE "/api/v1/businesses/$d_biz/licences/$ld"
	[ "$code" = 200 ]
	TOKEN=$e_tok api DELETE "/api/v1/businesses/$e_biz/licences/$le1"
	[ "$code" = 200 ]
	wait_for "SELECT held || ' ' || listed FROM san.products WHERE id = $pc" "true false" 30
	wait_for "SELECT held || ' ' || listed FROM san.products WHERE id = $pd" "true false" 30
	wait_for "SELECT count(*) FROM san.business_licences WHERE id IN ($lc, $ld, $le1) AND lapse_screened_at IS NOT NULL" 3 30
	[ "$(alert_of "$pc")" = "$R_CAT category_id expired GP-HH-01" ]
	[ "$(alert_of "$pd")" = "$R_CAT category_id withdrawn GP-RUT-01" ]
	[ "$(sql "SELECT held_category FROM san.products WHERE id = $pc")" = unsafe_goods ]
	# E still holds a valid licence: no hit
	[ "$(sql "SELECT listed FROM san.products WHERE id = $pe")" = t ]
	[ "$(alert_of "$pe")" = "" ]
	# idle, the job writes nothing
	before=$(snapshot)
	sleep 2
	assert_unchanged "$before"
}

@test "dry run and rescan: a category draft counts the listings without a valid licence; a new rule flags them in the background" {
	local g_tok g_biz g_store p1 p2 pa before rid
	read -r _ g_tok g_biz g_store < <(new_merchant "Cơ sở Chạy Thử")
	add_licence "$A_TOK" "$A_BIZ" "$CAT_D" "GP-D-A" 2025-01-01 >/dev/null
	listing "$g_tok" "$g_store" "$CAT_D" "Sản phẩm chạy thử một"
	p1=$(jq .id <<<"$body")
	listing "$g_tok" "$g_store" "$CAT_D" "Sản phẩm chạy thử hai"
	p2=$(jq .id <<<"$body")
	listing "$A_TOK" "$A_STORE" "$CAT_D" "Sản phẩm có giấy phép"
	pa=$(jq .id <<<"$body")
	[ "$(sql "SELECT count(*) FROM san.products WHERE id IN ($p1, $p2, $pa) AND listed")" = 3 ]
	before=$(snapshot)
	TOKEN=$OFF_TOK api POST /api/v1/official/rules/dry-run "$(jq -nc --argjson c "$CAT_D" '{name:"Thử nháp",kind:"category",severity:"flag",category:"other",params:{categories:[$c]}}')"
	[ "$code" = 200 ]
	[ "$(jq -c '[.hits, [.sample[].id], [.sample[].figure.reason]]' <<<"$body")" = "[2,[$p1,$p2],[\"missing\",\"missing\"]]" ]
	assert_unchanged "$before"
	TOKEN=$OFF_TOK api POST /api/v1/official/rules/dry-run '{"name":"x","kind":"category","severity":"flag","category":"other","params":{"categories":[999999999]}}'
	expect_error 422 category_not_conditional 'params.categories[0]'
	TOKEN=$A_TOK api POST /api/v1/official/rules/dry-run "$(jq -nc --argjson c "$CAT_D" '{name:"x",kind:"category",severity:"flag",category:"other",params:{categories:[$c]}}')"
	expect_error 404 not_found
	# saved: the rescan flags both, not A's
	TOKEN=$OFF_TOK api POST /api/v1/official/rules "$(jq -nc --argjson c "$CAT_D" '{name:"Thử: quét giấy phép",kind:"category",severity:"flag",category:"other",params:{categories:[$c]}}')"
	[ "$code" = 201 ]
	rid=$(jq .id <<<"$body")
	wait_for "SELECT outcome FROM san.mod_rescans WHERE rule_id = $rid" done 60
	[ "$(sql "SELECT string_agg(c.product_id::text || ' ' || (a.figure->>'reason'), ',' ORDER BY c.product_id)
		FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id WHERE a.rule_id = $rid")" = "$p1 missing,$p2 missing" ]
	[ "$(sql "SELECT count(*) FROM san.products WHERE id IN ($p1, $p2, $pa) AND listed")" = 3 ]
	TOKEN=$OFF_TOK api PATCH "/api/v1/official/rules/$rid" '{"active":false}'
	[ "$code" = 200 ]
}
