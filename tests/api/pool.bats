#!/usr/bin/env bats
# Kore 4.1 pgsql pool hygiene (src/db.c, DESIGN.md §2 fact 3) and health.
load helpers

# pg_ctl on the scratch cluster, as its owner.
scratch_pg_ctl() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	else
		"$PGBIN/pg_ctl" -D "$SAN_PG_DIR/data" "$@" 3>&-
	fi
}

# The Kore parent and its workers (Kore renames its processes, so by pid
# file, not by command line).
kore_pids() {
	local parent
	parent=$(cat "$SAN_TEST_DIR/kore.pid")
	echo "$parent $(pgrep -P "$parent" | sort | tr '\n' ' ')"
}

@test "a transaction left open by one request never carries into the next" {
	local i
	# More leaks than there are pooled connections in both workers.
	for i in $(seq 24); do
		api POST /_test/open-tx
		[ "$code" = 200 ]
	done
	for i in $(seq 48); do
		api GET /_test/tx-state
		[ "$code" = 200 ]
		[ "$(jq -r .in_transaction <<<"$body")" = false ] ||
		    { echo "request $i ran inside a leaked transaction"; return 1; }
	done
}

@test "healthz answers 200 with the database up and 503 when it is down" {
	api GET /healthz
	[ "$code" = 200 ]
	[ "$(jq -r .database <<<"$body")" = up ]
	scratch_pg_ctl -m immediate -w stop >/dev/null
	api GET /healthz
	local down=$code downbody=$body
	scratch_pg_ctl -w -l "$SAN_PG_DIR/run/server.log" start >/dev/null
	[ "$down" = 503 ]
	[ "$(jq -r .error.code <<<"$downbody")" = db_unavailable ]
}

@test "a VNPay IPN while the database is down answers VNPay's RspCode 99, so VNPay retries" {
	local out
	scratch_pg_ctl -m immediate -w stop >/dev/null
	out=$("$BATS_TEST_DIRNAME/../providers/paysim" vnpay-ipn \
	    --txn-ref SAN1P1 --amount-vnd 50000 --transaction-no 7700001 2>&1)
	scratch_pg_ctl -w -l "$SAN_PG_DIR/run/server.log" start >/dev/null
	echo "$out"
	[ "${out%% *}" = 200 ]
	[ "$(jq -r .RspCode <<<"${out#* }")" = 99 ]
}

@test "after PostgreSQL restarts the app serves again without restarting Kore" {
	local before i ok=0
	before=$(kore_pids)
	[ "$(wc -w <<<"$before")" -ge 3 ]
	# Warm every pooled connection first.
	for i in $(seq 20); do api GET /api/v1/stores; done
	scratch_pg_ctl -m immediate -w restart -l "$SAN_PG_DIR/run/server.log" >/dev/null
	# Every pooled connection is dead now; db_settle notices it when a
	# request acquires one (the socket holds the server's goodbye) and
	# reconnects first, so not even the first request fails.
	for i in $(seq 20); do
		api GET /api/v1/stores
		[ "$code" = 200 ] && ok=$((ok + 1))
	done
	[ $ok -eq 20 ] || { echo "only $ok of 20 succeeded"; return 1; }
	[ "$(kore_pids)" = "$before" ]
}
