#!/usr/bin/env bats
# Crash recovery (issue 4, "Reliability and performance"; DESIGN.md §7:
# every acknowledged order survives kill -9 of the app and of PostgreSQL;
# the app recovers without a restart).  While four clients place orders
# non-stop, each with a fresh Idempotency-Key and recording every answer:
#   (a) kill -9 one Kore worker (the parent respawns it),
#   (b) kill -9 the whole Kore, parent and workers, and start it again the
#       way scripts/test.sh does (scripts/serve.sh, same environment, same
#       port, output appended to $SAN_SERVER_LOG),
#   (c) kill -9 the PostgreSQL postmaster (a crash: no checkpoint, its
#       backends die with it, WAL replay at start) and start it again;
#       Kore is not touched.
# Meanwhile three payers (issue 13, "Under faults"), one per provider,
# place orders of their own product (never the one locked in (b)), open a
# payment attempt and play the provider's callback (tests/providers/paysim)
# again and again, with the same transaction id, until the provider would
# take it as acknowledged, as providers retry: VNPay's IPN (RspCode 00, or
# 02 "already confirmed"), MoMo's IPN (204) and the bank's VietQR transfer
# webhook (204).
# Then: every acknowledged group exists once with its orders and lines;
# every key without a 201 retried gives the group stored under it, if any,
# or a fresh one, never a second group; stock + units sold = stock before;
# every payment whose IPN was acknowledged is applied exactly once (one
# paid payment, one applied callback, the group's orders all paid) and no
# group is paid twice.
#
# scripts/test.sh fails the run when the server log shows a worker dying.
# The worker killed in (a) is ours: its "(pid) exited" is listed in
# $SAN_TEST_DIR/killed.pids, which that check skips.
load helpers

CLIENTS=4
STOCK=1000000
ADDRESS='{"recipient":"Nguyễn Văn A","phone":"0912345678","address":"12 Trần Hưng Đạo","province":"Tây Ninh","ward":"Phường 1"}'
SERVE="$BATS_TEST_DIRNAME/../../scripts/serve.sh"
PAYSIM="$BATS_TEST_DIRNAME/../providers/paysim"
PAYERS=3
# payer_provider N: the provider payer N pays with.
payer_provider() {
	case $(( ($1 - 1) % 3 )) in
	0) echo vnpay ;;
	1) echo momo ;;
	*) echo vietqr ;;
	esac
}

# pg_ctl on the scratch cluster, as its owner (as in pool.bats).
scratch_pg_ctl() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	else
		"$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	fi
}

# kore_parent, kore_workers: by pid file and parentage (Kore renames its
# processes, so not by command line).
kore_parent() {
	cat "$SAN_TEST_DIR/kore.pid"
}
kore_workers() {
	pgrep -P "$(kore_parent)" | sort -n | paste -sd' '
}

# alive PID...: true while any of them exists.
alive() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# kore_start: the server again as scripts/test.sh starts it (serve.sh
# reads the exported DATABASE_URL, PORT, SAN_TEST_ROUTES, SAN_CONF_OUT and
# provider keys; kore writes the pid file), detached from bats, output
# appended to the same log; waits for /healthz.
kore_start() {
	local i
	setsid sh "$SERVE" >>"$SAN_SERVER_LOG" 2>&1 </dev/null 3>&- &
	for i in $(seq 300); do
		curl -sf -o /dev/null --max-time 2 "$SAN_URL/healthz" && return 0
		sleep 0.1
	done
	echo "kore did not come back" >&2
	return 1
}


# crash_order_body KEY_NUMBER PRODUCT_A PRODUCT_B: the body for the n-th order
# of a client: 1-3 units of A, B or both (deterministic, so a retry sends
# the same body).
crash_order_body() {
	local n=$1 a=$2 b=$3 items
	case $((n % 3)) in
	0) items="{\"product_id\":$a,\"qty\":$((1 + n % 2))}" ;;
	1) items="{\"product_id\":$b,\"qty\":$((1 + n % 3))}" ;;
	2) items="{\"product_id\":$a,\"qty\":1},{\"product_id\":$b,\"qty\":2}" ;;
	esac
	echo "{\"items\":[$items],\"shipping_address\":$ADDRESS,\"payment_method\":\"cod\"}"
}

# place TOKEN KEY BODY OUT: one checkout; prints the status (000: no
# answer); the answer in OUT.
place() {
	curl -s -o "$4" -w '%{http_code}' --max-time 20 -X POST </dev/null \
	    -H "Authorization: Bearer $1" -H "Idempotency-Key: $2" \
	    -H 'Content-Type: application/json' --data-binary "$3" \
	    "$SAN_URL/api/v1/orders" 3>&-
}

# client N TOKEN A B DIR: orders until DIR/stop exists.  Before sending,
# "key n" goes to DIR/sent.N; after, "key status answer" to DIR/log.N.
client() {
	local c=$1 tok=$2 a=$3 b=$4 dir=$5 n=0 key st
	# Failed requests are data here, not errors (bats runs with -e).
	set +e
	while [ ! -e "$dir/stop" ] && [ $n -lt 20000 ]; do
		n=$((n + 1))
		key="crash-$c-$n-$RANDOM"
		echo "$key $n" >>"$dir/sent.$c"
		st=$(place "$tok" "$key" "$(crash_order_body $n "$a" "$b")" \
		    "$dir/out.$c")
		printf '%s %s %s\n' "$key" "$st" \
		    "$(tr -d '\n' <"$dir/out.$c" 2>/dev/null)" >>"$dir/log.$c"
		: >"$dir/out.$c"
		# Do not spin while the server or the database is down.
		[ "$st" = 201 ] || sleep 0.2
	done
}

# payer N TOKEN A DIR: checkouts of 1 unit of A paid with payer N's
# provider until DIR/stop; each: the order (same key again until a 201),
# a payment attempt (until 200/201), then the provider's callback through
# paysim until acknowledged.  Logs "gid ipn-ack CODE provider" to
# DIR/plog.N (CODE: VNPay's RspCode, or the HTTP status), "gid ipn-lost
# provider" when given up.
payer() {
	local c=$1 tok=$2 a=$3 dir=$4 n=0 key st gid purl out t prov
	prov=$(payer_provider "$c")
	set +e
	while [ ! -e "$dir/stop" ] && [ $n -lt 20000 ]; do
		n=$((n + 1))
		key="crashpay-$c-$n-$RANDOM"
		for t in $(seq 100); do
			st=$(place "$tok" "$key" "{\"items\":[{\"product_id\":$a,\"qty\":1}],\"shipping_address\":$ADDRESS,\"payment_method\":\"$prov\"}" "$dir/pout.$c")
			[ "$st" = 201 ] && break
			sleep 0.2
		done
		[ "$st" = 201 ] || continue
		gid=$(jq -r .group_id "$dir/pout.$c")
		echo "$gid $key" >>"$dir/pgroups.$c"
		for t in $(seq 100); do
			st=$(curl -s -o "$dir/purl.$c" -w '%{http_code}' --max-time 20 \
			    -X POST -H "Authorization: Bearer $tok" \
			    -H 'Content-Type: application/json' \
			    --data-binary "{\"provider\":\"$prov\"}" </dev/null \
			    "$SAN_URL/api/v1/order-groups/$gid/payments" 3>&-)
			[ "$st" = 201 ] || [ "$st" = 200 ] && break
			sleep 0.2
		done
		purl=$(jq -r '.payment_url // (.momo_request | select(. != null) | tojson) // .qr_payload // empty' \
		    "$dir/purl.$c" 2>/dev/null)
		[ -n "$purl" ] || { echo "$gid no-payment $st $prov" >>"$dir/plog.$c"; continue; }
		for t in $(seq 150); do
			case $prov in
			vnpay) out=$("$PAYSIM" vnpay-pay "$purl" --base "$SAN_URL" 2>/dev/null 3>&-) ;;
			momo) out=$("$PAYSIM" momo-pay "$purl" --trans-id "9$gid" --base "$SAN_URL" 2>/dev/null 3>&-) ;;
			vietqr) out=$("$PAYSIM" bank-pay "$purl" --transaction-id "CRASH$gid" --base "$SAN_URL" 2>/dev/null 3>&-) ;;
			esac
			case $prov:$out in
			vnpay:*'"RspCode":"00"'*|vnpay:*'"RspCode":"02"'*)
				echo "$gid ipn-ack $(jq -r .RspCode <<<"${out#* }") $prov" >>"$dir/plog.$c"
				continue 2 ;;
			momo:"204 "*|vietqr:"204 "*)
				echo "$gid ipn-ack 204 $prov" >>"$dir/plog.$c"
				continue 2 ;;
			esac
			sleep 0.2
		done
		echo "$gid ipn-lost $prov" >>"$dir/plog.$c"
	done
}

# paid_acks DIR: IPNs acknowledged so far, all payers.
paid_acks() {
	cat "$1"/plog.* 2>/dev/null | awk '$2 == "ipn-ack"' | wc -l
}

# acks DIR: 201 answers so far, all clients.
acks() {
	cat "$1"/log.* 2>/dev/null | awk '$2 == 201' | wc -l
}

# wait_acks DIR N: until N more acknowledgements than now (at most 120 s);
# proves the app serves again.
wait_acks() {
	local want=$(( $(acks "$1") + $2 )) i
	for i in $(seq 600); do
		[ "$(acks "$1")" -ge $want ] && return 0
		sleep 0.2
	done
	echo "no new orders acknowledged: $(acks "$1") of $want" >&2
	return 1
}

teardown() {
	local d="$BATS_TEST_TMPDIR/c"
	[ -d "$d" ] && touch "$d/stop"
	[ -n "${CLIENT_PIDS:-}" ] && kill $CLIENT_PIDS 2>/dev/null
	[ -n "${LOCKER:-}" ] && kill "$LOCKER" 2>/dev/null
	# Leave the server and the database up for the rest of the suite.
	scratch_pg_ctl status >/dev/null 2>&1 ||
	    scratch_pg_ctl -w -l "$SAN_PG_DIR/run/server.log" start >/dev/null
	curl -sf -o /dev/null --max-time 5 "$SAN_URL/healthz" ||
	    alive "$(kore_parent)" || kore_start
	true
}

@test "kill -9 of a worker, of the whole Kore and of the PostgreSQL postmaster during orders and VNPay, MoMo and bank payments: nothing acknowledged is lost or doubled" {
	local dir="$BATS_TEST_TMPDIR/c" sa pa sb pb sc pc account tok c i
	local parent workers victim before after n0 na nb nc retried=0 pm paid0
	local stored=0 fresh=0 key st body gid_db gid n blocked=0 p
	mkdir -p "$dir"
	read -r sa pa < <(race_seller_one "$STOCK")
	read -r sb pb < <(race_seller_one "$STOCK")
	read -r sc pc < <(race_seller_one "$STOCK")
	[ -n "$pa" ] && [ -n "$pb" ] && [ -n "$pc" ]
	sql_buyers $CLIENTS "$dir/buyers"
	sql_buyers $PAYERS "$dir/payers"
	CLIENT_PIDS=""
	c=0
	while read -r account tok; do
		c=$((c + 1))
		client $c "$tok" "$pa" "$pb" "$dir" 3>&- &
		CLIENT_PIDS+=" $!"
	done <"$dir/buyers"
	c=0
	while read -r account tok; do
		c=$((c + 1))
		payer $c "$tok" "$pc" "$dir" 3>&- &
		CLIENT_PIDS+=" $!"
	done <"$dir/payers"
	wait_acks "$dir" 20

	# (a) One worker.  The parent logs its death and starts another.
	parent=$(kore_parent)
	workers=$(kore_workers)
	victim=${workers%% *}
	echo "($victim) exited" >>"$SAN_TEST_DIR/killed.pids"
	kill -9 "$victim"
	n0=$(acks "$dir")
	for i in $(seq 100); do
		after=$(kore_workers)
		[ "$(wc -w <<<"$after")" = "$(wc -w <<<"$workers")" ] &&
		    ! grep -qw "$victim" <<<"$after" && break
		sleep 0.1
	done
	[ "$(kore_parent)" = "$parent" ]
	if grep -qw "$victim" <<<"$after" ||
	    [ "$(wc -w <<<"$after")" != "$(wc -w <<<"$workers")" ]; then
		echo "workers $workers, now $after"
		return 1
	fi
	wait_acks "$dir" 20
	na=$(acks "$dir")

	# (b) The whole Kore, parent first, then the same command again.
	# So that some orders are surely in flight inside PostgreSQL when Kore
	# dies (committed there, never answered), both products are locked
	# first: the clients' next checkouts wait for the lock; Kore dies;
	# the lock goes; they commit with nobody left to answer.
	mkfifo "$dir/lock.fifo"
	"$PGBIN/psql" -X -q -d "$DATABASE_URL" <"$dir/lock.fifo" >/dev/null 3>&- &
	LOCKER=$!
	exec 4>"$dir/lock.fifo"
	echo "SET application_name = 'crash-locker';
	    BEGIN; SELECT 1 FROM san.products WHERE id IN ($pa, $pb) FOR UPDATE;" >&4
	# (Briefly: the cluster ends transactions idle for 30 s.)
	for i in $(seq 40); do
		# The clients' checkouts: those the locker blocks, directly or
		# behind another waiter for the same row (PostgreSQL queues a
		# row's waiters on its tuple lock).  The payers' checkouts of
		# their own product may wait for each other, never for it.
		blocked=$(sql "WITH RECURSIVE w(pid) AS (
		    SELECT pid FROM pg_stat_activity
		     WHERE application_name = 'crash-locker'
		    UNION
		    SELECT a.pid FROM pg_stat_activity a JOIN w
		      ON w.pid = ANY (pg_blocking_pids(a.pid)))
		    SELECT count(*) FROM pg_stat_activity a JOIN w USING (pid)
		     WHERE a.application_name = 'san'
		       AND a.query LIKE '%api.order_place(%'")
		[ "$blocked" -ge $CLIENTS ] && break
		sleep 0.2
	done
	workers=$(kore_workers)
	for i in $workers; do echo "($i) exited" >>"$SAN_TEST_DIR/killed.pids"; done
	kill -9 "$parent" $workers
	for i in $(seq 100); do alive "$parent" $workers || break; sleep 0.1; done
	echo "COMMIT;" >&4
	exec 4>&-
	wait $LOCKER
	LOCKER=""
	if alive "$parent" $workers; then
		echo "Kore survived kill -9"
		return 1
	fi
	# The orphaned checkouts finish (their backends exit on the dead
	# socket).
	for i in $(seq 100); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'san' AND state = 'active'")" = 0 ] && break
		sleep 0.1
	done
	kore_start
	[ "$(kore_parent)" != "$parent" ]
	wait_acks "$dir" 20
	nb=$(acks "$dir")

	# (c) kill -9 of the postmaster; the same Kore serves again.  Its
	# backends notice the death and exit; until the last has, the data
	# directory is still in use and pg_ctl start refuses: try again.
	before="$(kore_parent) $(kore_workers)"
	pm=$(head -1 "$SAN_PG_DIR/data/postmaster.pid")
	paid0=$(paid_acks "$dir")
	kill -9 "$pm"
	for i in $(seq 100); do kill -0 "$pm" 2>/dev/null || break; sleep 0.1; done
	sleep 1
	for i in $(seq 60); do
		scratch_pg_ctl -w -l "$SAN_PG_DIR/run/server.log" start >/dev/null 2>&1 && break
		sleep 0.5
	done
	scratch_pg_ctl status >/dev/null || { echo "PostgreSQL did not restart"; return 1; }
	wait_acks "$dir" 20
	# Payments go on after the crash too.
	for i in $(seq 300); do
		[ "$(paid_acks "$dir")" -gt "$paid0" ] && break
		sleep 0.2
	done
	[ "$(paid_acks "$dir")" -gt "$paid0" ] ||
	    { echo "no payment callback acknowledged after PostgreSQL came back"; return 1; }
	nc=$(acks "$dir")
	[ "$(kore_parent) $(kore_workers)" = "$before" ] ||
	    { echo "Kore restarted: $before -> $(kore_parent) $(kore_workers)"; return 1; }

	touch "$dir/stop"
	wait $CLIENT_PIDS
	CLIENT_PIDS=""
	crash_check_payments "$dir"

	# Every answer, per client: key, status, body.
	cat "$dir"/log.* >"$dir/all"
	echo "# crash: $(wc -l <"$dir/all") requests, $(acks "$dir") acknowledged ($n0 before (a), $na after (a), $nb after (b), $nc after (c)); statuses: $(awk '{ print $2 }' "$dir/all" | sort | uniq -c | awk '{ printf "%s x %s, ", $1, $2 }')" >&3
	# No answer may be anything but 201, a refused or cut connection
	# (000), or the database being unavailable (500/503) during a crash.
	run awk '$2 !~ /^(201|000|500|503)$/' "$dir/all"
	[ -z "$output" ] || { echo "unexpected answers: $output"; return 1; }
	# Requests sent but never logged (a client killed mid-request) count
	# as unanswered too.
	for c in $(seq $CLIENTS); do
		[ "$(wc -l <"$dir/sent.$c")" = "$(wc -l <"$dir/log.$c")" ] ||
		    { echo "client $c: sent and logged differ"; return 1; }
	done

	# Every acknowledged group exists once: this buyer's, this key, the
	# orders of the answer, each order with its lines.
	crash_check_acks "$dir"

	# Every key without a 201: what the database holds for it now, then a
	# retry with the same body; a stored group must come back as is, a
	# missing one must be created fresh; a second retry replays.
	for c in $(seq $CLIENTS); do
		read -r account tok < <(sed -n "${c}p" "$dir/buyers")
		while read -r key st body; do
			[ "$st" = 201 ] && continue
			n=$(awk -v k="$key" '$1 == k { print $2 }' "$dir/sent.$c")
			gid_db=$(sql "SELECT id FROM san.order_groups
			    WHERE buyer_id = $account AND idempotency_key = '$key'")
			st=$(place "$tok" "$key" "$(crash_order_body "$n" "$pa" "$pb")" "$dir/retry")
			[ "$st" = 201 ] || { echo "retry of $key: $st $(cat "$dir/retry")"; return 1; }
			gid=$(jq -r .group_id "$dir/retry")
			if [ -n "$gid_db" ]; then
				[ "$gid" = "$gid_db" ] || { echo "retry of $key: group $gid, stored $gid_db"; return 1; }
				stored=$((stored + 1))
			else
				fresh=$((fresh + 1))
			fi
			st=$(place "$tok" "$key" "$(crash_order_body "$n" "$pa" "$pb")" "$dir/again")
			[ "$st" = 201 ] && [ "$(jq -r .group_id "$dir/again")" = "$gid" ] ||
			    { echo "second retry of $key: $st $(cat "$dir/again")"; return 1; }
			printf '%s 201 %s\n' "$key" "$(tr -d '\n' <"$dir/retry")" >>"$dir/retried"
			retried=$((retried + 1))
		done <"$dir/log.$c"
	done
	echo "# crash: $retried keys without a 201 retried: $stored had a stored group (committed, answer lost), $fresh placed fresh; $blocked checkouts were waiting in PostgreSQL when Kore was killed" >&3
	# Those that waited for the lock were committed without an answer.
	[ "$blocked" -ge 1 ] && [ "$stored" -ge "$blocked" ]

	# Now every key the clients sent has exactly one group, and there is
	# no other group for these buyers; the retried ones check like acks.
	[ -s "$dir/retried" ] && crash_check_acks "$dir" "$dir/retried"
	[ "$(sql "SELECT count(*) FROM san.order_groups
	    WHERE buyer_id IN ($(cut -d' ' -f1 "$dir/buyers" | paste -sd,))")" = \
	    "$(cat "$dir"/sent.* | wc -l)" ]
	# No half-written group (answer never stored), no order without lines.
	[ "$(sql "SELECT count(*) FROM san.order_groups g
	    WHERE g.buyer_id IN ($(cut -d' ' -f1 "$dir/buyers" | paste -sd,))
	      AND (g.response IS NULL OR NOT EXISTS (SELECT 1 FROM san.orders o
		JOIN san.order_lines l ON l.order_id = o.id
		WHERE o.group_id = g.id))")" = 0 ]
	# Stock + units sold = stock before, for both products.
	for p in "$pa" "$pb"; do
		[ "$(sql "SELECT p.stock + COALESCE((SELECT sum(qty)
		    FROM san.order_lines WHERE product_id = p.id), 0)
		    FROM san.products p WHERE p.id = $p")" = "$STOCK" ]
	done
}

# race_seller_one STOCK: a merchant with a flat-fee shipping method and
# one active product with STOCK units; prints "slug product_id".
race_seller_one() {
	local id tok biz slug cat pid TOKEN
	read -r id tok biz slug < <(new_merchant) || return 1
	TOKEN=$tok api PUT "/api/v1/stores/$slug/shipping-methods" \
	    '{"methods":[{"carrier":"own","name":"Giao tận nơi","fee_rule":"flat","fee_vnd":15000}]}'
	[ "$code" = 200 ] || { echo "shipping: $code $body" >&2; return 1; }
	cat=$(sql "SELECT min(id) FROM san.categories")
	pid=$(new_product "$tok" "$slug" "$(product_body "$cat" \
	    "Muối tôm Tây Ninh" 30000 \
	    "{\"status\":\"active\",\"stock\":$1}")") || return 1
	echo "$slug $pid"
}

# crash_check_acks DIR [FILE]: every "key 201 answer" line of FILE
# (default: all client logs) against the database; fails with the
# mismatches.  Per key: one group, this buyer's, the group_id of the
# answer, the answer's orders exactly, every order with lines.
crash_check_acks() {
	local dir=$1 file=${2:-} c out
	: >"$dir/acks.csv"
	for c in $(seq $CLIENTS); do
		read -r account tok < <(sed -n "${c}p" "$dir/buyers")
		awk '$2 == 201' "${file:-$dir/log.$c}" |
		    grep "^crash-$c-" |
		    while read -r key st body; do
			jq -r --arg k "$key" --arg a "$account" \
			    '[$a, $k, .group_id, ([.orders[].id] | sort | tojson)] | @csv' \
			    <<<"$body"
		    done >>"$dir/acks.csv"
	done
	out=$("$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "CREATE TEMP TABLE acks (account bigint, key text, gid bigint,
		oids jsonb)" \
	    -c "\\copy acks FROM '$dir/acks.csv' WITH (FORMAT csv)" \
	    -c "SELECT format('%s: answered group %s orders %s; database: %s groups %s orders %s lines %s',
		  a.key, a.gid, a.oids, x.n, x.ids, d.oids, d.lines)
		  FROM acks a
		  CROSS JOIN LATERAL (SELECT count(*) AS n, min(g.id) AS id,
			string_agg(g.id::text, ',') AS ids
		      FROM san.order_groups g
		     WHERE g.buyer_id = a.account AND g.idempotency_key = a.key
		       AND g.response IS NOT NULL) x
		  LEFT JOIN LATERAL (
			SELECT jsonb_agg(o.id ORDER BY o.id) AS oids,
			    bool_and(EXISTS (SELECT 1 FROM san.order_lines l
				WHERE l.order_id = o.id)) AS lines
			  FROM san.orders o WHERE o.group_id = x.id) d ON true
		 WHERE NOT (x.n = 1 AND x.id = a.gid AND d.oids = a.oids
		    AND d.lines)")
	[ -z "$out" ] || { echo "acknowledged but not as answered:"; echo "$out"; return 1; }
	echo "# crash: $(wc -l <"$dir/acks.csv") acknowledged groups checked against the database" >&3
}

# crash_check_payments DIR: every group whose IPN was acknowledged has
# exactly one paid payment, exactly one applied callback, a paid_at, and
# all its orders paid; no group of the payers is paid twice; every payer
# group's payment was acknowledged but at most the one in hand at the end.
crash_check_payments() {
	local dir=$1 ids n lost out p
	cat "$dir"/plog.* 2>/dev/null | awk '$2 == "ipn-ack" { print $1 }' |
	    sort -u >"$dir/paid"
	n=$(wc -l <"$dir/paid")
	lost=$(cat "$dir"/plog.* 2>/dev/null | awk '$2 != "ipn-ack"' | wc -l)
	echo "# crash: $n payments acknowledged by the provider's callback ($(cat "$dir"/plog.* |
	    awk '$2 == "ipn-ack" { print $4 " " $3 }' | sort | uniq -c |
	    awk '{ printf "%s x %s %s, ", $1, $2, $3 }')), $lost given up; $(cat "$dir"/pgroups.* | wc -l) payer groups placed" >&3
	for p in vnpay momo vietqr; do
		cat "$dir"/plog.* | awk -v p=$p '$2 == "ipn-ack" && $4 == p' | grep -q . ||
		    { echo "no $p payment acknowledged"; return 1; }
	done
	[ "$lost" = 0 ] || { echo "payments never acknowledged: $(cat "$dir"/plog.* | awk '$2 != "ipn-ack"')"; return 1; }
	ids=$(paste -sd, "$dir/paid")
	out=$(sql "SELECT string_agg(g.id || ': paid payments ' || pp.n || ', applied callbacks ' || cb.n
		|| ', paid_at ' || COALESCE(x.paid_at::text, 'none') || ', orders not paid ' || op.n, '; ')
	  FROM unnest('{$ids}'::bigint[]) AS g(id)
	  JOIN san.order_groups x ON x.id = g.id
	  CROSS JOIN LATERAL (SELECT count(*) AS n FROM san.payments p
		WHERE p.group_id = g.id AND p.status = 'paid') pp
	  CROSS JOIN LATERAL (SELECT count(*) AS n FROM san.payment_callbacks c
		JOIN san.payments p ON p.id = c.payment_id
		WHERE p.group_id = g.id AND c.outcome = 'applied') cb
	  CROSS JOIN LATERAL (SELECT count(*) AS n FROM san.orders o
		WHERE o.group_id = g.id AND o.status <> 'paid') op
	 WHERE pp.n <> 1 OR cb.n <> 1 OR x.paid_at IS NULL OR op.n <> 0")
	[ -z "$out" ] || { echo "acknowledged payments not applied exactly once: $out"; return 1; }
	[ "$(sql "SELECT count(*) FROM (SELECT group_id FROM san.payments
	    WHERE status = 'paid' GROUP BY group_id HAVING count(*) > 1) d")" = 0 ] ||
	    { echo "groups paid twice"; return 1; }
}
