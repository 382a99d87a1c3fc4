# Shared helpers for the API suite (bats).  scripts/test.sh exports
# SAN_URL (the running server), DATABASE_URL (its scratch database),
# SAN_PG_DIR (the scratch cluster), SAN_SERVER_LOG.
# shellcheck shell=bash

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# api METHOD PATH [JSON] [curl args...]: sets $code (HTTP status), $body,
# $headers (raw response headers, lower-cased).  Uses $TOKEN as bearer when
# set and non-empty.
api() {
	local method=$1 path=$2 data=${3:-} hfile bfile
	shift 3 2>/dev/null || shift $#
	hfile=$(mktemp) bfile=$(mktemp)
	local args=(-s -o "$bfile" -D "$hfile" -w '%{http_code}' -X "$method")
	[ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
	if [ -n "$data" ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$data")
	elif [ "$method" != GET ] && [ "$method" != HEAD ]; then
		# Kore 4.1 answers 411 to a POST/PUT/PATCH/DELETE without
		# Content-Length, which curl omits when there is no body.
		args+=(-H 'Content-Length: 0')
	fi
	code=$(curl "${args[@]}" "$@" "$SAN_URL$path")
	body=$(cat "$bfile")
	headers=$(tr 'A-Z' 'a-z' < "$hfile")
	rm -f "$hfile" "$bfile"
}

# sql QUERY: run against the test database, unaligned, tuples only.
sql() {
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "$1"
}

# Row counts of every table in schema san, one "table count" per line:
# snapshot before a bad request, compare after ("nothing changed").
db_snapshot() {
	sql "SELECT string_agg(format('%s %s', c.relname,
		(xpath('/row/n/text()', query_to_xml(format(
		'SELECT count(*) AS n FROM san.%I', c.relname), false, true,
		'')))[1]::text), ' ' ORDER BY c.relname)
	       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE n.nspname = 'san' AND c.relkind = 'r'"
}

# assert_error STATUS CODE [FIELD]: last response was that error shape.
assert_error() {
	[ "$code" = "$1" ] || { echo "expected $1, got $code: $body"; return 1; }
	[ "$(jq -r .error.code <<<"$body")" = "$2" ] ||
	    { echo "expected error $2: $body"; return 1; }
	[ -n "$(jq -r .error.message <<<"$body")" ] || return 1
	if [ -n "${3:-}" ]; then
		[ "$(jq -r .error.field <<<"$body")" = "$3" ] ||
		    { echo "expected field $3: $body"; return 1; }
	fi
}

# uniq_email PREFIX: an address no other test uses.
uniq_email() {
	echo "${1:-user}.$(date +%s%N).$RANDOM@example.vn"
}

# new_account [EMAIL]: registers and logs in; prints "id token".
PASSWORD='mật khẩu đủ dài 2026'
new_account() {
	local email=${1:-$(uniq_email u)} TOKEN=
	api POST /api/v1/auth/register "$(jq -nc --arg e "$email" --arg p "$PASSWORD" \
	    '{email:$e,password:$p,full_name:"Người Dùng Thử"}')"
	[ "$code" = 201 ] || { echo "register failed: $code $body" >&2; return 1; }
	api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$PASSWORD" \
	    '{email:$e,password:$p}')"
	[ "$code" = 200 ] || { echo "login failed: $code $body" >&2; return 1; }
	echo "$(jq -r .account.id <<<"$body") $(jq -r .token <<<"$body")"
}

# grant_role ACCOUNT_ID ROLE: directly in the database (test set-up only).
grant_role() {
	sql "INSERT INTO san.account_roles (account_id, role) VALUES ($1, '$2')
	     ON CONFLICT DO NOTHING"
}

# tax_code SEED: a valid 10-digit tax code derived from a number.
tax_code() {
	local n d w=(31 29 23 19 17 13 7 5 3) sum=0 i check
	while :; do
		n=$(printf '%09d' $(( ($1 * 7919 + RANDOM * 32768 + RANDOM) % 1000000000 )))
		sum=0
		for i in 0 1 2 3 4 5 6 7 8; do
			d=${n:$i:1}
			sum=$((sum + d * w[i]))
		done
		check=$((10 - sum % 11))
		[ $check -lt 10 ] && { echo "$n$check"; return; }
	done
}

# business_json TAX_CODE [NAME]: a complete valid application body.
business_json() {
	jq -nc --arg t "$1" --arg n "${2:-Hợp tác xã Thử Nghiệm}" '{
		tax_code:$t, name:$n, kind:"cooperative",
		registration_no:"4107000123", registration_date:"2019-05-20",
		registration_issuer:"Sở Kế hoạch và Đầu tư tỉnh Tây Ninh",
		address:"12 Đường 30/4, Phường 1", province:"Tây Ninh",
		ward:"Phường 1", representative:"Trần Thị Bình",
		phone:"0912345678", email:"htx@example.vn"}'
}

# new_business TOKEN: registers a pending business as TOKEN's owner;
# prints its id.
new_business() {
	local TOKEN=$1
	api POST /api/v1/businesses "$(business_json "$(tax_code $RANDOM)")"
	[ "$code" = 201 ] || { echo "business failed: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# verify_business ID: approve directly in the database (test set-up only).
verify_business() {
	sql "UPDATE san.businesses SET status = 'verified' WHERE id = $1"
}

# --- Helpers for business.bats, store.bats, roles.bats, matrix.bats,
# --- input.bats.

# api_raw METHOD PATH CONTENT_TYPE BODY [curl args...]: like api, but the
# body is sent byte for byte (invalid UTF-8 included) with the given
# Content-Type ("" sends none).  Sets $code, $body, $headers.
api_raw() {
	local method=$1 path=$2 ctype=$3 data=$4 hfile bfile dfile
	shift 4
	hfile=$(mktemp) bfile=$(mktemp) dfile=$(mktemp)
	printf '%s' "$data" >"$dfile"
	local args=(-s -o "$bfile" -D "$hfile" -w '%{http_code}' -X "$method"
	    --data-binary "@$dfile")
	[ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
	if [ -n "$ctype" ]; then
		args+=(-H "Content-Type: $ctype")
	else
		# curl adds a form Content-Type to --data unless removed.
		args+=(-H 'Content-Type:')
	fi
	code=$(curl "${args[@]}" "$@" "$SAN_URL$path")
	body=$(cat "$bfile")
	headers=$(tr 'A-Z' 'a-z' < "$hfile")
	rm -f "$hfile" "$bfile" "$dfile"
}

# db_state: digest of the content of every table in schema san (sessions
# by key only: last_seen_at moves on its own).  Catches updates that
# db_snapshot's row counts cannot see.
db_state() {
	sql "SELECT string_agg(format('%s %s', c.relname,
		(xpath('/row/d/text()', query_to_xml(format(CASE c.relname
		WHEN 'sessions' THEN 'SELECT md5(COALESCE(string_agg(token_hash
		    || account_id, '','' ORDER BY token_hash), '''')) AS d
		    FROM san.%I'
		ELSE 'SELECT md5(COALESCE(string_agg(t::text, '','' ORDER BY
		    t::text), '''')) AS d FROM san.%I t' END, c.relname),
		false, true, '')))[1]::text), ' ' ORDER BY c.relname)
	       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE n.nspname = 'san' AND c.relkind = 'r'"
}

# snapshot: row counts and content digest, for "nothing changed" checks.
snapshot() {
	printf '%s\n%s\n' "$(db_snapshot)" "$(db_state)"
}

# assert_unchanged BEFORE: the database is as it was at snapshot time.
assert_unchanged() {
	local now; now=$(snapshot)
	[ "$now" = "$1" ] || {
		echo "database changed:"; diff <(echo "$1") <(echo "$now")
		return 1; }
}

# new_role_account ROLE: a fresh account holding ROLE (official|admin);
# prints "id token".
new_role_account() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email "$1")") || return 1
	[ -n "$tok" ] || return 1
	grant_role "$id" "$1" >/dev/null
	echo "$id $tok"
}

# decide TOKEN BUSINESS DECISION [REASON]: an official decision through
# the API; sets $code and $body.
decide() {
	local TOKEN=$1
	if [ -n "${4:-}" ]; then
		api POST "/api/v1/businesses/$2/decision" \
		    "$(jq -nc --arg d "$3" --arg r "$4" '{decision:$d,reason:$r}')"
	else
		api POST "/api/v1/businesses/$2/decision" \
		    "$(jq -nc --arg d "$3" '{decision:$d}')"
	fi
}

# verified_business TOKEN [NAME] [PROVINCE]: a business of TOKEN's owner,
# verified (set-up only); prints its id.
verified_business() {
	local TOKEN=$1 id
	api POST /api/v1/businesses "$(business_json "$(tax_code $RANDOM)" \
	    "${2:-Hợp tác xã Thử Nghiệm}" | jq -c --arg p "${3:-Tây Ninh}" \
	    '.province = $p')"
	[ "$code" = 201 ] || { echo "business failed: $code $body" >&2; return 1; }
	id=$(jq -r .id <<<"$body")
	verify_business "$id" >/dev/null
	echo "$id"
}

# store_body BUSINESS NAME [SLUG]: a complete store body (no slug member
# when SLUG is empty).
store_body() {
	jq -nc --argjson b "$1" --arg n "$2" --arg s "${3:-}" '{
		business_id:$b, name:$n, description:"Đặc sản địa phương",
		phone:"0987654321", email:"shop@example.vn",
		pickup_address:"45 Cách Mạng Tháng Tám, Phường 3"}
		+ (if $s == "" then {} else {slug:$s} end)'
}

# new_store TOKEN BUSINESS SLUG [NAME]: opens a store; prints its slug.
new_store() {
	local TOKEN=$1
	api POST /api/v1/stores "$(store_body "$2" "${4:-Gian hàng thử}" "$3")"
	[ "$code" = 201 ] || { echo "store failed: $code $body" >&2; return 1; }
	jq -r .slug <<<"$body"
}

# uniq_slug PREFIX: a slug no other test uses.
uniq_slug() {
	echo "${1:-s}-$(date +%s%N | tail -c 10)$RANDOM"
}
