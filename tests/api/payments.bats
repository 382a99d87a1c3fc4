#!/usr/bin/env bats
# Payments: starting a payment of an order group (VNPay URL, MoMo request,
# VietQR payload), provider callbacks through the stand-in
# tests/providers/paysim (signed as each provider documents, independently
# of src/paysign.c), exactly-once application under replays and
# concurrency, refusals that change nothing but are recorded, and the
# admins' reconciliation.  scripts/test.sh gives the server and paysim the
# same test-only provider keys.
load helpers

PAYSIM="$BATS_TEST_DIRNAME/../providers/paysim"

setup_file() {
	local id tok biz slug cat
	# Provider transaction numbers of this run (unique per provider).
	export RUN=$((RANDOM % 9000 + 1000))
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Thanh Toán A")
	export MA_TOK=$tok MA_STORE=$slug
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Thanh Toán B" "Bến Tre")
	export MB_TOK=$tok MB_STORE=$slug
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_ID=$id BUYER_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email other)")
	export OTHER_TOK=$tok
	read -r id tok < <(new_role_account admin)
	export ADM_TOK=$tok
	read -r id tok < <(new_role_account official)
	export OFF_TOK=$tok
	cat=$(sql "SELECT id FROM san.categories c WHERE policy = 'normal' AND NOT EXISTS
		(SELECT 1 FROM san.categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1")
	local s t
	for s in "$MA_STORE:$MA_TOK" "$MB_STORE:$MB_TOK"; do
		TOKEN=${s#*:} api PUT "/api/v1/stores/${s%%:*}/shipping-methods" \
		    '{"methods":[{"carrier":"own","name":"Giao tận nơi","fee_rule":"flat","fee_vnd":15000}]}'
		[ "$code" = 200 ] || { echo "shipping methods: $code $body" >&2; return 1; }
	done
	PROD_A=$(new_product "$MA_TOK" "$MA_STORE" "$(product_body "$cat" "Bánh tráng thanh toán" 50000 '{"status":"active","stock":5000}')")
	PROD_B=$(new_product "$MB_TOK" "$MB_STORE" "$(product_body "$cat" "Kẹo dừa thanh toán" 35000 '{"status":"active","stock":5000}')")
	export PROD_A PROD_B
	for t in MA_TOK MB_TOK BUYER_TOK OTHER_TOK ADM_TOK OFF_TOK PROD_A PROD_B \
	    VNPAY_TMN_CODE VNPAY_HASH_SECRET MOMO_SECRET_KEY BANK_WEBHOOK_SECRET; do
		[ -n "${!t}" ] || { echo "set-up failed: $t" >&2; return 1; }
	done
}

# place_order TOKEN METHOD [PRODUCT...]: a checkout (default: one item of
# each store, so the group has two orders); prints the group id.
place_order() {
	local TOKEN=$1 method=$2 items
	shift 2
	[ $# -gt 0 ] || set -- "$PROD_A" "$PROD_B"
	items=$(printf '%s\n' "$@" | jq -sc 'map({product_id: ., qty: 1})')
	api POST /api/v1/orders "$(jq -nc --argjson i "$items" --arg m "$method" '{
		items: $i, payment_method: $m,
		shipping_address: {recipient: "Nguyễn Văn A", phone: "0912345678",
		    address: "12 Trần Hưng Đạo", province: "Tây Ninh",
		    ward: "Phường 1"}}')" -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)"
	[ "$code" = 201 ] || { echo "order failed: $code $body" >&2; return 1; }
	jq -r .group_id <<<"$body"
}

# start_payment TOKEN GROUP PROVIDER: sets $code and $body.
start_payment() {
	local TOKEN=$1
	api POST "/api/v1/order-groups/$2/payments" "{\"provider\":\"$3\"}"
}

# new_payment GROUP PROVIDER: the buyer starts a payment (must succeed).
new_payment() {
	start_payment "$BUYER_TOK" "$1" "$2"
	[ "$code" = 201 ] || { echo "payment failed: $code $body" >&2; return 1; }
}

# group_state GROUP: order statuses, paid orders, events to paid, the
# group's paid_at, payments "status:provider_txn_id" (one line).
group_state() {
	sql "SELECT (SELECT string_agg(status, ',' ORDER BY id) FROM san.orders WHERE group_id = $1)
	    || ' paid_at=' || (SELECT count(*) FROM san.orders WHERE group_id = $1 AND paid_at IS NOT NULL)
	    || ' events=' || (SELECT count(*) FROM san.order_events e JOIN san.orders o ON o.id = e.order_id
		WHERE o.group_id = $1 AND e.to_status = 'paid')
	    || ' group_paid=' || (SELECT paid_at IS NOT NULL FROM san.order_groups WHERE id = $1)
	    || ' payments=' || COALESCE((SELECT string_agg(status || ':' || COALESCE(provider_txn_id, '-'), ',' ORDER BY id)
		FROM san.payments WHERE group_id = $1), '')"
}

# callbacks TXN_REF: "outcome/reason" of its recorded callbacks, in order.
callbacks() {
	sql "SELECT COALESCE(string_agg(outcome || '/' || COALESCE(reason, '-'), ' ' ORDER BY id), '')
	       FROM san.payment_callbacks WHERE txn_ref = '$1'"
}

# query_field URL NAME: the decoded value of NAME in URL's query.
query_field() {
	local v
	v=$(sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" <<<"$1")
	printf '%b\n' "$(sed 's/+/ /g; s/%\(..\)/\\x\1/g' <<<"$v")"
}

@test "vnpay: the payment URL is VNPay 2.1.0 and signed; paying moves every order of the group to paid, once" {
	local g total ref url pay_by out created
	g=$(place_order "$BUYER_TOK" vnpay)
	total=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g")
	[ "$total" -gt 0 ]
	new_payment "$g" vnpay
	[ "$(jq -r '[.group_id, .provider, .amount_vnd, .status] | join(" ")' <<<"$body")" = "$g vnpay $total pending" ]
	ref=$(jq -r .txn_ref <<<"$body")
	[[ $ref =~ ^[A-Za-z0-9]{1,25}$ ]]
	url=$(jq -r .payment_url <<<"$body")
	[[ $url == https://sandbox.vnpayment.vn/paymentv2/vpcpay.html\?* ]]
	[ "$(query_field "$url" vnp_Amount)" = "$((total * 100))" ]
	[ "$(query_field "$url" vnp_TxnRef)" = "$ref" ]
	[ "$(query_field "$url" vnp_TmnCode)" = "$VNPAY_TMN_CODE" ]
	[ "$(query_field "$url" vnp_Version)" = 2.1.0 ]
	[ "$(query_field "$url" vnp_Command)" = pay ]
	[ "$(query_field "$url" vnp_CurrCode)" = VND ]
	[ "$(query_field "$url" vnp_OrderType)" = other ]
	[ "$(query_field "$url" vnp_Locale)" = vn ]
	[ "$(query_field "$url" vnp_OrderInfo)" = "Thanh toan don hang $ref" ]
	[ "$(query_field "$url" vnp_IpAddr)" = 127.0.0.1 ]
	[[ $(query_field "$url" vnp_ReturnUrl) == http*://*/thanh-toan/ket-qua ]]
	# Dates in GMT+7: created now, expiring at the group's pay_by.
	pay_by=$(sql "SELECT to_char(pay_by AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMMDDHH24MISS') FROM san.order_groups WHERE id = $g")
	[ "$(query_field "$url" vnp_ExpireDate)" = "$pay_by" ]
	created=$(query_field "$url" vnp_CreateDate)
	created=$(date -d "${created:0:4}-${created:4:2}-${created:6:2} ${created:8:2}:${created:10:2}:${created:12:2} +0700" +%s)
	[ $(( $(date +%s) - created )) -ge 0 ]
	[ $(( $(date +%s) - created )) -lt 60 ]
	[[ $url == *'&vnp_SecureHash='* ]]
	[ "$(group_state "$g")" = "pending_payment,pending_payment paid_at=0 events=0 group_paid=false payments=pending:-" ]

	# The stand-in checks the URL as VNPay's gateway does, then calls back.
	out=$("$PAYSIM" vnpay-pay "$url" --transaction-no 9${RUN}1401)
	[ "$out" = '200 {"RspCode":"00","Message":"Confirm Success"}' ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:9${RUN}1401" ]
	[ "$(sql "SELECT string_agg(concat_ws(' ', e.actor_id, e.actor_role, e.from_status, e.to_status, e.note), ',')
	          FROM san.order_events e JOIN san.orders o ON o.id = e.order_id
	         WHERE o.group_id = $g AND e.to_status = 'paid'")" = "provider pending_payment paid vnpay,provider pending_payment paid vnpay" ]
	[ "$(sql "SELECT settled_at IS NOT NULL FROM san.payments WHERE txn_ref = '$ref'")" = t ]
	[ "$(callbacks "$ref")" = "applied/-" ]
	# Paid: no second payment.
	start_payment "$BUYER_TOK" "$g" momo
	assert_error 409 already_paid
	[ "$(sql "SELECT count(*) FROM san.payments WHERE group_id = $g")" = 1 ]
}

@test "vnpay: one IPN replayed 5 times, then 10 times at once, is applied once" {
	local g url ref out i dir n00 n02
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	out=$("$PAYSIM" vnpay-pay "$url" --transaction-no 9${RUN}1402)
	[ "$out" = '200 {"RspCode":"00","Message":"Confirm Success"}' ]
	for i in 1 2 3 4 5; do
		out=$("$PAYSIM" vnpay-pay "$url" --transaction-no 9${RUN}1402)
		[ "$out" = '200 {"RspCode":"02","Message":"Order already confirmed"}' ]
	done
	dir=$(mktemp -d)
	for i in $(seq 10); do
		"$PAYSIM" vnpay-pay "$url" --transaction-no 9${RUN}1402 >"$dir/$i" &
	done
	wait
	n02=$(cat "$dir"/* | grep -cx '200 {"RspCode":"02","Message":"Order already confirmed"}')
	rm -rf "$dir"
	[ "$n02" = 10 ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:9${RUN}1402" ]
	[ "$(sql "SELECT outcome || ' ' || count(*) FROM san.payment_callbacks WHERE txn_ref = '$ref'
	          GROUP BY outcome ORDER BY outcome" | tr '\n' ,)" = "applied 1,duplicate 15," ]
}

@test "vnpay: ten first deliveries at once still pay once" {
	local g url ref dir n00 i
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	dir=$(mktemp -d)
	for i in $(seq 10); do
		"$PAYSIM" vnpay-pay "$url" --transaction-no 9${RUN}1403 >"$dir/$i" &
	done
	wait
	n00=$(cat "$dir"/* | grep -cx '200 {"RspCode":"00","Message":"Confirm Success"}')
	rm -rf "$dir"
	[ "$n00" = 1 ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:9${RUN}1403" ]
	[ "$(callbacks "$ref" | tr ' ' '\n' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" = "applied/-=1 duplicate/replay=9 " ]
}

@test "vnpay: a tampered field answers 97, is recorded without its signature, and changes nothing" {
	local g url ref before out q tampered
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	before=$(group_state "$g")
	# The amount changed after signing.
	out=$("$PAYSIM" vnpay-pay "$url" --tamper)
	[ "$out" = '200 {"RspCode":"97","Message":"Invalid signature"}' ]
	# A failed payment turned into a success after signing.
	q=$("$PAYSIM" sign-vnpay vnp_Amount="$(query_field "$url" vnp_Amount)" \
	    vnp_ResponseCode=24 vnp_TransactionStatus=02 vnp_TmnCode="$VNPAY_TMN_CODE" \
	    vnp_TxnRef="$ref" vnp_TransactionNo=0 vnp_OrderInfo="Thanh toan don hang $ref")
	tampered=${q/vnp_ResponseCode=24/vnp_ResponseCode=00}
	tampered=${tampered/vnp_TransactionStatus=02/vnp_TransactionStatus=00}
	[ "$tampered" != "$q" ]
	api GET "/api/v1/payments/vnpay/ipn?$tampered"
	[ "$code" = 200 ]
	[ "$body" = '{"RspCode":"97","Message":"Invalid signature"}' ]
	# No signature at all; another merchant's signature.
	api GET "/api/v1/payments/vnpay/ipn?${q%&vnp_SecureHash=*}"
	[ "$body" = '{"RspCode":"97","Message":"Invalid signature"}' ]
	api GET "/api/v1/payments/vnpay/ipn?$(VNPAY_HASH_SECRET=another-merchants-secret "$PAYSIM" sign-vnpay \
	    vnp_Amount="$(query_field "$url" vnp_Amount)" vnp_ResponseCode=00 vnp_TransactionStatus=00 \
	    vnp_TmnCode="$VNPAY_TMN_CODE" vnp_TxnRef="$ref" vnp_TransactionNo=99)"
	[ "$body" = '{"RspCode":"97","Message":"Invalid signature"}' ]
	[ "$(group_state "$g")" = "$before" ]
	[ "$before" = "pending_payment,pending_payment paid_at=0 events=0 group_paid=false payments=pending:-" ]
	[ "$(callbacks "$ref")" = "rejected/bad_signature rejected/bad_signature rejected/no_signature rejected/bad_signature" ]
	# Recorded: reason and the claimed reference, never a signature.
	[ "$(sql "SELECT count(*) FROM san.payment_callbacks c WHERE c::text ~* '[0-9a-f]{64}'")" = 0 ]
	# The real payment still goes through afterwards.
	out=$("$PAYSIM" vnpay-pay "$url")
	[ "$out" = '200 {"RspCode":"00","Message":"Confirm Success"}' ]
	[ "$(group_state "$g" | cut -d' ' -f1)" = paid,paid ]
}

@test "vnpay: a wrong amount answers 04, an unknown TxnRef 01; nothing changes" {
	local g url ref amount before out
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	amount=$(query_field "$url" vnp_Amount)
	before=$(group_state "$g")
	out=$("$PAYSIM" vnpay-pay "$url" --amount-override $((amount - 100000)))
	[ "$out" = '200 {"RspCode":"04","Message":"Invalid amount"}' ]
	out=$("$PAYSIM" vnpay-pay "$url" --amount-override $((amount + 50)))
	[ "$out" = '200 {"RspCode":"04","Message":"Invalid amount"}' ]
	out=$("$PAYSIM" vnpay-ipn --txn-ref "SAN0P${RANDOM}9" --amount-vnd $((amount / 100)))
	[ "$out" = '200 {"RspCode":"01","Message":"Order not found"}' ]
	[ "$(group_state "$g")" = "$before" ]
	[ "$(callbacks "$ref")" = "rejected/amount_mismatch rejected/amount_not_whole" ]
	[ "$(sql "SELECT outcome || '/' || reason FROM san.payment_callbacks ORDER BY id DESC LIMIT 1")" = rejected/unknown_txn_ref ]
}

@test "vnpay: a failure leaves the orders unpaid for a retry; a late failure after paid changes nothing" {
	local g url ref out url2 ref2
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	# Cancelled by the buyer at VNPay (code 24): recorded and confirmed.
	out=$("$PAYSIM" vnpay-pay "$url" --code 24 --transaction-no 0)
	[ "$out" = '200 {"RspCode":"00","Message":"Confirm Success"}' ]
	[ "$(group_state "$g")" = "pending_payment,pending_payment paid_at=0 events=0 group_paid=false payments=failed:-" ]
	# Retry with a new payment, which succeeds.
	new_payment "$g" vnpay
	url2=$(jq -r .payment_url <<<"$body")
	ref2=$(jq -r .txn_ref <<<"$body")
	[ "$ref2" != "$ref" ]
	out=$("$PAYSIM" vnpay-pay "$url2" --transaction-no 9${RUN}1404)
	[ "$out" = '200 {"RspCode":"00","Message":"Confirm Success"}' ]
	# A late failure for the paid payment: nothing moves.
	out=$("$PAYSIM" vnpay-pay "$url2" --code 11 --transaction-no 9${RUN}1405)
	[ "$out" = '200 {"RspCode":"02","Message":"Order already confirmed"}' ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=failed:-,paid:9${RUN}1404" ]
	[ "$(callbacks "$ref") | $(callbacks "$ref2")" = "failed_payment/- | applied/- failed_payment/already_settled" ]
}

@test "a newer payment supersedes a pending one: money for the old one is a mismatch, never applied" {
	local g old new before out
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	old=$(jq -r .payment_url <<<"$body")
	new_payment "$g" momo
	new=$(jq -c .momo_request <<<"$body")
	before=$(group_state "$g")
	[ "$before" = "pending_payment,pending_payment paid_at=0 events=0 group_paid=false payments=failed:-,pending:-" ]
	out=$("$PAYSIM" vnpay-pay "$old")
	[ "$out" = '200 {"RspCode":"02","Message":"Order already confirmed"}' ]
	[ "$(group_state "$g")" = "$before" ]
	[ "$(callbacks "$(query_field "$old" vnp_TxnRef)")" = rejected/payment_not_pending ]
	out=$("$PAYSIM" momo-pay "$new" --trans-id 77${RUN}1)
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=failed:-,paid:77${RUN}1" ]
}

@test "money arriving after the group expired is recorded as a mismatch and never revives the orders" {
	local g url ref out i
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	url=$(jq -r .payment_url <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	# The payment window closes and the expiry job runs.
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 second' WHERE id = $g" >/dev/null
	# (The server's own run may hold the job's lock: retry.)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(sql "SELECT api.orders_expire(1000)")" = 0 ] || break
		[ "$(group_state "$g" | cut -d' ' -f1)" = expired,expired ] && break
		sleep 0.3
	done
	[ "$(group_state "$g")" = "expired,expired paid_at=0 events=0 group_paid=false payments=failed:-" ]
	out=$("$PAYSIM" vnpay-pay "$url")
	[ "$out" = '200 {"RspCode":"02","Message":"Order already confirmed"}' ]
	[ "$(group_state "$g")" = "expired,expired paid_at=0 events=0 group_paid=false payments=failed:-" ]
	[ "$(callbacks "$ref")" = rejected/payment_not_pending ]
	start_payment "$BUYER_TOK" "$g" vnpay
	assert_error 409 nothing_to_pay
}

@test "momo: the create request is signed as MoMo documents; a good IPN pays once (204), tampered 400, replay 204" {
	local g total ref req sig out before
	g=$(place_order "$BUYER_TOK" momo)
	total=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g")
	new_payment "$g" momo
	ref=$(jq -r .txn_ref <<<"$body")
	req=$(jq -c .momo_request <<<"$body")
	[ "$(jq -r '[.partnerCode, .accessKey, .orderId, .requestId, .amount, .requestType, .lang, .extraData] | join(" ")' <<<"$req")" = \
	    "$MOMO_PARTNER_CODE $MOMO_ACCESS_KEY $ref $ref $total captureWallet vi " ]
	[ "$(jq -r .orderInfo <<<"$req")" = "Thanh toan don hang $ref" ]
	[[ $(jq -r .ipnUrl <<<"$req") == http*://*/api/v1/payments/momo/ipn ]]
	[ "$(jq -r .signature <<<"$body")" = "$(jq -r .signature <<<"$req")" ]
	# The signature, recomputed by the stand-in over MoMo's field order.
	sig=$("$PAYSIM" sign-momo accessKey="$MOMO_ACCESS_KEY" amount="$total" extraData= \
	    ipnUrl="$(jq -r .ipnUrl <<<"$req")" orderId="$ref" orderInfo="Thanh toan don hang $ref" \
	    partnerCode="$MOMO_PARTNER_CODE" redirectUrl="$(jq -r .redirectUrl <<<"$req")" \
	    requestId="$ref" requestType=captureWallet)
	[ "$sig" = "$(jq -r .signature <<<"$req")" ]

	before=$(group_state "$g")
	out=$("$PAYSIM" momo-pay "$req" --tamper --trans-id 77${RUN}2)
	[ "${out%% *}" = 400 ]
	[ "$(jq -r .error.code <<<"${out#* }")" = bad_signature ]
	[ "$(group_state "$g")" = "$before" ]
	out=$("$PAYSIM" momo-pay "$req" --trans-id 77${RUN}2)
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:77${RUN}2" ]
	out=$("$PAYSIM" momo-pay "$req" --trans-id 77${RUN}2)
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:77${RUN}2" ]
	[ "$(sql "SELECT string_agg(concat_ws(' ', e.actor_role, e.note), ',') FROM san.order_events e
	          JOIN san.orders o ON o.id = e.order_id WHERE o.group_id = $g AND e.to_status = 'paid'")" = "provider momo,provider momo" ]
	[ "$(callbacks "$ref")" = "rejected/bad_signature applied/- duplicate/replay" ]
}

@test "momo: a failed result (1006) leaves the orders unpaid; malformed IPNs answer 400 and are recorded" {
	local g req ref out n
	g=$(place_order "$BUYER_TOK" momo)
	new_payment "$g" momo
	req=$(jq -c .momo_request <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	out=$("$PAYSIM" momo-pay "$req" --result-code 1006 --trans-id 77${RUN}3)
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "pending_payment,pending_payment paid_at=0 events=0 group_paid=false payments=failed:-" ]
	[ "$(callbacks "$ref")" = failed_payment/- ]
	n=$(sql "SELECT count(*) FROM san.payment_callbacks WHERE provider = 'momo' AND reason = 'malformed'")
	TOKEN= api POST /api/v1/payments/momo/ipn '{"orderId":"x"}'
	assert_error 400 invalid_callback
	TOKEN= api_raw POST /api/v1/payments/momo/ipn application/json '{"orderId":'
	assert_error 400 invalid_callback
	[ "$(sql "SELECT count(*) FROM san.payment_callbacks WHERE provider = 'momo' AND reason = 'malformed'")" = $((n + 2)) ]
}

@test "bank: a signed transfer pays once; stale (301 s), future, bad or missing signatures get 401 and are recorded" {
	local g total ref qr before out tid
	g=$(place_order "$BUYER_TOK" vietqr)
	total=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g")
	new_payment "$g" vietqr
	ref=$(jq -r .txn_ref <<<"$body")
	qr=$(jq -r .qr_payload <<<"$body")
	before=$(group_state "$g")
	tid=FT$RANDOM$RANDOM
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "$tid" --time-offset -301)
	[ "${out%% *}" = 401 ]
	[ "$(jq -r .error.code <<<"${out#* }")" = bad_signature ]
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "$tid" --time-offset 60)
	[ "${out%% *}" = 401 ]
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "$tid" --tamper)
	[ "${out%% *}" = 401 ]
	out=$(BANK_WEBHOOK_SECRET=not-the-banks-key "$PAYSIM" bank-pay "$qr" --transaction-id "$tid")
	[ "${out%% *}" = 401 ]
	TOKEN= api POST /api/v1/payments/bank/webhook \
	    "{\"transaction_id\":\"$tid\",\"reference\":\"$ref\",\"amount_vnd\":$total}"
	assert_error 401 bad_signature
	[ "$(group_state "$g")" = "$before" ]
	# Within the window (299 s old) it is good; then replays are duplicates.
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "$tid" --time-offset -299)
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:$tid" ]
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "$tid")
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:$tid" ]
	[ "$(callbacks "$ref")" = "rejected/stale_timestamp rejected/future_timestamp rejected/bad_signature rejected/bad_signature rejected/no_signature applied/- duplicate/replay" ]
	# A second, different transfer for the paid payment: money to refund.
	out=$("$PAYSIM" bank-pay "$qr" --transaction-id "${tid}B")
	[ "$out" = "204 " ]
	[ "$(callbacks "$ref" | awk '{print $NF}')" = rejected/paid_twice ]
	[ "$(group_state "$g")" = "paid,paid paid_at=2 events=2 group_paid=true payments=paid:$tid" ]
}

@test "bank: a wrong amount is recorded as a mismatch; a well-signed malformed body is 400" {
	local g ref qr total out t sig before n
	g=$(place_order "$BUYER_TOK" vietqr)
	total=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g")
	new_payment "$g" vietqr
	ref=$(jq -r .txn_ref <<<"$body")
	qr=$(jq -r .qr_payload <<<"$body")
	before=$(group_state "$g")
	out=$("$PAYSIM" bank-pay "$qr" --amount-override $((total - 1000)))
	[ "$out" = "204 " ]
	[ "$(group_state "$g")" = "$before" ]
	[ "$(callbacks "$ref")" = rejected/amount_mismatch ]
	n=$(sql "SELECT count(*) FROM san.payment_callbacks WHERE reason = 'malformed'")
	t=$(date +%s)
	sig=$("$PAYSIM" sign-bank "$t" '{"reference":"x"}')
	TOKEN= api_raw POST /api/v1/payments/bank/webhook application/json '{"reference":"x"}' -H "X-Signature: $sig"
	assert_error 400 invalid_callback
	sig=$("$PAYSIM" sign-bank "$t" 'not json')
	TOKEN= api_raw POST /api/v1/payments/bank/webhook application/json 'not json' -H "X-Signature: $sig"
	assert_error 400 invalid_callback
	[ "$(sql "SELECT count(*) FROM san.payment_callbacks WHERE reason = 'malformed'")" = $((n + 2)) ]
	[ "$(group_state "$g")" = "$before" ]
}

@test "vietqr: the payload names our bank, account, amount and reference with a good CRC; the SVG is the buyer's alone" {
	local g total pid ref qr out bad svg
	g=$(place_order "$BUYER_TOK" vietqr)
	total=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g")
	new_payment "$g" vietqr
	pid=$(jq -r .payment_id <<<"$body")
	ref=$(jq -r .txn_ref <<<"$body")
	qr=$(jq -r .qr_payload <<<"$body")
	[ "$(jq -r .qr_svg_url <<<"$body")" = "/api/v1/payments/$pid/qr.svg" ]
	out=$("$PAYSIM" vietqr-check "$qr")
	[ "$out" = "bin=$VIETQR_BANK_BIN account=$VIETQR_ACCOUNT amount=$total reference=$ref" ]
	# The CRC is really checked: one changed character is refused.
	bad=${qr/$ref/${ref%?}X}
	[ "$bad" != "$qr" ]
	run "$PAYSIM" vietqr-check "$bad"
	[ "$status" = 3 ]
	[[ $output == *"bad CRC"* ]]
	# The QR picture.
	svg=$(mktemp)
	TOKEN=$BUYER_TOK api_fetch "/api/v1/payments/$pid/qr.svg" "$svg"
	[ "$code" = 200 ]
	[ "$(header content-type)" = image/svg+xml ]
	grep -q '<svg' "$svg"
	rm -f "$svg"
	TOKEN=$OTHER_TOK api GET "/api/v1/payments/$pid/qr.svg"
	assert_error 404 payment_not_found
	TOKEN=$MA_TOK api GET "/api/v1/payments/$pid/qr.svg"
	assert_error 404 payment_not_found
	TOKEN= api GET "/api/v1/payments/$pid/qr.svg"
	assert_error 401 unauthenticated
	new_payment "$(place_order "$BUYER_TOK" vnpay)" vnpay
	TOKEN=$BUYER_TOK api GET "/api/v1/payments/$(jq -r .payment_id <<<"$body")/qr.svg"
	assert_error 404 payment_not_found
}

@test "only the group's buyer starts a payment: others 404, anonymous 401, COD and bad providers refused; nothing created" {
	local g cod before
	g=$(place_order "$BUYER_TOK" vnpay)
	cod=$(place_order "$BUYER_TOK" cod)
	before=$(snapshot)
	start_payment "$OTHER_TOK" "$g" vnpay
	assert_error 404 order_not_found
	start_payment "$MA_TOK" "$g" vietqr
	assert_error 404 order_not_found
	start_payment "$ADM_TOK" "$g" momo
	assert_error 404 order_not_found
	start_payment "" "$g" vnpay
	assert_error 401 unauthenticated
	start_payment "$BUYER_TOK" 999999999999 vnpay
	assert_error 404 order_not_found
	start_payment "$BUYER_TOK" "$g" paypal
	assert_error 400 invalid_choice provider
	TOKEN=$BUYER_TOK api POST "/api/v1/order-groups/$g/payments" '{"provider":"vnpay","amount_vnd":1}'
	assert_error 400 unknown_field
	TOKEN=$BUYER_TOK api POST "/api/v1/order-groups/$g/payments" '{}'
	assert_error 400 required provider
	start_payment "$BUYER_TOK" "$cod" vnpay
	assert_error 409 cod_not_payable
	TOKEN=$BUYER_TOK api GET "/api/v1/order-groups/$g/payments"
	assert_error 405 method_not_allowed
	assert_unchanged "$before"
	start_payment "$BUYER_TOK" "$g" vnpay
	[ "$code" = 201 ]
}

@test "admin reconciliation: per provider, money received, matched, mismatches and duplicates of the day" {
	local today g1 g2 ref1 ref2 url1 url2 total1 total2 before after d
	today=$(TZ=Asia/Ho_Chi_Minh date +%F)
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation?date=$today&provider=vnpay"
	[ "$code" = 200 ]
	before=$body
	[ "$(jq -r '.date + " " + (.providers | map(.provider) | join(","))' <<<"$before")" = "$today vnpay" ]
	g1=$(place_order "$BUYER_TOK" vnpay)
	g2=$(place_order "$BUYER_TOK" vnpay "$PROD_A")
	total1=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g1")
	total2=$(sql "SELECT sum(total_vnd) FROM san.orders WHERE group_id = $g2")
	new_payment "$g1" vnpay
	url1=$(jq -r .payment_url <<<"$body")
	ref1=$(jq -r .txn_ref <<<"$body")
	new_payment "$g2" vnpay
	url2=$(jq -r .payment_url <<<"$body")
	ref2=$(jq -r .txn_ref <<<"$body")
	"$PAYSIM" vnpay-pay "$url1" --transaction-no 9${RUN}1501 >/dev/null	# matched, 2 orders
	"$PAYSIM" vnpay-pay "$url1" --transaction-no 9${RUN}1501 >/dev/null	# duplicate
	"$PAYSIM" vnpay-pay "$url2" --amount-override $(( (total2 + 7000) * 100 )) --transaction-no 9${RUN}1502 >/dev/null	# mismatch
	"$PAYSIM" vnpay-pay "$url2" --tamper >/dev/null				# unverified
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation?date=$today&provider=vnpay"
	[ "$code" = 200 ]
	after=$body
	d=$(jq -rn --argjson a "$after" --argjson b "$before" '
		$a.providers[0] as $x | $b.providers[0] as $y | [
		$x.callbacks - $y.callbacks,
		$x.received.count - $y.received.count,
		$x.received.amount_vnd - $y.received.amount_vnd,
		$x.matched.count - $y.matched.count,
		$x.matched.amount_vnd - $y.matched.amount_vnd,
		$x.matched.orders - $y.matched.orders,
		$x.mismatches.count - $y.mismatches.count,
		$x.mismatches.amount_vnd - $y.mismatches.amount_vnd,
		$x.duplicates - $y.duplicates,
		$x.rejected_unverified - $y.rejected_unverified] | map(tostring) | join(" ")')
	[ "$d" = "4 2 $((total1 + total2 + 7000)) 1 $total1 2 1 $((total2 + 7000)) 1 1" ]
	# The mismatch, with what was expected, to refund or investigate.
	[ "$(jq -r --arg r "$ref2" '.providers[0].mismatch_list[] | select(.txn_ref == $r) |
	    [.reason, .amount_vnd, .expected_vnd, .group_id, .payment_status] | map(tostring) | join(" ")' <<<"$after")" = \
	    "amount_mismatch $((total2 + 7000)) $total2 $g2 pending" ]
	# Another day is empty; all providers by default.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation?date=2001-02-03"
	[ "$code" = 200 ]
	[ "$(jq -r '[.providers[] | .provider + ":" + (.callbacks | tostring)] | join(" ")' <<<"$body")" = "momo:0 vietqr:0 vnpay:0" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation"
	[ "$code" = 200 ]
	[ "$(jq -r .date <<<"$body")" = "$today" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation?date=2026-02-30"
	assert_error 400 invalid_date date
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/reconciliation?provider=paypal"
	assert_error 400 invalid_choice provider
}

@test "admin only: reconciliation and callbacks answer 404 to others and 401 to anonymous" {
	local t path
	for path in /api/v1/admin/payments/reconciliation /api/v1/admin/payments/callbacks; do
		for t in "$BUYER_TOK" "$MA_TOK" "$OFF_TOK"; do
			TOKEN=$t api GET "$path"
			assert_error 404 not_found
		done
		TOKEN= api GET "$path"
		assert_error 401 unauthenticated
	done
}

@test "admin callbacks: rejected ones listed newest first with keyset pages, without secrets" {
	local first next ids2 i
	# Two refusals of our own (no signature), so the list has them.
	for i in 1 2; do
		TOKEN= api POST /api/v1/payments/bank/webhook '{"transaction_id":"x","reference":"y","amount_vnd":1}'
		assert_error 401 bad_signature
	done
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/callbacks?outcome=rejected&limit=2"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" = 2 ]
	[ "$(jq -r '[.items[].outcome] | unique | join(",")' <<<"$body")" = rejected ]
	first=$(jq -r '[.items[].id] | join(" ")' <<<"$body")
	next=$(jq -r .next <<<"$body")
	[ "$next" = "$(jq -r '.items[1].id' <<<"$body")" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/callbacks?outcome=rejected&limit=2&after=$next"
	[ "$code" = 200 ]
	ids2=$(jq -r '[.items[].id] | join(" ")' <<<"$body")
	[ -n "$ids2" ]
	[ "$(jq -r --argjson n "$next" '[.items[].id | select(. >= $n)] | length' <<<"$body")" = 0 ]
	# Reasons are recorded; signatures and keys never are.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/callbacks?limit=100"
	[ "$code" = 200 ]
	[ "$(jq '.items | length' <<<"$body")" -ge 3 ]
	[ "$(grep -Eci '[0-9a-f]{64}' <<<"$body")" = 0 ]
	[ "$(grep -cF -e "$VNPAY_HASH_SECRET" -e "$MOMO_SECRET_KEY" -e "$BANK_WEBHOOK_SECRET" <<<"$body")" = 0 ]
	[ -s "$SAN_SERVER_LOG" ]
	[ "$(grep -cF -e "$VNPAY_HASH_SECRET" -e "$MOMO_SECRET_KEY" -e "$BANK_WEBHOOK_SECRET" -e vnp_SecureHash "$SAN_SERVER_LOG")" = 0 ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/callbacks?provider=momo&outcome=applied"
	[ "$(jq -r '[.items[] | .provider + "/" + .outcome] | unique | join(",")' <<<"$body")" = momo/applied ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments/callbacks?outcome=lost"
	assert_error 400 invalid_choice outcome
}

@test "admin payments list (issue 9): newest first, by status, provider and Vietnam days, keyset; 404 to non-admins" {
	local g p1 p2 today
	g=$(place_order "$BUYER_TOK" vnpay)
	new_payment "$g" vnpay
	p1=$(sql "SELECT max(id) FROM san.payments WHERE group_id = $g")
	new_payment "$g" momo
	p2=$(sql "SELECT max(id) FROM san.payments WHERE group_id = $g")
	today=$(TZ=Asia/Ho_Chi_Minh date +%F)
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?from=$today&to=$today&limit=2"
	[ "$code" = 200 ]
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$p2,$p1]" ]
	[ "$(jq -r .next <<<"$body")" = "$p1" ]
	[ "$(jq -r '.items[0].provider + " " + .items[0].status + " " + (.items[0].group_id|tostring)' <<<"$body")" = "momo pending $g" ]
	[ "$(jq -r '.items[1].status' <<<"$body")" = failed ] || [ "$(jq -r '.items[1].status' <<<"$body")" = pending ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?provider=vnpay&after=$p2&limit=1"
	[ "$(jq -c '[.items[].id]' <<<"$body")" = "[$p1]" ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?provider=momo&status=paid&from=$today"
	[ "$(jq --argjson p "$p2" '[.items[].id] | index($p)' <<<"$body")" = null ]
	# Yesterday and before hold neither.
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?to=$(TZ=Asia/Ho_Chi_Minh date -d yesterday +%F)"
	[ "$code" = 200 ]
	[ "$(jq --argjson p "$p1" '[.items[].id] | index($p)' <<<"$body")" = null ]
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?from=$today&to=2020-01-01"
	assert_error 400 invalid_range to
	TOKEN=$ADM_TOK api GET "/api/v1/admin/payments?status=refunded"
	assert_error 400 invalid_choice status
	TOKEN=$OFF_TOK api GET /api/v1/admin/payments
	assert_error 404 not_found
	TOKEN=$BUYER_TOK api GET /api/v1/admin/payments
	assert_error 404 not_found
	TOKEN= api GET /api/v1/admin/payments
	assert_error 401 unauthenticated
}
