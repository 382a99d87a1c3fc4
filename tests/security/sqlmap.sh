#!/usr/bin/env bash
# tests/security/sqlmap.sh: Debian's sqlmap against a real server on a
# scratch cluster (like scripts/test.sh), one parameter per route family:
# a query argument, a numeric and a slug path segment, JSON body members
# (anonymous and signed in), the Idempotency-Key header, a provider
# callback's argument, an admin query argument.  Every parameter reaches
# SQL only as a bound parameter of one api function call, so the expected
# finding is none.
#
# Default: the fast subset (--level=1 --risk=1, techniques B, E, U: no
# time-based probes).  SQLMAP_FULL=1: --level=5 --risk=2 with every
# technique (a benchmark-like run, hours; not in make test).
# Prints "sqlmap <name>: not injectable (N requests, S s)" per target and
# "sqlmap: N targets, N injectable, S s"; exit status 1 on any finding or
# any target sqlmap could not test.  SAN_KEEP_TEST_DIR=1 keeps the
# scratch directory (sqlmap's logs under sqlmap/); SQLMAP_ONLY="name ..."
# runs only those targets.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/lib.sh"
SAN_ROOT=$ROOT
cd "$ROOT"
command -v sqlmap >/dev/null || { echo "sqlmap is not installed (apt-get install sqlmap)"; exit 1; }

if [ "${SQLMAP_FULL:-0}" = 1 ]; then
	LEVEL=(--level=5 --risk=2)
else
	LEVEL=(--level=1 --risk=1 --technique=BEU)
fi

. "$HERE/scratch.bash"
scratch_server sqlmap VNPAY_TMN_CODE=SANTEST1 VNPAY_HASH_SECRET=TESTVNPAYHASHSECRET0123456789ABC || exit 1

# A signed-in buyer (session made in the database: no argon2id) and an
# admin; a product and a store from the demo data.
. "$ROOT/tests/api/helpers.bash"
sql_buyers 2 "$DIR/buyers" || exit 1
read -r _ BUYER < <(sed -n 1p "$DIR/buyers")
read -r ADMIN_ID ADMIN < <(sed -n 2p "$DIR/buyers")
grant_role "$ADMIN_ID" admin >/dev/null
PID=$(sql "SELECT min(id) FROM san.products WHERE listed")
SLUG=$(sql "SELECT slug FROM san.stores ORDER BY id LIMIT 1")
ADDR='{"recipient":"Nguyen Van A","phone":"0912345678","address":"12 Tran Hung Dao","province":"Tay Ninh","ward":"Phuong 1"}'

total=0 found=0 untested=0 t_all=$(date +%s)
# target NAME [sqlmap arguments...]: one sqlmap run; "*" marks the
# injection point.
target() {
	local name=$1 t0 log out
	shift
	# SQLMAP_ONLY="name ...": those targets only.
	[ -n "${SQLMAP_ONLY:-}" ] && [[ " $SQLMAP_ONLY " != *" $name "* ]] && return 0
	total=$((total + 1))
	t0=$(date +%s)
	log="$DIR/sqlmap/$name.log"
	mkdir -p "$DIR/sqlmap"
	sqlmap --batch --disable-coloring --flush-session --dbms=PostgreSQL \
	    "${LEVEL[@]}" --output-dir="$DIR/sqlmap" --timeout=10 --retries=1 \
	    --answers="custom injection marker=Y,JSON data=Y,keep testing=N" \
	    "$@" >"$log" 2>&1
	if grep -q "identified the following injection point" "$log"; then
		found=$((found + 1))
		out="INJECTABLE"
	elif grep -qE "do not appear to be injectable|does not seem to be injectable" "$log"; then
		out="not injectable"
	else
		untested=$((untested + 1))
		out="NOT TESTED ($(grep -E '\[(CRITICAL|ERROR)\]' "$log" | tail -1 | cut -c1-120))"
	fi
	echo "sqlmap $name: $out ($(grep -c 'HTTP/1' "$DIR/sqlmap/$name.traffic" 2>/dev/null || echo "?") requests, $(( $(date +%s) - t0 )) s)"
}

target products.q -u "$SAN_URL/api/v1/products?q=banh*&limit=5" -t "$DIR/sqlmap/products.q.traffic"
target products.id -u "$SAN_URL/api/v1/products/$PID*" -t "$DIR/sqlmap/products.id.traffic"
target stores.slug -u "$SAN_URL/api/v1/stores/$SLUG*" -t "$DIR/sqlmap/stores.slug.traffic"
target stores.province -u "$SAN_URL/api/v1/stores?province=T*" -t "$DIR/sqlmap/stores.province.traffic"
target cart.qty.body --method=PUT -u "$SAN_URL/api/v1/cart/items/$PID" \
    -H "Authorization: Bearer $BUYER" -H "Content-Type: application/json" \
    --data='{"qty":1*}' -t "$DIR/sqlmap/cart.qty.body.traffic"
target orders.body -u "$SAN_URL/api/v1/orders" \
    -H "Authorization: Bearer $BUYER" -H "Content-Type: application/json" \
    -H "Idempotency-Key: sqlmap-body" \
    --data="{\"items\":[{\"product_id\":$PID,\"qty\":1}],\"payment_method\":\"cod*\",\"shipping_address\":$ADDR}" \
    -t "$DIR/sqlmap/orders.body.traffic"
target orders.idempotency-key -u "$SAN_URL/api/v1/orders" \
    -H "Authorization: Bearer $BUYER" -H "Content-Type: application/json" \
    -H "Idempotency-Key: key1*" \
    --data="{\"items\":[{\"product_id\":$PID,\"qty\":1}],\"payment_method\":\"cod\",\"shipping_address\":$ADDR}" \
    -t "$DIR/sqlmap/orders.idempotency-key.traffic"
target orders.status -u "$SAN_URL/api/v1/orders?status=pending*" \
    -H "Authorization: Bearer $BUYER" -t "$DIR/sqlmap/orders.status.traffic"
target bearer-token -u "$SAN_URL/api/v1/me" -H "Authorization: Bearer abc*" --ignore-code=401 \
    -t "$DIR/sqlmap/bearer-token.traffic"
target vnpay.ipn -u "$SAN_URL/api/v1/payments/vnpay/ipn?vnp_TxnRef=1*&vnp_Amount=100" \
    -t "$DIR/sqlmap/vnpay.ipn.traffic"
target admin.reconciliation -u "$SAN_URL/api/v1/admin/payments/reconciliation?date=2026-01-01*" \
    -H "Authorization: Bearer $ADMIN" -t "$DIR/sqlmap/admin.reconciliation.traffic"

echo "sqlmap: $total targets, $found injectable, $untested not tested, $(( $(date +%s) - t_all )) s (${LEVEL[*]})"
[ "$found" -eq 0 ] && [ "$untested" -eq 0 ]
