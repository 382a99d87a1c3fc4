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

# Background jobs of the server write on their own: the monitoring rescan
# (src/monitor.c's timer runs api.mod_background_step in every worker: a
# rule saved by one test, e.g. an official row of matrix.bats, is rescanned
# under the next rows, and what it finds -- alerts, cases, held listings --
# is written then) and the thumbnail backfill (src/media.c).  Both
# snapshots below first wait until neither has work left, so that a
# "nothing changed" check compares what the request under test did, not
# what a job started by an earlier request did meanwhile.  Left out of the
# comparison: the rescan's own progress table, and the month's figures of
# the stock indicators, which the statistics job (src/stats.c, every 2 s
# in make test) keeps equal to the state whatever request changed it.
SNAPSHOT_SKIP="'mod_rescans', 'stat_stock_months'"

# background_idle: wait (at most 30 s) until no rescan job is unfinished
# and no image waits for its first thumbnail attempt (nor a lapsed licence
# for its re-screen, api.mod_licence_step); 1 after that.
background_idle() {
	local i
	for i in $(seq 300); do
		[ "$(sql "SELECT (SELECT count(*) FROM san.mod_rescans
			WHERE finished_at IS NULL) + (SELECT count(*)
			FROM san.product_images WHERE thumb IS NULL
			AND thumb_tried_at IS NULL) + (SELECT count(*)
			FROM san.business_licences WHERE lapse_screened_at
			IS NULL AND lapses_on <= api.today())")" = 0 ] && return 0
		sleep 0.1
	done
	echo "background jobs still busy after 30 s" >&2
	return 1
}

# Row counts of every table in schema san, one "table count" per line:
# snapshot before a bad request, compare after ("nothing changed").
db_snapshot() {
	background_idle || return 1
	sql "SELECT string_agg(format('%s %s', c.relname,
		(xpath('/row/n/text()', query_to_xml(format(
		'SELECT count(*) AS n FROM san.%I', c.relname), false, true,
		'')))[1]::text), ' ' ORDER BY c.relname)
	       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE n.nspname = 'san' AND c.relkind = 'r'
		AND c.relname NOT IN ($SNAPSHOT_SKIP)"
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

# snapshot: what db_snapshot gives (row counts of every table in schema
# san) and a digest of every table's content (sessions by key only:
# last_seen_at moves on its own), in one round trip.  Catches updates that
# row counts cannot see.  Compare with assert_unchanged.
snapshot() {
	background_idle || return 1
	sql "SELECT string_agg(format('%s %s %s', c.relname,
		(xpath('/row/n/text()', query_to_xml(format(
		'SELECT count(*) AS n FROM san.%I', c.relname), false, true,
		'')))[1]::text,
		(xpath('/row/d/text()', query_to_xml(format(CASE c.relname
		WHEN 'sessions' THEN 'SELECT md5(COALESCE(string_agg(token_hash
		    || account_id, '','' ORDER BY token_hash), '''')) AS d
		    FROM san.%I'
		ELSE 'SELECT md5(COALESCE(string_agg(t::text, '','' ORDER BY
		    t::text), '''')) AS d FROM san.%I t' END, c.relname),
		false, true, '')))[1]::text), E'\n' ORDER BY c.relname)
	       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE n.nspname = 'san' AND c.relkind = 'r'
		AND c.relname NOT IN ($SNAPSHOT_SKIP)"
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
# the API (no reason member without REASON; "" is sent as ""); sets $code
# and $body.
decide() {
	local TOKEN=$1
	if [ $# -ge 4 ]; then
		api POST "/api/v1/businesses/$2/decision" \
		    "$(jq -nc --arg d "$3" --arg r "$4" '{decision:$d,reason:$r}')"
	else
		api POST "/api/v1/businesses/$2/decision" \
		    "$(jq -nc --arg d "$3" '{decision:$d}')"
	fi
}

# verified_business TOKEN [NAME] [PROVINCE]: a business of TOKEN's owner,
# verified (set-up only); prints its id.  PROVINCE is a code or a current
# or former name (sql/units/); outside Tây Ninh the ward is the
# province's first.
verified_business() {
	local TOKEN=$1 id p=${3:-Tây Ninh} w="Phường 1"
	[ "$p" = "Tây Ninh" ] || w=$(sql "SELECT name FROM san.wards
	    WHERE province_code = san.province_code('$p')
	    ORDER BY code LIMIT 1")
	api POST /api/v1/businesses "$(business_json "$(tax_code $RANDOM)" \
	    "${2:-Hợp tác xã Thử Nghiệm}" | jq -c --arg p "$p" --arg w "$w" \
	    '.province = $p | .ward = $w')"
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

# expect_error STATUS CODE [FIELD]: assert_error in one jq call (for loops
# over many bad inputs).
expect_error() {
	local got
	[ "$code" = "$1" ] || { echo "expected $1, got $code: $body"; return 1; }
	got=$(jq -r '[.error.code, (.error.field // "-"),
	    (.error.message | type == "string" and length > 0)] | join(" ")' \
	    <<<"$body" 2>/dev/null)
	[ "$got" = "$2 ${3:--} true" ] ||
	    { echo "expected error $2 ${3:-} : $body"; return 1; }
}

# --- Helpers for catalog.bats, search.bats, media.bats, matrix.bats.

# category_id SLUG: the id of a category (seeded by sql/003_catalog.sql).
category_id() {
	sql "SELECT id FROM san.categories WHERE slug = '$1'"
}

# product_body CATEGORY_ID NAME [PRICE] [EXTRA]: a complete valid product
# body; EXTRA (a JSON object) is merged over it.
product_body() {
	local extra=${4:-'{}'}
	jq -nc --argjson c "$1" --arg n "$2" --argjson p "${3:-50000}" \
	    --argjson x "$extra" '{name:$n, description:"Sản phẩm thử nghiệm",
		category_id:$c, price_vnd:$p, unit:"kg", stock:10,
		weight_g:1000} + $x'
}

# new_product TOKEN STORE BODY: creates a product in STORE; prints its id.
new_product() {
	local TOKEN=$1
	api POST "/api/v1/stores/$2/products" "$3"
	[ "$code" = 201 ] || { echo "product failed: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# new_merchant [BUSINESS_NAME] [PROVINCE]: a fresh account owning a
# verified business with one store; prints "account token business slug".
new_merchant() {
	local id tok biz slug
	read -r id tok < <(new_account "$(uniq_email merchant)") || return 1
	[ -n "$tok" ] || return 1
	biz=$(verified_business "$tok" "${1:-Hợp tác xã Thử Nghiệm}" "${2:-Tây Ninh}") || return 1
	slug=$(new_store "$tok" "$biz" "$(uniq_slug shop)") || return 1
	echo "$id $tok $biz $slug"
}

# urlenc TEXT: TEXT percent-encoded for a query string.
urlenc() {
	jq -rn --arg s "$1" '$s | @uri'
}

# hex_bytes HEX: writes the bytes HEX spells to stdout.
hex_bytes() {
	# shellcheck disable=SC2059
	printf "$(sed 's/../\\x&/g' <<<"$1")"
}

# png_bytes, jpeg_bytes, webp_bytes: small real images (1x1 PNG, 2x2
# baseline JPEG, 1x1 lossless WebP) on stdout.
png_bytes() {
	hex_bytes 89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c6338a3a4040002ce01115aea98590000000049454e44ae426082
}
jpeg_bytes() {
	hex_bytes ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080002000201011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f002bffd9
}
webp_bytes() {
	hex_bytes 524946461a000000574542505650384c0d0000002f00000010071011118888fe0700
}

# api_upload PATH FILE MODE [curl args...]: POST FILE to PATH, as the raw
# body with Content-Type MODE, or, when MODE is "multipart" or
# "multipart:NAME;type=TYPE", as the form field "image" (file name and type
# optional).  Sets $code, $body, $headers.
api_upload() {
	local path=$1 file=$2 mode=$3 hfile bfile
	shift 3
	hfile=$(mktemp) bfile=$(mktemp)
	local args=(-s -o "$bfile" -D "$hfile" -w '%{http_code}' -X POST)
	[ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
	case $mode in
	multipart) args+=(-F "image=@$file") ;;
	multipart:*) args+=(-F "image=@$file;filename=${mode#multipart:}") ;;
	*) args+=(-H "Content-Type: $mode" --data-binary "@$file") ;;
	esac
	code=$(curl "${args[@]}" "$@" "$SAN_URL$path")
	body=$(cat "$bfile")
	headers=$(tr 'A-Z' 'a-z' < "$hfile")
	rm -f "$hfile" "$bfile"
}

# api_fetch PATH OUT [curl args...]: GET PATH, the body byte for byte into
# file OUT (empty when there is none).  Sets $code and $headers
# (lower-cased).
api_fetch() {
	local path=$1 out=$2 hfile
	shift 2
	: >"$out"
	hfile=$(mktemp)
	local args=(-s -o "$out" -D "$hfile" -w '%{http_code}')
	[ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
	code=$(curl "${args[@]}" "$@" "$SAN_URL$path")
	headers=$(tr 'A-Z' 'a-z' < "$hfile")
	rm -f "$hfile"
}

# header NAME: the value of response header NAME (lower-case) of the last
# request, without the trailing CR.
header() {
	sed -n "s/^$1: *//p" <<<"$headers" | tr -d '\r' | head -1
}

# --- Helpers for orders.bats (and the payments tests): shipping methods,
# --- checkout bodies, placing orders, order actions.

# address_json [RECIPIENT]: a complete valid shipping address.
address_json() {
	jq -nc --arg r "${1:-Nguyễn Thị Mai}" '{recipient:$r,
	    phone:"0912345678", address:"15 Trần Hưng Đạo, Khu phố 3",
	    province:"Tây Ninh", ward:"Phường 2"}'
}

# shipping_put TOKEN SLUG METHODS: replaces store SLUG's shipping methods
# with the JSON array METHODS; sets $code and $body.
shipping_put() {
	local TOKEN=$1
	api PUT "/api/v1/stores/$2/shipping-methods" \
	    "$(jq -nc --argjson m "$3" '{methods:$m}')"
}

# shipping_flat TOKEN SLUG FEE [FREE_OVER]: makes one flat-fee method
# (carrier ghn) the store's only one; prints its id.
shipping_flat() {
	local m
	m=$(jq -nc --argjson f "$3" --arg o "${4:-}" '[{carrier:"ghn",
	    name:"Giao hàng nhanh", fee_rule:"flat", fee_vnd:$f} +
	    (if $o == "" then {} else {free_over_vnd:($o | tonumber)} end)]')
	shipping_put "$1" "$2" "$m"
	[ "$code" = 200 ] || { echo "shipping failed: $code $body" >&2; return 1; }
	jq -r '.items[0].id' <<<"$body"
}

# items_json PRODUCT QTY [PRODUCT QTY ...]: a checkout's items list.
items_json() {
	local out='[]'
	while [ $# -ge 2 ]; do
		out=$(jq -c --argjson p "$1" --argjson q "$2" \
		    '. + [{product_id:$p, qty:$q}]' <<<"$out")
		shift 2
	done
	echo "$out"
}

# order_body ITEMS PAYMENT_METHOD [SHIPPING]: a checkout body; ITEMS and
# SHIPPING ({"slug": method_id}) are JSON, no shipping member when empty.
order_body() {
	jq -nc --argjson i "$1" --arg pm "$2" --arg s "${3:-}" \
	    --argjson a "$(address_json)" '{items:$i, shipping_address:$a,
	    payment_method:$pm} + (if $s == "" then {} else
	    {shipping:($s | fromjson)} end)'
}

# uniq_key: an Idempotency-Key no other request uses.
uniq_key() {
	echo "key-$(date +%s%N)-$RANDOM"
}

# place_order TOKEN KEY ITEMS PAYMENT_METHOD [SHIPPING]: POST
# /api/v1/orders with order_body (no Idempotency-Key header when KEY is
# empty); sets $code, $body, $headers.
place_order() {
	local TOKEN=$1 key=$2 data
	data=$(order_body "$3" "$4" "${5:-}")
	if [ -n "$key" ]; then
		api POST /api/v1/orders "$data" -H "Idempotency-Key: $key"
	else
		api POST /api/v1/orders "$data"
	fi
}

# new_order TOKEN ITEMS PAYMENT_METHOD [SHIPPING]: places an order with a
# fresh key; prints "group_id order_id..." (orders in id order).
new_order() {
	place_order "$1" "$(uniq_key)" "$2" "$3" "${4:-}"
	[ "$code" = 201 ] || { echo "order failed: $code $body" >&2; return 1; }
	jq -r '[.group_id] + [.orders[].id] | map(tostring) | join(" ")' <<<"$body"
}

# order_act TOKEN ORDER ACTION [EXTRA]: POST /api/v1/orders/ORDER/actions
# {action} merged with EXTRA (a JSON object); sets $code and $body.
order_act() {
	local TOKEN=$1 extra=${4:-'{}'}
	api POST "/api/v1/orders/$2/actions" \
	    "$(jq -nc --arg a "$3" --argjson x "$extra" '{action:$a} + $x')"
}

# sql_buyers N FILE: N accounts with live sessions, created directly in
# the database (fast: no argon2id), for the race and crash tests; FILE
# gets "account_id token" per line.  A token is 43
# base64url characters (what a login hands out: 32 random bytes) and the
# session row holds its BLAKE2b-256 in lower-case hex, the way
# src/api.c api_token() hashes the Bearer value (crypto_generichash, 32
# bytes, no key, over the 43 characters).  One b2sum for all tokens.
sql_buyers() {
	local n=$1 out=$2 tag i h f values=""
	tag="buyers$(date +%s%N)$RANDOM"
	mkdir -p "$out.d"
	head -c $((33 * n)) /dev/urandom | base64 -w 44 | tr '+/' '-_' |
	    cut -c1-43 >"$out.tokens"
	i=0
	while read -r h; do
		i=$((i + 1))
		printf '%s' "$h" >"$out.d/$i"
	done <"$out.tokens"
	[ $i -eq "$n" ] || return 1
	while read -r h f; do
		values+="${values:+,}(${f##*/},'$h')"
	done < <(cd "$out.d" && b2sum -l 256 $(seq "$n"))
	sql "WITH t(n, h) AS (VALUES $values),
	      a AS (INSERT INTO san.accounts (email, password_hash, full_name)
		    SELECT '$tag.' || n || '@buyers.invalid', 'x', 'Người Mua ' || n
		      FROM t RETURNING id, email),
	      s AS (INSERT INTO san.sessions (token_hash, account_id,
		    expires_at)
		    SELECT t.h, a.id, now() + interval '1 day'
		      FROM t JOIN a ON a.email = '$tag.' || t.n || '@buyers.invalid')
	     SELECT a.id FROM t
	       JOIN a ON a.email = '$tag.' || t.n || '@buyers.invalid'
	      ORDER BY t.n" >"$out.ids" || return 1
	[ "$(wc -l <"$out.ids")" -eq "$n" ] || return 1
	paste -d' ' "$out.ids" "$out.tokens" >"$out"
}

# --- Helpers for subsidy.bats and tests/security/sqlmap.sh.

# test_plan PROVINCIAL CENTRAL [BUSINESS]: a one-line plan of our own
# (2024-2025, budget in 2024; with BUSINESS a business counterpart
# column too), imported through api.plan_import; prints "plan line"
# (line: the id of line I.1, the budgeted one).
test_plan() {
	local title="Kế hoạch thử $(date +%s%N)$RANDOM" p
	p=$(jq -nc --arg t "$title" --argjson p "$1" --argjson c "$2" \
	    --argjson b "${3:-null}" '{
	    province:"Tỉnh Thử", title:$t, appendix:"Phụ lục thử",
	    period_from:2024, period_to:2025, unit_vnd:1, unit_label:"đồng",
	    years:[2024,2025], sources:(["provincial","central"] +
		(if $b == null then [] else ["business"] end)), lines:[
	    {code:"I", level:1, title:"Hỗ trợ doanh nghiệp",
	     figures:[[2024,null,($p + $c + ($b // 0))]]},
	    {code:"I.1", level:2, title:"Hỗ trợ tham gia sàn",
	     figures:([[2024,"provincial",$p],[2024,"central",$c]] +
		(if $b == null then [] else [[2024,"business",$b]] end))},
	    {kind:"total", title:"Tổng cộng",
	     figures:[[null,null,($p + $c + ($b // 0))]]}]}')
	local pid
	pid=$(sql "SELECT api.plan_import('$p'::jsonb)->>'plan_id'") || return 1
	echo "$pid $(sql "SELECT id FROM san.plan_lines WHERE plan_id = $pid AND code = 'I.1'")"
}
