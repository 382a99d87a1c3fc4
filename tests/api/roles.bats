#!/usr/bin/env bats
# Roles: admins grant and revoke official and admin; the last admin stays;
# every change is audited; the operator bootstrap (make admin).
load helpers

setup() {
	read -r ADM_ID ADM_TOK < <(new_role_account admin)
	read -r USER_ID USER_TOK < <(new_account "$(uniq_email staff)")
	[ -n "$ADM_TOK" ] && [ -n "$USER_TOK" ]
	SAVED_ADMINS=""
}

teardown() {
	# Admins set aside by a last-admin test come back.
	local id
	for id in $SAVED_ADMINS; do
		sql "INSERT INTO san.account_roles (account_id, role) VALUES ($id, 'admin') ON CONFLICT DO NOTHING"
	done
	if [ -n "${DISABLED_ADMIN:-}" ]; then
		sql "UPDATE san.accounts SET status = 'active' WHERE id = $DISABLED_ADMIN"
	fi
}

# role ACCOUNT ROLE ACTION: the admin endpoint as $TOKEN.
role() {
	api POST "/api/v1/admin/accounts/$1/roles" \
	    "$(jq -nc --arg r "$2" --arg a "$3" '{role:$r,action:$a}')"
}

# only_admin ID: set every other admin aside (restored by teardown).
only_admin() {
	SAVED_ADMINS=$(sql "SELECT account_id FROM san.account_roles WHERE role = 'admin' AND account_id <> $1")
	sql "DELETE FROM san.account_roles WHERE role = 'admin' AND account_id <> $1"
}

admin_script() {
	sh "$BATS_TEST_DIRNAME/../../scripts/admin.sh" "$@"
}

@test "admin grants official: the account can use the official routes at once; revoked: 404 (the routes do not exist for it)" {
	local biz
	biz=$(new_business "$USER_TOK")
	TOKEN=$USER_TOK api GET /api/v1/official/businesses
	assert_error 404 not_found

	TOKEN=$ADM_TOK role "$USER_ID" official grant
	[ "$code" = 200 ]
	[ "$(jq -r '.roles | index("official") != null' <<<"$body")" = true ]
	[ "$(sql "SELECT granted_by FROM san.account_roles WHERE account_id = $USER_ID AND role = 'official'")" = "$ADM_ID" ]
	# The same session now works on official routes.
	TOKEN=$USER_TOK api GET "/api/v1/official/businesses?status=pending&limit=100"
	[ "$code" = 200 ]
	TOKEN=$USER_TOK api GET /api/v1/me
	[ "$(jq -r '.account.roles | index("official") != null' <<<"$body")" = true ]
	local other; other=$(new_business "$ADM_TOK")
	decide "$USER_TOK" "$other" approve
	[ "$code" = 200 ]

	TOKEN=$ADM_TOK role "$USER_ID" official revoke
	[ "$code" = 200 ]
	[ "$(jq -r '.roles | index("official") == null' <<<"$body")" = true ]
	[ "$(sql "SELECT count(*) FROM san.account_roles WHERE account_id = $USER_ID")" = 0 ]
	TOKEN=$USER_TOK api GET /api/v1/official/businesses
	assert_error 404 not_found
	local before; before=$(snapshot)
	decide "$USER_TOK" "$other" suspend "thử"
	assert_error 404 not_found
	assert_unchanged "$before"
}

@test "admin grants admin: the new admin can grant roles too" {
	local id tok
	read -r id tok < <(new_account)
	TOKEN=$ADM_TOK role "$USER_ID" admin grant
	[ "$code" = 200 ]
	TOKEN=$USER_TOK role "$id" official grant
	[ "$code" = 200 ]
	[ "$(sql "SELECT granted_by FROM san.account_roles WHERE account_id = $id AND role = 'official'")" = "$USER_ID" ]
	# Admins do official work as well.
	TOKEN=$USER_TOK api GET /api/v1/official/businesses
	[ "$code" = 200 ]
}

@test "non-admins get 404 (the admin routes do not exist for them) and anonymous 401; nothing changes" {
	local oid otok before
	read -r oid otok < <(new_role_account official)
	local mid mtok; read -r mid mtok < <(new_account); new_business "$mtok" >/dev/null
	before=$(snapshot)
	local t
	for t in "$USER_TOK" "$otok" "$mtok"; do
		TOKEN=$t role "$USER_ID" official grant
		assert_error 404 not_found
		TOKEN=$t role "$ADM_ID" admin revoke
		assert_error 404 not_found
	done
	# Not even for themselves.
	TOKEN=$otok role "$oid" admin grant
	assert_error 404 not_found
	TOKEN=$USER_TOK role "$USER_ID" official grant
	assert_error 404 not_found
	TOKEN= role "$USER_ID" official grant
	assert_error 401 unauthenticated
	TOKEN=garbage role "$USER_ID" admin grant
	assert_error 401 unauthenticated
	assert_unchanged "$before"
}

@test "unknown account 404; role other than official/admin or bad action 400; nothing changes" {
	local before r
	before=$(snapshot)
	TOKEN=$ADM_TOK role 999999999 official grant
	assert_error 404 account_not_found
	TOKEN=$ADM_TOK role 0 official grant
	assert_error 404 account_not_found
	for r in buyer merchant superuser ADMIN ""; do
		TOKEN=$ADM_TOK role "$USER_ID" "$r" grant
		[ "$code" = 400 ] || { echo "role '$r': $code $body"; return 1; }
		[ "$(jq -r .error.field <<<"$body")" = role ]
	done
	TOKEN=$ADM_TOK role "$USER_ID" official promote
	assert_error 400 invalid_choice action
	TOKEN=$ADM_TOK api POST "/api/v1/admin/accounts/$USER_ID/roles" '{"role":"official"}'
	assert_error 400 required action
	TOKEN=$ADM_TOK api POST "/api/v1/admin/accounts/$USER_ID/roles" '{"role":"official","action":"grant","until":"2030-01-01"}'
	assert_error 400 unknown_field
	assert_unchanged "$before"
}

@test "the last admin cannot be revoked (409 last_admin); with two, one may go" {
	only_admin "$ADM_ID"
	[ "$(sql "SELECT count(*) FROM san.account_roles WHERE role = 'admin'")" = 1 ]
	local before; before=$(snapshot)
	TOKEN=$ADM_TOK role "$ADM_ID" admin revoke
	assert_error 409 last_admin role
	assert_unchanged "$before"
	[ "$(sql "SELECT count(*) FROM san.account_roles WHERE account_id = $ADM_ID AND role = 'admin'")" = 1 ]

	# With a second admin the first may step down.
	TOKEN=$ADM_TOK role "$USER_ID" admin grant
	[ "$code" = 200 ]
	TOKEN=$ADM_TOK role "$ADM_ID" admin revoke
	[ "$code" = 200 ]
	# ... and is no admin any more; the new one is now the last.
	TOKEN=$ADM_TOK role "$USER_ID" admin revoke
	assert_error 404 not_found
	before=$(snapshot)
	TOKEN=$USER_TOK role "$USER_ID" admin revoke
	assert_error 409 last_admin role
	assert_unchanged "$before"
}

@test "a disabled admin does not count: the last active admin cannot be revoked" {
	only_admin "$ADM_ID"
	# A second admin whose account is disabled (cannot sign in).
	local did dtok; read -r did dtok < <(new_role_account admin)
	DISABLED_ADMIN=$did
	sql "UPDATE san.accounts SET status = 'disabled' WHERE id = $did"
	local before; before=$(snapshot)
	TOKEN=$ADM_TOK role "$ADM_ID" admin revoke
	# Revoking would leave no admin able to sign in.
	assert_error 409 last_admin role
	assert_unchanged "$before"
}

@test "every grant and revoke is in san.audit_log with the actor" {
	local n
	n=$(sql "SELECT count(*) FROM san.audit_log WHERE object_type = 'account' AND object_id = '$USER_ID'")
	[ "$n" = 0 ]
	TOKEN=$ADM_TOK role "$USER_ID" official grant
	TOKEN=$ADM_TOK role "$USER_ID" admin grant
	TOKEN=$ADM_TOK role "$USER_ID" admin revoke
	TOKEN=$ADM_TOK role "$USER_ID" official revoke
	[ "$(sql "SELECT string_agg(actor_id || ':' || action || ':' || (detail->>'role'), ',' ORDER BY id)
	          FROM san.audit_log WHERE object_type = 'account' AND object_id = '$USER_ID'")" = \
	    "$ADM_ID:role_grant:official,$ADM_ID:role_grant:admin,$ADM_ID:role_revoke:admin,$ADM_ID:role_revoke:official" ]
	[ "$(sql "SELECT bool_and(at > now() - interval '1 minute') FROM san.audit_log WHERE object_type = 'account' AND object_id = '$USER_ID'")" = t ]
}

@test "make admin: scripts/admin.sh creates an admin who can sign in through the API" {
	local email pw
	email=$(uniq_email boot)
	pw='quản trị viên đầu tiên 2026'
	SAN_ADMIN_PASSWORD=$pw run admin_script "$email"
	[ "$status" = 0 ] || { echo "$output"; return 1; }
	# The password never shows in its output.
	[[ "$output" != *"$pw"* ]]
	[ "$(sql "SELECT count(*) FROM san.accounts a JOIN san.account_roles r ON r.account_id = a.id
	          WHERE a.email = '$email' AND r.role = 'admin'")" = 1 ]
	[ "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM san.accounts WHERE email = '$email'")" = t ]
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$pw" '{email:$e,password:$p}')"
	[ "$code" = 200 ]
	[ "$(jq -r '.account.roles | index("admin") != null' <<<"$body")" = true ]
	local tok; tok=$(jq -r .token <<<"$body")
	# A working admin: grants a role through the API.
	TOKEN=$tok role "$USER_ID" official grant
	[ "$code" = 200 ]
}

@test "make admin on an existing account promotes it without changing its password" {
	local email id tok hash
	email=$(uniq_email promote)
	read -r id tok < <(new_account "$email")
	hash=$(sql "SELECT password_hash FROM san.accounts WHERE id = $id")
	# Another case of the same address names the same account.
	SAN_ADMIN_PASSWORD='một mật khẩu khác hẳn 2026' run admin_script "${email^^}"
	[ "$status" = 0 ] || { echo "$output"; return 1; }
	[ "$(sql "SELECT count(*) FROM san.accounts WHERE lower(email) = lower('$email')")" = 1 ]
	[ "$(sql "SELECT role FROM san.account_roles WHERE account_id = $id")" = admin ]
	[ "$(sql "SELECT password_hash FROM san.accounts WHERE id = $id")" = "$hash" ]
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$PASSWORD" '{email:$e,password:$p}')"
	[ "$code" = 200 ]
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p 'một mật khẩu khác hẳn 2026' '{email:$e,password:$p}')"
	[ "$code" = 401 ]
	# Running it again changes nothing but adds no second role row.
	SAN_ADMIN_PASSWORD=whatever-long-enough run admin_script "$email"
	[ "$status" = 0 ]
	[ "$(sql "SELECT count(*) FROM san.account_roles WHERE account_id = $id")" = 1 ]
	[ "$(sql "SELECT password_hash FROM san.accounts WHERE id = $id")" = "$hash" ]
}

@test "make admin refuses a bad email or a short password and creates nothing" {
	local before; before=$(snapshot)
	SAN_ADMIN_PASSWORD='quản trị viên đầu tiên 2026' run admin_script "not-an-email"
	[ "$status" -ne 0 ]
	SAN_ADMIN_PASSWORD='short' run admin_script "$(uniq_email short)" </dev/null
	[ "$status" -ne 0 ]
	assert_unchanged "$before"
}

@test "make admin applies the registration password policy (common, short in any locale, too long to sign in)" {
	local before pw
	before=$(snapshot)
	# The API refuses these at registration; the most powerful account
	# must not get them either.
	for pw in '123456789012' 'qwertyuiopas' 'ậậậậậậ' "$(printf 'a%.0s' $(seq 300))"; do
		LC_ALL=C SAN_ADMIN_PASSWORD=$pw run admin_script "$(uniq_email weak)" </dev/null
		[ "$status" -ne 0 ] || { echo "accepted a password of ${#pw} characters: ${pw:0:12}"; return 1; }
	done
	assert_unchanged "$before"
}
