#!/usr/bin/env bats
# The subsidy ledger (issue 11): the seeds' plans as data and what their
# checks find, the plan report (JSON and CSV), programmes and their rule
# (rate and cap below, at and above the cap; split across sources),
# grants refused with 409 naming line, year, source and shortfall, caps,
# idempotent replays (also concurrent), maker-checker, cancel, reversal,
# the ledger check (altered balance, broken chain), per-business support,
# and 200 concurrent grants / disbursements racing for the last part of a
# budget.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_role_account admin)
	export ADM_ID=$id ADM_TOK=$tok
	read -r id tok < <(new_role_account admin)
	export ADM2_ID=$id ADM2_TOK=$tok
	read -r id tok < <(new_role_account official)
	export OFF_ID=$id OFF_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email merchant)")
	export M_ID=$id M_TOK=$tok
	M_BIZ=$(verified_business "$tok" "Hợp tác xã Hỗ Trợ")
	read -r id tok < <(new_account "$(uniq_email merchant2)")
	export M2_TOK=$tok
	M2_BIZ=$(verified_business "$tok" "Công ty Khác")
	export M_BIZ M2_BIZ
	local v
	for v in ADM_TOK ADM2_TOK OFF_TOK M_TOK M_BIZ M2_TOK M2_BIZ; do
		[ -n "${!v}" ] || { echo "set-up failed: $v" >&2; return 1; }
	done
}

PLANS="$BATS_TEST_DIRNAME/../../sql/plans"

# plan_id FILE: the id of the seed plan imported from sql/plans/FILE.
plan_id() {
	sql "SELECT id FROM san.plans WHERE title = '$(jq -r .title "$PLANS/$1")'"
}

# programme LINE JSON: creates a programme on LINE with the members of
# JSON (rule, amounts, sources...); prints its id.
programme() {
	local TOKEN=$ADM_TOK
	api POST /api/v1/admin/programmes "$(jq -c --argjson l "$1" \
	    '. + {line_id:$l, name:"Chương trình thử"}' <<<"$2")"
	[ "$code" = 201 ] || { echo "programme: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# grant KEY PROGRAMME BUSINESS [COST] [YEAR]: POST /api/v1/admin/grants as
# the first admin; sets $code, $body.
grant() {
	local TOKEN=$ADM_TOK
	api POST /api/v1/admin/grants "$(jq -nc --argjson p "$2" \
	    --argjson b "$3" --arg c "${4:-}" --argjson y "${5:-2024}" \
	    '{programme_id:$p, business_id:$b, year:$y,
	      decision_no:"15/QĐ-SCT"} +
	    (if $c == "" then {} else {eligible_cost_vnd:($c | tonumber)} end)')" \
	    -H "Idempotency-Key: $1"
}

# disburse TOKEN KEY GRANT AMOUNT: records a payment; sets $code, $body.
disburse() {
	local TOKEN=$1
	api POST "/api/v1/admin/grants/$3/disbursements" "$(jq -nc \
	    --argjson a "$4" '{amount_vnd:$a, paid_on:"2024-06-01",
	    voucher_no:"PC-0001", method:"treasury"}')" -H "Idempotency-Key: $2"
}

# balance LINE SOURCE: the budget account's cached balance.
balance() {
	sql "SELECT balance_vnd FROM san.ledger_accounts
	      WHERE kind = 'budget' AND line_id = $1 AND source = '$2'"
}

ledger_ok() {
	local TOKEN=$ADM_TOK
	api GET /api/v1/admin/ledger/check
	[ "$code" = 200 ] || return 1
	[ "$(jq -r .ok <<<"$body")" = true ] || { echo "ledger: $body"; return 1; }
}

@test "the seed plans are loaded with every stated figure; the importer names each disagreement" {
	local f pid TOKEN=$ADM_TOK want got
	for f in tay-ninh-2016-2020.json khanh-hoa-2021-2025.json quang-ngai-2016-2020.json; do
		pid=$(plan_id "$f")
		[ -n "$pid" ] || { echo "not loaded: $f"; return 1; }
		api GET "/api/v1/admin/plans/$pid/report"
		[ "$code" = 200 ]
		# Every figure of the appendix is in the report, as stated,
		# on its line, year and source.
		want=$(jq -c '.unit_vnd as $u | [.lines[] | (.code // null) as $c |
		    .figures[] | [$c, .[0], .[1], .[2] * $u]] | sort' "$PLANS/$f")
		got=$(jq -c '[.lines[] | .code as $c | .cells[] |
		    select(.stated_vnd != null) |
		    [$c, .year, .source, .stated_vnd]] | sort' <<<"$body")
		[ "$want" = "$got" ] || { echo "$f: report differs from the file"; diff <(jq -c '.[]' <<<"$want") <(jq -c '.[]' <<<"$got"); return 1; }
		# Lines in the appendix's order.
		[ "$(jq -c '[.lines[].title]' "$PLANS/$f")" = "$(jq -c '[.lines[].title]' <<<"$body")" ]
	done
	# Tây Ninh, Appendix 1: every subtotal and total adds up;
	# 2,697,000,000 = 1,116,000,000 + 1,181,000,000 + 400,000,000.
	api GET "/api/v1/admin/plans/$(plan_id tay-ninh-2016-2020.json)/report"
	[ "$(jq -c .disagreements <<<"$body")" = '[]' ]
	[ "$(jq -c '[.lines[] | select(.kind == "total") | .cells[] | [.source, .computed_vnd]]' <<<"$body")" = \
	    '[["provincial",1116000000],["central",1181000000],["business",400000000],[null,2697000000]]' ]
	# Khánh Hòa: the central programme's total is stated as 664 million
	# (in the appendix and in section III) but its parts add up to 559
	# million; 1,340 + 664 would be 2,004, not the stated 1,899.
	api GET "/api/v1/admin/plans/$(plan_id khanh-hoa-2021-2025.json)/report"
	[ "$(jq -c '[.disagreements[] | [.line, .year, .source, .stated_in, .stated_vnd, .computed_vnd]]' <<<"$body")" = \
	    '[["Tổng cộng",null,"central","appendix",664000000,559000000],["Tổng cộng",null,"central","Mục III. Kinh phí thực hiện",664000000,559000000]]' ]
	[ "$(jq '.lines[] | select(.kind == "total") | .cells[] | select(.year == null and .source == null) | .computed_vnd' <<<"$body")" = 1899000000 ]
	# Quảng Ngãi: section VI is stated as 1,425 million; its lines add
	# up to 1,675 (425 + 1,000 + 250); the grand total 6,755 agrees with
	# the parts.
	api GET "/api/v1/admin/plans/$(plan_id quang-ngai-2016-2020.json)/report"
	[ "$(jq -c '[.disagreements[] | [.line, .year, .source, .stated_vnd, .computed_vnd, .difference_vnd]]' <<<"$body")" = \
	    '[["VI",null,null,1425000000,1675000000,-250000000]]' ]
	[ "$(jq '.lines[] | select(.kind == "total") | .cells[] | select(.year == null and .source == null) | .computed_vnd' <<<"$body")" = 6755000000 ]
	# The list shows the same counts.
	api GET /api/v1/admin/plans
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[] | select(.province | IN("Tây Ninh","Khánh Hòa","Quảng Ngãi")) | [.province, .disagreements, .planned_vnd]] | sort' <<<"$body")" = \
	    '[["Khánh Hòa",2,1899000000],["Quảng Ngãi",1,6755000000],["Tây Ninh",0,2697000000]]' ]
}

@test "the importer reports a subtotal that is not the sum of its parts, and keeps both" {
	# Tây Ninh's file with line V.1's provincial subtotal mistyped.
	local p
	p=$(jq -c '.title += " (bản sai thử)" | (.lines[] | select(.code == "V.1") | .figures[0][2]) = 216000000' \
	    "$PLANS/tay-ninh-2016-2020.json")
	run sql "SELECT api.plan_import(\$j\$$p\$j\$::jsonb)->'disagreements'"
	[ "$status" = 0 ]
	[ "$(jq -c '[.[] | [.line, .source, .stated_vnd, .computed_vnd]]' <<<"$output")" = \
	    '[["V.1","provincial",216000000,261000000]]' ]
	# The parts were loaded (the plan's budget is what the parts say).
	[ "$(sql "SELECT -sum(balance_vnd) FROM san.ledger_accounts a JOIN san.plans p ON p.id = a.plan_id
		WHERE p.title LIKE '%(bản sai thử)' AND a.kind = 'funding'")" = 2697000000 ]
}

@test "the plan report as CSV opens in Excel: UTF-8 BOM, CRLF, quoted Vietnamese text" {
	local TOKEN=$ADM_TOK out
	out=$(mktemp)
	api_fetch "/api/v1/admin/plans/$(plan_id quang-ngai-2016-2020.json)/report?format=csv" "$out"
	[ "$code" = 200 ]
	[ "$(header content-type)" = "text/csv; charset=utf-8" ]
	[ "$(head -c 3 "$out" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	head -1 "$out" | grep -q $'Nội dung.*Đã giải ngân,Còn lại,Kế hoạch ban đầu,Kế hoạch điều chỉnh,Chênh lệch điều chỉnh\r$'
	grep -q '"Đối ứng đề án-Nâng cấp sàn giao dịch thương mại điện tử của tỉnh Quảng Ngãi","2020","Ngân sách tỉnh",190000000,190000000,0,0,0,190000000' "$out"
	grep -q '"VI",.*"Cả giai đoạn","Tổng",1425000000,1675000000,-250000000' "$out"
	rm -f "$out"
	api GET "/api/v1/admin/plans/1/report?format=xml"
	assert_error 400 invalid_choice
}

@test "rate with a cap: below, at and above the cap; counterpart; split across sources" {
	local plan line prog
	read -r plan line < <(test_plan 100000000 50000000 20000000)
	prog=$(programme "$line" '{"rule":"rate","rate_bp":5000,"cap_vnd":5000000,"counterpart_bp":5000,"sources":{"provincial":7000,"central":3000}}')
	grant "cap-$prog-1" "$prog" "$M_BIZ" 8000001
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	# Below the cap: 50 % of 8,000,001 rounded down; 70/30, what
	# rounding leaves goes to the larger share.
	[ "$(jq -c '[.amount_vnd, .counterpart_vnd, [.sources[] | [.source, .amount_vnd]]]' <<<"$body")" = \
	    '[4000000,4000000,[["provincial",2800000],["central",1200000]]]' ]
	grant "cap-$prog-2" "$prog" "$M_BIZ" 10000000
	[ "$(jq -c '[.amount_vnd, .counterpart_vnd]' <<<"$body")" = '[5000000,5000000]' ]
	grant "cap-$prog-3" "$prog" "$M_BIZ" 12000000
	[ "$(jq -c '[.amount_vnd, .counterpart_vnd]' <<<"$body")" = '[5000000,6000000]' ]
	grant "cap-$prog-4" "$prog" "$M_BIZ" 3333
	# 1666 = 1166.2 + 499.8: 1166 and 499, the 1 left to provincial.
	[ "$(jq -c '[.amount_vnd, [.sources[] | .amount_vnd]]' <<<"$body")" = '[1666,[1167,499]]' ]
	[ "$(balance "$line" provincial)" = $((100000000 - 2800000 - 3500000 - 3500000 - 1167)) ]
	[ "$(balance "$line" central)" = $((50000000 - 1200000 - 1500000 - 1500000 - 499)) ]
	# The counterparts (half the cost) are committed against the
	# business column: 4,000,000 + 5,000,000 + 6,000,000 + 1,666.
	[ "$(balance "$line" business)" = $((20000000 - 4000000 - 5000000 - 6000000 - 1666)) ]
	[ "$(jq -c .counterpart <<<"$body")" = '{"line_code":"I.1","year":2024,"committed_vnd":1666}' ]
	# A rate rule needs the eligible cost.
	grant "cap-$prog-5" "$prog" "$M_BIZ"
	assert_error 400 required eligible_cost_vnd
	ledger_ok
}

@test "a grant beyond a line's budget is refused with 409 naming line, year, source and shortfall; nothing is written" {
	local plan line prog before
	read -r plan line < <(test_plan 50000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":20000000,"sources":{"provincial":10000}}')
	grant "b-$prog-1" "$prog" "$M_BIZ"
	[ "$code" = 201 ]
	grant "b-$prog-2" "$prog" "$M2_BIZ"
	[ "$code" = 201 ]
	before=$(snapshot)
	grant "b-$prog-3" "$prog" "$M_BIZ"
	assert_error 409 budget_exceeded
	[ "$(jq -c '.error.details | [.line, .year, .source, .remaining_vnd, .requested_vnd, .shortfall_vnd]' <<<"$body")" = \
	    '["I.1",2024,"provincial",10000000,20000000,10000000]' ]
	assert_unchanged "$before"
	# No budget in 2025 at all.
	grant "b-$prog-4" "$prog" "$M_BIZ" "" 2025
	assert_error 409 budget_exceeded
	[ "$(jq -c '.error.details | [.year, .remaining_vnd, .shortfall_vnd]' <<<"$body")" = '[2025,0,20000000]' ]
	# Outside the plan's period.
	grant "b-$prog-5" "$prog" "$M_BIZ" "" 2030
	assert_error 400 year_out_of_period year
	assert_unchanged "$before"
	ledger_ok
}

@test "yearly count, per-programme and rolling-window business caps, eligibility" {
	local plan line prog biz tok id
	read -r plan line < <(test_plan 1000000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"max_per_year":2,"sources":{"provincial":10000}}')
	grant "y-$prog-1" "$prog" "$M_BIZ"; [ "$code" = 201 ]
	grant "y-$prog-2" "$prog" "$M2_BIZ"; [ "$code" = 201 ]
	grant "y-$prog-3" "$prog" "$M_BIZ"
	assert_error 409 programme_year_full
	[ "$(jq -c '.error.details | [.year, .max_per_year]' <<<"$body")" = '[2024,2]' ]
	# Per business within the programme.
	read -r id tok < <(new_account "$(uniq_email capbiz)")
	biz=$(verified_business "$tok" "Hộ kinh doanh Giới Hạn")
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":3000000,"per_business_cap_vnd":5000000,"sources":{"provincial":10000}}')
	grant "c-$prog-1" "$prog" "$biz"; [ "$code" = 201 ]
	grant "c-$prog-2" "$prog" "$biz"
	assert_error 409 business_cap_exceeded
	[ "$(jq -c '.error.details | [.scope, .used_vnd, .shortfall_vnd]' <<<"$body")" = '["programme",3000000,1000000]' ]
	# Across programmes within the window (settings: 200,000,000 in 3 years).
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":150000000,"sources":{"provincial":10000}}')
	grant "w-$prog-1" "$prog" "$biz"; [ "$code" = 201 ]
	grant "w-$prog-2" "$prog" "$biz"
	assert_error 409 business_cap_exceeded
	[ "$(jq -c '.error.details | [.scope, .cap_vnd, .used_vnd, .requested_vnd]' <<<"$body")" = '["window",200000000,153000000,150000000]' ]
	# Eligibility: kind, and verified businesses only.
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"eligible_kind":"enterprise","sources":{"provincial":10000}}')
	grant "e-$prog-1" "$prog" "$M_BIZ"
	assert_error 409 business_not_eligible business_id
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	biz=$(new_business "$tok")
	grant "e-$prog-2" "$prog" "$biz"
	assert_error 409 business_not_verified business_id
	grant "e-$prog-3" 999999999 "$M_BIZ"
	assert_error 404 programme_not_found
	ledger_ok
}

@test "programmes: shares must add up to 100 % and each source needs a budgeted line" {
	local plan line TOKEN=$ADM_TOK
	read -r plan line < <(test_plan 10000000 0)
	api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"X\",\"rule\":\"fixed\",\"fixed_vnd\":1,\"sources\":{\"provincial\":7000}}"
	assert_error 400 shares_not_whole sources
	api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"X\",\"rule\":\"fixed\",\"fixed_vnd\":1,\"sources\":{\"provincial\":7000,\"central\":3000}}"
	assert_error 409 source_not_budgeted sources.central
	api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"X\",\"rule\":\"rate\",\"sources\":{\"provincial\":10000}}"
	assert_error 400 required rate_bp
	api POST /api/v1/admin/programmes "{\"line_id\":999999999,\"name\":\"X\",\"rule\":\"fixed\",\"fixed_vnd\":1,\"sources\":{\"provincial\":10000}}"
	assert_error 404 plan_line_not_found line_id
	# A programme on a parent line draws on the leaf of each source
	# (Quảng Ngãi V.1: 1.1 provincial, 1.2 central).
	line=$(sql "SELECT l.id FROM san.plan_lines l JOIN san.plans p ON p.id = l.plan_id
		WHERE p.province = 'Quảng Ngãi' AND l.code = 'V.1'")
	api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"Hỗ trợ website\",\"rule\":\"fixed\",\"fixed_vnd\":15000000,\"max_per_year\":10,\"sources\":{\"provincial\":6667,\"central\":3333}}"
	[ "$code" = 201 ]
	[ "$(jq -c '[.sources | to_entries[] | [.key, .value.line_code]]' <<<"$body")" = '[["provincial","V.1.1"],["central","V.1.2"]]' ]
}

@test "idempotent grants: the same key and body answer the same once; another body under the key is 422" {
	local plan line prog first before key
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	key=idem-$prog
	grant "$key" "$prog" "$M_BIZ"
	[ "$code" = 201 ]
	first=$body
	before=$(snapshot)
	grant "$key" "$prog" "$M_BIZ"
	[ "$code" = 201 ]
	[ "$body" = "$first" ]
	grant "$key" "$prog" "$M2_BIZ"
	assert_error 422 idempotency_key_reused
	assert_unchanged "$before"
	[ "$(sql "SELECT count(*) FROM san.grants WHERE programme_id = $prog")" = 1 ]
	# No key: 400, nothing written.
	TOKEN=$ADM_TOK api POST /api/v1/admin/grants "{\"programme_id\":$prog,\"business_id\":$M_BIZ,\"year\":2024,\"decision_no\":\"x\"}"
	assert_error 400 idempotency_key_required
	# A refused grant leaves its key free: once the budget is there, the
	# same key runs.
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":20000000,"sources":{"provincial":10000}}')
	grant "free-$prog" "$prog" "$M_BIZ"
	assert_error 409 budget_exceeded
	[ "$(sql "SELECT count(*) FROM san.ledger_requests WHERE idem_key = 'free-$prog'")" = 0 ]
}

@test "disbursements: never more than the grant; maker-checker above the threshold; non-admins cannot see the queue" {
	local plan line prog g d TOKEN
	read -r plan line < <(test_plan 500000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":30000000,"sources":{"provincial":10000}}')
	grant "mc-$prog" "$prog" "$M_BIZ"
	g=$(jq -r .id <<<"$body")
	disburse "$ADM_TOK" "mc-$g-0" "$g" 30000001
	assert_error 409 exceeds_grant
	[ "$(jq -c '.error.details | [.remaining_vnd, .shortfall_vnd]' <<<"$body")" = '[30000000,1]' ]
	# Over 20,000,000 (settings): pending, waiting for a second admin.
	disburse "$ADM_TOK" "mc-$g-1" "$g" 25000000
	[ "$code" = 201 ]
	[ "$(jq -r .status <<<"$body")" = pending ]
	d=$(jq -r .id <<<"$body")
	TOKEN=$ADM_TOK api GET "/api/v1/admin/disbursements?status=pending"
	[ "$code" = 200 ]
	jq -e --argjson d "$d" 'any(.items[]; .id == $d)' <<<"$body" >/dev/null
	for TOKEN in "$M_TOK" "$OFF_TOK"; do
		api GET "/api/v1/admin/disbursements?status=pending"
		assert_error 404 not_found
		api POST "/api/v1/admin/disbursements/$d/approve" '{}'
		assert_error 404 not_found
	done
	TOKEN=$ADM_TOK api POST "/api/v1/admin/disbursements/$d/approve" '{}'
	assert_error 403 maker_cannot_approve
	[ "$(sql "SELECT status FROM san.disbursements WHERE id = $d")" = pending ]
	# While it waits, the grant has 5,000,000 left to pay, and cannot be
	# cancelled.
	disburse "$ADM_TOK" "mc-$g-2" "$g" 5000001
	assert_error 409 exceeds_grant
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g/cancel" '{"reason":"thử"}'
	assert_error 409 grant_has_pending
	TOKEN=$ADM2_TOK api POST "/api/v1/admin/disbursements/$d/approve" '{}'
	[ "$code" = 200 ]
	[ "$(jq -c '[.status, .checker_id]' <<<"$body")" = "[\"posted\",$ADM2_ID]" ]
	TOKEN=$ADM2_TOK api POST "/api/v1/admin/disbursements/$d/approve" '{}'
	assert_error 409 disbursement_not_pending
	# Below the threshold: posted at once.  A rejected one returns.
	disburse "$ADM_TOK" "mc-$g-3" "$g" 2000000
	[ "$(jq -r .status <<<"$body")" = posted ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'disbursed'")" = 27000000 ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'committed'")" = 3000000 ]
	ledger_ok
}

@test "a rejected payment returns to the grant; a reversal restores the balances and keeps both entries" {
	local plan line prog g d before_c before_d ntx TOKEN
	read -r plan line < <(test_plan 500000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":40000000,"sources":{"provincial":10000}}')
	grant "rv-$prog" "$prog" "$M_BIZ"
	g=$(jq -r .id <<<"$body")
	disburse "$ADM_TOK" "rv-$g-1" "$g" 30000000
	d=$(jq -r .id <<<"$body")
	TOKEN=$ADM2_TOK api POST "/api/v1/admin/disbursements/$d/reject" '{}'
	assert_error 400 required reason
	TOKEN=$ADM2_TOK api POST "/api/v1/admin/disbursements/$d/reject" '{"reason":"Sai số chứng từ"}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'committed'")" = 40000000 ]
	before_c=40000000
	disburse "$ADM_TOK" "rv-$g-2" "$g" 10000000
	[ "$(jq -r .status <<<"$body")" = posted ]
	d=$(jq -r .id <<<"$body")
	ntx=$(sql "SELECT count(*) FROM san.ledger_entries")
	TOKEN=$ADM_TOK api POST "/api/v1/admin/disbursements/$d/reverse" '{"reason":"Chi nhầm doanh nghiệp"}'
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = reversed ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'committed'")" = "$before_c" ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'disbursed'")" = 0 ]
	# The mistake and its correction are both in the ledger.
	[ "$(sql "SELECT count(*) FROM san.ledger_entries")" = $((ntx + 2)) ]
	[ "$(sql "SELECT reason FROM san.ledger_tx WHERE disbursement_id = $d AND kind = 'reversal'")" = "Chi nhầm doanh nghiệp" ]
	TOKEN=$ADM_TOK api POST "/api/v1/admin/disbursements/$d/reverse" '{"reason":"lần nữa"}'
	assert_error 409 disbursement_not_posted
	ledger_ok
}

@test "cancelling a grant releases what was not paid; paid money stays paid" {
	local plan line prog g TOKEN=$ADM_TOK
	read -r plan line < <(test_plan 100000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":10000000,"sources":{"provincial":10000}}')
	grant "cn-$prog" "$prog" "$M_BIZ"
	g=$(jq -r .id <<<"$body")
	disburse "$ADM_TOK" "cn-$g" "$g" 4000000
	[ "$(balance "$line" provincial)" = 90000000 ]
	api POST "/api/v1/admin/grants/$g/cancel" '{"reason":"Doanh nghiệp rút hồ sơ"}'
	[ "$code" = 200 ]
	[ "$(jq -c '[.status, .sources[0].committed_vnd, .sources[0].disbursed_vnd]' <<<"$body")" = '["cancelled",0,4000000]' ]
	[ "$(balance "$line" provincial)" = 96000000 ]
	api POST "/api/v1/admin/grants/$g/cancel" '{}'
	assert_error 409 grant_cancelled
	disburse "$ADM_TOK" "cn-$g-2" "$g" 1
	assert_error 409 grant_cancelled
	# The plan report shows it: planned 100 M, committed 4 M, paid 4 M.
	api GET "/api/v1/admin/plans/$plan/report"
	[ "$(jq -c '.lines[] | select(.code == "I.1") | .cells[] | select(.source == "provincial") | [.planned_vnd, .committed_vnd, .disbursed_vnd, .remaining_vnd]' <<<"$body")" = '[100000000,4000000,4000000,96000000]' ]
	ledger_ok
}

@test "ledger rows are append-only; the check finds an altered balance, an altered row and a removed row" {
	local TOKEN=$ADM_TOK a e t
	run sql "UPDATE san.ledger_entries SET credit_vnd = credit_vnd + 1 WHERE id = (SELECT max(id) FROM san.ledger_entries)"
	[ "$status" -ne 0 ]
	run sql "DELETE FROM san.ledger_tx WHERE id = (SELECT max(id) FROM san.ledger_tx)"
	[ "$status" -ne 0 ]
	run sql "TRUNCATE san.ledger_entries CASCADE"
	[ "$status" -ne 0 ]
	ledger_ok
	# A cached balance altered behind the ledger's back.
	a=$(sql "SELECT min(id) FROM san.ledger_accounts WHERE kind = 'budget'")
	sql "UPDATE san.ledger_accounts SET balance_vnd = balance_vnd + 1000 WHERE id = $a"
	api GET /api/v1/admin/ledger/check
	[ "$(jq -r .ok <<<"$body")" = false ]
	jq -e --argjson a "$a" 'any(.problems[]; .check == "balance_mismatch" and .account_id == $a)' <<<"$body" >/dev/null
	sql "UPDATE san.ledger_accounts SET balance_vnd = balance_vnd - 1000 WHERE id = $a"
	ledger_ok
	# An entry edited by the table's owner, past the triggers: the chain
	# breaks there, and the books no longer balance.
	e=$(sql "SELECT min(id) FROM san.ledger_entries WHERE credit_vnd > 0")
	sql "ALTER TABLE san.ledger_entries DISABLE TRIGGER ledger_entries_no_change;
	     UPDATE san.ledger_entries SET credit_vnd = credit_vnd + 5 WHERE id = $e;
	     ALTER TABLE san.ledger_entries ENABLE TRIGGER ledger_entries_no_change"
	api GET /api/v1/admin/ledger/check
	[ "$(jq -r .ok <<<"$body")" = false ]
	jq -e --argjson e "$e" 'any(.problems[]; .check == "chain_broken" and .table == "san.ledger_entries" and .first_broken == $e)' <<<"$body" >/dev/null
	jq -e 'any(.problems[]; .check == "unbalanced_tx")' <<<"$body" >/dev/null
	sql "ALTER TABLE san.ledger_entries DISABLE TRIGGER ledger_entries_no_change;
	     UPDATE san.ledger_entries SET credit_vnd = credit_vnd - 5 WHERE id = $e;
	     ALTER TABLE san.ledger_entries ENABLE TRIGGER ledger_entries_no_change"
	ledger_ok
	# A transaction's reason rewritten: only the chain can tell.
	t=$(sql "SELECT max(id) FROM san.ledger_tx WHERE reason IS NOT NULL")
	sql "ALTER TABLE san.ledger_tx DISABLE TRIGGER ledger_tx_no_change;
	     UPDATE san.ledger_tx SET reason = reason || ' (sửa)' WHERE id = $t;
	     ALTER TABLE san.ledger_tx ENABLE TRIGGER ledger_tx_no_change"
	api GET /api/v1/admin/ledger/check
	[ "$(jq -c '[.problems[] | [.check, .table, .first_broken]]' <<<"$body")" = "[[\"chain_broken\",\"san.ledger_tx\",$t]]" ]
	# make ledger-check says the same and fails.
	run sh "$BATS_TEST_DIRNAME/../../scripts/ledger-check.sh"
	[ "$status" -ne 0 ]
	grep -q chain_broken <<<"$output"
	sql "ALTER TABLE san.ledger_tx DISABLE TRIGGER ledger_tx_no_change;
	     UPDATE san.ledger_tx SET reason = left(reason, -6) WHERE id = $t;
	     ALTER TABLE san.ledger_tx ENABLE TRIGGER ledger_tx_no_change"
	ledger_ok
	run sh "$BATS_TEST_DIRNAME/../../scripts/ledger-check.sh"
	[ "$status" = 0 ]
}

@test "a business's support: its members and officials read it, others get 404" {
	local plan line prog TOKEN
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"max_per_year":30,"sources":{"provincial":10000}}')
	grant "sup-$prog" "$prog" "$M_BIZ"
	for TOKEN in "$M_TOK" "$OFF_TOK" "$ADM_TOK"; do
		api GET "/api/v1/businesses/$M_BIZ/support"
		[ "$code" = 200 ]
		jq -e --argjson p "$prog" 'any(.grants[]; .grant.programme_id == $p)' <<<"$body" >/dev/null
	done
	TOKEN=$M2_TOK api GET "/api/v1/businesses/$M_BIZ/support"
	assert_error 404 business_not_found
	TOKEN= api GET "/api/v1/businesses/$M_BIZ/support"
	assert_error 401 unauthenticated
	# The programme report counts businesses per year against the target.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/programmes/$prog/report"
	[ "$code" = 200 ]
	[ "$(jq -c '[.years[] | [.year, .target, .businesses, .committed_vnd]]' <<<"$body")" = '[[2024,30,1,1000000],[2025,30,0,0]]' ]
}

# revise KEY PLAN CHANGES [TOKEN]: POST .../plans/PLAN/revisions with the
# changes (JSON array) under decision 25/QĐ-UBND; sets $code, $body.
revise() {
	local TOKEN=${4-$ADM_TOK}
	api POST "/api/v1/admin/plans/$2/revisions" "$(jq -nc --argjson c "$3" \
	    --arg d "${REV_DECISION:-25/QĐ-UBND}" '{decision_no:$d,
	    decision_date:"2024-09-01", reason:"Điều chỉnh kế hoạch", changes:$c}')" \
	    -H "Idempotency-Key: $1"
}

# chg LINE YEAR SOURCE AMOUNT: one change as JSON.
chg() {
	jq -nc --arg l "$1" --argjson y "$2" --arg s "$3" --argjson a "$4" \
	    '{line_code:$l, year:$y, source:$s, amount_vnd:$a}'
}

funding() {
	sql "SELECT -sum(balance_vnd) FROM san.ledger_accounts WHERE plan_id = $1 AND kind = 'funding'"
}

@test "plan revisions up and down: balanced moves, the report's original, revised and difference, the revisions listed" {
	local plan line prog TOKEN=$ADM_TOK out
	read -r plan line < <(test_plan 100000000 50000000)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":20000000,"sources":{"provincial":10000}}')
	grant "rvu-$prog" "$prog" "$M_BIZ"
	[ "$code" = 201 ]
	# Up for the province, down for the centre.
	revise "rv1-$plan" "$plan" "[$(chg I.1 2024 provincial 130000000),$(chg I.1 2024 central 30000000)]"
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	[ "$(jq -c '[.decision_no, [.changes[] | [.line_code, .year, .source, .before_vnd, .revised_vnd, .difference_vnd]]]' <<<"$body")" = \
	    '["25/QĐ-UBND",[["I.1",2024,"provincial",100000000,130000000,30000000],["I.1",2024,"central",50000000,30000000,-20000000]]]' ]
	[ "$(balance "$line" provincial)" = 110000000 ]
	[ "$(balance "$line" central)" = 30000000 ]
	[ "$(funding "$plan")" = 160000000 ]
	ledger_ok
	# Down for the province, to 25 M (20 M of it committed).
	REV_DECISION=30/QĐ-UBND revise "rv2-$plan" "$plan" "[$(chg I.1 2024 provincial 25000000)]"
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	[ "$(jq -c '[.changes[] | [.before_vnd, .revised_vnd, .difference_vnd]]' <<<"$body")" = '[[130000000,25000000,-105000000]]' ]
	[ "$(balance "$line" provincial)" = 5000000 ]
	[ "$(funding "$plan")" = 55000000 ]
	# The report: as stated, original, revised, difference, and the
	# ledger's columns on the revised budget.
	api GET "/api/v1/admin/plans/$plan/report"
	[ "$code" = 200 ]
	[ "$(jq -c '[.lines[] | select(.code == "I.1") | .cells[] | select(.year == 2024 and .source != null) | [.source, .stated_vnd, .original_vnd, .revised_vnd, .revision_difference_vnd, .planned_vnd, .committed_vnd, .remaining_vnd]]' <<<"$body")" = \
	    '[["provincial",100000000,100000000,25000000,-75000000,25000000,20000000,5000000],["central",50000000,50000000,30000000,-20000000,30000000,0,30000000]]' ]
	[ "$(jq -c '[.lines[] | select(.kind == "total") | .cells[] | select(.year == null and .source == null) | [.original_vnd, .revised_vnd, .revision_difference_vnd]]' <<<"$body")" = \
	    '[[150000000,55000000,-95000000]]' ]
	[ "$(jq -c '[.revisions[] | [.decision_no, .decision_date, (.changes | length)]]' <<<"$body")" = \
	    '[["25/QĐ-UBND","2024-09-01",2],["30/QĐ-UBND","2024-09-01",1]]' ]
	# The CSV: the three columns, then the revisions.
	out=$(mktemp)
	api_fetch "/api/v1/admin/plans/$plan/report?format=csv" "$out"
	[ "$code" = 200 ]
	grep -q $'^"I.1","Hỗ trợ tham gia sàn","2024","Ngân sách tỉnh",100000000,100000000,0,20000000,0,5000000,100000000,25000000,-75000000\r$' "$out"
	grep -q $'^"30/QĐ-UBND",2024-09-01,"Điều chỉnh kế hoạch","I.1","2024","provincial",130000000,25000000,-105000000\r$' "$out"
	rm -f "$out"
	# Append-only, chained, audited.
	run sql "UPDATE san.plan_revision_changes SET revised_vnd = 1 WHERE revision_id IN (SELECT id FROM san.plan_revisions WHERE plan_id = $plan)"
	[ "$status" -ne 0 ]
	run sql "DELETE FROM san.plan_revisions WHERE plan_id = $plan"
	[ "$status" -ne 0 ]
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'plan_revision' AND object_id = '$plan'")" = 2 ]
	[ "$(sql "SELECT count(*) FROM san.ledger_tx WHERE plan_id = $plan AND kind = 'revision'")" = 2 ]
	# Grants see the revised budget: 5 M left, a 20 M grant is short 15 M.
	grant "rvu2-$prog" "$prog" "$M2_BIZ"
	assert_error 409 budget_exceeded
	[ "$(jq -r .error.details.shortfall_vnd <<<"$body")" = 15000000 ]
	ledger_ok
}

@test "a revision below what is committed is refused with 409 naming line, year, source and shortfall; nothing is written" {
	local plan line prog before
	read -r plan line < <(test_plan 50000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":20000000,"sources":{"provincial":10000}}')
	grant "rvb-$prog-1" "$prog" "$M_BIZ"; [ "$code" = 201 ]
	grant "rvb-$prog-2" "$prog" "$M2_BIZ"; [ "$code" = 201 ]
	before=$(snapshot)
	revise "rvb-$plan-1" "$plan" "[$(chg I.1 2024 provincial 30000000)]"
	assert_error 409 budget_below_committed 'changes[0].amount_vnd'
	[ "$(jq -c '.error.details | [.line, .year, .source, .committed_vnd, .requested_vnd, .shortfall_vnd]' <<<"$body")" = \
	    '["I.1",2024,"provincial",40000000,30000000,10000000]' ]
	assert_unchanged "$before"
	# The first change alone would be fine (and would open an account
	# for the centre's empty part): refused as a whole, nothing written.
	revise "rvb-$plan-2" "$plan" "[$(chg I.1 2024 central 10000000),$(chg I.1 2024 provincial 39999999)]"
	assert_error 409 budget_below_committed 'changes[1].amount_vnd'
	[ "$(jq -r .error.details.shortfall_vnd <<<"$body")" = 1 ]
	assert_unchanged "$before"
	# No such part (line, year without a figure), the same part twice.
	revise "rvb-$plan-3" "$plan" "[$(chg I.1 2024 central 1),$(chg IX 2024 provincial 1)]"
	assert_error 404 plan_part_not_found 'changes[1]'
	revise "rvb-$plan-4" "$plan" "[$(chg I.1 2025 provincial 1)]"
	assert_error 404 plan_part_not_found 'changes[0]'
	revise "rvb-$plan-5" "$plan" "[$(chg I.1 2024 provincial 1),$(chg I.1 2024 provincial 2)]"
	assert_error 400 duplicate_change changes
	assert_unchanged "$before"
	# Down to exactly what is committed, and a new part for the centre.
	revise "rvb-$plan-1" "$plan" "[$(chg I.1 2024 provincial 40000000),$(chg I.1 2024 central 10000000)]"
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	[ "$(balance "$line" provincial)" = 0 ]
	[ "$(balance "$line" central)" = 10000000 ]
	ledger_ok
	# The check holds the budget to the revised part.
	[ "$(sql "SELECT count(*) FROM jsonb_array_elements(api.ledger_problems()) p WHERE p->>'check' = 'budget_not_plan'")" = 0 ]
}

@test "revisions: idempotent replay, another body under the key is 422, non-admins get 404" {
	local plan line first before TOKEN
	read -r plan line < <(test_plan 10000000 0)
	revise "rvi-$plan" "$plan" "[$(chg I.1 2024 provincial 12000000)]"
	[ "$code" = 201 ]
	first=$body
	before=$(snapshot)
	revise "rvi-$plan" "$plan" "[$(chg I.1 2024 provincial 12000000)]"
	[ "$code" = 201 ]
	[ "$body" = "$first" ]
	revise "rvi-$plan" "$plan" "[$(chg I.1 2024 provincial 13000000)]"
	assert_error 422 idempotency_key_reused
	assert_unchanged "$before"
	[ "$(sql "SELECT count(*) FROM san.plan_revisions WHERE plan_id = $plan")" = 1 ]
	[ "$(balance "$line" provincial)" = 12000000 ]
	# Not an admin: 404 as for a plan that does not exist; nobody: 401.
	for TOKEN in "$M_TOK" "$OFF_TOK"; do
		revise "rvi-$plan-x" "$plan" "[$(chg I.1 2024 provincial 1)]" "$TOKEN"
		assert_error 404 not_found
	done
	revise "rvi-$plan-x" "$plan" "[$(chg I.1 2024 provincial 1)]" ""
	assert_error 401 unauthenticated
	revise "rvi-$plan-y" 999999999 "[$(chg I.1 2024 provincial 1)]"
	assert_error 404 plan_not_found
	assert_unchanged "$before"
	# A key is required; the body is checked.
	TOKEN=$ADM_TOK api POST "/api/v1/admin/plans/$plan/revisions" '{"decision_no":"1","decision_date":"2024-01-01","reason":"x","changes":[]}'
	assert_error 400 idempotency_key_required
	TOKEN=$ADM_TOK api POST "/api/v1/admin/plans/$plan/revisions" '{"decision_no":"1","decision_date":"2024-01-01","reason":"x","changes":[{"line_code":"I.1","source":"state","amount_vnd":1}]}' -H "Idempotency-Key: rvi-$plan-z"
	assert_error 400 invalid_choice 'changes[0].source'
	ledger_ok
}

# fire DIR URL TOKEN BODY N [KEY]: N identical POSTs at once (one curl
# process, N connections), Idempotency-Key KEY or one per request;
# DIR/codes gets "i status" lines, DIR/resp.i the answers.
fire() {
	local dir=$1 url=$2 tok=$3 n=$5 i
	printf '%s' "$4" >"$dir/body"
	: >"$dir/curl.cfg"
	for i in $(seq "$n"); do
		[ "$i" -gt 1 ] && echo next >>"$dir/curl.cfg"
		cat >>"$dir/curl.cfg" <<CFG
url = "$SAN_URL$url"
request = "POST"
header = "Authorization: Bearer $tok"
header = "Idempotency-Key: ${6:-race-$(basename "$dir")-$i}"
header = "Content-Type: application/json"
data-binary = "@$dir/body"
output = "$dir/resp.$i"
write-out = "$i %{http_code}\\n"
max-time = 120
CFG
	done
	curl -s --parallel --parallel-immediate --parallel-max "$n" -K "$dir/curl.cfg" >"$dir/codes" 2>/dev/null
}

@test "200 concurrent grants race for the last 10 grants' worth of a line: it never goes below zero" {
	local plan line prog dir ok refused t0 t1
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	dir=$(mktemp -d)
	t0=$(date +%s%N)
	fire "$dir" /api/v1/admin/grants "$ADM_TOK" \
	    "{\"programme_id\":$prog,\"business_id\":$M2_BIZ,\"year\":2024,\"decision_no\":\"99/QĐ-SCT\"}" 200
	t1=$(date +%s%N)
	ok=$(grep -c ' 201$' "$dir/codes" || true)
	refused=$(grep -c ' 409$' "$dir/codes" || true)
	echo "# race grants: 200 requests in $(( (t1 - t0) / 1000000 )) ms: $ok granted, $refused refused" >&3
	[ "$ok" = 10 ] || { sort -k2 "$dir/codes" | uniq -c -f1; return 1; }
	[ "$refused" = 190 ]
	[ "$(balance "$line" provincial)" = 0 ]
	# Every 201 has its grant and ledger rows; every refusal none.
	[ "$(sql "SELECT count(*) FROM san.grants WHERE programme_id = $prog")" = 10 ]
	[ "$(sql "SELECT count(*) FROM san.ledger_tx t JOIN san.grants g ON g.id = t.grant_id WHERE g.programme_id = $prog")" = 10 ]
	[ "$(cat "$dir"/resp.* | jq -r 'select(.id) | .id' | sort -n | tr '\n' ' ')" = \
	    "$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) || ' ' FROM san.grants WHERE programme_id = $prog")" ]
	[ "$(cat "$dir"/resp.* | jq -r 'select(.error) | .error.details.shortfall_vnd' | sort -u)" = 1000000 ]
	rm -rf "$dir"
	ledger_ok
}

@test "50 concurrent replays of one grant key give one grant and the same answer" {
	local plan line prog dir
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	dir=$(mktemp -d)
	fire "$dir" /api/v1/admin/grants "$ADM_TOK" \
	    "{\"programme_id\":$prog,\"business_id\":$M_BIZ,\"year\":2024,\"decision_no\":\"1/QĐ\"}" 50 "same-$prog"
	[ "$(grep -c ' 201$' "$dir/codes")" = 50 ]
	[ "$(cat "$dir"/resp.* | sort -u | wc -l)" = 1 ]
	[ "$(sql "SELECT count(*) FROM san.grants WHERE programme_id = $prog")" = 1 ]
	[ "$(balance "$line" provincial)" = 9000000 ]
	rm -rf "$dir"
}

@test "200 concurrent disbursements race for the last part of a grant: never more than granted" {
	local plan line prog g dir ok t0 t1
	read -r plan line < <(test_plan 100000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":10000000,"sources":{"provincial":10000}}')
	grant "dr-$prog" "$prog" "$M2_BIZ"
	g=$(jq -r .id <<<"$body")
	disburse "$ADM_TOK" "dr-$g-0" "$g" 9000000
	dir=$(mktemp -d)
	t0=$(date +%s%N)
	fire "$dir" "/api/v1/admin/grants/$g/disbursements" "$ADM_TOK" \
	    '{"amount_vnd":100000,"paid_on":"2024-07-01","voucher_no":"PC-R","method":"bank_transfer"}' 200
	t1=$(date +%s%N)
	ok=$(grep -c ' 201$' "$dir/codes" || true)
	echo "# race disbursements: 200 requests in $(( (t1 - t0) / 1000000 )) ms: $ok paid, $(grep -c ' 409$' "$dir/codes") refused" >&3
	[ "$ok" = 10 ]
	[ "$(grep -c ' 409$' "$dir/codes")" = 190 ]
	[ "$(sql "SELECT count(*) FROM san.disbursements WHERE grant_id = $g")" = 11 ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'committed'")" = 0 ]
	[ "$(sql "SELECT balance_vnd FROM san.ledger_accounts WHERE grant_id = $g AND kind = 'disbursed'")" = 10000000 ]
	rm -rf "$dir"
	ledger_ok
}

# --- Programmes edited and closed, counterparts in the ledger, blank cells
# --- revised (issue 11, what was left).

# patch_prog ID JSON [TOKEN]: PATCH /api/v1/admin/programmes/ID.
patch_prog() {
	local TOKEN=${3-$ADM_TOK}
	api PATCH "/api/v1/admin/programmes/$1" "$2"
}

@test "programmes: PATCH changes the rule while there is no grant; afterwards only what is safe; limits not below what was granted; audited" {
	local plan line prog before a0
	read -r plan line < <(test_plan 100000000 50000000)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	a0=$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'programme_update' AND object_id = '$prog'")
	# No grant yet: the rule and the split may change, checked whole.
	patch_prog "$prog" '{"rule":"rate","rate_bp":5000,"cap_vnd":4000000,"sources":{"provincial":7000,"central":3000}}'
	[ "$code" = 200 ] || { echo "$body"; return 1; }
	[ "$(jq -c '[.rule, .fixed_vnd, .rate_bp, .cap_vnd, .sources.provincial.share_bp, .sources.central.share_bp, .grants]' <<<"$body")" = '["rate",null,5000,4000000,7000,3000,0]' ]
	patch_prog "$prog" '{"sources":{"provincial":7000,"central":2000}}'
	assert_error 400 shares_not_whole sources
	patch_prog "$prog" '{"sources":{"provincial":5000,"other":5000}}'
	assert_error 409 source_not_budgeted sources.other
	patch_prog "$prog" '{"rule":"fixed"}'
	assert_error 400 required fixed_vnd
	patch_prog "$prog" '{"line_id":1}'
	assert_error 400 unknown_field
	patch_prog "$prog" '{"name":null}'
	assert_error 400 cannot_clear name
	patch_prog 999999999 '{"name":"Không có"}'
	assert_error 404 programme_not_found
	# Once granted: the rule, shares and counterpart are fixed.
	grant "pp-$prog-1" "$prog" "$M_BIZ" 6000000
	[ "$code" = 201 ]
	grant "pp-$prog-2" "$prog" "$M_BIZ" 2000000
	[ "$code" = 201 ]
	before=$(snapshot)
	for b in '{"rule":"fixed","fixed_vnd":1}' '{"rate_bp":6000}' '{"cap_vnd":5000000}' '{"sources":{"provincial":10000}}' '{"counterpart_bp":1000}' '{"name":"Mới","cap_vnd":null}'; do
		patch_prog "$prog" "$b"
		[ "$code" = 409 ] || { echo "$b: $code $body"; return 1; }
		[ "$(jq -r .error.code <<<"$body")" = programme_has_grants ]
	done
	[ "$(jq -r .error.field <<<"$body")" = cap_vnd ]
	# Limits: not below what was granted (2 grants in 2024, 3,000,000 +
	# 1,000,000 to one business).
	patch_prog "$prog" '{"max_per_year":1}'
	assert_error 409 below_granted max_per_year
	[ "$(jq -c '.error.details' <<<"$body")" = '{"granted":2,"requested":1}' ]
	patch_prog "$prog" '{"per_business_cap_vnd":3999999}'
	assert_error 409 below_granted per_business_cap_vnd
	[ "$(jq -r .error.details.granted <<<"$body")" = 4000000 ]
	assert_unchanged "$before"
	# What is safe: name, limits at or above what was granted, eligibility.
	patch_prog "$prog" '{"name":"Hỗ trợ xây dựng website","max_per_year":2,"per_business_cap_vnd":4000000,"eligible_kinds":{"cooperative":true,"household":true},"require_verified":false}'
	[ "$code" = 200 ] || { echo "$body"; return 1; }
	[ "$(jq -c '[.name, .max_per_year, .per_business_cap_vnd, .eligible_kinds, .require_verified, .grants, .rate_bp]' <<<"$body")" = \
	    '["Hỗ trợ xây dựng website",2,4000000,["cooperative","household"],false,2,5000]' ]
	# ... which the next grant meets.
	grant "pp-$prog-3" "$prog" "$M2_BIZ" 2000000
	assert_error 409 programme_year_full
	patch_prog "$prog" '{"max_per_year":null}'
	[ "$code" = 200 ]
	[ "$(jq -r .max_per_year <<<"$body")" = null ]
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'programme_update' AND object_id = '$prog'")" = $((a0 + 3)) ]
	[ "$(sql "SELECT detail->'before'->>'name' FROM san.audit_log WHERE action = 'programme_update' AND object_id = '$prog' ORDER BY id DESC LIMIT 1")" = "Hỗ trợ xây dựng website" ]
	# Not admins: 404; nobody: 401.
	before=$(snapshot)
	for t in "$M_TOK" "$OFF_TOK"; do
		patch_prog "$prog" '{"name":"Chiếm"}' "$t"
		assert_error 404 not_found
	done
	patch_prog "$prog" '{"name":"Chiếm"}' ""
	assert_error 401 unauthenticated
	assert_unchanged "$before"
	ledger_ok
}

@test "eligibility by several kinds: a cooperative is refused by {enterprise, household}, granted once cooperatives are added" {
	local plan line prog
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000},"eligible_kinds":{"enterprise":true,"household":true,"cooperative":false}}')
	TOKEN=$ADM_TOK api GET /api/v1/admin/programmes
	[ "$(jq -c --argjson p "$prog" '.items[] | select(.id == $p) | .eligible_kinds' <<<"$body")" = '["enterprise","household"]' ]
	grant "ek-$prog-1" "$prog" "$M_BIZ"
	assert_error 409 business_not_eligible business_id
	patch_prog "$prog" '{"eligible_kinds":{"cooperative":true,"household":true}}'
	[ "$code" = 200 ]
	grant "ek-$prog-2" "$prog" "$M_BIZ"
	[ "$code" = 201 ]
	# null: every kind.
	patch_prog "$prog" '{"eligible_kinds":null}'
	[ "$(jq -r .eligible_kinds <<<"$body")" = null ]
	programme "$line" '{"rule":"fixed","fixed_vnd":1,"sources":{"provincial":10000},"eligible_kinds":{"shop":true}}' 2>/dev/null && return 1
	ledger_ok
}

@test "closing a programme: no new grants, the grants made continue (paid, cancelled); closing twice 409; not edited; audited; non-admins 404" {
	local plan line prog g1 g2 before
	read -r plan line < <(test_plan 100000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":10000000,"sources":{"provincial":10000}}')
	grant "cl-$prog-1" "$prog" "$M_BIZ"; g1=$(jq -r .id <<<"$body")
	grant "cl-$prog-2" "$prog" "$M2_BIZ"; g2=$(jq -r .id <<<"$body")
	before=$(snapshot)
	TOKEN=$M_TOK api POST "/api/v1/admin/programmes/$prog/close" '{"reason":"x"}'
	assert_error 404 not_found
	TOKEN= api POST "/api/v1/admin/programmes/$prog/close" '{"reason":"x"}'
	assert_error 401 unauthenticated
	TOKEN=$ADM_TOK api POST "/api/v1/admin/programmes/$prog/close" '{}'
	assert_error 400 required reason
	assert_unchanged "$before"
	TOKEN=$ADM_TOK api POST "/api/v1/admin/programmes/$prog/close" '{"reason":"Hết thời hạn kế hoạch"}'
	[ "$code" = 200 ] || { echo "$body"; return 1; }
	[ "$(jq -c '[.status, .close_reason, (.closed_at != null)]' <<<"$body")" = '["closed","Hết thời hạn kế hoạch",true]' ]
	[ "$(sql "SELECT actor_id || ' ' || (detail->>'reason') FROM san.audit_log WHERE action = 'programme_close' AND object_id = '$prog'")" = "$ADM_ID Hết thời hạn kế hoạch" ]
	before=$(snapshot)
	TOKEN=$ADM_TOK api POST "/api/v1/admin/programmes/$prog/close" '{"reason":"lần nữa"}'
	assert_error 409 programme_closed
	grant "cl-$prog-3" "$prog" "$M_BIZ"
	assert_error 409 programme_closed programme_id
	patch_prog "$prog" '{"name":"Sửa sau khi đóng"}'
	assert_error 409 programme_closed
	assert_unchanged "$before"
	# The grants made continue: paid, cancelled.
	disburse "$ADM_TOK" "cl-$g1-d" "$g1" 4000000
	[ "$code" = 201 ]
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g2/cancel" '{"reason":"Doanh nghiệp rút"}'
	[ "$code" = 200 ]
	[ "$(balance "$line" provincial)" = 90000000 ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/programmes/$prog/report"
	[ "$(jq -c '[.programme.status, (.years[] | select(.year == 2024) | .grants)]' <<<"$body")" = '["closed",1]' ]
	ledger_ok
}

@test "the counterpart is committed against the business column, released on cancel; no business budget 409; the check names an altered one" {
	local plan line prog g other oline
	read -r plan line < <(test_plan 100000000 0 6000000)
	# Tây Ninh's websites: 10,000,000 each, half provincial, half the business.
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":5000000,"counterpart_bp":5000,"sources":{"provincial":10000}}')
	grant "cp-$prog-1" "$prog" "$M_BIZ" 10000000
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	g=$(jq -r .id <<<"$body")
	[ "$(jq -c '[.amount_vnd, .counterpart_vnd, .counterpart.committed_vnd]' <<<"$body")" = '[5000000,5000000,5000000]' ]
	[ "$(balance "$line" business)" = 1000000 ]
	[ "$(balance "$line" provincial)" = 95000000 ]
	# One transaction, balanced: both sources move in the grant's tx.
	[ "$(sql "SELECT count(*) || ' ' || sum(e.debit_vnd) || ' ' || sum(e.credit_vnd) FROM san.ledger_entries e JOIN san.ledger_tx t ON t.id = e.tx_id WHERE t.grant_id = $g AND t.kind = 'grant'")" = "4 10000000 10000000" ]
	# The report's business column: committed by businesses.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/plans/$plan/report"
	[ "$code" = 200 ]
	# Not enough left in the business column: 409 naming it.
	grant "cp-$prog-2" "$prog" "$M2_BIZ" 10000000
	assert_error 409 budget_exceeded
	[ "$(jq -c '.error.details | [.line, .year, .source, .remaining_vnd, .shortfall_vnd]' <<<"$body")" = '["I.1",2024,"business",1000000,4000000]' ]
	[ "$(balance "$line" provincial)" = 95000000 ]
	# Cancel releases the counterpart too.
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g/cancel" '{"reason":"Sai đối tượng"}'
	[ "$code" = 200 ]
	[ "$(balance "$line" business)" = 6000000 ]
	[ "$(jq -r .counterpart.committed_vnd <<<"$body")" = 0 ]
	ledger_ok
	# A plan without a business column cannot expect a counterpart.
	read -r other oline < <(test_plan 10000000 0)
	TOKEN=$ADM_TOK api POST /api/v1/admin/programmes "$(jq -nc --argjson l "$oline" '{line_id:$l, name:"Không đối ứng", rule:"fixed", fixed_vnd:1000000, counterpart_bp:5000, sources:{provincial:10000}}')"
	assert_error 409 counterpart_not_budgeted counterpart_bp
	# The check: a counterpart altered in SQL, then put back.
	grant "cp-$prog-3" "$prog" "$M2_BIZ" 2000000
	[ "$code" = 201 ]
	g=$(jq -r .id <<<"$body")
	sql "UPDATE san.grants SET counterpart_vnd = counterpart_vnd + 1 WHERE id = $g" >/dev/null
	TOKEN=$ADM_TOK api GET /api/v1/admin/ledger/check
	[ "$(jq -c --argjson g "$g" '[.ok, (.problems[] | select(.check == "counterpart_mismatch" and .grant_id == $g) | [.counterpart_vnd, .committed_vnd])]' <<<"$body")" = '[false,[1000001,1000000]]' ]
	sql "UPDATE san.grants SET counterpart_vnd = counterpart_vnd - 1 WHERE id = $g" >/dev/null
	ledger_ok
}

@test "revisions: a blank cell of a leaf line gets a figure; a decision dated in the future (Vietnam time) is 400" {
	local title p plan l2 before tomorrow
	title="Kế hoạch ô trống $(date +%s%N)"
	p=$(jq -nc --arg t "$title" '{province:"Tỉnh Thử", title:$t, appendix:"Phụ lục",
	    period_from:2024, period_to:2025, unit_vnd:1, unit_label:"đồng",
	    years:[2024,2025], sources:["provincial","central"], lines:[
	    {code:"I", level:1, title:"Hỗ trợ", figures:[[2024,null,3000000]]},
	    {code:"I.1", level:2, title:"Website", figures:[[2024,"provincial",1000000],[2024,"central",1000000]]},
	    {code:"I.2", level:2, title:"Tham gia sàn", figures:[[2024,"provincial",1000000]]},
	    {kind:"total", title:"Tổng cộng", figures:[[null,null,3000000]]}]}')
	plan=$(sql "SELECT api.plan_import('$p'::jsonb)->>'plan_id'")
	l2=$(sql "SELECT id FROM san.plan_lines WHERE plan_id = $plan AND code = 'I.2'")
	# I.2 prints no central figure for 2024: the decision adds one.
	revise "blank-$plan-1" "$plan" "[$(chg I.2 2024 central 4000000)]"
	[ "$code" = 201 ] || { echo "$body"; return 1; }
	[ "$(jq -c '.changes[0] | [.line_code, .year, .source, .before_vnd, .revised_vnd, .difference_vnd]' <<<"$body")" = '["I.2",2024,"central",0,4000000,4000000]' ]
	[ "$(balance "$l2" central)" = 4000000 ]
	# The report shows the new figure: original 0, revised 4,000,000.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/plans/$plan/report"
	[ "$(jq -c '.lines[] | select(.code == "I.2") | .cells[] | select(.year == 2024 and .source == "central") | [.stated_vnd, .original_vnd, .revised_vnd, .revision_difference_vnd]' <<<"$body")" = '[null,0,4000000,4000000]' ]
	# Not on a line with lines below it, nor in a column without parts.
	revise "blank-$plan-2" "$plan" "[$(chg I 2024 central 1)]"
	assert_error 404 plan_part_not_found 'changes[0]'
	revise "blank-$plan-3" "$plan" "[$(chg I.2 2025 central 1)]"
	assert_error 404 plan_part_not_found 'changes[0]'
	# The check holds the new part to its revisions.
	ledger_ok
	# decision_date: today in Vietnam is fine, tomorrow is not.
	tomorrow=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F)
	before=$(snapshot)
	TOKEN=$ADM_TOK api POST "/api/v1/admin/plans/$plan/revisions" "$(jq -nc --arg d "$tomorrow" --argjson c "[$(chg I.2 2024 central 5000000)]" '{decision_no:"9/QĐ", decision_date:$d, reason:"Sớm", changes:$c}')" -H "Idempotency-Key: blank-$plan-4"
	assert_error 400 date_in_future decision_date
	assert_unchanged "$before"
	TOKEN=$ADM_TOK api POST "/api/v1/admin/plans/$plan/revisions" "$(jq -nc --arg d "$(TZ=Asia/Ho_Chi_Minh date +%F)" --argjson c "[$(chg I.2 2024 central 5000000)]" '{decision_no:"9/QĐ", decision_date:$d, reason:"Hôm nay", changes:$c}')" -H "Idempotency-Key: blank-$plan-5"
	[ "$code" = 201 ]
}

@test "revisions racing grants on one cell: the cell never goes below what is committed; every 201 has its rows, every refusal none" {
	local plan line prog biz d1 d2 ok rok body_r
	read -r plan line < <(test_plan 10000000 0)
	prog=$(programme "$line" '{"rule":"fixed","fixed_vnd":1000000,"sources":{"provincial":10000}}')
	biz=$(verified_business "$M2_TOK" "Công ty Đua Điều Chỉnh")
	d1=$(mktemp -d) d2=$(mktemp -d)
	body_r=$(jq -nc --argjson c "[$(chg I.1 2024 provincial 6000000)]" \
	    '{decision_no:"7/QĐ-UBND", decision_date:"2024-09-01", reason:"Cắt giảm", changes:$c}')
	fire "$d1" /api/v1/admin/grants "$ADM_TOK" \
	    "{\"programme_id\":$prog,\"business_id\":$biz,\"year\":2024,\"decision_no\":\"8/QĐ\"}" 40 &
	fire "$d2" "/api/v1/admin/plans/$plan/revisions" "$ADM_TOK" "$body_r" 20 &
	wait
	ok=$(grep -c ' 201$' "$d1/codes" || true)
	rok=$(grep -c ' 201$' "$d2/codes" || true)
	echo "# race revisions x grants: $ok of 40 grants, $rok of 20 revisions (to 6,000,000)" >&3
	# Everything else is a refusal (409), nothing half done.
	[ $((ok + $(grep -c ' 409$' "$d1/codes" || true))) = 40 ] || { cat "$d1/codes"; return 1; }
	[ $((rok + $(grep -c ' 409$' "$d2/codes" || true))) = 20 ] || { cat "$d2/codes"; return 1; }
	[ "$(sql "SELECT count(*) FROM san.grants WHERE programme_id = $prog")" = "$ok" ]
	[ "$(sql "SELECT count(*) FROM san.ledger_tx t JOIN san.grants g ON g.id = t.grant_id WHERE g.programme_id = $prog")" = "$ok" ]
	[ "$(sql "SELECT count(*) FROM san.plan_revisions WHERE plan_id = $plan")" = "$rok" ]
	[ "$(sql "SELECT count(*) FROM san.ledger_tx WHERE plan_id = $plan AND kind = 'revision'")" = "$rok" ]
	# The cell: its plan (6,000,000 once a revision went through) minus
	# what is committed, never below zero.
	if [ "$rok" -gt 0 ]; then
		[ "$ok" -le 6 ]
		[ "$(balance "$line" provincial)" = $((6000000 - ok * 1000000)) ]
	else
		[ "$ok" = 10 ] && [ "$(balance "$line" provincial)" = 0 ]
	fi
	rm -rf "$d1" "$d2"
	ledger_ok
}
