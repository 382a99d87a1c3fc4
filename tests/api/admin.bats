#!/usr/bin/env bats
# The admins' accounts list (issue 9): GET /api/v1/admin/accounts?q=&after=&limit=,
# keyset by id, prefix search on e-mail and name, roles; admins only.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_role_account admin)
	export ADM_ID=$id ADM_TOK=$tok
	# A unique prefix so the search finds exactly these accounts.
	export PFX="adm$(date +%s%N | tail -c 9)"
	read -r id tok < <(new_account "$PFX.mot@example.vn")
	export A1=$id T1=$tok
	read -r id tok < <(new_account "$PFX.hai@example.vn")
	export A2=$id
	grant_role "$A2" official >/dev/null
	read -r id tok < <(new_account "$PFX.ba@example.vn")
	export A3=$id
	# A name with diacritics, found without them.
	sql "UPDATE san.accounts SET full_name = 'Đặng Thị $PFX Ánh' WHERE id = $A3" >/dev/null
	sql "UPDATE san.accounts SET full_name = 'Trần Văn Bảy' WHERE id = $A1" >/dev/null
}

@test "admin accounts: prefix of the e-mail, any case; roles and status; no phone" {
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=$(tr a-z A-Z <<<"$PFX")"
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$A1,$A2,$A3]" ]
	[ "$(jq -r --argjson a "$A2" '.items[] | select(.id == $a) | .roles | join(",")' <<<"$body")" = buyer,official ]
	[ "$(jq -r '.items[0].status' <<<"$body")" = active ]
	[ "$(jq -r '.items[0] | has("phone")' <<<"$body")" = false ]
	[ "$(jq -r '.items[0] | has("password_hash")' <<<"$body")" = false ]
	[ "$(jq -r .next <<<"$body")" = null ]
}

@test "admin accounts: prefix of the name, without diacritics; a word inside it is no prefix" {
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=dang%20thi%20$PFX"
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$A3]" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=thi%20$PFX"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
	# LIKE wildcards are plain characters.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=%25"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 0 ]
}

@test "admin accounts: keyset pages of limit, next until the end" {
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=$PFX&limit=2"
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$A1,$A2]" ]
	local next; next=$(jq -r .next <<<"$body")
	[ "$next" = "$A2" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=$PFX&limit=2&after=$next"
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$A3]" ]
	[ "$(jq -r .next <<<"$body")" = null ]
	# Without q: every account, by id.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?limit=100"
	[ "$code" = 200 ]
	[ "$(jq '[.items[].id] == ([.items[].id] | sort)' <<<"$body")" = true ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?limit=0"
	assert_error 400 invalid_limit limit
}

@test "admin accounts: 404 to signed-in non-admins (official too), 401 anonymous, in both languages" {
	local off
	read -r _ off < <(new_role_account official)
	TOKEN=$T1 api GET "/api/v1/admin/accounts?q=$PFX"
	assert_error 404 not_found
	TOKEN=$off api GET "/api/v1/admin/accounts"
	assert_error 404 not_found
	TOKEN=$off api GET "/api/v1/admin/accounts" "" -H 'Accept-Language: en'
	[ "$(jq -r .error.message <<<"$body")" = "Not found." ]
	TOKEN= api GET "/api/v1/admin/accounts"
	assert_error 401 unauthenticated
}

@test "admin accounts: every read is in the audit log (who, the query, the page), never the accounts found; refused reads leave nothing" {
	local n0 before
	n0=$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'accounts_list' AND actor_id = $ADM_ID")
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?q=%20$PFX.hai%20&limit=5"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 1 ]
	[ "$(sql "SELECT object_type || ' ' || object_id || ' ' || detail::text FROM san.audit_log WHERE action = 'accounts_list' AND actor_id = $ADM_ID ORDER BY id DESC LIMIT 1")" = \
	    "account * {\"q\": \"$PFX.hai\", \"after\": null}" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/accounts?limit=2&after=$A1"
	[ "$code" = 200 ]
	[ "$(sql "SELECT detail::text FROM san.audit_log WHERE action = 'accounts_list' AND actor_id = $ADM_ID ORDER BY id DESC LIMIT 1")" = \
	    "{\"q\": null, \"after\": $A1}" ]
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'accounts_list' AND actor_id = $ADM_ID")" = $((n0 + 2)) ]
	# Nothing of the answer: only the keys q and after, no e-mail found.
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'accounts_list' AND (detail::text LIKE '%example.vn%' OR NOT (detail ?& ARRAY['q', 'after']) OR (SELECT count(*) FROM jsonb_object_keys(detail)) <> 2)")" = 0 ]
	before=$(snapshot)
	TOKEN=$T1 api GET "/api/v1/admin/accounts?q=$PFX"
	assert_error 404 not_found
	TOKEN= api GET "/api/v1/admin/accounts?q=$PFX"
	assert_error 401 unauthenticated
	assert_unchanged "$before"
}
