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
