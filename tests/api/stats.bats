#!/usr/bin/env bats
# Statistics (issue 12): indicators against hand-computed figures on a
# small fixture placed in a year of its own (2019, Vietnam time), an empty
# period, targets from the seeds, the series as JSON columns and as CSV
# with small breakdowns suppressed, the summary tables equal to a
# recomputation from the orders after a burst of concurrent orders,
# cancellations and payments, the SME denominator, access.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_role_account official)
	export OFF_TOK=$tok
	read -r id tok < <(new_role_account admin)
	export ADM_TOK=$tok ADM_ID=$id
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_TOK=$tok
	# One merchant in a province no other fixture has orders in for 2019
	# (sql/units/: a real one, given by its former name and answered by
	# the current one), a product at 100,000 VND, free shipping: totals
	# are easy to add up by hand.
	export PROV="Lai Châu"
	local m
	m=$(new_merchant "HTX Thống Kê" "$PROV") || return 1
	read -r id tok biz slug <<<"$m"
	export M_TOK=$tok M_BIZ=$biz M_SLUG=$slug
	shipping_flat "$M_TOK" "$M_SLUG" 0 >/dev/null || return 1
	local cat
	cat=$(sql "SELECT id FROM san.categories c WHERE policy = 'normal' AND NOT EXISTS
		(SELECT 1 FROM san.categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1")
	export CAT=$cat
	P=$(new_product "$M_TOK" "$M_SLUG" "$(product_body "$cat" "Bánh tráng thống kê" 100000 '{"status":"active","stock":500}')") || return 1
	export P FIXTURE; FIXTURE=$(mktemp)
	[ -n "$OFF_TOK" ] && [ -n "$ADM_TOK" ] && [ -n "$BUYER_TOK" ] && [ -n "$P" ]
}

# recompute: the summary tables compared with a recomputation from the
# source rows (the floor's months with the sum of the stores' months);
# prints the differing rows (nothing when equal).
recompute_diff() {
	sql "WITH r AS (
		SELECT san.stat_month(o.created_at) AS month, o.store_id,
		    sum(c.counted)::bigint AS orders_n, sum(c.value_vnd)::bigint AS value_vnd,
		    sum(c.online)::bigint AS online_n, sum(c.online_vnd)::bigint AS online_vnd,
		    sum(c.completed)::bigint AS completed_n, sum(c.einvoice)::bigint AS einvoice_n,
		    sum(c.delivered)::bigint AS delivered_n, sum(c.cancelled)::bigint AS cancelled_n
		  FROM san.orders o CROSS JOIN LATERAL san.stat_order_contrib(o) c
		 GROUP BY 1, 2),
	     s AS (SELECT month, store_id, orders_n, value_vnd, online_n,
		    online_vnd, completed_n, einvoice_n, delivered_n, cancelled_n
		  FROM san.stat_orders)
	     SELECT 'missing ' || x::text FROM (SELECT * FROM r WHERE r.orders_n <> 0
		EXCEPT SELECT * FROM s) x
	     UNION ALL
	     SELECT 'extra ' || x::text FROM (SELECT * FROM s WHERE s.orders_n <> 0
		OR s.value_vnd <> 0 OR s.completed_n <> 0 EXCEPT SELECT * FROM r) x
	     UNION ALL
	     SELECT 'month ' || x::text FROM (
		SELECT month, sum(orders_n), sum(value_vnd), sum(online_n), sum(online_vnd),
		    sum(completed_n), sum(einvoice_n), sum(delivered_n), sum(cancelled_n)
		  FROM san.stat_orders GROUP BY month
		EXCEPT
		SELECT month, sum(orders_n), sum(value_vnd), sum(online_n), sum(online_vnd),
		    sum(completed_n), sum(einvoice_n), sum(delivered_n), sum(cancelled_n)
		  FROM san.stat_orders_months GROUP BY month) x
	     UNION ALL
	     SELECT 'business ' || b.business_id
	       FROM san.stat_businesses b JOIN san.businesses x ON x.id = b.business_id
	      WHERE b.on_floor <> (x.status = 'verified' AND EXISTS (SELECT 1
		    FROM san.stores st WHERE st.business_id = x.id AND st.status = 'active'))
		 OR b.listed_n <> (SELECT count(*) FROM san.products p JOIN san.stores st
		    ON st.id = p.store_id WHERE st.business_id = x.id AND p.listed)"
}

# summary_equal: the summary tables equal the recomputation (fails on a
# difference and on an SQL error alike).
summary_equal() {
	local d
	d=$(recompute_diff) || { echo "recomputation failed"; return 1; }
	[ -z "$d" ] || { echo "$d"; return 1; }
}

# fixture_2019: the hand-computed fixture, once per file.
fixture_2019() {
	[ -s "$FIXTURE" ] && return 0
	local g o1 o2 o3 o4 o5
	# o1: COD, delivered, completed, with an e-invoice.
	read -r g o1 < <(new_order "$BUYER_TOK" "$(items_json "$P" 1)" cod)
	order_act "$M_TOK" "$o1" confirm; [ "$code" = 200 ] || return 1
	order_act "$M_TOK" "$o1" ship '{"tracking_no":"TK-1"}'; [ "$code" = 200 ] || return 1
	order_act "$M_TOK" "$o1" deliver '{"cash_collected_vnd":100000}'; [ "$code" = 200 ] || return 1
	TOKEN=$M_TOK api PUT "/api/v1/orders/$o1/invoice" "{\"form\":\"1\",\"series\":\"C19TAA\",\"number\":\"1\",\"issued_on\":\"$(sql "SELECT api.today()")\",\"lookup_code\":\"TK1\"}"
	[ "$code" = 200 ] || { echo "invoice: $code $body"; return 1; }
	order_act "$BUYER_TOK" "$o1" complete; [ "$code" = 200 ] || return 1
	# o2: COD, 2 units, cancelled by the buyer.
	read -r g o2 < <(new_order "$BUYER_TOK" "$(items_json "$P" 2)" cod)
	order_act "$BUYER_TOK" "$o2" cancel; [ "$code" = 200 ] || return 1
	# o3: VNPay, paid (the state a verified callback leaves).
	read -r g o3 < <(new_order "$BUYER_TOK" "$(items_json "$P" 1)" vnpay)
	sql "UPDATE san.orders SET status = 'paid', paid_at = now() WHERE id = $o3" >/dev/null
	# o4: VNPay, never paid: not an order in the statistics.
	read -r g o4 < <(new_order "$BUYER_TOK" "$(items_json "$P" 1)" vnpay)
	# o5: COD, completed, no e-invoice.
	read -r g o5 < <(new_order "$BUYER_TOK" "$(items_json "$P" 1)" cod)
	order_act "$M_TOK" "$o5" confirm; order_act "$M_TOK" "$o5" ship '{"tracking_no":"TK-5"}'
	order_act "$M_TOK" "$o5" deliver '{"cash_collected_vnd":100000}'
	order_act "$BUYER_TOK" "$o5" complete; [ "$code" = 200 ] || return 1
	# All of them into March 2019 (Vietnam time).
	sql "UPDATE san.orders SET created_at = '2019-03-10 10:00+07'
	      WHERE id IN ($o1, $o2, $o3, $o4, $o5)" >/dev/null
	echo "$o1 $o2 $o3 $o4 $o5" >"$FIXTURE"
}

# mod_fixture_2019: three decided cases of the fixture's store in 2019
# (Vietnam time), written as the monitoring module leaves them (its
# decision route stamps now(), so a past year is written directly):
#   A  first alert 04-01 08:00, deadline +24 h, warned   04-01 18:00  10 h, met
#   B  first alert 04-10 00:00, deadline +7 d, dismissed 04-20 00:00 240 h, late
#   C  first alert 05-01 00:00, deadline +7 d, store hidden 05-03 00:00 48 h, met
mod_fixture_2019() {
	[ -n "$(sql "SELECT 1 FROM san.mod_decisions WHERE explanation = 'stats fixture $M_BIZ' LIMIT 1")" ] && return 0
	local off
	off=$(sql "SELECT account_id FROM san.account_roles WHERE role = 'official' ORDER BY account_id LIMIT 1")
	sql "WITH x(alert, deadline, decided, action) AS (VALUES
		('2019-04-01 08:00+07'::timestamptz, '2019-04-02 08:00+07'::timestamptz,
		 '2019-04-01 18:00+07'::timestamptz, 'warn'),
		('2019-04-10 00:00+07', '2019-04-17 00:00+07', '2019-04-20 00:00+07', 'dismiss'),
		('2019-05-01 00:00+07', '2019-05-08 00:00+07', '2019-05-03 00:00+07', 'hide_store')),
	     st AS (SELECT id FROM san.stores WHERE slug = '$M_SLUG'),
	     c AS (INSERT INTO san.mod_cases (target_type, store_id, status, source,
		    category, severity, priority, first_alert_at, deadline, decided_at, created_at)
		  SELECT 'store', st.id, 'decided', 'rule', 'other', 'flag', 2, x.alert,
		      x.deadline, x.decided, x.alert FROM x, st
		  RETURNING id, first_alert_at, decided_at),
	     d AS (INSERT INTO san.mod_decisions (case_id, action, ground, explanation,
		    category, automated_detection, store_id, business_id, evidence,
		    decided_by, created_at)
		  SELECT c.id, x.action, 'incompatible', 'stats fixture $M_BIZ', 'other', true,
		      st.id, $M_BIZ, '{}', $off, c.decided_at
		    FROM c JOIN x ON x.alert = c.first_alert_at, st
		  RETURNING id)
	     SELECT count(*) FROM d" >/dev/null || return 1
	sql "UPDATE san.mod_cases m SET decision_id = d.id FROM san.mod_decisions d
	      WHERE d.case_id = m.id AND d.explanation = 'stats fixture $M_BIZ'" >/dev/null
}

# item CODE: the indicator CODE of the last indicators answer, as
# "value numerator denominator".
item() {
	jq -r --arg c "$1" '.items[] | select(.code == $c) |
	    "\(.value) \(.numerator_value) \(.denominator_value)"' <<<"$body"
}

teardown_file() {
	rm -f "$FIXTURE"
	sql "UPDATE san.settings SET value = 'tn-1087-2017' WHERE key = 'stats_plan'" >/dev/null
}

@test "indicators of 2019 equal the hand-computed figures of the fixture" {
	fixture_2019
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2019"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r .year <<<"$body")" = 2019 ]
	[ "$(jq -r '.as_of | length > 0' <<<"$body")" = true ]
	# 4 orders count (o4 never paid): 100,000 + 200,000 + 100,000 + 100,000.
	[ "$(item orders)" = "4 4 null" ]
	[ "$(item order-value)" = "500000 500000 null" ]
	# Paid online: o3 only.  1 of 4 orders; 100,000 of 500,000.
	[ "$(item cashless-share)" = "25 1 4" ]
	[ "$(item cashless-value-share)" = "20 100000 500000" ]
	# Completed o1 and o5; o1 has an e-invoice.
	[ "$(item einvoice-share)" = "50 1 2" ]
	[ "$(item delivery-rate)" = "50 2 4" ]
	[ "$(item cancellation-rate)" = "25 1 4" ]
	# A past year the floor recorded no month of: no figure for the
	# state-now indicators.
	[ "$(item businesses-on-floor)" = "null null null" ]
	[ "$(item active-listings)" = "null null null" ]
}

@test "an empty period: counts are 0, shares have no figure and no status" {
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2005"
	[ "$code" = 200 ]
	[ "$(item orders)" = "0 0 null" ]
	[ "$(item order-value)" = "0 0 null" ]
	[ "$(item cashless-share)" = "null 0 0" ]
	[ "$(item einvoice-share)" = "null 0 0" ]
	[ "$(item new-businesses)" = "0 0 null" ]
	[ "$(jq -r '.items[] | select(.code == "cashless-share") | .status' <<<"$body")" = null ]
}

@test "targets come from the seeds' plans; the floor's plan first; on track or behind" {
	fixture_2019
	TOKEN=$ADM_TOK api GET "/api/v1/official/stats/indicators?year=2019"
	[ "$code" = 200 ]
	# Tây Ninh 1087/QĐ-UBND Appendix 2 row 7: 50 % cashless by 2020.
	[ "$(jq -r '.items[] | select(.code == "cashless-share") | "\(.target.plan) \(.target.year) \(.target.value) \(.status)"' <<<"$body")" = "tn-1087-2017 2020 50 behind" ]
	# Khánh Hòa: 40 % of purchases with an e-invoice (2025); 50 % is on track.
	[ "$(jq -r '.items[] | select(.code == "einvoice-share") | "\(.target.plan) \(.target.value) \(.status)"' <<<"$body")" = "kh-2021-2025 40 on_track" ]
	# Cancellations: lower is better, no target in the plans.
	[ "$(jq -r '.items[] | select(.code == "cancellation-rate") | "\(.direction) \(.target) \(.status)"' <<<"$body")" = "down null null" ]
	[ "$(jq -r '[.items[] | select(.code == "sme-share") | .targets[].plan] | sort | join(" ")' <<<"$body")" = "kh-2021-2025 qn-428-2016 tn-1087-2017" ]
	# Every indicator is data with both names and a definition.
	[ "$(jq -r '[.items[] | select(.name_vi == "" or .name_en == "" or .numerator == "" or .source == "")] | length' <<<"$body")" = 0 ]
	[ "$(jq -r '.items | length' <<<"$body")" -ge 11 ]
}

@test "this year: businesses on the floor and listings equal the source tables; SME share needs its denominator" {
	local y on listed
	y=$(sql "SELECT extract(year FROM api.today())")
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	[ "$code" = 200 ]
	[ "$(jq -r .year <<<"$body")" = "$y" ]
	on=$(sql "SELECT count(*) FROM san.businesses b WHERE b.status = 'verified'
		AND EXISTS (SELECT 1 FROM san.stores s WHERE s.business_id = b.id AND s.status = 'active')")
	listed=$(sql "SELECT count(*) FROM san.products WHERE listed")
	[ "$on" -ge 1 ]
	[ "$(item businesses-on-floor)" = "$on $on null" ]
	[ "$(item active-listings)" = "$listed $listed null" ]
	[ "$(item sme-share)" = "null $on null" ]
	# An admin enters the province's SMEs for the year, with a source.
	TOKEN=$ADM_TOK api PUT "/api/v1/admin/stats/sme-counts/$y" '{"sme_count":200,"source":"Cục Thống kê tỉnh, niên giám 2025"}'
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'stats_sme_count' AND object_id = '$y'")" -ge 1 ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	[ "$(jq -r .sme_count.source <<<"$body")" = "Cục Thống kê tỉnh, niên giám 2025" ]
	[ "$(item sme-share)" = "$(jq -rn --argjson n "$on" '(100 * $n / 200 * 100 | round) / 100') $on 200" ]
	# A verified business opening its first store is counted at once.
	local m
	m=$(new_merchant "HTX Mới" "$PROV")
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	[ "$(item businesses-on-floor)" = "$((on + 1)) $((on + 1)) null" ]
	[ "$(item new-businesses | cut -d' ' -f1)" -ge 1 ]
}

@test "stock indicators: the job records this month's state; a past year and a series by month read each month's last state" {
	local month on i
	background_idle
	month=$(sql "SELECT date_trunc('month', api.today())::date")
	on=$(sql "SELECT count(*) FILTER (WHERE on_floor) FROM san.stat_businesses")
	# The server's job (SAN_STATS_SNAPSHOT_MS=2000 in make test).
	for i in $(seq 50); do
		[ "$(sql "SELECT num FROM san.stat_stock_months
		    WHERE code = 'businesses-on-floor' AND month = '$month'")" = "$on" ] && break
		sleep 0.2
	done
	[ "$(sql "SELECT num || ' ' || businesses FROM san.stat_stock_months
	    WHERE code = 'businesses-on-floor' AND month = '$month'")" = "$on $on" ]
	[ "$(sql "SELECT num FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")" = \
	    "$(sql "SELECT count(*) FROM san.products WHERE listed")" ]
	# Nothing changed: two ticks of each worker write nothing.  A row
	# that differs from the state is set right by the next tick.
	local at
	at=$(sql "SELECT taken_at FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")
	sleep 4.5
	[ "$(sql "SELECT taken_at FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")" = "$at" ]
	sql "UPDATE san.stat_stock_months SET num = -1 WHERE code = 'active-listings' AND month = '$month'" >/dev/null
	for i in $(seq 50); do
		[ "$(sql "SELECT num FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")" = -1 ] || break
		sleep 0.2
	done
	[ "$(sql "SELECT num FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")" = \
	    "$(sql "SELECT count(*) FROM san.products WHERE listed")" ]
	[ "$(sql "SELECT taken_at > '$at' FROM san.stat_stock_months WHERE code = 'active-listings' AND month = '$month'")" = t ]
	# 2018, as if recorded then: June and November.
	sql "INSERT INTO san.stat_stock_months (code, month, num, den, businesses) VALUES
	    ('businesses-on-floor', '2018-06-01', 7, NULL, 7),
	    ('businesses-on-floor', '2018-11-01', 9, NULL, 9),
	    ('active-listings', '2018-11-01', 40, NULL, 9),
	    ('subsidy-disbursed', '2018-11-01', 1500000, NULL, 9)" >/dev/null
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2018"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(item businesses-on-floor)" = "9 9 null" ]
	[ "$(item active-listings)" = "40 40 null" ]
	[ "$(item subsidy-disbursed)" = "1500000 1500000 null" ]
	[ "$(item sme-share)" = "null 9 null" ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/businesses-on-floor?from=2018-05-01&to=2018-12-31"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -c .key <<<"$body")" = '["2018-05","2018-06","2018-07","2018-08","2018-09","2018-10","2018-11","2018-12"]' ]
	[ "$(jq -c .value <<<"$body")" = '[null,7,null,null,null,null,9,null]' ]
	[ "$(jq -c .businesses <<<"$body")" = '[0,7,0,0,0,0,9,0]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/active-listings?from=2018-11-01&to=2018-11-30&format=csv"
	[ "$code" = 200 ]
	[ "$(printf '%s' "$body" | tr -d '\r' | sed -n 2p)" = '"2018-11",,40,40,,9,false' ] || { echo "$body"; return 1; }
	sql "DELETE FROM san.stat_stock_months WHERE month < '2019-01-01'" >/dev/null
}

@test "SME denominator: only admins; bad bodies refused with nothing saved" {
	local before
	before=$(snapshot)
	TOKEN=$OFF_TOK api PUT /api/v1/admin/stats/sme-counts/2024 '{"sme_count":10,"source":"x"}'
	assert_error 404 not_found
	TOKEN=$BUYER_TOK api PUT /api/v1/admin/stats/sme-counts/2024 '{"sme_count":10,"source":"x"}'
	assert_error 404 not_found
	TOKEN= api PUT /api/v1/admin/stats/sme-counts/2024 '{"sme_count":10,"source":"x"}'
	assert_error 401 unauthenticated
	TOKEN=$ADM_TOK api PUT /api/v1/admin/stats/sme-counts/2024 '{"sme_count":0,"source":"x"}'
	expect_error 400 out_of_range sme_count
	TOKEN=$ADM_TOK api PUT /api/v1/admin/stats/sme-counts/2024 '{"sme_count":10}'
	expect_error 400 required source
	TOKEN=$ADM_TOK api PUT /api/v1/admin/stats/sme-counts/1999 '{"sme_count":10,"source":"x"}'
	assert_error 404 not_found
	assert_unchanged "$before"
}

@test "series by month: columns for charts, every month of the range, empty months 0" {
	fixture_2019
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/cashless-share?from=2019-01-01&to=2019-04-30&by=month"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -c .key <<<"$body")" = '["2019-01","2019-02","2019-03","2019-04"]' ]
	[ "$(jq -c .value <<<"$body")" = '[null,null,25,null]' ]
	[ "$(jq -c .numerator <<<"$body")" = '[0,0,1,0]' ]
	[ "$(jq -c .denominator <<<"$body")" = '[0,0,4,0]' ]
	[ "$(jq -c .businesses <<<"$body")" = '[0,0,1,0]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/order-value?from=2019-03-01&to=2019-03-31"
	[ "$(jq -c '[.key, .value, .denominator]' <<<"$body")" = '[["2019-03"],[500000],[null]]' ]
}

@test "series by province: one business behind the figure is suppressed in the CSV export" {
	fixture_2019
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2019-01-01&to=2019-12-31&by=province"
	[ "$code" = 200 ]
	# Keyed by the province's code (Lai Châu: 12), its name beside it.
	[ "$(jq -r '[.key, .name, .value, .businesses, .suppressed] | transpose[] | select(.[0] == "12") | map(tostring) | join(" ")' <<<"$body")" = "12 $PROV 4 1 true" ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2019-01-01&to=2019-12-31&by=province&format=csv"
	[ "$code" = 200 ]
	[[ "$(header content-type)" == text/csv* ]]
	[ "$(head -1 <<<"$body")" = $'key,name,value,numerator,denominator,businesses,suppressed\r' ]
	grep -qF "\"12\",\"$PROV\",,,,1,true"$'\r' <<<"$body" || { echo "$body"; return 1; }
	# The figure itself does not leave: no 4 next to the province.
	! grep -F "\"$PROV\"" <<<"$body" | grep -q ',4,'
}

@test "series: 5 businesses behind a figure are shown in the CSV; Vietnamese text and formula cells" {
	local prov="=Tỉnh \"Năm\" $RANDOM" i m tok slug p g o biz
	for i in 1 2 3 4 5; do
		m=$(new_merchant "HTX Năm $i" "Điện Biên") || return 1
		read -r _ tok biz slug <<<"$m"
		# Written before sql/015 with a province no unit has: kept as
		# written (no code), grouped by its text.
		sql "UPDATE san.businesses SET province = '$prov', ward = 'Phường 1'
			WHERE id = $biz" >/dev/null
		sql "UPDATE san.stores SET province = '$prov', ward = 'Phường 1',
			province_code = NULL, ward_code = NULL
			WHERE business_id = $biz" >/dev/null
		shipping_flat "$tok" "$slug" 0 >/dev/null
		p=$(new_product "$tok" "$slug" "$(product_body "$CAT" "Muối tôm $i" 100000 '{"status":"active"}')")
		read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" cod)
		sql "UPDATE san.orders SET created_at = '2018-06-01 12:00+07' WHERE id = $o" >/dev/null
	done
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/order-value?from=2018-01-01&to=2018-12-31&by=province&format=csv"
	[ "$code" = 200 ]
	# RFC 4180: quoted, quotes doubled; a leading = neutralised with '.
	local want="\"'=Tỉnh \"\"Năm\"\" ${prov##* }\",500000,500000,,5,false"
	grep -qF "$want"$'\r' <<<"$body" || { echo "want $want in: $body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/order-value?from=2018-01-01&to=2018-12-31&by=ward&format=csv"
	grep -qF "/ Phường 1\",500000,500000,,5,false" <<<"$body" || { echo "$body"; return 1; }
}

@test "series by province and ward: keyed by the unit's code with its name beside it (JSON, CSV); orders count where their store is" {
	local m tok biz slug p g o
	# A business of Lai Châu whose store is in Tây Ninh (Phường Tân Ninh).
	m=$(new_merchant "HTX Hai Nơi" "$PROV") || return 1
	read -r _ tok biz slug <<<"$m"
	TOKEN=$tok api PATCH "/api/v1/stores/$slug" '{"province":"Long An","ward":"25459"}'
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	shipping_flat "$tok" "$slug" 0 >/dev/null
	p=$(new_product "$tok" "$slug" "$(product_body "$CAT" "Muối hai nơi" 100000 '{"status":"active"}')")
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" cod)
	sql "UPDATE san.orders SET created_at = '2017-05-01 12:00+07' WHERE id = $o" >/dev/null
	sql "UPDATE san.stat_businesses SET verified_at = '2017-05-01 12:00+07' WHERE business_id = $biz" >/dev/null
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2017-01-01&to=2017-12-31&by=province"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -c '[.key, .name, .value]' <<<"$body")" = '[["80"],["Tây Ninh"],[1]]' ] || { echo "$body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2017-01-01&to=2017-12-31&by=ward"
	[ "$(jq -c '[.key, .name, .value]' <<<"$body")" = '[["25459"],["Tây Ninh / Phường Tân Ninh"],[1]]' ] || { echo "$body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2017-01-01&to=2017-12-31&by=ward&format=csv"
	[ "$body" = "$(printf 'key,name,value,numerator,denominator,businesses,suppressed\r\n"25459","Tây Ninh / Phường Tân Ninh",,,,1,true\r')" ] || { echo "$body"; return 1; }
	# Businesses count where the business is (Lai Châu, 12); by month no names.
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/new-businesses?from=2017-01-01&to=2017-12-31&by=province"
	[ "$(jq -c '[.key, .name, .value]' <<<"$body")" = '[["12"],["Lai Châu"],[1]]' ] || { echo "$body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2017-05-01&to=2017-05-31"
	[ "$(jq -c '[.key, .name, .value]' <<<"$body")" = '[["2017-05"],[null],[1]]' ]
}

@test "series: unknown indicator 404, bad range and breakdowns 400" {
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/khong-co"
	assert_error 404 indicator_not_found
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2019-05-01&to=2019-01-01"
	expect_error 400 invalid_range from
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?by=day"
	expect_error 400 invalid_choice by
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?from=2019-02-30"
	[ "$code" = 400 ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/sme-share?by=month"
	expect_error 400 series_unsupported by
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-planned?by=month"
	expect_error 400 series_unsupported by
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/businesses-on-floor?by=province"
	[ "$code" = 200 ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=1999"
	[ "$code" = 400 ]
}

@test "officials and admins only: others 404, anonymous 401" {
	local path
	for path in /api/v1/official/stats/indicators /api/v1/official/stats/series/orders; do
		TOKEN=$BUYER_TOK api GET "$path"
		assert_error 404 not_found
		TOKEN=$M_TOK api GET "$path"
		assert_error 404 not_found
		TOKEN= api GET "$path"
		assert_error 401 unauthenticated
		TOKEN=$OFF_TOK api GET "$path"
		[ "$code" = 200 ]
		TOKEN=$ADM_TOK api GET "$path"
		[ "$code" = 200 ]
	done
}

@test "summary tables equal a recomputation after a burst of concurrent orders, cancellations and payments" {
	local dir pids=() i o g list
	dir=$(mktemp -d)
	# 30 concurrent checkouts (COD and VNPay) of the same product.
	for i in $(seq 30); do
		( pm=cod; [ $((i % 3)) = 0 ] && pm=vnpay
		  place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$P" 1)" $pm
		  echo "$code $(jq -r '.orders[0].id' <<<"$body")" >"$dir/$i" ) &
		pids+=($!)
	done
	wait "${pids[@]}"
	[ "$(cut -d' ' -f1 "$dir"/* | sort -u)" = 201 ]
	list=$(cut -d' ' -f2 "$dir"/* | sort -n)
	# Concurrently: cancel a third, pay the VNPay ones, confirm the rest.
	pids=()
	for o in $list; do
		case $((o % 3)) in
		0) ( order_act "$BUYER_TOK" "$o" cancel ) & ;;
		1) ( sql "UPDATE san.orders SET status = 'paid', paid_at = now()
			WHERE id = $o AND status = 'pending_payment'" >/dev/null
		     order_act "$M_TOK" "$o" confirm ) & ;;
		2) ( order_act "$M_TOK" "$o" confirm ) & ;;
		esac
		pids+=($!)
	done
	wait "${pids[@]}"
	rm -rf "$dir"
	summary_equal
	# Unlisting and relisting through a business suspension keeps the
	# listing counters right too.
	sql "UPDATE san.businesses SET status = 'suspended' WHERE id = $M_BIZ" >/dev/null
	summary_equal
	[ "$(sql "SELECT on_floor || ' ' || listed_n FROM san.stat_businesses WHERE business_id = $M_BIZ")" = "false 0" ]
	sql "UPDATE san.businesses SET status = 'verified' WHERE id = $M_BIZ" >/dev/null
	summary_equal
	[ "$(sql "SELECT on_floor FROM san.stat_businesses WHERE business_id = $M_BIZ")" = t ]
}

@test "moderation indicators of 2019: median hours to decision, deadlines met, violations handled" {
	mod_fixture_2019
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2019"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	# Hours 10, 240, 48: median 48.  Met: A and C of 3.  Acted: A and C.
	[ "$(item moderation-median-hours)" = "48 48 null" ]
	[ "$(item deadlines-met)" = "66.67 2 3" ]
	[ "$(item violations-handled)" = "2 2 null" ]
	[ "$(jq -r '.items[] | select(.code == "moderation-median-hours") | "\(.unit) \(.direction)"' <<<"$body")" = "hours down" ]
	# An empty year: no median, no share, no violations.
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2005"
	[ "$(item moderation-median-hours)" = "null null null" ]
	[ "$(item deadlines-met)" = "null 0 0" ]
	[ "$(item violations-handled)" = "0 0 null" ]
	# By month: April has A and B (median of 10 and 240), May has C.
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/moderation-median-hours?from=2019-03-01&to=2019-05-31"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -c '[.key, .value, .businesses]' <<<"$body")" = '[["2019-03","2019-04","2019-05"],[null,125,48],[0,1,1]]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/deadlines-met?from=2019-03-01&to=2019-05-31"
	[ "$(jq -c '[.value, .numerator, .denominator]' <<<"$body")" = '[[null,50,100],[0,1,1],[0,2,1]]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/violations-handled?from=2019-01-01&to=2019-12-31&by=province"
	[ "$(jq -r '[.key, .name, .value, .suppressed] | transpose[] | select(.[0] == "12") | map(tostring) | join(" ")' <<<"$body")" = "12 $PROV 2 true" ]
}

# A plan of our own as the floor's plan (setting stats_plan, restored by
# teardown_file): 30,000,000 provincial + 20,000,000 central in 2024, a
# fixed 10,000,000 programme split 60 / 40.
subsidy_plan() {
	local title="Kế hoạch thống kê $RANDOM$RANDOM" p pid
	p=$(jq -nc --arg t "$title" '{province:"Tỉnh Thống Kê Hỗ Trợ", title:$t,
	    appendix:"Phụ lục thử", period_from:2024, period_to:2025, unit_vnd:1,
	    unit_label:"đồng", years:[2024,2025], sources:["provincial","central"], lines:[
	    {code:"I", level:1, title:"Hỗ trợ doanh nghiệp", figures:[[2024,null,50000000]]},
	    {code:"I.1", level:2, title:"Hỗ trợ tham gia sàn",
	     figures:[[2024,"provincial",30000000],[2024,"central",20000000]]},
	    {kind:"total", title:"Tổng cộng", figures:[[null,null,50000000]]}]}')
	pid=$(sql "SELECT api.plan_import('$p'::jsonb)->>'plan_id'") || return 1
	sql "INSERT INTO san.stat_plans (code, title, province, decision, period_from, period_to)
	     VALUES ('thu-thong-ke', 'Kế hoạch thử', 'Tỉnh Thống Kê Hỗ Trợ', 'thử', 2024, 2025)
	     ON CONFLICT (code) DO NOTHING;
	     UPDATE san.settings SET value = 'thu-thong-ke' WHERE key = 'stats_plan'" >/dev/null
	LINE=$(sql "SELECT id FROM san.plan_lines WHERE plan_id = $pid AND code = 'I.1'")
	TOKEN=$ADM_TOK api POST /api/v1/admin/programmes "{\"line_id\":$LINE,\"name\":\"Hỗ trợ thống kê\",\"rule\":\"fixed\",\"fixed_vnd\":10000000,\"sources\":{\"provincial\":6000,\"central\":4000}}"
	[ "$code" = 201 ] || { echo "programme: $code $body"; return 1; }
	PROG=$(jq -r .id <<<"$body")
}

# new_grant BUSINESS: a grant of the programme; prints its id.
new_grant() {
	TOKEN=$ADM_TOK api POST /api/v1/admin/grants "{\"programme_id\":$PROG,\"business_id\":$1,\"year\":2024,\"decision_no\":\"15/QĐ-SCT\"}" -H "Idempotency-Key: $(uniq_key)"
	[ "$code" = 201 ] || { echo "grant: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

@test "subsidy indicators: planned, committed, disbursed of the floor's plan by source; businesses supported per year" {
	local y g1 g2 g3 m biz2 sup0
	y=$(sql "SELECT extract(year FROM api.today())")
	subsidy_plan
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	[ "$(item subsidy-planned)" = "50000000 50000000 null" ]
	[ "$(item subsidy-committed)" = "0 0 null" ]
	[ "$(item subsidy-disbursed)" = "0 0 null" ]
	sup0=$(item businesses-supported | cut -d' ' -f1)
	# Two grants to the fixture's business, one to another (cancelled).
	g1=$(new_grant "$M_BIZ") && g2=$(new_grant "$M_BIZ") || return 1
	m=$(new_merchant "HTX Hỗ Trợ Thống Kê" "$PROV"); read -r _ _ biz2 _ <<<"$m"
	g3=$(new_grant "$biz2") || return 1
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g3/cancel" '{"reason":"Doanh nghiệp rút hồ sơ"}'
	[ "$code" = 200 ] || { echo "cancel: $code $body"; return 1; }
	# 3,000,000 paid on the first (below the approval threshold: posted).
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g1/disbursements" '{"amount_vnd":3000000,"paid_on":"2024-06-01","voucher_no":"PC-1","method":"treasury"}' -H "Idempotency-Key: $(uniq_key)"
	[ "$code" = 201 ] || { echo "disburse: $code $body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	# Committed, not yet paid: 10 + 10 - 3 millions; paid 3 millions.
	[ "$(item subsidy-planned)" = "50000000 50000000 null" ]
	[ "$(item subsidy-committed)" = "17000000 17000000 null" ]
	[ "$(item subsidy-disbursed)" = "3000000 3000000 null" ]
	# This year: one business more (two grants, one business; the
	# cancelled grant does not count).
	[ "$(item businesses-supported | cut -d' ' -f1)" = "$((sup0 + 1))" ]
	# A past year: no figure for the plan's amounts (the state now).
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2019"
	[ "$(item subsidy-committed)" = "null null null" ]
	# By source: 60 / 40.
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-planned?by=source"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -c '[.key, .value, .suppressed]' <<<"$body")" = '[["central","provincial"],[20000000,30000000],[false,false]]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-committed?by=source"
	[ "$(jq -c '[.key, .value, .businesses]' <<<"$body")" = '[["central","provincial"],[6800000,10200000],[1,1]]' ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-disbursed?by=source&format=csv"
	[ "$code" = 200 ]
	# One business behind the paid amounts: suppressed in the export.
	grep -qF $'"central",,,,,1,true\r' <<<"$body" || { echo "$body"; return 1; }
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-planned?by=source&format=csv"
	grep -qF $'"provincial",,30000000,30000000,,,false\r' <<<"$body" || { echo "$body"; return 1; }
	# Amounts only by source, and only the amounts by source.
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/subsidy-planned?by=province"
	expect_error 400 series_unsupported by
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/orders?by=source"
	expect_error 400 series_unsupported by
	# Businesses supported in 2019: the two grants moved there (one
	# business), by month.
	sql "UPDATE san.grants SET created_at = '2019-03-15 09:00+07' WHERE id = $g1;
	     UPDATE san.grants SET created_at = '2019-07-01 09:00+07' WHERE id IN ($g2, $g3)" >/dev/null
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators?year=2019"
	[ "$(item businesses-supported)" = "1 1 null" ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/series/businesses-supported?from=2019-03-01&to=2019-07-31"
	[ "$(jq -c '.value' <<<"$body")" = '[1,0,0,0,1]' ]
	sql "UPDATE san.settings SET value = 'tn-1087-2017' WHERE key = 'stats_plan'" >/dev/null
}

@test "the floor's plan is the ledger plan of its province and period" {
	sql "UPDATE san.settings SET value = 'tn-1087-2017' WHERE key = 'stats_plan'" >/dev/null
	[ "$(sql "SELECT title FROM san.plans WHERE id = api.stat_ledger_plan()")" = "$(jq -r .title "$BATS_TEST_DIRNAME/../../sql/plans/tay-ninh-2016-2020.json")" ]
	# Planned: the appendix's parts plus their revisions, from the plan's
	# figures (not the ledger).
	local want y
	y=$(sql "SELECT extract(year FROM api.today())")
	want=$(sql "SELECT (SELECT COALESCE(sum(f.amount_vnd), 0) FROM san.plan_figures f
		JOIN san.plan_lines l ON l.id = f.line_id WHERE l.plan_id = api.stat_ledger_plan() AND f.is_part)
	    + (SELECT COALESCE(sum(c.difference_vnd), 0) FROM san.plan_revision_changes c
		JOIN san.plan_revisions r ON r.id = c.revision_id WHERE r.plan_id = api.stat_ledger_plan())")
	TOKEN=$OFF_TOK api GET "/api/v1/official/stats/indicators"
	[ "$want" -gt 0 ]
	[ "$(item subsidy-planned)" = "$want $want null" ]
}

# plans SQL: every plan SQL runs, nested statements of PL/pgSQL included
# (auto_explain, as explain.bats reads them).
plans() {
	"$PGBIN/psql" -X -q -d "$DATABASE_URL" -c "LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET client_min_messages = log;
SELECT 1 FROM ($1) x;" 2>&1 >/dev/null
}

@test "EXPLAIN: the indicators and the series read the summary tables, never orders or products" {
	local out
	out=$(plans "SELECT * FROM api.stats_indicators((SELECT token_hash FROM san.sessions s
		JOIN san.account_roles r USING (account_id) WHERE r.role = 'official' LIMIT 1), 2019)")
	grep -q "Query Text" <<<"$out" || { echo "no plan: $out"; return 1; }
	# The year's order figures from the floor's months (at most 16 rows a
	# month), not from every store's months.
	grep -qE "on (san\.)?stat_orders_months" <<<"$out" || { echo "$out"; return 1; }
	grep -qE "on (san\.)?stat_businesses" <<<"$out" || { echo "$out"; return 1; }
	if grep -qE " on (san\.)?(orders|order_lines|order_events|products|order_groups|stat_orders)( |$)" <<<"$out"; then
		echo "$out"
		return 1
	fi
	out=$(plans "SELECT * FROM api.stats_series((SELECT token_hash FROM san.sessions s
		JOIN san.account_roles r USING (account_id) WHERE r.role = 'official' LIMIT 1),
		'cashless-share', '2019-01-01', '2019-12-31', 'ward', 'csv')")
	grep -qE "on (san\.)?stat_orders" <<<"$out" || { echo "$out"; return 1; }
	if grep -qE " on (san\.)?(orders|order_lines|products)( |$)" <<<"$out"; then
		echo "$out"
		return 1
	fi
}

# --- Reports for the authorities (Decree 52) ------------------------------

@test "seller register: every business with its Decree 52 identity, status and dates, as CSV" {
	local n tax
	TOKEN=$M_TOK api GET /api/v1/official/reports/sellers.csv
	assert_error 404 not_found
	TOKEN=$OFF_TOK api GET /api/v1/official/reports/sellers.csv
	[ "$code" = 200 ]
	[[ "$(header content-type)" == text/csv* ]]
	[ "$(head -1 <<<"$body")" = $'tax_code,name,kind,registration_no,registration_date,registration_issuer,address,ward,province,representative,phone,email,status,applied_on,verified_on,updated_on,stores,active_stores\r' ]
	n=$(sql "SELECT count(*) FROM san.businesses")
	[ "$(($(wc -l <<<"$body") - 1))" = "$n" ]
	tax=$(sql "SELECT tax_code FROM san.businesses WHERE id = $M_BIZ")
	grep -F "\"$tax\",\"HTX Thống Kê\",\"cooperative\",\"4107000123\",2019-05-20,\"Sở Kế hoạch và Đầu tư tỉnh Tây Ninh\"" <<<"$body" |
	    grep -qE ",verified,[0-9-]{10},[0-9-]{10},[0-9-]{10},1,1"$'\r'"$" || { echo "$body" | grep -F "$tax"; return 1; }
}

@test "yearly report: the year's figures as JSON and CSV, violations handled from the monitoring decisions" {
	fixture_2019
	mod_fixture_2019
	TOKEN=$BUYER_TOK api GET /api/v1/official/reports/yearly/2019
	assert_error 404 not_found
	TOKEN=$OFF_TOK api GET /api/v1/official/reports/yearly/2019
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r '.items[] | select(.code == "orders") | .value' <<<"$body")" = 4 ]
	[ "$(jq -r '.items[] | select(.code == "order-value") | .value' <<<"$body")" = 500000 ]
	[ "$(jq -r '.items[] | select(.code == "einvoice-share") | .value' <<<"$body")" = 50 ]
	# Decisions of 2019 with an action: A (warning) and C (store hidden).
	[ "$(jq -r '.items[] | select(.code == "violations-handled") | .value' <<<"$body")" = 2 ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/reports/yearly/2019?format=csv"
	[ "$code" = 200 ]
	[[ "$(header content-type)" == text/csv* ]]
	grep -qF $'2019,cashless-share,"Tỷ lệ thanh toán không dùng tiền mặt (số đơn)",percent,25.00,1,4\r' <<<"$body" || { echo "$body"; return 1; }
	grep -qF $'2019,violations-handled,"Vi phạm đã xử lý",count,2,2,\r' <<<"$body" || { echo "$body"; return 1; }
}

@test "seller data for an authority: produced on an official's request and audited with the requesting body and document" {
	local before
	before=$(snapshot)
	TOKEN=$M_TOK api POST "/api/v1/official/reports/seller-data/$M_BIZ" '{"requesting_body":"Cục Thuế","document_no":"123/CT","document_date":"2026-01-05"}'
	assert_error 404 not_found
	TOKEN=$OFF_TOK api POST "/api/v1/official/reports/seller-data/$M_BIZ" '{"requesting_body":"Cục Thuế","document_date":"2026-01-05"}'
	expect_error 400 required document_no
	TOKEN=$OFF_TOK api POST /api/v1/official/reports/seller-data/999999999 '{"requesting_body":"Cục Thuế","document_no":"123/CT","document_date":"2026-01-05"}'
	assert_error 404 business_not_found
	assert_unchanged "$before"
	fixture_2019
	TOKEN=$OFF_TOK api POST "/api/v1/official/reports/seller-data/$M_BIZ" '{"requesting_body":"Cục Quản lý thị trường tỉnh","document_no":"45/QLTT-NV","document_date":"2026-01-05"}'
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r .identity.name <<<"$body")" = "HTX Thống Kê" ]
	[ "$(jq -r '.stores[0].listed_products' <<<"$body")" -ge 1 ]
	[ "$(jq -r '.orders_by_month[] | select(.month == "2019-03") | "\(.orders) \(.value_vnd)"' <<<"$body")" = "4 500000" ]
	[ "$(sql "SELECT detail->>'requesting_body' || ' ' || (detail->>'document_no') FROM san.audit_log
		WHERE action = 'seller_data_request' AND object_id = '$M_BIZ' ORDER BY id DESC LIMIT 1")" = "Cục Quản lý thị trường tỉnh 45/QLTT-NV" ]
}
