#!/usr/bin/env bash
# tests/security/sqlmap.sh: Debian's sqlmap against a real server on a
# scratch cluster (like scripts/test.sh).  The injection points come from
# tests/security/sqlmap_targets.py: every path template segment, query
# argument, header parameter and JSON body member of every route in
# assets/openapi.json, anonymous where the route is public and signed in
# (buyer, store owner, official and admin at once) where it is not; plus
# the credentials themselves (Bearer token, session cookie).  The payment
# callbacks are signed per request (sqlmap_sign.py), so payloads get past
# the signature check to the lookup.  Every point reaches SQL only as a
# bound parameter of one api function call, so the expected finding is
# none.
#
# Scopes:
#   default          one point per route family (FAMILIES below) at
#                    --level=1 --risk=1 --technique=BEU: make test runs it
#   SQLMAP_SCOPE=all every point, same level
#   SQLMAP_FULL=1    every point at --level=5 --risk=2, every technique
#                    (hours; a benchmark-like run, ledger in
#                    tests/security/SQLMAP.md)
# SQLMAP_ONLY="glob ..." runs the points (of all) whose names match one
# glob (names: "<method>.<path>:<place>.<param>", e.g. "post.orders:body.*").
# SQLMAP_JOBS=N runs N sqlmap processes at once (default 1).
# SQLMAP_SKIP=FILE leaves out the points a stopped run already decided:
# FILE is that run's "results" (kept with SAN_KEEP_TEST_DIR=1), one
# "verdict<TAB>name: ..." line per point; a long run goes on from there.
#
# Prints one TAP line per point ("ok N sqlmap NAME: not injectable (R
# requests: 200×a 404×b ..., S s)"), the positive control's (a planted
# injection must be found, sqlmap-control.sql), then "sqlmap: N points, N
# injectable, N not tested, S s (level)".  A point sqlmap could not test
# (it stopped with an error) fails like an injectable one, and so does a
# control that finds nothing.  Exit status 1 on any.
# SAN_KEEP_TEST_DIR=1 keeps the scratch directory (logs under sqlmap/).
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/lib.sh"
SAN_ROOT=$ROOT
cd "$ROOT"
command -v sqlmap >/dev/null || { echo "sqlmap is not installed (apt-get install sqlmap)"; exit 1; }

FAMILIES="get.products:query.q get.products.id:path.id get.stores.slug:path.slug
get.stores:query.province put.cart.items.product_id:body.qty
post.orders:body.payment_method post.orders:header.Idempotency-Key
post.orders:body.shipping_address.ward get.orders:query.after
auth.bearer auth.cookie post.auth.login:body.email
get.payments.vnpay.ipn:query.vnp_TxnRef post.payments.momo.ipn:body.orderId
post.payments.bank.webhook:body.reference
get.admin.payments.reconciliation:query.date get.admin.accounts:query.q
post.admin.grants:body.decision_no get.official.cases:query.status
post.reports:body.explanation get.official.stats.series.code:path.code
get.official.transparency:query.from put.survey-rounds.id.answer:body.answers.0.text"

if [ "${SQLMAP_FULL:-0}" = 1 ]; then
	LEVEL=(--level=5 --risk=2)
	SCOPE=all
else
	LEVEL=(--level=1 --risk=1 --technique=BEU)
	SCOPE=${SQLMAP_SCOPE:-families}
fi
[ -n "${SQLMAP_ONLY:-}" ] && SCOPE=all
JOBS=${SQLMAP_JOBS:-1}
# The providers' test keys: the server checks with them, sqlmap_sign.py
# signs with them.
. "$ROOT/tests/providers/test-keys.sh"

. "$HERE/scratch.bash"
scratch_server sqlmap || exit 1

# A buyer, and an account that is also the owner of the demo store's
# business, an official and an admin (sessions made in the database: no
# argon2id), so that every signed-in route gets past its access check.
. "$ROOT/tests/api/helpers.bash"
sql_buyers 2 "$DIR/accounts" || exit 1
read -r _ BUYER < <(sed -n 1p "$DIR/accounts")
read -r POWER_ID POWER < <(sed -n 2p "$DIR/accounts")
read -r SLUG BIZ < <(sql "SELECT slug, business_id FROM san.stores ORDER BY id LIMIT 1" | tr '|' ' ')
for role in admin official; do grant_role "$POWER_ID" "$role" >/dev/null; done
sql "INSERT INTO san.business_members VALUES ($BIZ, $POWER_ID, 'owner')" >/dev/null
# The limits on reports and failed logins would answer 429 before the
# SQL that sqlmap probes; they are set out of its way here (the limits
# themselves are tested in tests/api).
sql "UPDATE san.settings SET value = '1000000' WHERE key IN ('report_limit_account',
     'report_limit_ip', 'login_max_failures_account', 'login_max_failures_ip')" >/dev/null
PID=$(sql "SELECT min(p.id) FROM san.products p JOIN san.stores s ON s.id = p.store_id WHERE s.slug = '$SLUG'")
PROVINCE=$(sql "SELECT min(code) FROM san.provinces")
INDICATOR=$(sql "SELECT min(code) FROM san.stat_indicators")
CATEGORY=$(sql "SELECT min(id) FROM san.categories")
ADDR='{"recipient":"Nguyễn Thị Mai","phone":"0912345678","address":"15 Trần Hưng Đạo","province":"Tây Ninh","ward":"Phường 2"}'

# Fixtures through the API as the power account, so that the points of
# the routes on them find a row: an order of its own with a VNPay
# payment, a programme with a grant and a pending disbursement, a survey
# with an open round.  One that fails is reported and its routes are
# probed on id 1 (a 404 from the SQL lookup).
fixture() {
	local what=$1 want=$2
	if [ "$code" != "$want" ]; then
		echo "# sqlmap fixture $what: $code $(head -c 200 <<<"$body")"
		return 1
	fi
}
TOKEN=$POWER
api POST /api/v1/orders "{\"items\":[{\"product_id\":$PID,\"qty\":1}],\"payment_method\":\"vnpay\",\"shipping_address\":$ADDR}" \
    -H "Idempotency-Key: sqlmap-fixture-order"
fixture order 201 && GROUP=$(jq -r .group_id <<<"$body") &&
    api POST "/api/v1/order-groups/$GROUP/payments" '{"provider":"vnpay"}' &&
    fixture payment 201
read -r _ LINE < <(test_plan 100000000 100000000)
api POST /api/v1/admin/programmes "{\"line_id\":${LINE:-0},\"name\":\"Chương trình sqlmap\",\"rule\":\"fixed\",\"fixed_vnd\":1000000,\"sources\":{\"provincial\":10000}}"
fixture programme 201 && PROG=$(jq -r .id <<<"$body") &&
    api POST /api/v1/admin/grants "{\"programme_id\":$PROG,\"business_id\":$BIZ,\"year\":2024,\"decision_no\":\"15/QĐ-SCT\"}" \
	-H "Idempotency-Key: sqlmap-fixture-grant" &&
    fixture grant 201 && GRANT=$(jq -r .id <<<"$body") &&
    api POST "/api/v1/admin/grants/$GRANT/disbursements" \
	'{"amount_vnd":100000,"paid_on":"2024-06-01","voucher_no":"PC-0001","method":"treasury"}' \
	-H "Idempotency-Key: sqlmap-fixture-disb" &&
    fixture disbursement 201
api POST /api/v1/admin/surveys '{"title_vi":"Khảo sát sqlmap","questions":[{"kind":"text","text_vi":"Khó khăn?"}]}'
fixture survey 201 && SURVEY=$(jq -r .id <<<"$body") &&
    api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
	"$(jq -nc --arg d "$(sql "SELECT api.today()")" '{title:"Vòng sqlmap",opens_on:$d,closes_on:$d}')" &&
    fixture round 201

# The first row of each resource a path names (1 when there is none: the
# lookup then answers 404, which still runs its SQL).
first() { sql "SELECT coalesce(min(id), 1) FROM san.$1"; }

jq -n --arg url "$SAN_URL" --arg token "$POWER" --arg slug "$SLUG" \
    --argjson biz "$BIZ" --argjson pid "$PID" --arg province "$PROVINCE" \
    --arg indicator "$INDICATOR" --argjson category "$CATEGORY" \
    --arg tax "$(tax_code 7)" --argjson ids "$(jq -n \
	--argjson orders "$(first orders)" --argjson groups "$(first order_groups)" \
	--argjson payments "$(first payments)" --argjson images "$(first product_images)" \
	--argjson plans "$(first plans)" --argjson programmes "$(first programmes)" \
	--argjson grants "$(first grants)" --argjson disb "$(first disbursements)" \
	--argjson cases "$(first mod_cases)" --argjson rules "$(first mod_rules)" \
	--argjson decisions "$(first mod_decisions)" --argjson appeals "$(first mod_appeals)" \
	--argjson surveys "$(first survey_questionnaires)" --argjson rounds "$(first survey_rounds)" \
	--argjson licences "$(first business_licences)" --argjson accounts "$POWER_ID" '{
	"orders.id": $orders, "order-groups.id": $groups, "payments.id": $payments,
	"images.id": $images, "categories.id": $category, "plans.id": $plans,
	"programmes.id": $programmes, "grants.id": $grants,
	"disbursements.id": $disb, "cases.id": $cases, "rules.id": $rules,
	"decisions.id": $decisions, "appeals.id": $appeals,
	"surveys.id": $surveys, "survey-rounds.id": $rounds,
	"accounts.id": $accounts, "licences.lid": $licences}' --argjson category "$CATEGORY")" '{
	url: $url, token: $token,
	values: ($ids + {slug: $slug, "businesses.id": $biz, "seller-data.id": $biz,
		 "products.id": $pid, product_id: $pid, "provinces.code": $province,
		 "series.code": $indicator, year: 2026,
		 business_id: $biz, store_slug: $slug, category_id: $category,
		 category: $category, parent_id: $category, tax_code: $tax,
		 phone: "0912345678", email: "sqlmap@example.vn",
		 password: "sqlmap-password-2026", province: "Tây Ninh",
		 ward: "Phường 2", origin_province: $province,
		 recipient: "Nguyễn Thị Mai", address: "15 Trần Hưng Đạo",
		 name: "Thử nghiệm", full_name: "Người Thử", qty: 1,
		 registration_no: "4107000123", registration_date: "2019-05-20",
		 price_vnd: 50000, stock: 10, weight_g: 500,
		 amount_vnd: 100000, reason: "Kiểm thử sqlmap",
		 explanation: "Kiểm thử sqlmap", time: "2026-12-06T08:00:00+07:00"}),
	queries: {"/api/v1/payments/vnpay/ipn": {vnp_TmnCode: env.VNPAY_TMN_CODE,
		 vnp_TxnRef: "1", vnp_Amount: "10000000", vnp_ResponseCode: "00",
		 vnp_TransactionStatus: "00", vnp_TransactionNo: "14000000",
		 vnp_PayDate: "20260101120000", vnp_BankCode: "NCB",
		 vnp_OrderInfo: "Thanh toan", vnp_SecureHash: "0"}},
	bodies: {"post /api/v1/payments/momo/ipn": {partnerCode: env.MOMO_PARTNER_CODE,
		 orderId: "1", requestId: "1", amount: 100000, orderInfo: "a",
		 orderType: "momo_wallet", transId: 1, resultCode: 0,
		 message: "Successful.", payType: "qr", responseTime: 1,
		 extraData: "", signature: "0"}},
	one_of: {"post /api/v1/reports": ["product_id", "store_slug"],
		 "post /api/v1/official/authority-requests": ["product_id", "store_slug"]},
	evals: {"/api/v1/payments/vnpay/ipn": "vnpay",
		"/api/v1/payments/momo/ipn": "momo",
		"/api/v1/payments/bank/webhook": "bank"}
}' >"$DIR/context.json" || exit 1
python3 "$HERE/sqlmap_targets.py" assets/openapi.json "$DIR/context.json" \
    "$DIR/targets" >/dev/null || exit 1
# The credentials: a Bearer token and a session cookie, on GET /me.
printf '%s\n' -u "$SAN_URL/api/v1/me" -H "Authorization: Bearer abc*" \
    --ignore-code=401,404 >"$DIR/targets/auth.bearer.args"
printf '%s\n' -u "$SAN_URL/api/v1/me" -H "Cookie: sid=abc*" \
    --ignore-code=401,404 >"$DIR/targets/auth.cookie.args"

# The points of this scope and SQLMAP_ONLY: reads first, deletions last
# (a DELETE point removes the row the others probe), by name within.
selected() {
	points_unordered | awk -F. '{ print ($1 == "get" ? 0 : $1 == "delete" ? 2 : 1), $0 }' |
	    sort -k1,1n -k2 | cut -d' ' -f2-
}
points_unordered() {
	local f name glob keep
	for f in "$DIR"/targets/*.args; do
		name=$(basename "$f" .args)
		if [ "$SCOPE" = families ] && ! grep -qxF "$name" <(tr ' ' '\n' <<<"$FAMILIES"); then
			continue
		fi
		keep=1
		if [ -n "${SQLMAP_ONLY:-}" ]; then
			keep=0
			for glob in $SQLMAP_ONLY; do
				# shellcheck disable=SC2053
				[[ $name == $glob ]] && keep=1
			done
		fi
		if [ -n "${SQLMAP_SKIP:-}" ] &&
		    cut -f2 "$SQLMAP_SKIP" |
		    awk -v n="$name: " 'index($0, n) == 1 { f = 1 } END { exit !f }'; then
			keep=0
		fi
		[ $keep = 1 ] && echo "$name"
	done
}

# run_point NAME: one sqlmap run; appends "verdict<TAB>line" to results.
run_point() {
	local name=$1 t0 log out codes n args=()
	t0=$(date +%s)
	log="$DIR/sqlmap/$name.log"
	mapfile -t args <"$DIR/targets/$name.args"
	sqlmap --batch --disable-coloring --flush-session --dbms=PostgreSQL \
	    "${LEVEL[@]}" --output-dir="$DIR/sqlmap/out/$name" --timeout=10 \
	    --retries=1 -t "$DIR/sqlmap/$name.traffic" \
	    --answers="custom injection marker=Y,JSON data=Y,keep testing=N" \
	    "${args[@]}" >"$log" 2>&1
	if grep -q "identified the following injection point" "$log"; then
		out="INJECTABLE"
	elif grep -qE "do not appear to be injectable|does not seem to be injectable" "$log"; then
		out="not injectable"
	else
		out="NOT TESTED ($(grep -E '\[(CRITICAL|ERROR)\]' "$log" | tail -1 | cut -c1-160))"
	fi
	# The traffic file has "HTTP response [#N] (200 OK):" per response.
	codes=$(grep -oE '^HTTP response \[#[0-9]+\] \([0-9]{3}' "$DIR/sqlmap/$name.traffic" 2>/dev/null |
	    grep -oE '[0-9]{3}$' | sort | uniq -c | awk '{printf "%s%s×%s", (NR > 1 ? " " : ""), $2, $1}')
	n=$(grep -cE '^HTTP response \[#[0-9]+\]' "$DIR/sqlmap/$name.traffic" 2>/dev/null)
	printf '%s\t%s: %s (%s requests: %s, %s s)\n' "${out%% *}" "$name" "$out" \
	    "${n:-0}" "${codes:-none}" $(( $(date +%s) - t0 )) >>"$DIR/results"
}

export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$DIR/sqlmap"
: >"$DIR/results"
t_all=$(date +%s)
points=$(selected)
[ -n "$points" ] || { echo "sqlmap: no point matches"; exit 1; }
[ "$SCOPE" = families ] && [ -z "${SQLMAP_ONLY:-}" ] &&
    [ "$(wc -l <<<"$points")" -ne "$(wc -w <<<"$FAMILIES")" ] && {
	echo "sqlmap: a family's point is gone from the routes:"
	comm -13 <(sort <<<"$points") <(tr ' \n' '\n\n' <<<"$FAMILIES" | sed '/^$/d' | sort)
	exit 1
}
# At most JOBS runs at once (the server is a job of this shell too, so
# the runs' own pids are counted).
pids=()
for name in $points; do
	while [ ${#pids[@]} -ge "$JOBS" ]; do
		wait -n "${pids[@]}"
		alive=()
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
		pids=("${alive[@]}")
	done
	run_point "$name" &
	pids+=($!)
done
wait "${pids[@]}"

# The positive control: with a planted injection in GET /api/v1/stores?q=
# (sqlmap-control.sql, this scratch database only), the same probe must
# find it; a harness that finds nothing there proves nothing elsewhere.
# SQLMAP_CONTROL=0 skips it (runs narrowed with SQLMAP_ONLY skip it too).
control=""
if [ "${SQLMAP_CONTROL:-1}" = 1 ] && [ -z "${SQLMAP_ONLY:-}" ]; then
	sql "$(cat "$HERE/sqlmap-control.sql")" >/dev/null || exit 1
	mv "$DIR/results" "$DIR/results.points"
	run_point get.stores:query.q
	control=$(cut -f2- "$DIR/results")
	mv "$DIR/results.points" "$DIR/results"
fi

i=0 found=0 untested=0
while IFS=$'\t' read -r verdict line; do
	i=$((i + 1))
	case $verdict in
	not) echo "ok $i sqlmap $line" ;;
	INJECTABLE) found=$((found + 1)); echo "not ok $i sqlmap $line" ;;
	*) untested=$((untested + 1)); echo "not ok $i sqlmap $line" ;;
	esac
done < <(sort -t$'\t' -k2 "$DIR/results")
ctl_ok=1
if [ -n "$control" ]; then
	i=$((i + 1))
	if [[ $control == *": INJECTABLE "* ]]; then
		echo "ok $i sqlmap control (a planted injection is found): ${control#*: }"
	else
		ctl_ok=0
		echo "not ok $i sqlmap control (a planted injection is found): ${control#*: }"
	fi
fi
echo "sqlmap: $i points, $found injectable, $untested not tested, $(( $(date +%s) - t_all )) s (${LEVEL[*]})"
[ "$found" -eq 0 ] && [ "$untested" -eq 0 ] && [ "$ctl_ok" = 1 ]
