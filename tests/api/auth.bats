#!/usr/bin/env bats
# Accounts and sessions: register, login, logout, me, throttling, CSRF.
load helpers

@test "register normalises the phone and answers 201 without the hash" {
	local email; email=$(uniq_email reg)
	api POST /api/v1/auth/register "$(jq -nc --arg e "$email" --arg p "$PASSWORD" \
	    '{email:$e,password:$p,full_name:"Lê Thị Hoa",phone:"0912 345 678"}')"
	[ "$code" = 201 ]
	[ "$(jq -r .phone <<<"$body")" = "+84912345678" ]
	[ "$(jq -r .roles[0] <<<"$body")" = buyer ]
	# (a bare "! cmd" cannot fail a bats test)
	[ -z "$(grep password <<<"$body")" ]
	[ "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM san.accounts WHERE email = '$email'")" = t ]
}

@test "duplicate email, any case, answers 409 and adds no row" {
	local email; email=$(uniq_email dup)
	new_account "$email" >/dev/null
	local before; before=$(db_snapshot)
	api POST /api/v1/auth/register "$(jq -nc --arg e "${email^^}" --arg p "$PASSWORD" \
	    '{email:$e,password:$p,full_name:"X"}')"
	assert_error 409 email_taken email
	[ "$(db_snapshot)" = "$before" ]
}

@test "weak passwords and bad phones are refused with the field named" {
	local before; before=$(db_snapshot)
	api POST /api/v1/auth/register '{"email":"a@example.vn","password":"short","full_name":"A"}'
	assert_error 400 password_too_short password
	api POST /api/v1/auth/register '{"email":"a@example.vn","password":"123456789012","full_name":"A"}'
	assert_error 400 password_common password
	api POST /api/v1/auth/register "{\"email\":\"a@example.vn\",\"password\":\"$PASSWORD\",\"full_name\":\"A\",\"phone\":\"0123\"}"
	assert_error 400 invalid_phone phone
	api POST /api/v1/auth/register "{\"email\":\"not-an-email\",\"password\":\"$PASSWORD\",\"full_name\":\"A\"}"
	assert_error 400 invalid_email email
	[ "$(db_snapshot)" = "$before" ]
}

@test "login returns a token and an HttpOnly SameSite=Lax cookie; me works with either" {
	local email; email=$(uniq_email login)
	new_account "$email" >/dev/null
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$PASSWORD" '{email:$e,password:$p}')"
	[ "$code" = 200 ]
	local tok; tok=$(jq -r .token <<<"$body")
	[ ${#tok} -eq 43 ]
	grep -q '^set-cookie: sid=.*httponly.*samesite=lax' <<<"$headers"
	# Only the hash is stored.
	[ "$(sql "SELECT count(*) FROM san.sessions WHERE token_hash = '$tok'")" = 0 ]
	TOKEN=$tok api GET /api/v1/me
	[ "$code" = 200 ]
	[ "$(jq -r .account.email <<<"$body")" = "$email" ]
	TOKEN= api GET /api/v1/me "" -H "Cookie: sid=$tok"
	[ "$code" = 200 ]
}

@test "logout kills the token at once" {
	local id tok; read -r id tok < <(new_account)
	TOKEN=$tok api GET /api/v1/me
	[ "$code" = 200 ]
	TOKEN=$tok api POST /api/v1/auth/logout
	[ "$code" = 204 ]
	TOKEN=$tok api GET /api/v1/me
	assert_error 401 unauthenticated
}

@test "anonymous and garbage tokens get 401" {
	TOKEN= api GET /api/v1/me
	assert_error 401 unauthenticated
	TOKEN=not-a-token api GET /api/v1/me
	assert_error 401 unauthenticated
	TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA api GET /api/v1/me
	assert_error 401 unauthenticated
}

@test "wrong password and unknown email give the same 401" {
	local email; email=$(uniq_email wp)
	new_account "$email" >/dev/null
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" '{email:$e,password:"sai mật khẩu rồi"}')"
	assert_error 401 invalid_credentials
	local a=$body
	api POST /api/v1/auth/login '{"email":"nobody.here@example.vn","password":"sai mật khẩu rồi"}'
	assert_error 401 invalid_credentials
	[ "$a" = "$body" ]
}

@test "10 failed logins per account lock it for the window (429 Retry-After); the owner gets in after" {
	local email; email=$(uniq_email thr)
	new_account "$email" >/dev/null
	local i
	for i in $(seq 10); do
		api POST /api/v1/auth/login "$(jq -nc --arg e "$email" '{email:$e,password:"sai mật khẩu rồi"}')" -H "X-Real-IP: 10.0.0.$i"
		[ "$code" = 401 ]
	done
	# Even the right password is refused now.
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$PASSWORD" '{email:$e,password:$p}')"
	assert_error 429 too_many_attempts
	grep -q '^retry-after: [0-9]' <<<"$headers"
	# The window passes (failures age out): the owner logs in again.
	sql "UPDATE san.login_failures SET at = at - interval '16 minutes'
	     WHERE account_id = (SELECT id FROM san.accounts WHERE email = '$email')"
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$PASSWORD" '{email:$e,password:$p}')"
	[ "$code" = 200 ]
}

@test "per-address limit: many failures across accounts from one address answer 429" {
	sql "UPDATE san.settings SET value = '5' WHERE key = 'login_max_failures_ip'"
	sql "INSERT INTO san.login_failures (ip, at) SELECT '127.0.0.1', now() FROM generate_series(1, 5)"
	api POST /api/v1/auth/login '{"email":"whoever@example.vn","password":"sai mật khẩu rồi"}'
	local c=$code
	sql "DELETE FROM san.login_failures WHERE ip = '127.0.0.1'"
	sql "UPDATE san.settings SET value = '50' WHERE key = 'login_max_failures_ip'"
	code=$c
	[ "$code" = 429 ]
}

@test "CSRF: cookie-authenticated unsafe request needs a matching Origin; bearer does not" {
	local id tok; read -r id tok < <(new_account)
	TOKEN= api POST /api/v1/auth/logout "" -H "Cookie: sid=$tok"
	assert_error 403 csrf_origin
	TOKEN= api POST /api/v1/auth/logout "" -H "Cookie: sid=$tok" -H "Origin: https://evil.example"
	assert_error 403 csrf_origin
	# Still alive after the refused attempts.
	TOKEN=$tok api GET /api/v1/me
	[ "$code" = 200 ]
	TOKEN= api POST /api/v1/auth/logout "" -H "Cookie: sid=$tok" -H "Origin: $SAN_URL"
	[ "$code" = 204 ]
}

@test "an idle session expires" {
	local id tok; read -r id tok < <(new_account)
	sql "UPDATE san.sessions SET last_seen_at = now() - interval '3 hours' WHERE account_id = $id"
	TOKEN=$tok api GET /api/v1/me
	assert_error 401 unauthenticated
}
