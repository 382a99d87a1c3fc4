#!/usr/bin/env bats
# Businesses (Decree 52 seller identity): registration by an owner, review
# and decisions by officials, owner edits, history and audit.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email owner)")
	export OWNER_ID=$id OWNER_TOK=$tok
	read -r id tok < <(new_role_account official)
	export OFF_ID=$id OFF_TOK=$tok
	[ -n "$OWNER_TOK" ] && [ -n "$OFF_TOK" ]
}

# queue_walk LIMIT [AFTER]: every id of the official pending queue (after
# AFTER), one per line, following "next" from page to page.
queue_walk() {
	local limit=$1 after=${2:-} pages=0 TOKEN=$OFF_TOK
	while :; do
		api GET "/api/v1/official/businesses?status=pending&limit=$limit${after:+&after=$after}"
		[ "$code" = 200 ] || { echo "page: $code $body" >&2; return 1; }
		[ "$(jq '.items | length' <<<"$body")" -le "$limit" ] || return 1
		jq -r '.items[].id' <<<"$body"
		after=$(jq -r '.next // empty' <<<"$body")
		[ -n "$after" ] || break
		pages=$((pages + 1))
		[ $pages -lt 10000 ] || return 1
	done
}

@test "full flow: sign-up, register (pending, submit), queue, approve with history, owner sees it" {
	local tc id OWNER_ID OWNER_TOK
	# Signs up through the API.
	read -r OWNER_ID OWNER_TOK < <(new_account "$(uniq_email flow)")
	[ -n "$OWNER_TOK" ]
	TOKEN=$OWNER_TOK api GET /api/v1/me
	[ "$code" = 200 ]
	[ "$(jq -c '[.account.roles, .businesses]' <<<"$body")" = '[["buyer"],[]]' ]
	tc=$(tax_code 11)
	TOKEN=$OWNER_TOK api POST /api/v1/businesses "$(business_json "$tc" "Công ty TNHH Nông sản Hòa Thành")"
	[ "$code" = 201 ]
	id=$(jq -r .id <<<"$body")
	[ "$(jq -r .status <<<"$body")" = pending ]
	[ "$(jq -r '.history | length' <<<"$body")" = 1 ]
	[ "$(jq -r '.history[0].action' <<<"$body")" = submit ]
	[ "$(jq -r '.history[0].actor_id' <<<"$body")" = "$OWNER_ID" ]
	# The database holds it, owned by the caller, with its submit event.
	[ "$(sql "SELECT status || ' ' || tax_code || ' ' || name FROM san.businesses WHERE id = $id")" = "pending $tc Công ty TNHH Nông sản Hòa Thành" ]
	[ "$(sql "SELECT role FROM san.business_members WHERE business_id = $id AND account_id = $OWNER_ID")" = owner ]
	[ "$(sql "SELECT action || ' ' || to_status FROM san.business_events WHERE business_id = $id")" = "submit pending" ]

	# The official sees it in the pending queue.
	local all; all=$(queue_walk 100)
	grep -qx "$id" <<<"$all"

	# Approve, with a reason.
	decide "$OFF_TOK" "$id" approve "Hồ sơ đầy đủ, đã đối chiếu đăng ký kinh doanh"
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = verified ]
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $id")" = verified ]
	[ "$(sql "SELECT actor_id || ' ' || action || ' ' || from_status || ' ' || to_status || ' ' || reason || ' ' || (at > now() - interval '1 minute')
	          FROM san.business_events WHERE business_id = $id AND action = 'approve'")" = "$OFF_ID approve pending verified Hồ sơ đầy đủ, đã đối chiếu đăng ký kinh doanh true" ]
	# No longer in the pending queue.
	all=$(queue_walk 100)
	! grep -qx "$id" <<<"$all" || false

	# The owner sees the history through both views.
	TOKEN=$OWNER_TOK api GET "/api/v1/businesses/$id"
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = verified ]
	[ "$(jq -r '[.history[].action] | join(",")' <<<"$body")" = submit,approve ]
	[ "$(jq -r '.history[1].actor_id' <<<"$body")" = "$OFF_ID" ]
	[ "$(jq -r '.history[1].reason' <<<"$body")" = "Hồ sơ đầy đủ, đã đối chiếu đăng ký kinh doanh" ]
	[ "$(jq -r '.history[1].from_status + ">" + .history[1].to_status' <<<"$body")" = "pending>verified" ]
	# "at" is a real timestamp, not after now.
	[ "$(sql "SELECT '$(jq -r '.history[1].at' <<<"$body")'::timestamptz BETWEEN now() - interval '1 minute' AND now()")" = t ]
	TOKEN=$OWNER_TOK api GET /api/v1/businesses
	[ "$code" = 200 ]
	[ "$(jq -r --argjson id "$id" '.items[] | select(.id == $id) | [.history[].action] | join(",")' <<<"$body")" = submit,approve ]
	[ "$(jq -r '.items | length' <<<"$body")" = 1 ]

	# And the store opens now that it is verified.
	TOKEN=$OWNER_TOK api POST /api/v1/stores "$(store_body "$id" "Nông sản Hòa Thành" "$(uniq_slug hoa-thanh)")"
	[ "$code" = 201 ]
}

@test "review queue keyset pagination (limit=1, after=next) visits every pending business exactly once" {
	local i ids=() walked expected start
	start=$(sql "SELECT COALESCE(max(id), 0) FROM san.businesses")
	for i in 1 2 3 4 5; do
		ids+=("$(new_business "$OWNER_TOK")")
	done
	# One not pending in the middle: the walk must skip it.
	verify_business "${ids[2]}"
	# From the cursor before ours, one at a time: exactly the pending
	# businesses after it, each once, in id order.
	walked=$(queue_walk 1 "$start")
	expected=$(sql "SELECT id FROM san.businesses WHERE status = 'pending' AND id > $start ORDER BY id")
	[ "$walked" = "$expected" ] || { echo "walked: $walked"; echo "expected: $expected"; return 1; }
	[ "$(wc -l <<<"$walked")" -ge 4 ]
	for i in 0 1 3 4; do grep -qx "${ids[i]}" <<<"$walked"; done
	! grep -qx "${ids[2]}" <<<"$walked" || false
	# The whole queue, with other page sizes: each pending business once.
	expected=$(sql "SELECT id FROM san.businesses WHERE status = 'pending' ORDER BY id")
	walked=$(queue_walk 7)
	[ "$walked" = "$expected" ]
	[ -z "$(sort <<<"$walked" | uniq -d)" ]
	[ "$(queue_walk 2 "$start")" = "$(queue_walk 1 "$start")" ]
	# The other statuses have their own queue.
	TOKEN=$OFF_TOK api GET "/api/v1/official/businesses?status=verified&limit=100&after=$start"
	[ "$code" = 200 ]
	[ "$(jq -r '.items[0].id' <<<"$body")" = "${ids[2]}" ]
	[ "$(jq -r '[.items[].status] | unique | join(",")' <<<"$body")" = verified ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/businesses?status=bogus"
	assert_error 400 invalid_choice status
	TOKEN=$OFF_TOK api GET "/api/v1/official/businesses?limit=0"
	assert_error 400 invalid_limit limit
	TOKEN=$OFF_TOK api GET "/api/v1/official/businesses?limit=101"
	assert_error 400 invalid_limit limit
	TOKEN=$OFF_TOK api GET "/api/v1/official/businesses?after=abc"
	assert_error 400 invalid_cursor after
}

@test "reject and suspend need a reason: 400 reason_required, nothing changed" {
	local id before r
	id=$(new_business "$OWNER_TOK")
	before=$(snapshot)
	for r in "" "   "; do
		decide "$OFF_TOK" "$id" reject "$r"
		assert_error 400 reason_required reason
	done
	# A null reason is no reason either.
	TOKEN=$OFF_TOK api POST "/api/v1/businesses/$id/decision" '{"decision":"reject","reason":null}'
	assert_error 400 reason_required reason
	assert_unchanged "$before"

	verify_business "$id"
	before=$(snapshot)
	decide "$OFF_TOK" "$id" suspend
	assert_error 400 reason_required reason
	decide "$OFF_TOK" "$id" suspend " "
	assert_error 400 reason_required reason
	assert_unchanged "$before"
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $id")" = verified ]

	# With a reason both work and the reason is kept.
	decide "$OFF_TOK" "$id" suspend "Bán hàng giả"
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = suspended ]
	[ "$(sql "SELECT reason FROM san.business_events WHERE business_id = $id AND action = 'suspend'")" = "Bán hàng giả" ]
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" reject "Thiếu giấy phép"
	[ "$code" = 200 ]
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $id")" = rejected ]
}

@test "invalid transitions answer 409 invalid_transition and change nothing" {
	local p v s r before
	p=$(new_business "$OWNER_TOK")
	v=$(new_business "$OWNER_TOK"); verify_business "$v"
	s=$(new_business "$OWNER_TOK"); sql "UPDATE san.businesses SET status = 'suspended' WHERE id = $s"
	r=$(new_business "$OWNER_TOK"); sql "UPDATE san.businesses SET status = 'rejected' WHERE id = $r"
	before=$(snapshot)
	# "business decision": every one refused.
	local line id dec
	while read -r id dec; do
		decide "$OFF_TOK" "$id" "$dec" "lý do"
		assert_error 409 invalid_transition || { echo "line: $id $dec"; return 1; }
	done <<-EOF
		$v approve
		$s approve
		$r approve
		$p reinstate
		$v reinstate
		$r reinstate
		$p suspend
		$s suspend
		$r suspend
		$v reject
		$s reject
		$r reject
	EOF
	assert_unchanged "$before"
	# Unknown decisions are refused before anything happens.
	TOKEN=$OFF_TOK api POST "/api/v1/businesses/$p/decision" '{"decision":"delete","reason":"x"}'
	assert_error 400 invalid_choice decision
	TOKEN=$OFF_TOK api POST "/api/v1/businesses/$p/decision" '{"reason":"x"}'
	assert_error 400 required decision
	assert_unchanged "$before"
}

@test "suspend then reinstate: both recorded, the business is verified again" {
	local id
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" approve
	[ "$code" = 200 ]
	decide "$OFF_TOK" "$id" suspend "Khiếu nại của người tiêu dùng"
	[ "$code" = 200 ]
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $id")" = suspended ]
	decide "$OFF_TOK" "$id" reinstate "Đã khắc phục"
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = verified ]
	TOKEN=$OWNER_TOK api GET "/api/v1/businesses/$id"
	[ "$(jq -r '[.history[] | .action + ":" + .to_status] | join(",")' <<<"$body")" = "submit:pending,approve:verified,suspend:suspended,reinstate:verified" ]
	[ "$(jq -r '.history[2].reason' <<<"$body")" = "Khiếu nại của người tiêu dùng" ]
}

@test "every decision writes san.audit_log with the actor" {
	local id adm_id adm_tok
	read -r adm_id adm_tok < <(new_role_account admin)
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" approve
	[ "$code" = 200 ]
	decide "$adm_tok" "$id" suspend "Vi phạm"
	[ "$code" = 200 ]
	decide "$OFF_TOK" "$id" reinstate "Đã khắc phục"
	[ "$code" = 200 ]
	[ "$(sql "SELECT string_agg(actor_id || ':' || action, ',' ORDER BY id) FROM san.audit_log
	          WHERE object_type = 'business' AND object_id = '$id'")" = "$OFF_ID:business_approve,$adm_id:business_suspend,$OFF_ID:business_reinstate" ]
	[ "$(sql "SELECT detail->>'reason' FROM san.audit_log WHERE object_type = 'business' AND object_id = '$id' AND action = 'business_suspend'")" = "Vi phạm" ]
	local rid; rid=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$rid" reject "Sai thông tin"
	[ "$(sql "SELECT actor_id || ':' || action || ':' || (detail->>'to') FROM san.audit_log WHERE object_type = 'business' AND object_id = '$rid'")" = "$OFF_ID:business_reject:rejected" ]
	# A refused decision leaves no audit entry.
	local n; n=$(sql "SELECT count(*) FROM san.audit_log")
	decide "$OFF_TOK" "$rid" approve
	[ "$code" = 409 ]
	[ "$(sql "SELECT count(*) FROM san.audit_log")" = "$n" ]
}

@test "a decision reason reads the same in the history and in the audit log (NFC, trimmed)" {
	local id nfd
	id=$(new_business "$OWNER_TOK")
	# "Thiếu giấy tờ" decomposed (NFD), with blanks around it.
	nfd=$(printf '  Thie\xcc\x82\xcc\x81u gia\xcc\x82\xcc\x81y to\xcc\x9b\xcc\x80  ')
	decide "$OFF_TOK" "$id" reject "$nfd"
	[ "$code" = 200 ]
	[ "$(jq -r '.history[-1].reason' <<<"$body")" = "Thiếu giấy tờ" ]
	[ "$(sql "SELECT reason FROM san.business_events WHERE business_id = $id AND action = 'reject'")" = "Thiếu giấy tờ" ]
	[ "$(sql "SELECT detail->>'reason' FROM san.audit_log WHERE object_type = 'business' AND object_id = '$id'")" = "Thiếu giấy tờ" ]
}

@test "owner edits a rejected application: back to pending with a resubmit event" {
	local id
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" reject "Địa chỉ không khớp giấy phép"
	[ "$code" = 200 ]
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"address":"99 Đường 30/4, Phường 2"}'
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = pending ]
	[ "$(jq -r .address <<<"$body")" = "99 Đường 30/4, Phường 2" ]
	[ "$(jq -r '.history[-1].action + " " + .history[-1].from_status + ">" + .history[-1].to_status' <<<"$body")" = "resubmit rejected>pending" ]
	[ "$(jq -r '.history[-1].actor_id' <<<"$body")" = "$OWNER_ID" ]
	[ "$(sql "SELECT status || ' ' || address FROM san.businesses WHERE id = $id")" = "pending 99 Đường 30/4, Phường 2" ]
	[ "$(sql "SELECT count(*) FROM san.business_events WHERE business_id = $id AND action = 'resubmit'")" = 1 ]
	# Back in the queue; the official can approve it now.
	decide "$OFF_TOK" "$id" approve
	[ "$code" = 200 ]
}

@test "owner edits a pending application: stays pending, values replaced" {
	local id
	id=$(new_business "$OWNER_TOK")
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"Hộ kinh doanh Bà Năm","kind":"household","phone":"0398 765 432"}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || '|' || name || '|' || kind || '|' || phone FROM san.businesses WHERE id = $id")" = "pending|Hộ kinh doanh Bà Năm|household|+84398765432" ]
}

@test "verified business: contact edits keep it verified, legal identity edits send it back to review" {
	local id tc
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" approve
	[ "$code" = 200 ]
	local events; events=$(sql "SELECT count(*) FROM san.business_events WHERE business_id = $id")
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"phone":"0911222333","email":"lienhe@example.vn"}'
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = verified ]
	[ "$(sql "SELECT status || ' ' || phone || ' ' || email FROM san.businesses WHERE id = $id")" = "verified +84911222333 lienhe@example.vn" ]
	[ "$(sql "SELECT count(*) FROM san.business_events WHERE business_id = $id")" = "$events" ]
	# Sending the unchanged legal name is not a change, nor is the same
	# name padded with blanks or spelled NFD.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"Hợp tác xã Thử Nghiệm"}'
	[ "$code" = 200 ]
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"  Hợp tác xã Thử Nghiệm "}'
	[ "$code" = 200 ]
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "$(jq -nc --arg n "$(printf 'Ho\xcc\x9b\xcc\xa3p ta\xcc\x81c xa\xcc\x83 Thu\xcc\x9b\xcc\x89 Nghie\xcc\x82\xcc\xa3m')" '{name:$n}')"
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || ' ' || name FROM san.businesses WHERE id = $id")" = "verified Hợp tác xã Thử Nghiệm" ]
	[ "$(sql "SELECT count(*) FROM san.business_events WHERE business_id = $id")" = "$events" ]

	# A new legal name: back to pending with a resubmit event.
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"Hợp tác xã Thử Nghiệm Mới"}'
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = pending ]
	[ "$(sql "SELECT action || ' ' || from_status || ' ' || to_status FROM san.business_events WHERE business_id = $id ORDER BY id DESC LIMIT 1")" = "resubmit verified pending" ]

	# Same for the tax code.
	decide "$OFF_TOK" "$id" approve
	[ "$code" = 200 ]
	tc=$(tax_code 12)
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "{\"tax_code\":\"$tc\"}"
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || ' ' || tax_code FROM san.businesses WHERE id = $id")" = "pending $tc" ]
}

@test "a verified business whose identity changes drops out of public view until approved again" {
	local id slug
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" approve
	slug=$(new_store "$OWNER_TOK" "$id" "$(uniq_slug identity)")
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"representative":"Nguyễn Văn Mới"}'
	[ "$code" = 200 ]
	[ "$(jq -r .status <<<"$body")" = pending ]
	TOKEN= api GET "/api/v1/stores/$slug"
	assert_error 404 store_not_found
	decide "$OFF_TOK" "$id" approve
	TOKEN= api GET "/api/v1/stores/$slug"
	[ "$code" = 200 ]
}

@test "a suspended business cannot be edited: 409 business_suspended, nothing changed" {
	local id before
	id=$(new_business "$OWNER_TOK")
	decide "$OFF_TOK" "$id" approve
	decide "$OFF_TOK" "$id" suspend "Vi phạm"
	[ "$code" = 200 ]
	before=$(snapshot)
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"phone":"0911222333"}'
	assert_error 409 business_suspended
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"Tên khác"}'
	assert_error 409 business_suspended
	assert_unchanged "$before"
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $id")" = suspended ]
}

@test "edits are validated like the application and refused edits change nothing" {
	local id other before
	id=$(new_business "$OWNER_TOK")
	other=$(sql "SELECT tax_code FROM san.businesses WHERE id = $(new_business "$OWNER_TOK")")
	before=$(snapshot)
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{}'
	assert_error 400 empty_update
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"tax_code":"0123456789"}'
	assert_error 400 invalid_tax_code tax_code
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "{\"tax_code\":\"$other\"}"
	assert_error 409 tax_code_taken tax_code
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"kind":"corporation"}'
	assert_error 400 invalid_choice kind
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"registration_date":"2023-02-30"}'
	assert_error 400 invalid_date registration_date
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "{\"registration_date\":\"$(date -d '+3 days' +%F)\"}"
	assert_error 400 date_in_future registration_date
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"name":"   "}'
	assert_error 400 required name
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"status":"verified"}'
	assert_error 400 unknown_field
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" '{"phone":"12345"}'
	assert_error 400 invalid_phone phone
	assert_unchanged "$before"
}

@test "a decision on a business that does not exist answers 404 and changes nothing" {
	local before
	before=$(snapshot)
	decide "$OFF_TOK" 999999999 approve
	assert_error 404 business_not_found
	decide "$OFF_TOK" 999999999 reject "x"
	assert_error 404 business_not_found
	assert_unchanged "$before"
}

@test "an edit racing another registration of the same tax code answers 409, not 500" {
	local id t old pid i
	id=$(new_business "$OWNER_TOK")
	old=$(sql "SELECT tax_code FROM san.businesses WHERE id = $id")
	t=$(tax_code 13)
	# Another transaction registers the same tax code and commits while
	# the edit is under way (between its "taken?" check and its update).
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "BEGIN" \
	    -c "INSERT INTO san.businesses (tax_code, name, kind, registration_no,
		registration_date, registration_issuer, address, province, ward,
		representative, phone, email) VALUES ('$t', 'Cạnh tranh', 'household',
		'1', '2020-01-01', 'x', 'x', 'Tây Ninh', 'x', 'x', '+84912345678',
		'x@example.vn')" \
	    -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
	pid=$!
	for i in $(seq 50); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)'")" = 1 ] && break
		sleep 0.05
	done
	TOKEN=$OWNER_TOK api PATCH "/api/v1/businesses/$id" "{\"tax_code\":\"$t\"}"
	wait "$pid"
	sql "DELETE FROM san.businesses WHERE tax_code = '$t' AND name = 'Cạnh tranh'"
	assert_error 409 tax_code_taken tax_code
	[ "$(sql "SELECT tax_code FROM san.businesses WHERE id = $id")" = "$old" ]
}
