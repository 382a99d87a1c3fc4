#!/usr/bin/env bats
# Cart, shipping methods, checkout and the order lifecycle (issue 4):
# live cart prices and problems; totals computed by the server only (client
# prices refused, never used), price snapshots, the multi-store split and
# per-store shipping fees (flat, weight tiers, free above a threshold,
# chosen methods); stock taken exactly once and never partially;
# idempotent checkout (also under concurrency); the state machine for every
# action x state x role; stock restored exactly once by cancellation and
# expiry (job and direct call); who may see what (404 for others, 401
# anonymous); e-invoice references and their CSV export.  Every refused
# request leaves the database unchanged.
#
# Payments are another suite's: an online order is put into 'paid' here
# directly in SQL (mark_paid), the way a confirmed payment leaves it.
load helpers

setup_file() {
	local id tok biz slug
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Cà phê Đất Đỏ")
	export MA_ID=$id MA_TOK=$tok MA_BIZ=$biz SA=$slug
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Bến Tre" "Bến Tre")
	export MB_ID=$id MB_TOK=$tok MB_BIZ=$biz SB=$slug
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_ID=$id BUYER_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email other-buyer)")
	export OTHER_ID=$id OTHER_TOK=$tok
	export CAT; CAT=$(category_id ca-phe)
	export ADDR; ADDR=$(address_json)
	# Store A ships for a flat 30 000 VND, store B for 20 000 VND.
	export SA_SHIP SB_SHIP
	SA_SHIP=$(shipping_flat "$MA_TOK" "$SA" 30000)
	SB_SHIP=$(shipping_flat "$MB_TOK" "$SB" 20000)
	local v
	for v in MA_TOK SA MB_TOK SB BUYER_TOK OTHER_TOK CAT ADDR SA_SHIP SB_SHIP; do
		[ -n "${!v}" ] && [ "${!v}" != null ] ||
		    { echo "set-up failed: $v" >&2; return 1; }
	done
}

# listed_product TOKEN STORE PRICE STOCK [WEIGHT_G]: a new listed product;
# prints its id.
listed_product() {
	new_product "$1" "$2" "$(product_body "$CAT" "Cà phê Robusta lô $RANDOM" "$3" \
	    "$(jq -nc --argjson s "$4" --argjson w "${5:-1000}" \
	    '{status:"active", stock:$s, weight_g:$w}')")"
}

stock_of() {
	sql "SELECT stock FROM san.products WHERE id = $1"
}

status_of() {
	sql "SELECT status FROM san.orders WHERE id = $1"
}

# mark_paid ORDER...: what a confirmed payment leaves behind, set directly
# in SQL (the payment flow itself is tested by the payments suite).
mark_paid() {
	local ids
	ids=$(IFS=,; echo "$*")
	sql "UPDATE san.orders SET status = 'paid', paid_at = now()
	      WHERE id IN ($ids) AND status = 'pending_payment'
	  RETURNING id" | wc -l | grep -qx "$#"
}

# events ORDER: the order's history from the database, one
# "actor_role actor_id from>to" per line.
events() {
	sql "SELECT actor_role || ' ' || COALESCE(actor_id::text, '-') || ' ' ||
	        COALESCE(from_status, '-') || '>' || to_status
	       FROM san.order_events WHERE order_id = $1 ORDER BY id"
}

# expire_now: runs the expiry function until no overdue unpaid group is
# left (the job may hold its lock at that moment: then it does the work).
expire_now() {
	local i
	for i in $(seq 50); do
		sql "SELECT api.orders_expire(100)" >/dev/null
		[ "$(sql "SELECT count(*) FROM san.order_groups WHERE paid_at IS NULL
		    AND pay_by IS NOT NULL AND pay_by < now()")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# quick METHOD PATH TOKEN [JSON [curl args...]]: like api, in one process
# (the state machine tests make hundreds of requests); sets $code, $body
# and $errc (error.code, empty on success).
quick() {
	local method=$1 path=$2 tok=$3 data=${4:-} out
	shift 4 2>/dev/null || shift $#
	local args=(-s -X "$method" -w '\n%{http_code}')
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	if [ -n "$data" ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$data")
	else
		args+=(-H 'Content-Length: 0')
	fi
	out=$(curl "${args[@]}" "$@" "$SAN_URL$path")
	code=${out##*$'\n'}
	body=${out%$'\n'*}
	errc=
	[[ $body =~ ^\{\"error\":\{\"code\":\"([a-z_]+)\" ]] && errc=${BASH_REMATCH[1]}
	return 0
}

# action_body ACTION: the body each action is sent with in the state
# machine tests: what the action needs when it is allowed (tracking
# number, cash, a reason, an amount within the 130 000 VND total of the
# orders of order_at).
action_body() {
	case $1 in
	ship) echo '{"action":"ship","carrier":"vnpost","tracking_no":"EB123456789VN"}' ;;
	deliver) echo '{"action":"deliver","cash_collected_vnd":130000}' ;;
	cancel) echo '{"action":"cancel","note":"Khách đổi ý"}' ;;
	refund) echo '{"action":"refund","amount_vnd":10000}' ;;
	*) echo "{\"action\":\"$1\"}" ;;
	esac
}

# advance ORDER ACTION...: each action as the lifecycle's actor (the buyer
# completes and cancels, the merchant does the rest); fails on non-200.
advance() {
	local o=$1 a tok
	shift
	for a in "$@"; do
		case $a in complete|cancel) tok=$BUYER_TOK ;; *) tok=$MA_TOK ;; esac
		quick POST "/api/v1/orders/$o/actions" "$tok" "$(action_body "$a")"
		[ "$code" = 200 ] || { echo "advance $o $a: $code $body" >&2; return 1; }
	done
}

# order_at STATE PRODUCT: a new order of BUYER for 2 units of PRODUCT
# (store A, price 50 000: total 130 000 with shipping), brought to STATE
# through the API (SQL for 'paid', and for the pay_by the expiry acts on);
# prints the order id.  COD for 'placed', VNPay otherwise.
order_at() {
	local state=$1 pm=vnpay g o
	[ "$state" = placed ] && pm=cod
	quick POST /api/v1/orders "$BUYER_TOK" \
	    "{\"items\":[{\"product_id\":$2,\"qty\":2}],\"payment_method\":\"$pm\",\"shipping_address\":$ADDR}" \
	    -H "Idempotency-Key: $(uniq_key)"
	[ "$code" = 201 ] || { echo "order_at: $code $body" >&2; return 1; }
	read -r g o < <(jq -r '"\(.group_id) \(.orders[0].id)"' <<<"$body")
	case $state in
	pending_payment|placed) ;;
	expired)
		sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $g"
		expire_now || return 1 ;;
	paid) mark_paid "$o" || return 1 ;;
	confirmed) mark_paid "$o" && advance "$o" confirm || return 1 ;;
	shipped) mark_paid "$o" && advance "$o" confirm ship || return 1 ;;
	delivered) mark_paid "$o" && advance "$o" confirm ship deliver || return 1 ;;
	completed) mark_paid "$o" && advance "$o" confirm ship deliver complete || return 1 ;;
	cancelled) mark_paid "$o" && advance "$o" cancel || return 1 ;;
	refunded) mark_paid "$o" && advance "$o" confirm ship deliver refund || return 1 ;;
	*) echo "order_at: unknown state $state" >&2; return 1 ;;
	esac
	[ "$(status_of "$o")" = "$state" ] || { echo "order_at: not $state" >&2; return 1; }
	echo "$o"
}

# order_in STATE: order_at for a new product (stock 10, so 8 left once
# ordered); prints "order product".
order_in() {
	local p o
	p=$(listed_product "$MA_TOK" "$SA" 50000 10) || return 1
	o=$(order_at "$1" "$p") || return 1
	echo "$o $p"
}

# lifecycle ACTION FROM ROLE: the state the issue's lifecycle leads to, or
# nothing when the action is not allowed.  Written from the issue, not
# from the server: confirm after payment (or COD placement), ship, deliver
# by the merchant; the buyer completes; both may cancel until the parcel
# leaves; the merchant refunds once money was received (paid and then
# cancelled, delivered, completed).
lifecycle() {
	case "$1:$2:$3" in
	confirm:placed:merchant | confirm:paid:merchant) echo confirmed ;;
	ship:confirmed:merchant) echo shipped ;;
	deliver:shipped:merchant) echo delivered ;;
	complete:delivered:buyer) echo completed ;;
	cancel:pending_payment:* | cancel:placed:* | cancel:paid:* | cancel:confirmed:*)
		echo cancelled ;;
	refund:cancelled:merchant | refund:delivered:merchant | refund:completed:merchant)
		echo refunded ;;
	esac
}

# state_machine_from STATE: every action by every role on an order in
# STATE: outsiders are refused (401 anonymous, 404 other buyer and other
# merchant), the buyer and the merchant are refused with 409 unless the
# lifecycle allows them, then succeed; the database is unchanged after
# each refusal and shows the new status, the event (who, from, to) and the
# stock (back by 2 when cancelled, else untouched) after each success.
# Reports every failing combination, not just the first.
state_machine_from() {
	local state=$1 a role next o p before tok data i want fails=() got stock
	local -a roles
	p=$(listed_product "$MA_TOK" "$SA" 50000 100)
	for a in confirm ship deliver complete cancel refund; do
		if ! o=$(order_at "$state" "$p"); then
			fails+=("$state/$a: set-up failed")
			continue
		fi
		data=$(action_body "$a")
		before=$(snapshot)
		for role in anonymous other_buyer other_merchant; do
			case $role in
			anonymous) tok=""; want="401 unauthenticated" ;;
			other_buyer) tok=$OTHER_TOK; want="404 order_not_found" ;;
			other_merchant) tok=$MB_TOK; want="404 order_not_found" ;;
			esac
			quick POST "/api/v1/orders/$o/actions" "$tok" "$data"
			[ "$code $errc" = "$want" ] ||
			    fails+=("$state/$a by $role: expected $want, got $code ${body:0:160}")
		done
		# (One comparison for the three: a change would not undo itself.)
		[ "$(snapshot)" = "$before" ] ||
		    fails+=("$state/$a by an outsider: refused but the database changed")
		roles=()
		for role in buyer merchant; do
			if [ -n "$(lifecycle "$a" "$state" "$role")" ]; then
				roles+=("$role")
				continue
			fi
			[ $role = buyer ] && tok=$BUYER_TOK || tok=$MA_TOK
			quick POST "/api/v1/orders/$o/actions" "$tok" "$data"
			[ "$code $errc" = "409 transition_not_allowed" ] ||
			    fails+=("$state/$a by $role: expected 409 transition_not_allowed, got $code ${body:0:160}")
			[ "$(snapshot)" = "$before" ] ||
			    fails+=("$state/$a by $role: refused but the database changed")
		done
		i=0
		for role in "${roles[@]}"; do
			# Cancelling is open to both: a second order for the second.
			if [ $i -gt 0 ] && ! o=$(order_at "$state" "$p"); then
				fails+=("$state/$a: set-up failed")
				continue
			fi
			i=$((i + 1))
			next=$(lifecycle "$a" "$state" "$role")
			[ $role = buyer ] && tok=$BUYER_TOK || tok=$MA_TOK
			stock=$(stock_of "$p")
			[ "$next" = cancelled ] && stock=$((stock + 2))
			quick POST "/api/v1/orders/$o/actions" "$tok" "$data"
			got=$(jq -r '"\(.status) \(.history[-1] | "\(.by) \(.from)>\(.to)")"' <<<"$body" 2>/dev/null)
			if [ "$code" != 200 ] || [ "$got" != "$next $role $state>$next" ]; then
				fails+=("$state/$a by $role: expected 200 $next, got $code ${body:0:160}")
				continue
			fi
			got=$(sql "SELECT o.status || ' ' || p.stock || ' ' || (SELECT e.actor_role
			    || ' ' || e.actor_id || ' ' || e.from_status || '>' || e.to_status
			    FROM san.order_events e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1)
			    FROM san.orders o, san.products p WHERE o.id = $o AND p.id = $p")
			[ "$got" = "$next $stock $role $([ $role = buyer ] && echo "$BUYER_ID" || echo "$MA_ID") $state>$next" ] ||
			    fails+=("$state/$a by $role: database shows '$got' (status stock event)")
		done
	done
	if [ ${#fails[@]} -gt 0 ]; then
		printf '%s\n' "${fails[@]}"
		return 1
	fi
}

# --- Cart ----------------------------------------------------------------

@test "cart: add, change, remove; live price and stock; problems flagged" {
	local p q before BUYER_ID BUYER_TOK
	read -r BUYER_ID BUYER_TOK < <(new_account "$(uniq_email cart)")
	p=$(listed_product "$MA_TOK" "$SA" 50000 5)
	q=$(listed_product "$MB_TOK" "$SB" 12000 100 500)
	TOKEN= api GET /api/v1/cart
	assert_error 401 unauthenticated
	TOKEN=$BUYER_TOK api GET /api/v1/cart
	[ "$code" = 200 ]
	[ "$(jq -c . <<<"$body")" = '{"items":[],"total_vnd":0}' ]

	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":2}'
	[ "$code" = 200 ]
	[ "$(jq -r '.items[0] | [.product_id, .qty, .unit_price_vnd, .line_total_vnd, .stock, .problem, .store.slug] | map(tostring) | join(" ")' <<<"$body")" = \
	    "$p 2 50000 100000 5 null $SA" ]
	[ "$(jq -r .total_vnd <<<"$body")" = 100000 ]
	[ "$(sql "SELECT qty FROM san.cart_items WHERE account_id = $BUYER_ID AND product_id = $p")" = 2 ]
	# PUT sets the quantity (it does not add to it).
	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":3}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT qty FROM san.cart_items WHERE account_id = $BUYER_ID AND product_id = $p")" = 3 ]
	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$q" '{"qty":10}'
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].product_id] | map(tostring) | join(",")' <<<"$body")" = "$p,$q" ]
	[ "$(jq -r .total_vnd <<<"$body")" = $((3 * 50000 + 10 * 12000)) ]

	# The merchant changes the price: the cart shows the new one.
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"price_vnd":55000}'
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '.items[] | select(.product_id == $p) | "\(.unit_price_vnd) \(.line_total_vnd)"' <<<"$body")" = "55000 165000" ]
	[ "$(jq -r .total_vnd <<<"$body")" = $((3 * 55000 + 10 * 12000)) ]

	# More than the stock is kept, and flagged.
	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":6}'
	[ "$code" = 200 ]
	[ "$(jq -r --argjson p "$p" '.items[] | select(.product_id == $p) | "\(.qty) \(.stock) \(.problem)"' <<<"$body")" = "6 5 insufficient_stock" ]
	# Stock comes back: the flag goes.
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"stock":6}'
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '.items[] | select(.product_id == $p) | .problem' <<<"$body")" = null ]
	# Hidden by the merchant: unavailable, out of the total.
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"status":"hidden"}'
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '.items[] | select(.product_id == $p) | .problem' <<<"$body")" = unavailable ]
	[ "$(jq -r .total_vnd <<<"$body")" = 120000 ]
	# ... and cannot be added again or changed.
	before=$(snapshot)
	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":1}'
	assert_error 404 product_not_found
	assert_unchanged "$before"
	[ "$(sql "SELECT qty FROM san.cart_items WHERE account_id = $BUYER_ID AND product_id = $p")" = 6 ]

	# Remove; removing again is harmless.
	TOKEN=$BUYER_TOK api DELETE "/api/v1/cart/items/$p"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].product_id] | map(tostring) | join(",")' <<<"$body")" = "$q" ]
	[ "$(sql "SELECT count(*) FROM san.cart_items WHERE account_id = $BUYER_ID AND product_id = $p")" = 0 ]
	TOKEN=$BUYER_TOK api DELETE "/api/v1/cart/items/$p"
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api DELETE "/api/v1/cart/items/$q"
	[ "$code" = 200 ]
	[ "$(sql "SELECT count(*) FROM san.cart_items WHERE account_id = $BUYER_ID")" = 0 ]
}

@test "cart: unlisted or unknown products are 404; bad quantities are 400; nothing changes" {
	local p draft before q
	p=$(listed_product "$MA_TOK" "$SA" 50000 5)
	draft=$(new_product "$MA_TOK" "$SA" "$(product_body "$CAT" "Bản nháp" 10000)")
	[ "$(sql "SELECT listed FROM san.products WHERE id = $draft")" = f ]
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":1}'
	[ "$code" = 200 ]
	before=$(snapshot)
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$draft" '{"qty":1}'
	assert_error 404 product_not_found
	TOKEN=$OTHER_TOK api PUT /api/v1/cart/items/999999999999 '{"qty":1}'
	assert_error 404 product_not_found
	TOKEN=$OTHER_TOK api PUT /api/v1/cart/items/0 '{"qty":1}'
	[ "$code" = 404 ]
	for q in '{"qty":0}' '{"qty":1000}' '{"qty":-1}' '{"qty":"2"}' '{"qty":1.5}' \
	    '{"qty":null}' '{}' '{"qty":2,"price_vnd":1}' '[2]'; do
		TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" "$q"
		[ "$code" = 400 ] || { echo "qty $q: $code $body"; return 1; }
		assert_unchanged "$before"
	done
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":0}'
	expect_error 400 out_of_range qty
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":1000}'
	expect_error 400 out_of_range qty
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":"2"}'
	expect_error 400 not_an_integer qty
	TOKEN= api PUT "/api/v1/cart/items/$p" '{"qty":1}'
	assert_error 401 unauthenticated
	TOKEN= api DELETE "/api/v1/cart/items/$p"
	assert_error 401 unauthenticated
	assert_unchanged "$before"
	# The bounds themselves are fine.
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":999}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT qty FROM san.cart_items WHERE account_id = $OTHER_ID AND product_id = $p")" = 999 ]
	TOKEN=$OTHER_TOK api DELETE "/api/v1/cart/items/$p"
	[ "$code" = 200 ]
}

@test "cart: each buyer sees and edits only their own cart" {
	local p
	p=$(listed_product "$MA_TOK" "$SA" 70000 5)
	TOKEN=$BUYER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":2}'
	[ "$code" = 200 ]
	TOKEN=$OTHER_TOK api GET /api/v1/cart
	[ "$code" = 200 ]
	[ "$(jq -r --argjson p "$p" '[.items[] | select(.product_id == $p)] | length' <<<"$body")" = 0 ]
	# The other buyer's DELETE touches only their own (empty) cart.
	TOKEN=$OTHER_TOK api DELETE "/api/v1/cart/items/$p"
	[ "$code" = 200 ]
	[ "$(sql "SELECT qty FROM san.cart_items WHERE account_id = $BUYER_ID AND product_id = $p")" = 2 ]
	# The other buyer's PUT makes their own line.
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":1}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT string_agg(account_id || ':' || qty, ',' ORDER BY qty) FROM san.cart_items WHERE product_id = $p")" = \
	    "$OTHER_ID:1,$BUYER_ID:2" ]
	TOKEN=$BUYER_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '.items[] | select(.product_id == $p) | .qty' <<<"$body")" = 2 ]
	# The merchant selling it sees neither.
	TOKEN=$MA_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '[.items[] | select(.product_id == $p)] | length' <<<"$body")" = 0 ]
	TOKEN=$BUYER_TOK api DELETE "/api/v1/cart/items/$p"
	TOKEN=$OTHER_TOK api DELETE "/api/v1/cart/items/$p"
	[ "$(sql "SELECT count(*) FROM san.cart_items WHERE product_id = $p")" = 0 ]
}

@test "cart: at most cart_max_items (100) different products; changing a quantity in a full cart is fine" {
	local id tok p ids before
	read -r id tok < <(new_account "$(uniq_email full-cart)")
	[ "$(sql "SELECT value FROM san.settings WHERE key = 'cart_max_items'")" = 100 ]
	p=$(listed_product "$MA_TOK" "$SA" 1000 5)
	# Set-up in SQL: 101 more listed products of store A, 99 in the cart.
	ids=$(sql "INSERT INTO san.products (store_id, category_id, name, price_vnd, unit, stock, status)
		SELECT store_id, category_id, 'Sản phẩm giỏ đầy ' || g, 1000, 'kg', 5, 'active'
		  FROM san.products, generate_series(1, 101) g WHERE id = $p
		RETURNING id" | tr '\n' ' ')
	read -ra ids <<<"$ids"
	[ "${#ids[@]}" = 101 ]
	sql "INSERT INTO san.cart_items (account_id, product_id, qty)
	     SELECT $id, unnest('{$(IFS=,; echo "${ids[*]:0:99}")}'::bigint[]), 1"
	TOKEN=$tok api PUT "/api/v1/cart/items/${ids[99]}" '{"qty":1}'
	[ "$code" = 200 ]
	[ "$(jq -r '.items | length' <<<"$body")" = 100 ]
	before=$(snapshot)
	TOKEN=$tok api PUT "/api/v1/cart/items/${ids[100]}" '{"qty":1}'
	assert_error 409 cart_full
	assert_unchanged "$before"
	TOKEN=$tok api PUT "/api/v1/cart/items/${ids[0]}" '{"qty":4}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT count(*) || ' ' || sum(qty) FROM san.cart_items WHERE account_id = $id")" = "100 103" ]
}

# --- Shipping methods ----------------------------------------------------

@test "shipping methods: public list, members replace them, bad rules refused" {
	local id tok biz slug before old
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Vận chuyển")
	TOKEN= api GET "/api/v1/stores/$slug/shipping-methods"
	[ "$code" = 200 ]
	# A new store opens with the floor's default (san.settings).
	[ "$(jq -r '[.items[] | "\(.carrier)/\(.fee_rule)/\(.fee_vnd)"] | join(" ")' <<<"$body")" = own/flat/30000 ]
	shipping_put "$tok" "$slug" '[{"carrier":"own","name":"Tự giao trong tỉnh","fee_rule":"flat","fee_vnd":15000,"free_over_vnd":300000},
	    {"carrier":"vnpost","name":"Bưu điện","fee_rule":"weight","weight_tiers":[{"up_to_g":1000,"fee_vnd":20000},{"up_to_g":5000,"fee_vnd":45000}]}]'
	[ "$code" = 200 ]
	TOKEN= api GET "/api/v1/stores/$slug/shipping-methods"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[] | "\(.carrier)/\(.fee_rule)/\(.fee_vnd)/\(.free_over_vnd)/\(.weight_tiers | length)"] | join(" ")' <<<"$body")" = \
	    "own/flat/15000/300000/0 vnpost/weight/0/null/2" ]
	old=$(jq -r '.items[0].id' <<<"$body")
	[ "$(sql "SELECT count(*) FROM san.shipping_methods m JOIN san.stores s ON s.id = m.store_id WHERE s.slug = '$slug' AND m.active")" = 2 ]

	before=$(snapshot)
	# Outsiders: 401 / 404.
	TOKEN= shipping_put "" "$slug" '[{"carrier":"own","name":"x","fee_rule":"flat","fee_vnd":1}]'
	assert_error 401 unauthenticated
	shipping_put "$BUYER_TOK" "$slug" '[{"carrier":"own","name":"x","fee_rule":"flat","fee_vnd":1}]'
	assert_error 404 store_not_found
	shipping_put "$MA_TOK" "$slug" '[{"carrier":"own","name":"x","fee_rule":"flat","fee_vnd":1}]'
	assert_error 404 store_not_found
	# Bad rules.
	shipping_put "$tok" "$slug" '[{"carrier":"dhl","name":"x","fee_rule":"flat","fee_vnd":1}]'
	expect_error 400 invalid_choice 'methods[0].carrier'
	shipping_put "$tok" "$slug" '[{"carrier":"ghn","name":"x","fee_rule":"flat","fee_vnd":-1}]'
	expect_error 400 out_of_range 'methods[0].fee_vnd'
	shipping_put "$tok" "$slug" '[{"carrier":"ghn","name":"x","fee_rule":"weight","weight_tiers":[{"up_to_g":2000,"fee_vnd":1},{"up_to_g":1000,"fee_vnd":2}]}]'
	expect_error 422 invalid_weight_tiers 'methods[0].weight_tiers'
	shipping_put "$tok" "$slug" '[{"carrier":"ghn","name":"x","fee_rule":"weight"}]'
	expect_error 422 invalid_weight_tiers 'methods[0].weight_tiers'
	shipping_put "$tok" "$slug" '[{"carrier":"ghn","name":"x","fee_rule":"flat","fee_vnd":1,"weight_tiers":[{"up_to_g":1000,"fee_vnd":1}]}]'
	expect_error 422 invalid_weight_tiers 'methods[0].weight_tiers'
	shipping_put "$tok" "$slug" '[{"carrier":"ghn","name":"x","fee_rule":"flat","fee_vnd":1,"price":2}]'
	expect_error 400 unknown_field 'methods[0]'
	shipping_put "$tok" "$slug" '[]'
	[ "$code" = 400 ]
	assert_unchanged "$before"

	# Replacing keeps the old rows (old orders refer to them), inactive.
	shipping_put "$tok" "$slug" '[{"carrier":"ghtk","name":"Giao tiết kiệm","fee_rule":"flat","fee_vnd":22000}]'
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].carrier] | join(",")' <<<"$body")" = ghtk ]
	[ "$(sql "SELECT active FROM san.shipping_methods WHERE id = $old")" = f ]
}

# --- Checkout ------------------------------------------------------------

@test "checkout: client-sent prices and totals are refused (unknown_field) and nothing changes" {
	local p good before
	p=$(listed_product "$MA_TOK" "$SA" 45000 10)
	good=$(order_body "$(items_json "$p" 3)" cod)
	before=$(snapshot)
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(jq -c '.items[0].unit_price_vnd = 1' <<<"$good")" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_field 'items[0]'
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(jq -c '.items[0].price_vnd = 1' <<<"$good")" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_field 'items[0]'
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(jq -c '.total_vnd = 1' <<<"$good")" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_field
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(jq -c '.shipping_fee_vnd = 0' <<<"$good")" -H "Idempotency-Key: $(uniq_key)"
	expect_error 400 unknown_field
	assert_unchanged "$before"
	[ "$(stock_of "$p")" = 10 ]
}

@test "checkout: totals are the server's; the line price is a snapshot that survives a price change" {
	local p g o
	p=$(listed_product "$MA_TOK" "$SA" 45000 10)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 3)" cod
	[ "$code" = 201 ]
	g=$(jq -r .group_id <<<"$body")
	o=$(jq -r '.orders[0].id' <<<"$body")
	[ "$(jq -r '[.total_vnd, .payment_method, .pay_by, (.orders | length)] | map(tostring) | join(" ")' <<<"$body")" = "165000 cod null 1" ]
	[ "$(jq -r '.orders[0] | [.status, .subtotal_vnd, .shipping_fee_vnd, .total_vnd, .store.slug, .shipping.method_id, .shipping.carrier] | map(tostring) | join(" ")' <<<"$body")" = \
	    "placed 135000 30000 165000 $SA $SA_SHIP ghn" ]
	[ "$(jq -r '.orders[0].lines[0] | [.product_id, .qty, .unit_price_vnd, .line_total_vnd] | map(tostring) | join(" ")' <<<"$body")" = \
	    "$p 3 45000 135000" ]
	[ "$(sql "SELECT subtotal_vnd || ' ' || shipping_fee_vnd || ' ' || total_vnd || ' ' || status || ' ' || group_id FROM san.orders WHERE id = $o")" = \
	    "135000 30000 165000 placed $g" ]
	[ "$(sql "SELECT total_vnd || ' ' || buyer_id || ' ' || (pay_by IS NULL) FROM san.order_groups WHERE id = $g")" = "165000 $BUYER_ID true" ]
	[ "$(sql "SELECT unit_price_vnd || ' ' || qty || ' ' || line_total_vnd FROM san.order_lines WHERE order_id = $o")" = "45000 3 135000" ]
	[ "$(sql "SELECT shipping_address->>'recipient' || ' ' || (shipping_address->>'phone') FROM san.order_groups WHERE id = $g")" = \
	    "Nguyễn Thị Mai +84912345678" ]
	[ "$(events "$o")" = "buyer $BUYER_ID ->placed" ]

	# A later price change does not touch the order.
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"price_vnd":99000}'
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api GET "/api/v1/orders/$o"
	[ "$code" = 200 ]
	[ "$(jq -r '[.lines[0].unit_price_vnd, .lines[0].line_total_vnd, .subtotal_vnd, .total_vnd] | map(tostring) | join(" ")' <<<"$body")" = \
	    "45000 135000 135000 165000" ]
	[ "$(sql "SELECT unit_price_vnd FROM san.order_lines WHERE order_id = $o")" = 45000 ]
	# The next order pays the new price.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0].lines[0].unit_price_vnd' <<<"$body")" = 99000 ]
	[ "$(jq -r .total_vnd <<<"$body")" = 129000 ]
}

@test "checkout: online payment starts pending_payment with pay_by = order_payment_timeout later (30 min by default); COD starts placed" {
	local p g
	p=$(listed_product "$MA_TOK" "$SA" 20000 10)
	for pm in vnpay momo vietqr; do
		place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" $pm
		[ "$code" = 201 ]
		g=$(jq -r .group_id <<<"$body")
		[ "$(jq -r '[.payment_method, .orders[0].status, .orders[0].payment_method] | join(" ")' <<<"$body")" = "$pm pending_payment $pm" ]
		[ "$(jq -r .pay_by <<<"$body")" != null ]
		[ "$(sql "SELECT payment_method || ' ' || (pay_by - created_at = san.setting('order_payment_timeout')::interval) FROM san.order_groups WHERE id = $g")" = "$pm true" ]
		# The pay_by answered is the one stored.
		[ "$(sql "SELECT pay_by = '$(jq -r .pay_by <<<"$body")'::timestamptz FROM san.order_groups WHERE id = $g")" = t ]
	done
	[ "$(stock_of "$p")" = 7 ]
}

@test "checkout: items from two stores make two orders in one group, each with its store's shipping fee" {
	local pa pb g oa ob
	pa=$(listed_product "$MA_TOK" "$SA" 40000 10)
	pb=$(listed_product "$MB_TOK" "$SB" 100000 10)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$pb" 1 "$pa" 2)" vnpay
	[ "$code" = 201 ]
	g=$(jq -r .group_id <<<"$body")
	[ "$(jq -r '.orders | length' <<<"$body")" = 2 ]
	[ "$(jq -r .total_vnd <<<"$body")" = $((2 * 40000 + 30000 + 100000 + 20000)) ]
	oa=$(jq -r --arg s "$SA" '.orders[] | select(.store.slug == $s) | .id' <<<"$body")
	ob=$(jq -r --arg s "$SB" '.orders[] | select(.store.slug == $s) | .id' <<<"$body")
	[ "$(jq -r --arg s "$SA" '.orders[] | select(.store.slug == $s) | "\(.subtotal_vnd) \(.shipping_fee_vnd) \(.total_vnd) \(.group_id)"' <<<"$body")" = "80000 30000 110000 $g" ]
	[ "$(jq -r --arg s "$SB" '.orders[] | select(.store.slug == $s) | "\(.subtotal_vnd) \(.shipping_fee_vnd) \(.total_vnd) \(.group_id)"' <<<"$body")" = "100000 20000 120000 $g" ]
	# In the database: one group, two orders, each with only its lines.
	[ "$(sql "SELECT count(*) || ' ' || sum(total_vnd) FROM san.orders WHERE group_id = $g")" = "2 230000" ]
	[ "$(sql "SELECT total_vnd FROM san.order_groups WHERE id = $g")" = 230000 ]
	[ "$(sql "SELECT string_agg(product_id::text, ',') FROM san.order_lines WHERE order_id = $oa")" = "$pa" ]
	[ "$(sql "SELECT string_agg(product_id::text, ',') FROM san.order_lines WHERE order_id = $ob")" = "$pb" ]
	[ "$(sql "SELECT s.slug FROM san.orders o JOIN san.stores s ON s.id = o.store_id WHERE o.id = $oa")" = "$SA" ]
	[ "$(sql "SELECT shipping_method_id FROM san.orders WHERE id = $ob")" = "$SB_SHIP" ]
	[ "$(stock_of "$pa") $(stock_of "$pb")" = "8 9" ]
	# The group, for its buyer.
	TOKEN=$BUYER_TOK api GET "/api/v1/order-groups/$g"
	[ "$code" = 200 ]
	[ "$(jq -r '[.id, .total_vnd, .payment_method, (.orders | length)] | map(tostring) | join(" ")' <<<"$body")" = "$g 230000 vnpay 2" ]
	# Each store sees its own order only.
	TOKEN=$MA_TOK api GET "/api/v1/stores/$SA/orders"
	[ "$code" = 200 ]
	[ "$(jq -r --argjson a "$oa" --argjson b "$ob" '[.items[].id | select(. == $a or . == $b)] | map(tostring) | join(",")' <<<"$body")" = "$oa" ]
	TOKEN=$MB_TOK api GET "/api/v1/stores/$SB/orders"
	[ "$(jq -r --argjson a "$oa" --argjson b "$ob" '[.items[].id | select(. == $a or . == $b)] | map(tostring) | join(",")' <<<"$body")" = "$ob" ]
}

@test "checkout: weight tiers pick the right tier; too heavy is 422 shipping_unavailable" {
	local id tok biz slug p before
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Gạo")
	shipping_put "$tok" "$slug" '[{"carrier":"vnpost","name":"Bưu điện","fee_rule":"weight","free_over_vnd":500000,
	    "weight_tiers":[{"up_to_g":1000,"fee_vnd":15000},{"up_to_g":3000,"fee_vnd":25000},{"up_to_g":5000,"fee_vnd":40000}]}]'
	[ "$code" = 200 ]
	p=$(listed_product "$tok" "$slug" 60000 50 1000)
	# 1000 g: the first tier (its bound included).
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping_fee_vnd) \(.total_vnd)"' <<<"$body")" = "15000 75000" ]
	[ "$(sql "SELECT weight_g || ' ' || shipping_fee_vnd FROM san.orders WHERE id = $(jq -r '.orders[0].id' <<<"$body")")" = "1000 15000" ]
	# 2000 g: the second.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 2)" cod
	[ "$(jq -r '.orders[0].shipping_fee_vnd' <<<"$body")" = 25000 ]
	# 3000 g: still the second; 5000 g: the last.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 3)" cod
	[ "$(jq -r '.orders[0].shipping_fee_vnd' <<<"$body")" = 25000 ]
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 5)" cod
	[ "$(jq -r '.orders[0] | "\(.subtotal_vnd) \(.shipping_fee_vnd)"' <<<"$body")" = "300000 40000" ]
	[ "$(stock_of "$p")" = 39 ]
	# 6000 g: no tier carries it.
	before=$(snapshot)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 6)" cod
	expect_error 422 shipping_unavailable shipping
	[ "$(jq -r .error.details.store <<<"$body")" = "$slug" ]
	assert_unchanged "$before"
	# Above the free threshold but too heavy: still not carried.
	local big; big=$(listed_product "$tok" "$slug" 600000 5 6000)
	before=$(snapshot)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$big" 1)" cod
	expect_error 422 shipping_unavailable shipping
	assert_unchanged "$before"
	# Above the threshold and within the tiers: free.
	local dear; dear=$(listed_product "$tok" "$slug" 600000 5 500)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$dear" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping_fee_vnd) \(.total_vnd)"' <<<"$body")" = "0 600000" ]
	# Weights add up over lines: 2 x 1000 g + 1 x 500 g = 2500 g.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 2 "$dear" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0].subtotal_vnd' <<<"$body")" = 720000 ]
	[ "$(sql "SELECT weight_g FROM san.orders WHERE id = $(jq -r '.orders[0].id' <<<"$body")")" = 2500 ]
}

@test "checkout: a flat fee is waived from the free_over threshold on" {
	local id tok biz slug p q
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Bánh tráng")
	shipping_flat "$tok" "$slug" 25000 200000 >/dev/null
	p=$(listed_product "$tok" "$slug" 199999 10)
	q=$(listed_product "$tok" "$slug" 100000 10)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping_fee_vnd) \(.total_vnd)"' <<<"$body")" = "25000 224999" ]
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$q" 2)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping_fee_vnd) \(.total_vnd)"' <<<"$body")" = "0 200000" ]
	[ "$(sql "SELECT shipping_fee_vnd FROM san.orders WHERE id = $(jq -r '.orders[0].id' <<<"$body")")" = 0 ]
}

@test "checkout: the buyer may choose a store's method; another store's, a replaced or unknown one is 422" {
	local id tok biz slug p own post before replaced
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Nhãn")
	shipping_put "$tok" "$slug" '[{"carrier":"own","name":"Tự giao","fee_rule":"flat","fee_vnd":15000},
	    {"carrier":"vnpost","name":"Bưu điện","fee_rule":"flat","fee_vnd":35000}]'
	[ "$code" = 200 ]
	own=$(jq -r '.items[0].id' <<<"$body")
	post=$(jq -r '.items[1].id' <<<"$body")
	p=$(listed_product "$tok" "$slug" 50000 20)
	# Default: the first method.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping.method_id) \(.shipping.carrier) \(.shipping_fee_vnd)"' <<<"$body")" = "$own own 15000" ]
	# Chosen: the second.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$slug\":$post}"
	[ "$code" = 201 ]
	[ "$(jq -r '.orders[0] | "\(.shipping.method_id) \(.shipping.carrier) \(.shipping_fee_vnd) \(.total_vnd)"' <<<"$body")" = "$post vnpost 35000 85000" ]
	[ "$(sql "SELECT shipping_method_id || ' ' || carrier FROM san.orders WHERE id = $(jq -r '.orders[0].id' <<<"$body")")" = "$post vnpost" ]
	# Choosing for one store of two leaves the other on its default.
	local pa; pa=$(listed_product "$MA_TOK" "$SA" 10000 20)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1 "$pa" 1)" cod "{\"$slug\":$post}"
	[ "$code" = 201 ]
	[ "$(jq -r --arg s "$SA" '.orders[] | select(.store.slug == $s) | "\(.shipping.method_id) \(.shipping_fee_vnd)"' <<<"$body")" = "$SA_SHIP 30000" ]
	[ "$(jq -r --arg s "$slug" '.orders[] | select(.store.slug == $s) | .shipping_fee_vnd' <<<"$body")" = 35000 ]

	before=$(snapshot)
	# Store A's method for this store.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$slug\":$SA_SHIP}"
	expect_error 422 shipping_method_invalid shipping
	# A method for a store that is not in the order.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$SA\":$SA_SHIP}"
	expect_error 422 shipping_method_invalid shipping
	# No such method.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$slug\":999999999999}"
	expect_error 422 shipping_method_invalid shipping
	# Shapes.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$slug\":\"$post\"}"
	expect_error 400 invalid_id shipping
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod '{"Không Phải Slug":1}'
	expect_error 400 invalid_slug shipping
	assert_unchanged "$before"
	[ "$(stock_of "$p")" = 17 ]
	# A replaced method cannot be chosen any more.
	shipping_put "$tok" "$slug" '[{"carrier":"ghtk","name":"GHTK","fee_rule":"flat","fee_vnd":18000}]'
	[ "$code" = 200 ]
	before=$(snapshot)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod "{\"$slug\":$post}"
	expect_error 422 shipping_method_invalid shipping
	assert_unchanged "$before"
}

@test "checkout: a store without shipping methods is 422 no_shipping_method; nothing is ordered from any store" {
	local id tok biz slug p pa before
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Chưa Giao Hàng")
	# Stores open with a default method; this one has retired it.
	sql "UPDATE san.shipping_methods SET active = false WHERE store_id = (SELECT id FROM san.stores WHERE slug = '$slug')" >/dev/null
	p=$(listed_product "$tok" "$slug" 30000 10)
	pa=$(listed_product "$MA_TOK" "$SA" 30000 10)
	before=$(snapshot)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	expect_error 422 no_shipping_method shipping
	[ "$(jq -r .error.details.store <<<"$body")" = "$slug" ]
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$pa" 1 "$p" 1)" vnpay
	expect_error 422 no_shipping_method shipping
	assert_unchanged "$before"
	[ "$(stock_of "$p") $(stock_of "$pa")" = "10 10" ]
}

@test "checkout: stock is decremented exactly; not enough stock is 409 naming the items and nothing changes" {
	local p q h before
	p=$(listed_product "$MA_TOK" "$SA" 30000 5)
	q=$(listed_product "$MB_TOK" "$SB" 30000 2)
	h=$(listed_product "$MA_TOK" "$SA" 30000 10)
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$h" '{"status":"hidden"}'
	[ "$code" = 200 ]
	before=$(snapshot)
	# One short line: only that one is named.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1 "$q" 3)" cod
	expect_error 409 insufficient_stock items
	[ "$(jq -c '.error.details.items' <<<"$body")" = \
	    "[{\"product_id\":$q,\"requested\":3,\"available\":2,\"reason\":\"insufficient_stock\"}]" ]
	assert_unchanged "$before"
	# Both short, a hidden and an unknown product: all named, in id order.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json 999999999999 1 "$q" 3 "$p" 6 "$h" 1)" vnpay
	expect_error 409 insufficient_stock items
	[ "$(jq -r '[.error.details.items[] | "\(.product_id):\(.requested):\(.available):\(.reason)"] | join(" ")' <<<"$body")" = \
	    "$p:6:5:insufficient_stock $q:3:2:insufficient_stock $h:1:0:unavailable 999999999999:1:0:unavailable" ]
	# The same product twice counts twice (2 + 2 > 2).
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$q" 2 "$q" 1)" cod
	expect_error 409 insufficient_stock items
	[ "$(jq -r '.error.details.items[0].requested' <<<"$body")" = 3 ]
	assert_unchanged "$before"
	# Exactly what is there: sold out, to zero, not below.
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 5 "$q" 2)" cod
	[ "$code" = 201 ]
	[ "$(stock_of "$p") $(stock_of "$q")" = "0 0" ]
	before=$(snapshot)
	place_order "$BUYER_TOK" "$(uniq_key)" "$(items_json "$p" 1)" cod
	expect_error 409 insufficient_stock items
	[ "$(jq -c '.error.details.items[0] | [.requested, .available]' <<<"$body")" = "[1,0]" ]
	assert_unchanged "$before"
}

@test "checkout: a product given twice is one line with the summed quantity" {
	local p g o
	p=$(listed_product "$MA_TOK" "$SA" 10000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 2 "$p" 3)" cod)
	[ -n "$o" ]
	[ "$(sql "SELECT qty || ' ' || line_total_vnd FROM san.order_lines WHERE order_id = $o")" = "5 50000" ]
	[ "$(stock_of "$p")" = 5 ]
}

@test "checkout: the items bought leave the cart; the rest stays" {
	local p q g o
	p=$(listed_product "$MA_TOK" "$SA" 10000 10)
	q=$(listed_product "$MA_TOK" "$SA" 20000 10)
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$p" '{"qty":2}'
	TOKEN=$OTHER_TOK api PUT "/api/v1/cart/items/$q" '{"qty":1}'
	[ "$(sql "SELECT count(*) FROM san.cart_items WHERE account_id = $OTHER_ID AND product_id IN ($p, $q)")" = 2 ]
	# Bought in another quantity than the cart's: gone all the same.
	read -r g o < <(new_order "$OTHER_TOK" "$(items_json "$p" 1)" cod)
	[ -n "$o" ]
	[ "$(sql "SELECT string_agg(product_id::text, ',') FROM san.cart_items WHERE account_id = $OTHER_ID AND product_id IN ($p, $q)")" = "$q" ]
	TOKEN=$OTHER_TOK api GET /api/v1/cart
	[ "$(jq -r --argjson p "$p" '[.items[] | select(.product_id == $p)] | length' <<<"$body")" = 0 ]
	# A refused checkout leaves the cart alone.
	local before; before=$(snapshot)
	place_order "$OTHER_TOK" "$(uniq_key)" "$(items_json "$q" 11)" cod
	expect_error 409 insufficient_stock items
	assert_unchanged "$before"
	TOKEN=$OTHER_TOK api DELETE "/api/v1/cart/items/$q"
}

@test "checkout: malformed bodies are 400 and anonymous is 401; nothing changes" {
	local p good before b
	p=$(listed_product "$MA_TOK" "$SA" 10000 10)
	good=$(order_body "$(items_json "$p" 1)" cod)
	before=$(snapshot)
	while IFS='|' read -r filter err field; do
		b=$(jq -c "$filter" <<<"$good")
		TOKEN=$BUYER_TOK api POST /api/v1/orders "$b" -H "Idempotency-Key: $(uniq_key)"
		expect_error 400 "$err" "$field" || { echo "with $filter"; return 1; }
	done <<-'EOF'
		del(.items)|required|items
		.items = []|required|items
		.items[0].qty = 0|out_of_range|items[0].qty
		.items[0].qty = 1000|out_of_range|items[0].qty
		.items[0].qty = "1"|not_an_integer|items[0].qty
		.items[0].product_id = 0|invalid_id|items[0].product_id
		del(.items[0].product_id)|required|items[0].product_id
		.payment_method = "cash"|invalid_choice|payment_method
		del(.payment_method)|required|payment_method
		del(.shipping_address)|required|shipping_address
		del(.shipping_address.ward)|required|shipping_address.ward
		.shipping_address.phone = "12"|invalid_phone|shipping_address.phone
		.shipping_address.recipient = "  "|required|shipping_address.recipient
		.shipping_address.email = "a@b.vn"|unknown_field|shipping_address
		.shipping = []|not_an_object|shipping
	EOF
	assert_unchanged "$before"
	TOKEN= api POST /api/v1/orders "$good" -H "Idempotency-Key: $(uniq_key)"
	assert_error 401 unauthenticated
	assert_unchanged "$before"
	[ "$(stock_of "$p")" = 10 ]
}

@test "orders: the buyer's list is newest first with a keyset cursor; only their own" {
	local p o1 o2 o3 g next
	p=$(listed_product "$MA_TOK" "$SA" 10000 10)
	local id tok
	read -r id tok < <(new_account "$(uniq_email lister)")
	read -r g o1 < <(new_order "$tok" "$(items_json "$p" 1)" cod)
	read -r g o2 < <(new_order "$tok" "$(items_json "$p" 1)" vnpay)
	read -r g o3 < <(new_order "$tok" "$(items_json "$p" 1)" cod)
	[ -n "$o3" ]
	TOKEN=$tok api GET "/api/v1/orders?limit=2"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o3,$o2" ]
	next=$(jq -r .next <<<"$body")
	[ -n "$next" ] && [ "$next" != null ]
	TOKEN=$tok api GET "/api/v1/orders?limit=2&after=$next"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o1" ]
	[ "$(jq -r .next <<<"$body")" = null ]
	TOKEN=$tok api GET /api/v1/orders
	[ "$(jq -r '[.items[].status] | join(",")' <<<"$body")" = "placed,pending_payment,placed" ]
	# Nobody else's orders in it, and theirs not in anybody else's.
	[ "$(jq -r '[.items[].id] | length' <<<"$body")" = 3 ]
	TOKEN=$BUYER_TOK api GET "/api/v1/orders?limit=100"
	[ "$(jq -r --argjson a "$o1" '[.items[].id | select(. == $a)] | length' <<<"$body")" = 0 ]
	TOKEN=$tok api GET "/api/v1/orders?limit=0"
	expect_error 400 invalid_limit limit
	TOKEN= api GET /api/v1/orders
	assert_error 401 unauthenticated
}

# --- Idempotency ---------------------------------------------------------

@test "idempotency: same key and body answer the first 201 again, once; a different body is 422" {
	local p key first groups before data
	p=$(listed_product "$MA_TOK" "$SA" 25000 10)
	key=$(uniq_key)
	groups=$(sql "SELECT count(*) FROM san.order_groups WHERE buyer_id = $BUYER_ID")
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" vnpay
	[ "$code" = 201 ]
	first=$body
	[ "$(stock_of "$p")" = 8 ]
	before=$(snapshot)
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" vnpay
	[ "$code" = 201 ]
	[ "$body" = "$first" ]
	assert_unchanged "$before"
	# The same body with its members in another order and spacing.
	data=$(order_body "$(items_json "$p" 2)" vnpay | jq -S .)
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$data" -H "Idempotency-Key: $key"
	[ "$code" = 201 ]
	[ "$body" = "$first" ]
	assert_unchanged "$before"
	[ "$(sql "SELECT count(*) FROM san.order_groups WHERE buyer_id = $BUYER_ID")" = $((groups + 1)) ]
	[ "$(stock_of "$p")" = 8 ]
	# Still the first answer after the price changed.
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"price_vnd":26000}'
	[ "$code" = 200 ]
	before=$(snapshot)
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" vnpay
	[ "$code" = 201 ]
	[ "$body" = "$first" ]
	# Different body, same key: 422, nothing changes.
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 3)" vnpay
	assert_error 422 idempotency_key_reused
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" cod
	assert_error 422 idempotency_key_reused
	assert_unchanged "$before"
	[ "$(stock_of "$p")" = 8 ]
}

@test "idempotency: the key is required and bounded; another buyer's same key is independent" {
	local p key before g1 g2
	p=$(listed_product "$MA_TOK" "$SA" 25000 10)
	before=$(snapshot)
	place_order "$BUYER_TOK" "" "$(items_json "$p" 1)" cod
	assert_error 400 idempotency_key_required
	place_order "$BUYER_TOK" "$(printf 'k%.0s' $(seq 101))" "$(items_json "$p" 1)" cod
	assert_error 400 invalid_idempotency_key
	place_order "$BUYER_TOK" "two words" "$(items_json "$p" 1)" cod
	assert_error 400 invalid_idempotency_key
	# Non-ASCII never reaches the handler (Kore refuses the header).
	place_order "$BUYER_TOK" "có-dấu" "$(items_json "$p" 1)" cod
	[ "$code" = 400 ]
	assert_unchanged "$before"
	# 100 characters is fine.
	key=$(printf '%s' "$(uniq_key)$(printf 'x%.0s' $(seq 100))" | head -c 100)
	[ ${#key} = 100 ]
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	# One key, two buyers: two checkouts.
	key=$(uniq_key)
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	g1=$(jq -r .group_id <<<"$body")
	place_order "$OTHER_TOK" "$key" "$(items_json "$p" 1)" cod
	[ "$code" = 201 ]
	g2=$(jq -r .group_id <<<"$body")
	[ "$g1" != "$g2" ]
	[ "$(sql "SELECT buyer_id FROM san.order_groups WHERE id = $g2")" = "$OTHER_ID" ]
	[ "$(stock_of "$p")" = 7 ]
	# The other buyer's different body under that key is theirs to get 422 for.
	place_order "$OTHER_TOK" "$key" "$(items_json "$p" 2)" cod
	assert_error 422 idempotency_key_reused
}

@test "idempotency: a refused checkout does not use up its key" {
	local p key
	p=$(listed_product "$MA_TOK" "$SA" 25000 1)
	key=$(uniq_key)
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" cod
	assert_error 409 insufficient_stock items
	[ "$(sql "SELECT count(*) FROM san.order_groups WHERE buyer_id = $BUYER_ID AND idempotency_key = '$key'")" = 0 ]
	TOKEN=$MA_TOK api PATCH "/api/v1/products/$p" '{"stock":2}'
	[ "$code" = 200 ]
	place_order "$BUYER_TOK" "$key" "$(items_json "$p" 2)" cod
	[ "$code" = 201 ]
	[ "$(stock_of "$p")" = 0 ]
}

@test "idempotency: 10 concurrent identical requests with one key: ten identical 201s, one checkout" {
	local p key data dir i
	p=$(listed_product "$MA_TOK" "$SA" 25000 10)
	key=$(uniq_key)
	data=$(order_body "$(items_json "$p" 3)" momo)
	dir=$(mktemp -d)
	for i in $(seq 10); do
		curl -s -o "$dir/body$i" -w '%{http_code}' -X POST \
		    -H "Authorization: Bearer $BUYER_TOK" -H 'Content-Type: application/json' \
		    -H "Idempotency-Key: $key" --data-binary "$data" \
		    "$SAN_URL/api/v1/orders" >"$dir/code$i" 3>&- &
	done
	wait
	for i in $(seq 10); do
		[ "$(cat "$dir/code$i")" = 201 ] || { echo "request $i: $(cat "$dir/code$i") $(cat "$dir/body$i")"; return 1; }
		cmp -s "$dir/body1" "$dir/body$i" || { echo "request $i answered differently"; return 1; }
	done
	[ "$(sql "SELECT count(*) FROM san.order_groups WHERE buyer_id = $BUYER_ID AND idempotency_key = '$key'")" = 1 ]
	[ "$(sql "SELECT count(*) FROM san.order_lines WHERE product_id = $p")" = 1 ]
	[ "$(jq -r .group_id <"$dir/body1")" = "$(sql "SELECT id FROM san.order_groups WHERE buyer_id = $BUYER_ID AND idempotency_key = '$key'")" ]
	[ "$(stock_of "$p")" = 7 ]
	rm -rf "$dir"
}

# --- The state machine ---------------------------------------------------

@test "state machine: every action by every role from pending_payment" {
	state_machine_from pending_payment
}

@test "state machine: every action by every role from placed (COD)" {
	state_machine_from placed
}

@test "state machine: every action by every role from paid" {
	state_machine_from paid
}

@test "state machine: every action by every role from confirmed" {
	state_machine_from confirmed
}

@test "state machine: every action by every role from shipped" {
	state_machine_from shipped
}

@test "state machine: every action by every role from delivered" {
	state_machine_from delivered
}

@test "state machine: every action by every role from completed" {
	state_machine_from completed
}

@test "state machine: every action by every role from cancelled (after payment)" {
	state_machine_from cancelled
}

@test "state machine: every action by every role from expired" {
	state_machine_from expired
}

@test "state machine: every action by every role from refunded" {
	state_machine_from refunded
}

@test "lifecycle: a COD order from placed to refunded; history names who, from, to" {
	local p g o
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 2)" cod)
	order_act "$MA_TOK" "$o" confirm
	[ "$code" = 200 ]
	order_act "$MA_TOK" "$o" ship '{"carrier":"viettelpost","tracking_no":"VTP-000123"}'
	[ "$code" = 200 ]
	[ "$(jq -r '.shipping | "\(.carrier) \(.tracking_no)"' <<<"$body")" = "viettelpost VTP-000123" ]
	[ "$(sql "SELECT carrier || ' ' || tracking_no FROM san.orders WHERE id = $o")" = "viettelpost VTP-000123" ]
	order_act "$MA_TOK" "$o" deliver '{"cash_collected_vnd":130000}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT cash_collected_vnd || ' ' || (paid_at IS NOT NULL) FROM san.orders WHERE id = $o")" = "130000 true" ]
	order_act "$BUYER_TOK" "$o" complete
	[ "$code" = 200 ]
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":50000,"note":"Một gói bị dập"}'
	[ "$code" = 200 ]
	[ "$(jq -c .refund <<<"$body")" = '{"status":"refunded","amount_vnd":50000}' ]
	[ "$(sql "SELECT status || ' ' || refund_status || ' ' || refund_vnd FROM san.orders WHERE id = $o")" = "refunded refunded 50000" ]
	[ "$(events "$o" | tr '\n' '|')" = \
	    "buyer $BUYER_ID ->placed|merchant $MA_ID placed>confirmed|merchant $MA_ID confirmed>shipped|merchant $MA_ID shipped>delivered|buyer $BUYER_ID delivered>completed|merchant $MA_ID completed>refunded|" ]
	# Both sides see the same history.
	TOKEN=$BUYER_TOK api GET "/api/v1/orders/$o"
	[ "$code" = 200 ]
	[ "$(jq -r '[.history[] | "\(.by) \(.from // "-")>\(.to)"] | join("|")' <<<"$body")" = \
	    "buyer ->placed|merchant placed>confirmed|merchant confirmed>shipped|merchant shipped>delivered|buyer delivered>completed|merchant completed>refunded" ]
	[ "$(jq -r '[.history[].at | length > 0] | all' <<<"$body")" = true ]
	[ "$(jq -r '.history[5].note' <<<"$body")" = "Một gói bị dập" ]
	local buyer_view=$(jq -c .history <<<"$body")
	TOKEN=$MA_TOK api GET "/api/v1/orders/$o"
	[ "$code" = 200 ]
	[ "$(jq -c .history <<<"$body")" = "$buyer_view" ]
	# Delivery and refunds do not put goods back on the shelf.
	[ "$(stock_of "$p")" = 8 ]
}

@test "actions: ship needs a tracking number, COD delivery the cash collected, a merchant's cancellation a reason" {
	local p g o q before cod
	p=$(listed_product "$MA_TOK" "$SA" 50000 20)
	read -r o q < <(order_in confirmed)
	before=$(snapshot)
	order_act "$MA_TOK" "$o" ship
	expect_error 400 required tracking_no
	order_act "$MA_TOK" "$o" ship '{"carrier":"vnpost"}'
	expect_error 400 required tracking_no
	order_act "$MA_TOK" "$o" ship '{"tracking_no":""}'
	expect_error 400 required tracking_no
	order_act "$MA_TOK" "$o" ship '{"tracking_no":"X1","carrier":"dhl"}'
	expect_error 400 invalid_choice carrier
	order_act "$MA_TOK" "$o" fly
	expect_error 400 invalid_choice action
	TOKEN=$MA_TOK api POST "/api/v1/orders/$o/actions" '{}'
	expect_error 400 required action
	assert_unchanged "$before"
	[ "$(status_of "$o")" = confirmed ]

	read -r g cod < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" cod)
	advance "$cod" confirm ship
	before=$(snapshot)
	order_act "$MA_TOK" "$cod" deliver
	expect_error 400 required cash_collected_vnd
	order_act "$MA_TOK" "$cod" deliver '{"cash_collected_vnd":-1}'
	expect_error 400 out_of_range cash_collected_vnd
	assert_unchanged "$before"
	[ "$(status_of "$cod")" = shipped ]

	# A merchant cancels only with a reason; the buyer needs none.
	read -r o p < <(order_in placed)
	before=$(snapshot)
	order_act "$MA_TOK" "$o" cancel
	expect_error 400 reason_required note
	assert_unchanged "$before"
	order_act "$MA_TOK" "$o" cancel '{"note":"Hết hàng trong kho"}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || ' ' || cancel_reason FROM san.orders WHERE id = $o")" = "cancelled Hết hàng trong kho" ]
	[ "$(jq -r .cancel_reason <<<"$body")" = "Hết hàng trong kho" ]
	read -r o p < <(order_in placed)
	order_act "$BUYER_TOK" "$o" cancel
	[ "$code" = 200 ]
	[ "$(status_of "$o")" = cancelled ]
}

@test "actions: an empty or blank reason is no reason for a merchant's cancellation" {
	local o p before
	read -r o p < <(order_in placed)
	before=$(snapshot)
	order_act "$MA_TOK" "$o" cancel '{"note":""}'
	expect_error 400 reason_required note
	assert_unchanged "$before"
	order_act "$MA_TOK" "$o" cancel '{"note":"   \n  "}'
	expect_error 400 reason_required note
	assert_unchanged "$before"
	[ "$(status_of "$o")" = placed ]
	[ "$(stock_of "$p")" = 8 ]
}

@test "cancellation restores stock exactly once; a second cancel is 409" {
	local o p before
	read -r o p < <(order_in paid)
	[ "$(stock_of "$p")" = 8 ]
	order_act "$BUYER_TOK" "$o" cancel
	[ "$code" = 200 ]
	[ "$(stock_of "$p")" = 10 ]
	# Paid: the money is owed back.
	[ "$(jq -c .refund <<<"$body")" = '{"status":"pending","amount_vnd":130000}' ]
	[ "$(sql "SELECT stock_restored || ' ' || refund_status || ' ' || refund_vnd FROM san.orders WHERE id = $o")" = "true pending 130000" ]
	before=$(snapshot)
	order_act "$BUYER_TOK" "$o" cancel
	assert_error 409 transition_not_allowed action
	order_act "$MA_TOK" "$o" cancel '{"note":"lần hai"}'
	assert_error 409 transition_not_allowed action
	assert_unchanged "$before"
	[ "$(stock_of "$p")" = 10 ]
	[ "$(sql "SELECT count(*) FROM san.order_events WHERE order_id = $o AND to_status = 'cancelled'")" = 1 ]
	# An unpaid (COD) cancellation owes nothing, and cannot be refunded.
	read -r o p < <(order_in placed)
	order_act "$BUYER_TOK" "$o" cancel
	[ "$code" = 200 ]
	[ "$(jq -c .refund <<<"$body")" = null ]
	[ "$(stock_of "$p")" = 10 ]
	before=$(snapshot)
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":1000}'
	assert_error 409 not_paid action
	assert_unchanged "$before"
}

@test "cancellation: concurrent cancels of one order restore its stock once" {
	local o p dir i n200=0
	read -r o p < <(order_in confirmed)
	dir=$(mktemp -d)
	for i in $(seq 8); do
		curl -s -o /dev/null -w '%{http_code}' -X POST \
		    -H "Authorization: Bearer $BUYER_TOK" -H 'Content-Type: application/json' \
		    --data-binary '{"action":"cancel"}' \
		    "$SAN_URL/api/v1/orders/$o/actions" >"$dir/code$i" 3>&- &
	done
	wait
	for i in $(seq 8); do
		case $(cat "$dir/code$i") in
		200) n200=$((n200 + 1)) ;;
		409) ;;
		*) echo "request $i: $(cat "$dir/code$i")"; return 1 ;;
		esac
	done
	rm -rf "$dir"
	[ "$n200" = 1 ]
	[ "$(stock_of "$p")" = 10 ]
	[ "$(sql "SELECT count(*) FROM san.order_events WHERE order_id = $o AND to_status = 'cancelled'")" = 1 ]
}

@test "refund: only once money was received, at most the total" {
	local o p before
	read -r o p < <(order_in delivered)
	before=$(snapshot)
	order_act "$MA_TOK" "$o" refund
	expect_error 400 required amount_vnd
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":0}'
	expect_error 400 out_of_range amount_vnd
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":130001}'
	expect_error 422 refund_too_large amount_vnd
	order_act "$BUYER_TOK" "$o" refund '{"amount_vnd":1000}'
	assert_error 409 transition_not_allowed action
	assert_unchanged "$before"
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":130000}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || ' ' || refund_status || ' ' || refund_vnd FROM san.orders WHERE id = $o")" = "refunded refunded 130000" ]
	before=$(snapshot)
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":1}'
	assert_error 409 transition_not_allowed action
	assert_unchanged "$before"
	# Paid but not yet delivered: cancelled first (which records the refund owed).
	read -r o p < <(order_in paid)
	before=$(snapshot)
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":1000}'
	assert_error 409 transition_not_allowed action
	assert_unchanged "$before"
	order_act "$MA_TOK" "$o" cancel '{"note":"Không giao được"}'
	[ "$code" = 200 ]
	order_act "$MA_TOK" "$o" refund '{"amount_vnd":130000}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT status || ' ' || refund_status || ' ' || refund_vnd FROM san.orders WHERE id = $o")" = "refunded refunded 130000" ]
}

# --- Expiry --------------------------------------------------------------

@test "expiry (direct call): an overdue unpaid order expires, its stock returns once, the system is recorded" {
	local p g o before n
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 3)" vnpay)
	[ "$(stock_of "$p")" = 7 ]
	# Not due yet: nothing happens.
	before=$(snapshot)
	sql "SELECT api.orders_expire(100)" >/dev/null
	assert_unchanged "$before"
	# Due: pay_by in the past and the function in one transaction (so the
	# job cannot take it first); retried if the job held the lock.
	for n in $(seq 20); do
		[ "$(sql "BEGIN; UPDATE san.order_groups SET pay_by = now() - interval '1 second' WHERE id = $g AND pay_by IS NOT NULL;
		    SELECT api.orders_expire(100) > 0; COMMIT;")" = t ] && break
		sleep 0.2
	done
	[ "$(status_of "$o")" = expired ]
	[ "$(stock_of "$p")" = 10 ]
	[ "$(events "$o" | tail -1)" = "system - pending_payment>expired" ]
	[ "$(sql "SELECT note FROM san.order_events WHERE order_id = $o ORDER BY id DESC LIMIT 1")" = "payment timeout" ]
	# Twice: nothing more (not even with its pay_by past again).
	before=$(snapshot)
	[ "$(sql "SELECT api.orders_expire(100)")" = 0 ]
	assert_unchanged "$before"
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 second' WHERE id = $g"
	sql "SELECT api.orders_expire(100)" >/dev/null
	sql "SELECT api.orders_expire(100)" >/dev/null
	[ "$(status_of "$o")" = expired ]
	[ "$(stock_of "$p")" = 10 ]
	[ "$(sql "SELECT count(*) FROM san.order_events WHERE order_id = $o AND to_status = 'expired'")" = 1 ]
	TOKEN=$BUYER_TOK api GET "/api/v1/orders/$o"
	[ "$(jq -r '.status + " " + .history[-1].by' <<<"$body")" = "expired system" ]
}

# job_expires ORDER: the expiry job expires ORDER within 40 s.
job_expires() {
	local i
	for i in $(seq 40); do
		[ "$(status_of "$1")" = expired ] && return 0
		sleep 1
	done
	[ "$(status_of "$1")" = expired ]
}

@test "expiry (the job): an overdue order expires by itself within 40 s, stock back once" {
	local p g o
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 4)" vietqr)
	[ "$(stock_of "$p")" = 6 ]
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $g"
	job_expires "$o"
	[ "$(stock_of "$p")" = 10 ]
	[ "$(events "$o" | tr '\n' '|')" = "buyer $BUYER_ID ->pending_payment|system - pending_payment>expired|" ]
	[ "$(sql "SELECT pay_by IS NULL FROM san.order_groups WHERE id = $g")" = t ]
	# An expired order cannot be paid for by cancelling and the like.
	order_act "$BUYER_TOK" "$o" cancel
	assert_error 409 transition_not_allowed action
	[ "$(stock_of "$p")" = 10 ]
}

# The job meets a PostgreSQL outage: each worker's tick (every 15 s) fails
# to query.  Kore called the job's callback again from inside its own
# cleanup, which freed the error string twice and killed both workers
# ("block-32: element was not busy"); now the workers live on and the job
# expires orders again once PostgreSQL is back.
@test "expiry (the job) survives a PostgreSQL outage: no worker dies, orders expire afterwards" {
	local before p g o i
	before=$(kore_procs)
	expiry_pg_ctl -m immediate -w stop >/dev/null
	sleep 17
	expiry_pg_ctl -w -l "$SAN_PG_DIR/run/server.log" start >/dev/null
	for i in $(seq 20); do curl -sf -o /dev/null "$SAN_URL/healthz" && break; sleep 0.5; done
	[ "$(kore_procs)" = "$before" ] ||
	    { echo "workers changed: $before -> $(kore_procs)"; return 1; }
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 2)" vietqr)
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $g"
	job_expires "$o"
	[ "$(stock_of "$p")" = 10 ]
}

# The Kore parent and its workers, by pid.
kore_procs() {
	local parent
	parent=$(cat "$SAN_TEST_DIR/kore.pid")
	echo "$parent $(pgrep -P "$parent" | sort -n | paste -sd' ')"
}

expiry_pg_ctl() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	else
		"$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	fi
}

@test "expiry: a paid order is never expired; a cancelled one is not restocked twice" {
	local p g o c pc gc
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 2)" vnpay)
	mark_paid "$o"
	# Even with the group's pay_by past and its paid_at unset.
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $g"
	expire_now
	[ "$(status_of "$o")" = paid ]
	[ "$(stock_of "$p")" = 8 ]
	[ "$(sql "SELECT count(*) FROM san.order_events WHERE order_id = $o AND actor_role = 'system'")" = 0 ]
	# A group marked paid as a whole.
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" momo)
	mark_paid "$o"
	sql "UPDATE san.order_groups SET paid_at = now(), pay_by = now() - interval '1 minute' WHERE id = $g"
	sql "SELECT api.orders_expire(100)" >/dev/null
	[ "$(status_of "$o")" = paid ]
	[ "$(stock_of "$p")" = 7 ]
	# Cancelled by the buyer before it was due: stock back once, then not again.
	pc=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r gc c < <(new_order "$BUYER_TOK" "$(items_json "$pc" 3)" vnpay)
	order_act "$BUYER_TOK" "$c" cancel
	[ "$code" = 200 ]
	[ "$(stock_of "$pc")" = 10 ]
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $gc"
	expire_now
	[ "$(status_of "$c")" = cancelled ]
	[ "$(stock_of "$pc")" = 10 ]
}

@test "expiry: in a two-store group only the unpaid orders expire" {
	local pa pb g oa ob
	pa=$(listed_product "$MA_TOK" "$SA" 50000 10)
	pb=$(listed_product "$MB_TOK" "$SB" 50000 10)
	read -r g oa ob < <(new_order "$BUYER_TOK" "$(items_json "$pa" 1 "$pb" 2)" vnpay)
	[ -n "$ob" ]
	order_act "$BUYER_TOK" "$oa" cancel
	[ "$code" = 200 ]
	sql "UPDATE san.order_groups SET pay_by = now() - interval '1 minute' WHERE id = $g"
	expire_now
	[ "$(status_of "$oa") $(status_of "$ob")" = "cancelled expired" ]
	[ "$(stock_of "$pa") $(stock_of "$pb")" = "10 10" ]
}

# --- Who sees what -------------------------------------------------------

@test "IDOR: another buyer, another store's merchant and admins get 404; anonymous 401; staff see their store's" {
	local p g o before mine x adm sid stok
	p=$(listed_product "$MA_TOK" "$SA" 50000 10)
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" vnpay)
	mark_paid "$o"
	read -r x adm < <(new_role_account admin)
	before=$(snapshot)
	local fails=() who tok method path data want inv
	inv='{"form":"1","series":"C26TAA","number":"1","issued_on":"2026-01-05","lookup_code":"X"}'
	for who in other_buyer other_merchant admin anonymous; do
		case $who in
		other_buyer) tok=$OTHER_TOK ;;
		other_merchant) tok=$MB_TOK ;;
		admin) tok=$adm ;;
		anonymous) tok="" ;;
		esac
		while read -r method path data want; do
			[ "$data" = - ] && data=""
			[ "$data" = inv ] && data=$inv
			[ -z "$tok" ] && want="401 unauthenticated"
			quick "$method" "$path" "$tok" "$data"
			[ "$code $errc" = "$want" ] ||
			    fails+=("$who $method $path: expected $want, got $code ${body:0:120}")
		done <<-EOF
			GET /api/v1/orders/$o - 404 order_not_found
			GET /api/v1/order-groups/$g - 404 order_not_found
			POST /api/v1/orders/$o/actions {"action":"cancel","note":"thử"} 404 order_not_found
			POST /api/v1/orders/$o/actions {"action":"confirm"} 404 order_not_found
			PUT /api/v1/orders/$o/invoice inv 404 order_not_found
			GET /api/v1/stores/$SA/orders - 404 store_not_found
			GET /api/v1/stores/$SA/orders?status=paid - 404 store_not_found
			GET /api/v1/stores/$SA/invoices.csv - 404 store_not_found
		EOF
		[ -z "$tok" ] && continue
		# Someone else's and nonexistent answer alike.
		quick GET "/api/v1/orders/$o" "$tok"
		mine=$body
		quick GET /api/v1/orders/999999999999 "$tok"
		[ "$body" = "$mine" ] || fails+=("$who: someone else's order and none answer differently")
		quick GET "/api/v1/order-groups/$g" "$tok"
		mine=$body
		quick GET /api/v1/order-groups/999999999999 "$tok"
		[ "$body" = "$mine" ] || fails+=("$who: someone else's group and none answer differently")
		quick GET "/api/v1/orders?limit=100" "$tok"
		[ "$(jq -r --argjson o "$o" '[.items[].id | select(. == $o)] | length' <<<"$body")" = 0 ] ||
		    fails+=("$who: the order is in their own list")
	done
	if [ ${#fails[@]} -gt 0 ]; then
		printf '%s\n' "${fails[@]}"
		return 1
	fi
	# The store's own merchant may not see the buyer's group (payments).
	TOKEN=$MA_TOK api GET "/api/v1/order-groups/$g"
	assert_error 404 order_not_found
	for path in /api/v1/orders /api/v1/cart; do
		TOKEN= api GET "$path"
		assert_error 401 unauthenticated
	done
	assert_unchanged "$before"
	[ "$(status_of "$o")" = paid ]
	# Staff of store A's business see and handle it.
	read -r sid stok < <(new_account "$(uniq_email staff)")
	sql "INSERT INTO san.business_members (business_id, account_id, role) VALUES ($MA_BIZ, $sid, 'staff')"
	TOKEN=$stok api GET "/api/v1/orders/$o"
	[ "$code" = 200 ]
	[ "$(jq -r .shipping_address.recipient <<<"$body")" = "Nguyễn Thị Mai" ]
	TOKEN=$stok api GET "/api/v1/stores/$SA/orders?status=paid"
	[ "$code" = 200 ]
	[ "$(jq -r --argjson o "$o" '[.items[].id | select(. == $o)] | length' <<<"$body")" = 1 ]
	[ "$(jq -r '[.items[].status] | unique | join(",")' <<<"$body")" = paid ]
	order_act "$stok" "$o" confirm
	[ "$code" = 200 ]
	[ "$(events "$o" | tail -1)" = "merchant $sid paid>confirmed" ]
}

@test "store orders: members list their store's orders by status, newest first, with a cursor" {
	local id tok biz slug p o1 o2 o3 g next
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Bưởi")
	shipping_flat "$tok" "$slug" 10000 >/dev/null
	p=$(listed_product "$tok" "$slug" 10000 20)
	read -r g o1 < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" cod)
	read -r g o2 < <(new_order "$OTHER_TOK" "$(items_json "$p" 1)" vnpay)
	read -r g o3 < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" cod)
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders"
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o3,$o2,$o1" ]
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders?status=placed"
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o3,$o1" ]
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders?status=pending_payment"
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o2" ]
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders?limit=2"
	next=$(jq -r .next <<<"$body")
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders?limit=2&after=$next"
	[ "$(jq -r '[.items[].id] | map(tostring) | join(",")' <<<"$body")" = "$o1" ]
	TOKEN=$tok api GET "/api/v1/stores/$slug/orders?status=lost"
	expect_error 400 invalid_choice status
	TOKEN=$tok api GET "/api/v1/stores/khong-co-cua-hang-nay/orders"
	assert_error 404 store_not_found
}

# --- E-invoice -----------------------------------------------------------

@test "invoice: set by a member on a paid order, seen by the buyer; unpaid 409, future date 422, others refused" {
	local o p before inv today future cod c
	read -r o p < <(order_in paid)
	inv='{"form":"1","series":"C26TAA","number":"0000123","issued_on":"2026-01-05","lookup_code":"TRACUU-9X7"}'
	before=$(snapshot)
	TOKEN= api PUT "/api/v1/orders/$o/invoice" "$inv"
	assert_error 401 unauthenticated
	TOKEN=$OTHER_TOK api PUT "/api/v1/orders/$o/invoice" "$inv"
	assert_error 404 order_not_found
	TOKEN=$MB_TOK api PUT "/api/v1/orders/$o/invoice" "$inv"
	assert_error 404 order_not_found
	# The buyer sees the order but does not issue its invoice.
	TOKEN=$BUYER_TOK api PUT "/api/v1/orders/$o/invoice" "$inv"
	[ "$code" = 403 ] || [ "$code" = 404 ]
	future=$(date -u -d '+2 days' +%F)
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$(jq -c --arg d "$future" '.issued_on = $d' <<<"$inv")"
	expect_error 422 date_in_future issued_on
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$(jq -c '.issued_on = "2026-02-30"' <<<"$inv")"
	expect_error 400 invalid_date issued_on
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$(jq -c 'del(.lookup_code)' <<<"$inv")"
	expect_error 400 required lookup_code
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$(jq -c '.amount_vnd = 1' <<<"$inv")"
	expect_error 400 unknown_field
	assert_unchanged "$before"

	today=$(sql "SELECT api.today()")
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$(jq -c --arg d "$today" '.issued_on = $d' <<<"$inv")"
	[ "$code" = 200 ]
	[ "$(jq -c '.invoice | [.form, .series, .number, .lookup_code]' <<<"$body")" = '["1","C26TAA","0000123","TRACUU-9X7"]' ]
	[ "$(sql "SELECT invoice->>'series' || ' ' || (invoice->>'number') || ' ' || (invoice->>'issued_on') FROM san.orders WHERE id = $o")" = "C26TAA 0000123 $today" ]
	[ "$(sql "SELECT count(*) FROM san.order_events WHERE order_id = $o AND from_status = 'paid' AND to_status = 'paid' AND actor_id = $MA_ID")" = 1 ]
	TOKEN=$BUYER_TOK api GET "/api/v1/orders/$o"
	[ "$code" = 200 ]
	[ "$(jq -r '.invoice | "\(.series)-\(.number) \(.issued_on) \(.lookup_code)"' <<<"$body")" = "C26TAA-0000123 $today TRACUU-9X7" ]
	[ "$(jq -r .status <<<"$body")" = paid ]

	# Unpaid online and undelivered COD orders: 409.
	read -r o p < <(order_in pending_payment)
	read -r c p < <(order_in placed)
	before=$(snapshot)
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$o/invoice" "$inv"
	assert_error 409 invoice_not_allowed
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$c/invoice" "$inv"
	assert_error 409 invoice_not_allowed
	assert_unchanged "$before"
	# A COD order once delivered (cash collected): allowed.
	advance "$c" confirm ship deliver
	TOKEN=$MA_TOK api PUT "/api/v1/orders/$c/invoice" "$inv"
	[ "$code" = 200 ]
	[ "$(sql "SELECT invoice->>'lookup_code' FROM san.orders WHERE id = $c")" = TRACUU-9X7 ]
}

@test "invoices.csv: members export their store's references; quoting and formula neutralising; dates; others refused" {
	local id tok biz slug p o1 o2 o3 g csv out today tomorrow
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Hóa Đơn")
	shipping_flat "$tok" "$slug" 10000 >/dev/null
	p=$(listed_product "$tok" "$slug" 20000 20)
	read -r g o1 < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" vnpay)
	read -r g o2 < <(new_order "$BUYER_TOK" "$(items_json "$p" 2)" vnpay)
	read -r g o3 < <(new_order "$BUYER_TOK" "$(items_json "$p" 1)" vnpay)
	mark_paid "$o1" "$o2" "$o3"
	today=$(sql "SELECT api.today()")
	TOKEN=$tok api PUT "/api/v1/orders/$o1/invoice" "$(jq -nc --arg d "$today" '{form:"1",series:"C26TAA",number:"0000001",issued_on:$d,lookup_code:"ABC123"}')"
	[ "$code" = 200 ]
	TOKEN=$tok api PUT "/api/v1/orders/$o2/invoice" "$(jq -nc --arg d "$today" '{form:"1",series:"C26T,\"B\"",number:"+0000002",issued_on:$d,lookup_code:"=HYPERLINK(\"http://x.vn\")"}')"
	[ "$code" = 200 ]
	# o3 has no invoice: not exported.
	out=$(mktemp)
	TOKEN=$tok api_fetch "/api/v1/stores/$slug/invoices.csv" "$out"
	[ "$code" = 200 ]
	[[ "$(header content-type)" == text/csv* ]]
	[[ "$(header content-disposition)" == attachment* ]]
	csv=$(cat "$out")
	# CRLF line ends; a header line and one line per invoice, in order.
	[ "$(grep -c $'\r$' "$out")" = 3 ]
	[ "$(tr -d '\r' <"$out" | sed -n 1p)" = \
	    "order_code,order_date,status,total_vnd,invoice_form,invoice_series,invoice_number,issued_on,lookup_code" ]
	local c1 c2
	c1=$(sql "SELECT code FROM san.orders WHERE id = $o1")
	c2=$(sql "SELECT code FROM san.orders WHERE id = $o2")
	[ "$(tr -d '\r' <"$out" | sed -n 2p)" = "\"$c1\",$today,\"paid\",30000,\"1\",\"C26TAA\",\"0000001\",\"$today\",\"ABC123\"" ]
	# Quotes doubled, commas inside quotes, formulas (= + - @) neutralised.
	[ "$(tr -d '\r' <"$out" | sed -n 3p)" = \
	    "\"$c2\",$today,\"paid\",50000,\"1\",\"C26T,\"\"B\"\"\",\"'+0000002\",\"$today\",\"'=HYPERLINK(\"\"http://x.vn\"\")\"" ]
	[ "$(grep -c "$(sql "SELECT code FROM san.orders WHERE id = $o3")" "$out")" = 0 ]
	# Date range (order dates, Vietnam time).
	tomorrow=$(sql "SELECT api.today() + 1")
	TOKEN=$tok api_fetch "/api/v1/stores/$slug/invoices.csv?from=$tomorrow" "$out"
	[ "$code" = 200 ]
	[ "$(wc -l <"$out")" = 1 ]
	TOKEN=$tok api_fetch "/api/v1/stores/$slug/invoices.csv?from=$today&to=$today" "$out"
	[ "$(wc -l <"$out")" = 3 ]
	TOKEN=$tok api GET "/api/v1/stores/$slug/invoices.csv?from=2026-13-01"
	expect_error 400 invalid_date from
	TOKEN=$tok api GET "/api/v1/stores/$slug/invoices.csv?to=yesterday"
	expect_error 400 invalid_date to
	# Others: 404 (another merchant, the buyer), 401 anonymous.
	TOKEN=$MA_TOK api GET "/api/v1/stores/$slug/invoices.csv"
	assert_error 404 store_not_found
	TOKEN=$BUYER_TOK api GET "/api/v1/stores/$slug/invoices.csv"
	assert_error 404 store_not_found
	TOKEN= api GET "/api/v1/stores/$slug/invoices.csv"
	assert_error 401 unauthenticated
	rm -f "$out"
}
