#!/usr/bin/env bats
# Oversell races (issue 4, "Reliability and performance"; DESIGN.md §7:
# zero oversold units under 200 concurrent buyers of the last items).
# 200 buyers with real sessions (created in SQL: 200 argon2id logins would
# take ~20 s) send their checkouts at once from one curl --parallel process
# (200 simultaneous connections), then every answer is matched with the
# database: a 201 has exactly its group, orders and lines; a 409 has
# nothing; units sold + stock left = the stock before.
load helpers

BUYERS=200
ADDRESS='{"recipient":"Nguyễn Văn A","phone":"0912345678","address":"12 Trần Hưng Đạo","province":"Tây Ninh","ward":"Phường 1"}'


# race_seller [STOCK...]: a merchant with a flat-fee shipping method and
# one active product per STOCK; prints "slug product_id...".
race_seller() {
	local id tok biz slug cat pid TOKEN ids="" stock
	read -r id tok biz slug < <(new_merchant) || return 1
	TOKEN=$tok api PUT "/api/v1/stores/$slug/shipping-methods" \
	    '{"methods":[{"carrier":"own","name":"Giao tận nơi","fee_rule":"flat","fee_vnd":15000}]}'
	[ "$code" = 200 ] || { echo "shipping: $code $body" >&2; return 1; }
	cat=$(sql "SELECT min(id) FROM san.categories")
	for stock in "$@"; do
		pid=$(new_product "$tok" "$slug" "$(product_body "$cat" \
		    "Mãng cầu Bà Đen" 45000 \
		    "{\"status\":\"active\",\"stock\":$stock}")") || return 1
		ids+=" $pid"
	done
	echo "$slug$ids"
}

# race_fire DIR [KEY]: DIR/req.N holds "account token body-json" for
# N = 1..; sends them all at once (one curl process, one connection each)
# with Idempotency-Key KEY, or a key unique per N when KEY is empty.
# Writes DIR/reqs.csv ("N,account,key"), DIR/codes ("N status" per line)
# and DIR/resp.N (the answer).
race_fire() {
	local dir=$1 n=0 f i account tok body key
	: >"$dir/curl.cfg"
	: >"$dir/reqs.csv"
	for f in "$dir"/req.*; do
		i=${f##*.}
		read -r account tok body <"$f"
		key=${2:-"race-$(basename "$dir")-$i"}
		echo "$i,$account,$key" >>"$dir/reqs.csv"
		printf '%s' "$body" >"$dir/body.$i"
		# "next" separates transfers; none after the last.
		[ $n -gt 0 ] && echo next >>"$dir/curl.cfg"
		cat >>"$dir/curl.cfg" <<CFG
url = "$SAN_URL/api/v1/orders"
request = "POST"
header = "Authorization: Bearer $tok"
header = "Idempotency-Key: $key"
header = "Content-Type: application/json"
data-binary = "@$dir/body.$i"
output = "$dir/resp.$i"
write-out = "$i %{http_code}\\n"
max-time = 120
CFG
		n=$((n + 1))
	done
	curl --no-progress-meter --parallel --parallel-immediate \
	    --parallel-max 300 -K "$dir/curl.cfg" >"$dir/codes" \
	    2>"$dir/curl.err" 3>&-
	[ "$(wc -l <"$dir/codes")" -eq "$n" ] ||
	    { echo "only $(wc -l <"$dir/codes") of $n answers"; head "$dir/curl.err"; return 1; }
}

# race_load DIR: the requests (reqs.csv, body.N), statuses (codes) and
# answers (resp.N) of a race, as CSV for the race_answers table below.
race_load() {
	local dir=$1
	(cd "$dir" && jq -rn 'inputs | [(input_filename | ltrimstr("body.")),
	    tojson] | @csv' body.*) >"$dir/bodies.csv"
	# Answers as text, whatever they are (a file per answer, possibly
	# empty when the connection died).
	(cd "$dir" && awk 'FNR == 1 { if (NR > 1) print ""
		f = FILENAME; sub(/^resp\./, "", f); printf "%s\t", f }
	    { printf "%s", $0 } END { print "" }' resp.* |
	    jq -rR 'select(length > 0) | split("\t") |
		[.[0], (.[1:] | join("\t"))] | @csv') >"$dir/resps.csv"
	tr ' ' ',' <"$dir/codes" >"$dir/codes.csv"
}

# race_sql DIR QUERY: QUERY in a session where temp table race_answers
# (i, account, key, code, body jsonb, resp text, want jsonb: product id ->
# qty asked) holds the race in DIR.
race_sql() {
	local dir=$1
	race_load "$dir"
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "CREATE TEMP TABLE q (i int, account bigint, key text)" \
	    -c "CREATE TEMP TABLE b (i int, body jsonb)" \
	    -c "CREATE TEMP TABLE r (i int, resp text)" \
	    -c "CREATE TEMP TABLE c (i int, code int)" \
	    -c "\\copy q FROM '$dir/reqs.csv' WITH (FORMAT csv)" \
	    -c "\\copy b FROM '$dir/bodies.csv' WITH (FORMAT csv)" \
	    -c "\\copy r FROM '$dir/resps.csv' WITH (FORMAT csv)" \
	    -c "\\copy c FROM '$dir/codes.csv' WITH (FORMAT csv)" \
	    -c "CREATE TEMP TABLE race_answers AS
		SELECT q.i, q.account, q.key, c.code, b.body, r.resp,
		    (SELECT jsonb_object_agg(it->>'product_id',
			(it->>'qty')::int)
		       FROM jsonb_array_elements(b.body->'items') it) AS want
		  FROM q JOIN b USING (i) LEFT JOIN c USING (i)
		  LEFT JOIN r USING (i)" \
	    -c "$2"
}

# race_check DIR: every answer against the database; prints one line per
# mismatch, nothing when all is well.  A 201 must name a group that is
# this buyer's, under this key, whose orders are exactly the ones in the
# answer, one per store, whose lines are exactly the items asked for
# (product -> qty); a 409 must be insufficient_stock and leave no group
# under its key.  Any other status (500, 503, 000: no answer) is reported.
race_check() {
	race_sql "$1" "
	SELECT format('request %s (buyer %s, key %s): answered %s %s; database: group %s orders %s lines %s',
	    a.i, a.account, a.key, a.code, left(a.resp, 300), g.id, d.oids,
	    d.lines)
	  FROM race_answers a
	  LEFT JOIN san.order_groups g
	    ON g.buyer_id = a.account AND g.idempotency_key = a.key
	  LEFT JOIN LATERAL (
		SELECT jsonb_agg(DISTINCT o.id ORDER BY o.id) AS oids,
		    count(DISTINCT o.store_id) AS stores,
		    count(DISTINCT o.id) AS norders,
		    jsonb_object_agg(l.product_id::text, l.qty) AS lines,
		    bool_and(o.buyer_id = a.account AND
			p.store_id = o.store_id) AS owned
		  FROM san.orders o
		  JOIN san.order_lines l ON l.order_id = o.id
		  JOIN san.products p ON p.id = l.product_id
		 WHERE o.group_id = g.id) d ON true
	 WHERE NOT COALESCE(CASE a.code
	    WHEN 201 THEN g.id = (a.resp::jsonb->>'group_id')::bigint
		AND g.response IS NOT NULL
		AND d.oids = (SELECT jsonb_agg(x ORDER BY x::bigint)
		    FROM jsonb_array_elements(a.resp::jsonb->'orders') o,
			 LATERAL (SELECT o->'id') y(x))
		AND d.lines = a.want AND d.owned
		AND d.norders = d.stores
		AND d.stores = (SELECT count(DISTINCT p.store_id)
		    FROM san.products p WHERE p.id IN (SELECT
		    jsonb_object_keys(a.want)::bigint))
	    WHEN 409 THEN g.id IS NULL
		AND a.resp::jsonb->'error'->>'code' = 'insufficient_stock'
	    ELSE false END, false)
	 ORDER BY a.i"
}

# race_sold DIR PRODUCT: units of PRODUCT asked for by the 201 answers.
race_sold() {
	race_sql "$1" "SELECT COALESCE(sum((want->>'$2')::int), 0)
	    FROM race_answers WHERE code = 201"
}

# stock_watch PRODUCT FILE: samples the stock of PRODUCT into FILE until
# FILE.stop exists (runs in the background during a race; at most 2000
# samples, so a failed test cannot leave it running).
stock_watch() {
	local k=0
	while [ ! -e "$2.stop" ] && [ $k -lt 2000 ]; do
		k=$((k + 1))
		sql "SELECT stock FROM san.products WHERE id = $1" >>"$2" ||
		    echo "sample failed" >>"$2"
		sleep 0.05
	done
}

# stock_samples_ok FILE: every sample stock_watch took is a number >= 0.
stock_samples_ok() {
	if grep -v '^[0-9][0-9]*$' "$1"; then
		echo "stock sample below zero or failed"
		return 1
	fi
}

# pg_log_size: bytes in the scratch cluster's server log so far.
pg_log_size() {
	stat -c %s "$SAN_PG_DIR/run/server.log" 2>/dev/null || echo 0
}

# pg_log_clean OFFSET: no deadlock and no violated check constraint in
# the PostgreSQL log after byte OFFSET.
pg_log_clean() {
	if tail -c +"$(($1 + 1))" "$SAN_PG_DIR/run/server.log" |
	    grep -E 'deadlock detected|violates check constraint'; then
		return 1
	fi
}

# count_status DIR STATUS: how many answers had STATUS.
count_status() {
	grep -c " $2\$" "$1/codes" || true
}

# buyer_ids DIR: the race's buyers as a SQL list.
buyer_ids() {
	cut -d' ' -f1 "$1/buyers" | paste -sd,
}

@test "200 buyers racing for the last 10 units: exactly 10 sold, every answer matches the database" {
	local dir="$BATS_TEST_TMPDIR/r1" slug pid n=0 ok no account tok
	local log0 fired=0
	mkdir -p "$dir"
	read -r slug pid < <(race_seller 12)
	[ -n "$pid" ]
	# The last 10: two units were sold before the rush.
	sql_buyers 1 "$dir/first"
	read -r account tok <"$dir/first"
	TOKEN=$tok api POST /api/v1/orders \
	    "{\"items\":[{\"product_id\":$pid,\"qty\":2}],\"shipping_address\":$ADDRESS,\"payment_method\":\"cod\"}" \
	    -H "Idempotency-Key: race-first-$pid"
	[ "$code" = 201 ] || { echo "first order: $code $body"; return 1; }
	[ "$(sql "SELECT stock FROM san.products WHERE id = $pid")" = 10 ]

	sql_buyers $BUYERS "$dir/buyers"
	while read -r account tok; do
		n=$((n + 1))
		echo "$account $tok {\"items\":[{\"product_id\":$pid,\"qty\":1}],\"shipping_address\":$ADDRESS,\"payment_method\":\"cod\"}" >"$dir/req.$n"
	done <"$dir/buyers"
	[ $n = $BUYERS ]

	log0=$(pg_log_size)
	stock_watch "$pid" "$dir/stock" 3>&- &
	race_fire "$dir" || fired=$?
	touch "$dir/stock.stop"
	wait
	[ $fired = 0 ]

	ok=$(count_status "$dir" 201)
	no=$(count_status "$dir" 409)
	echo "# race 1: $BUYERS buyers, 1 unit each, 10 in stock: $ok x 201, $no x 409, other $((BUYERS - ok - no)); stock samples $(sort -un "$dir/stock" | paste -sd' ')" >&3
	run race_check "$dir"
	[ "$status" = 0 ] || { echo "$output"; return 1; }
	[ -z "$output" ] || { echo "mismatches:"; echo "$output"; return 1; }
	[ "$ok" = 10 ] || { echo "$ok acknowledged, expected 10"; return 1; }
	[ "$no" = $((BUYERS - 10)) ]
	# Units sold (every line of the product) = 2 + 10, stock 0, and as
	# many groups and orders for these buyers as there were 201s.
	[ "$(sql "SELECT sum(qty) || ' ' || count(*) FROM san.order_lines
	    WHERE product_id = $pid")" = "12 11" ]
	[ "$(sql "SELECT stock FROM san.products WHERE id = $pid")" = 0 ]
	[ "$(sql "SELECT count(*) FROM san.order_groups
	    WHERE buyer_id IN ($(buyer_ids "$dir"))")" = 10 ]
	[ "$(sql "SELECT count(*) FROM san.orders
	    WHERE buyer_id IN ($(buyer_ids "$dir"))")" = 10 ]
	# Stock never went below zero while the race ran; no deadlock and no
	# violated constraint in the PostgreSQL log.
	stock_samples_ok "$dir/stock"
	pg_log_clean "$log0"
}

@test "200 buyers, qty 1-3 over two stores' products listed in either order: no deadlock, nothing oversold" {
	local dir="$BATS_TEST_TMPDIR/r2" sa pa sb pb n=0 ok no account tok
	local qa qb items log0 sold_a sold_b fired=0
	mkdir -p "$dir"
	read -r sa pa < <(race_seller 10)
	read -r sb pb < <(race_seller 10)
	[ -n "$pa" ] && [ -n "$pb" ]
	sql_buyers $BUYERS "$dir/buyers"
	while read -r account tok; do
		n=$((n + 1))
		qa=$((1 + RANDOM % 3)) qb=$((1 + RANDOM % 3))
		# A third A then B, a third B then A (opposite lock orders if
		# locks followed the body), a sixth each one product alone.
		case $((n % 6)) in
		0|1) items="{\"product_id\":$pa,\"qty\":$qa},{\"product_id\":$pb,\"qty\":$qb}" ;;
		2|3) items="{\"product_id\":$pb,\"qty\":$qb},{\"product_id\":$pa,\"qty\":$qa}" ;;
		4) items="{\"product_id\":$pa,\"qty\":$qa}" ;;
		5) items="{\"product_id\":$pb,\"qty\":$qb}" ;;
		esac
		echo "$account $tok {\"items\":[$items],\"shipping_address\":$ADDRESS,\"payment_method\":\"cod\"}" >"$dir/req.$n"
	done <"$dir/buyers"

	log0=$(pg_log_size)
	stock_watch "$pa" "$dir/stock" 3>&- &
	race_fire "$dir" || fired=$?
	touch "$dir/stock.stop"
	wait
	[ $fired = 0 ]

	ok=$(count_status "$dir" 201)
	no=$(count_status "$dir" 409)
	run race_check "$dir"
	[ "$status" = 0 ] || { echo "$output"; return 1; }
	[ -z "$output" ] || { echo "mismatches:"; echo "$output"; return 1; }
	[ $((ok + no)) = $BUYERS ]
	# The first to commit always fits (10 >= 3): at least one sale.
	[ "$ok" -ge 1 ]
	# Sold = what the 201 answers asked for = lines in the database;
	# stock + sold = 10 for each product.
	sold_a=$(race_sold "$dir" "$pa")
	sold_b=$(race_sold "$dir" "$pb")
	echo "# race 2: $BUYERS buyers, 1-3 units of A and/or B, 10 each in stock: $ok x 201, $no x 409; sold A $sold_a, B $sold_b" >&3
	[ "$(sql "SELECT COALESCE(sum(qty), 0) FROM san.order_lines WHERE product_id = $pa")" = "$sold_a" ]
	[ "$(sql "SELECT COALESCE(sum(qty), 0) FROM san.order_lines WHERE product_id = $pb")" = "$sold_b" ]
	[ "$(sql "SELECT stock FROM san.products WHERE id = $pa")" = $((10 - sold_a)) ]
	[ "$(sql "SELECT stock FROM san.products WHERE id = $pb")" = $((10 - sold_b)) ]
	[ "$sold_a" -le 10 ] && [ "$sold_b" -le 10 ]
	[ "$(sql "SELECT count(*) FROM san.order_groups
	    WHERE buyer_id IN ($(buyer_ids "$dir"))")" = "$ok" ]
	stock_samples_ok "$dir/stock"
	pg_log_clean "$log0"
}

@test "one buyer sending one Idempotency-Key 30 times at once gets one group and the same answer every time" {
	local dir="$BATS_TEST_TMPDIR/r3" slug pid account tok i
	mkdir -p "$dir"
	read -r slug pid < <(race_seller 100)
	sql_buyers 1 "$dir/buyer"
	read -r account tok <"$dir/buyer"
	for i in $(seq 30); do
		echo "$account $tok {\"items\":[{\"product_id\":$pid,\"qty\":3}],\"shipping_address\":$ADDRESS,\"payment_method\":\"cod\"}" >"$dir/req.$i"
	done
	race_fire "$dir" "same-$pid"
	run cut -d' ' -f2 "$dir/codes"
	[ "$(sort -u <<<"$output")" = 201 ] || { cat "$dir/codes"; return 1; }
	# Byte for byte after normalising the JSON layout.
	run bash -c "cd '$dir' && for f in resp.*; do jq -cS . \"\$f\"; done | sort -u | wc -l"
	[ "$output" = 1 ] || { echo "answers differ"; return 1; }
	[ "$(sql "SELECT count(*) FROM san.order_groups
	    WHERE buyer_id = $account")" = 1 ]
	[ "$(sql "SELECT id FROM san.order_groups WHERE buyer_id = $account")" = \
	    "$(jq -r .group_id "$dir/resp.1")" ]
	[ "$(sql "SELECT stock FROM san.products WHERE id = $pid")" = 97 ]
	[ "$(sql "SELECT count(*) FROM san.order_lines
	    WHERE product_id = $pid")" = 1 ]
}
