#!/usr/bin/env bash
# The cluster test (issue 13): San as it runs on several machines, on this
# one.  A primary PostgreSQL and a streaming hot standby made with
# pg_basebackup (scratch clusters, Unix sockets), two San nodes on
# different ports (as the application role san_app; public reads go to
# the replica, SAN_REPLICA_URL), Debian's nginx in front (an upstream with
# both; proxy_next_upstream retries only idempotent requests, nginx's
# default since 1.9.13, stated in the configuration).
#
#   1. the replica streams and serves the public reads;
#   1b. replay paused on the replica (pg_wal_replay_pause) while the
#      primary takes a write: once the lag passes SAN_REPLICA_MAX_LAG_MS
#      (default 1000) the reads go to the primary, and back to the
#      replica after pg_wal_replay_resume (transactions counted on both);
#   2. under a steady mixed load (wrk reads, checkouts, VNPay payments and
#      their IPN callbacks through nginx), kill -9 of one San node (parent
#      and workers): nginx keeps serving; every acknowledged order exists
#      once, every acknowledged payment is applied once, stock + sold is
#      constant; read errors are counted (only in-flight ones allowed);
#   3. the order-expiry job runs on both nodes (4 workers) and expires each
#      overdue order once, returning its stock once;
#   3b. the statistics snapshot job runs on both nodes every second: one
#      change to a stock indicator is written once;
#   3c. the monitoring rescan of a new rule runs on both nodes: every
#      matching listing gets one alert, every listing is scanned once;
#   4. the replica stopped under reads: the reads keep succeeding (from the
#      primary).
#
# Usage: tests/cluster/run.sh [--short]   (make cluster-test; --short is the
# variant make test runs, under 2 minutes).  Prints TAP and a last line
# "cluster: N passed, N failed"; exit status 0 when all passed.
# SAN_KEEP_CLUSTER_DIR=1 keeps /tmp/san-cluster.* (logs, nginx access log).
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/lib.sh"
SAN_ROOT=$ROOT
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export PGBIN
# Run from scripts/test.sh, the environment names its own cluster and
# server: nothing of that may reach the nodes started here.
unset SAN_APP_DATABASE_URL SAN_REPLICA_URL SAN_TEST_ROUTES SAN_SERVER_LOG \
    SAN_CONF_OUT PORT SAN_URL

if [ "${1:-}" = --short ]; then
	LOAD_S=12 READ_S=6 CLIENTS=3 PAYERS=1 WRK_C=4 EXPIRE_N=6 RESCAN_N=1500
else
	LOAD_S=60 READ_S=30 CLIENTS=6 PAYERS=2 WRK_C=8 EXPIRE_N=60 RESCAN_N=20000
fi
STOCK=1000000

# --- TAP --------------------------------------------------------------
tap_n=0 tap_fail=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1)); echo "not ok $tap_n $*"; }
diag() { printf '# %s\n' "$@"; }
# check DESCRIPTION: ok when $problems is empty, else not ok with them.
check() {
	if [ -z "$problems" ]; then ok "$1"; else
		not_ok "$1"; printf '%s\n' "$problems" | sed 's/^/#   /'; fi
}
finish() {
	echo "1..$tap_n"
	echo "cluster: $((tap_n - tap_fail)) passed, $tap_fail failed"
	[ "$tap_fail" -eq 0 ]
}

# --- scratch directory and cleanup -------------------------------------
DIR=$(mktemp -d /tmp/san-cluster.XXXXXX)
chmod 755 "$DIR"
NODE_PARENTS=""
cleanup() {
	local p
	[ -e "$DIR/stop" ] || touch "$DIR/stop"
	for p in ${BG_PIDS:-}; do kill "$p" 2>/dev/null; done
	[ -f "$DIR/nginx/nginx.pid" ] && kill "$(cat "$DIR/nginx/nginx.pid")" 2>/dev/null
	for p in 1 2; do
		[ -f "$DIR/node$p/kore.pid" ] && kill "$(cat "$DIR/node$p/kore.pid")" 2>/dev/null
	done
	sleep 1
	pg_cluster_down "$DIR/replica"
	pg_cluster_down "$DIR/primary"
	if [ "${SAN_KEEP_CLUSTER_DIR:-0}" = 1 ]; then
		echo "# kept $DIR" >&2
	else
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
	local p=$1
	while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; do p=$((p + 1)); done
	echo "$p"
}

# --- databases ----------------------------------------------------------
PRIMARY=$(pg_cluster_up "$DIR/primary") || { not_ok "primary cluster"; finish; exit 1; }
PSOCK="$DIR/primary/run"
# PostgreSQL 15's defaults stream already (wal_level replica,
# max_wal_senders 10; initdb's pg_hba trusts local replication).
DATABASE_URL=$PRIMARY sh "$ROOT/scripts/migrate.sh" >"$DIR/migrate.log" 2>&1 ||
    { not_ok "migrations"; cat "$DIR/migrate.log" | sed 's/^/# /'; finish; exit 1; }

mkdir -p "$DIR/replica/run"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR/replica" "$DIR/replica/run"
pg_as_owner "$PGBIN/pg_basebackup" -h "$PSOCK" -U san -D "$DIR/replica/data" \
    -R -X stream -c fast >"$DIR/basebackup.log" 2>&1 ||
    { not_ok "pg_basebackup"; sed 's/^/# /' "$DIR/basebackup.log"; finish; exit 1; }
cat >>"$DIR/replica/data/postgresql.conf" <<CONF
unix_socket_directories = '$DIR/replica/run'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 5s
CONF
pg_as_owner "$PGBIN/pg_ctl" -D "$DIR/replica/data" -w -t 60 \
    -l "$DIR/replica/run/server.log" start >/dev/null ||
    { not_ok "replica start"; finish; exit 1; }
REPLICA="postgresql:///san?host=$DIR/replica/run&user=san"
REPLICA_APP=$(san_app_url "$REPLICA")

psql_p() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$PRIMARY" -c "$1"; }
psql_r() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$REPLICA" -c "$1"; }

# --- San nodes and nginx -------------------------------------------------
. "$ROOT/tests/providers/test-keys.sh"
P1=$(free_port $((30000 + $$ % 10000)))
P2=$(free_port $((P1 + 1)))
PN=$(free_port $((P2 + 1)))
NODE_PORT_1=$P1 NODE_PORT_2=$P2
URL="http://127.0.0.1:$PN"

# start_node N: San node N (2 workers) as the app role, replica reads.
start_node() {
	local n=$1 port i
	port=$(eval echo "\$NODE_PORT_$n")
	mkdir -p "$DIR/node$n"
	DATABASE_URL=$PRIMARY SAN_APP_DATABASE_URL=$(san_app_url "$PRIMARY") \
	    SAN_REPLICA_URL=$REPLICA_APP PORT=$port \
	    WORKERS=2 SAN_TRUST_PROXY=1 SAN_CONF_OUT="$DIR/node$n/san.conf" \
	    SAN_PUBLIC_URL="$URL" SAN_STATS_SNAPSHOT_MS=1000 \
	    setsid sh "$ROOT/scripts/serve.sh" >>"$DIR/node$n/server.log" 2>&1 </dev/null &
	disown $!	# its kill -9 is on purpose: no "Killed" from bash
	for i in $(seq 200); do
		curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" && return 0
		sleep 0.1
	done
	return 1
}
# kill_node N: kill -9 of node N's parent and workers at once.
kill_node() {
	local parent
	parent=$(cat "$DIR/node$1/kore.pid")
	# shellcheck disable=SC2046
	kill -9 "$parent" $(pgrep -P "$parent") 2>/dev/null
	rm -f "$DIR/node$1/kore.pid"
}

start_node 1 && start_node 2 || { not_ok "San nodes start"; finish; exit 1; }

mkdir -p "$DIR/nginx/tmp" "$DIR/nginx/logs"
chmod 1777 "$DIR/nginx/tmp"
cat >"$DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
	log_format up '\$request_method \$status \$uri [\$upstream_addr] [\$upstream_status]';
	access_log $DIR/nginx/access.log up;
	client_body_temp_path $DIR/nginx/tmp/body;
	proxy_temp_path $DIR/nginx/tmp/proxy;
	fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
	uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
	scgi_temp_path $DIR/nginx/tmp/scgi;
	upstream san {
		server 127.0.0.1:$P1 max_fails=1 fail_timeout=5s;
		server 127.0.0.1:$P2 max_fails=1 fail_timeout=5s;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:$PN;
		client_max_body_size 4m;
		location / {
			proxy_pass http://san;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$host;
			proxy_set_header X-Real-IP \$remote_addr;
			# A request that failed on one node goes to the other only
			# when it is idempotent (no non_idempotent here): a POST
			# already sent is never sent twice.
			proxy_next_upstream error timeout http_502 http_503 http_504;
			proxy_next_upstream_tries 2;
			proxy_connect_timeout 1s;
			proxy_read_timeout 30s;
		}
	}
}
CONF
nginx -p "$DIR/nginx" -e "$DIR/nginx/error.log" -c "$DIR/nginx/nginx.conf" ||
    { not_ok "nginx start"; finish; exit 1; }
for i in $(seq 100); do
	curl -sf -o /dev/null --max-time 2 "$URL/healthz" && break
	sleep 0.1
done

# --- fixture: a seller, a product, buyers (through nginx) ---------------
export SAN_URL=$URL DATABASE_URL=$PRIMARY
# shellcheck source=../api/helpers.bash
. "$ROOT/tests/api/helpers.bash"
read -r _ MTOK _ SLUG < <(new_merchant) || { not_ok "fixture: merchant"; finish; exit 1; }
TOKEN=$MTOK api PUT "/api/v1/stores/$SLUG/shipping-methods" \
    '{"methods":[{"carrier":"own","name":"Giao tận nơi","fee_rule":"flat","fee_vnd":15000}]}'
[ "$code" = 200 ] || { not_ok "fixture: shipping $code"; finish; exit 1; }
CAT=$(psql_p "SELECT min(id) FROM san.categories WHERE policy = 'normal'")
PID=$(new_product "$MTOK" "$SLUG" "$(product_body "$CAT" "Muối tôm Tây Ninh" 30000 \
    "{\"status\":\"active\",\"stock\":$STOCK}")") || { not_ok "fixture: product"; finish; exit 1; }
sql_buyers $((CLIENTS + PAYERS + 1)) "$DIR/buyers" || { not_ok "fixture: buyers"; finish; exit 1; }
# Read paths: the public reads nginx spreads over both nodes.
{
	echo "/api/v1/products?limit=20"
	echo "/api/v1/products?q=muoi%20tom"
	echo "/api/v1/products?q=b%C3%A1nh&sort=newest"
	echo "/api/v1/products/$PID"
	echo "/api/v1/stores"
	echo "/api/v1/stores/$SLUG"
	echo "/api/v1/stores/$SLUG/products"
	echo "/api/v1/categories"
} >"$DIR/paths"
export WRK_PATHS="$DIR/paths" WRK_REPORT="$ROOT/bench/report.lua"
# wrk_reads SECONDS OUT: GET load through nginx; OUT gets "WRK rps p50
# p99 errors" (errors: sockets and non-2xx) and wrk's own summary.
wrk_reads() {
	wrk -t 2 -c "$WRK_C" -d "${1}s" -s "$ROOT/bench/paths.lua" "$URL" >"$2" 2>&1
}
# Until the replica has the product (replay caught up).
for i in $(seq 100); do
	[ "$(psql_r "SELECT count(*) FROM san.products WHERE id = $PID")" = 1 ] && break
	sleep 0.1
done

diag "set-up (clusters, migrations, base backup, nodes, nginx, fixture) took $SECONDS s"

# --- 1. replica ---------------------------------------------------------
problems=""
[ "$(psql_r "SELECT pg_is_in_recovery()")" = t ] || problems+="replica not in recovery"$'\n'
st=$(psql_p "SELECT string_agg(state, ',') FROM pg_stat_replication")
[ "$st" = streaming ] || problems+="pg_stat_replication: '$st'"$'\n'
rx0=$(psql_r "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
px0=$(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
wrk_reads 3 "$DIR/wrk0.txt"
read -r _ rps _ _ rerr < <(grep '^WRK' "$DIR/wrk0.txt")
sleep 0.6	# statistics are flushed at most every 0.5 s
rx1=$(psql_r "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
px1=$(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
reads=$(awk '/requests in/ {print $1}' "$DIR/wrk0.txt")
[ "${rerr:-1}" = 0 ] || problems+="read errors: ${rerr:-none reported}"$'\n'
# The reads were transactions on the replica, not the primary (backends
# flush their statistics at most once a second: some are not counted yet).
[ $((rx1 - rx0)) -ge $((reads / 2)) ] && [ $((px1 - px0)) -le $((reads / 10 + 20)) ] ||
    problems+="replica transactions $((rx1 - rx0)), primary $((px1 - px0)) for $reads reads"$'\n'
users=$(psql_r "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity WHERE application_name = 'san'")
[ "$users" = san_app ] || problems+="replica sessions as '$users'"$'\n'
check "replica: hot standby streaming from the primary serves the public reads as san_app"
diag "reads $reads (${rps} req/s), replica transactions $((rx1 - rx0)), primary $((px1 - px0)), errors ${rerr:-?}"

# --- 1b. replica lagging: replay paused ----------------------------------
# reads_split SECONDS OUT: wrk reads; sets reads, rerr, rxd and pxd
# (transactions committed on the replica and on the primary meanwhile).
reads_split() {
	local rx0 px0
	rx0=$(psql_r "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
	px0=$(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
	wrk_reads "$1" "$2"
	sleep 0.6
	rxd=$(( $(psql_r "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'") - rx0 ))
	pxd=$(( $(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'") - px0 ))
	reads=$(awk '/requests in/ {print $1}' "$2")
	read -r _ _ _ _ rerr < <(grep '^WRK' "$2")
}
problems=""
psql_r "SELECT pg_wal_replay_pause()" >/dev/null || problems+="pg_wal_replay_pause failed"$'\n'
# A product published while the replica stands still: the replica has
# received it (the stream goes on) but not replayed it.
LAGPID=$(new_product "$MTOK" "$SLUG" "$(product_body "$CAT" "Bánh tráng phơi sương" 25000 \
    '{"status":"active","stock":5}')") || problems+="product during the pause"$'\n'
sleep 2	# the bound (1000 ms by default) passes; the nodes check every 250 ms
[ "$(psql_r "SELECT count(*) FROM san.products WHERE id = ${LAGPID:-0}")" = 0 ] ||
    problems+="the paused replica has the new product"$'\n'
st=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/products/${LAGPID:-0}")
[ "$st" = 200 ] || problems+="the new product through nginx: $st (a stale read)"$'\n'
reads_split 3 "$DIR/wrk-lag.txt"
lag_reads=$reads lag_rx=$rxd lag_px=$pxd
[ "${rerr:-1}" = 0 ] || problems+="read errors with the replica lagging: ${rerr:-none reported}"$'\n'
# Only the nodes' lag checks (2 nodes x 2 workers x 4 a second) reach the
# replica; the reads are the primary's.
[ "$lag_px" -ge $((lag_reads / 2)) ] && [ "$lag_rx" -le $((lag_reads / 10 + 100)) ] ||
    problems+="lagging: replica transactions $lag_rx, primary $lag_px for $lag_reads reads"$'\n'
psql_r "SELECT pg_wal_replay_resume()" >/dev/null || problems+="pg_wal_replay_resume failed"$'\n'
for i in $(seq 100); do
	[ "$(psql_r "SELECT count(*) FROM san.products WHERE id = ${LAGPID:-0}")" = 1 ] && break
	sleep 0.1
done
sleep 2
reads_split 3 "$DIR/wrk-back.txt"
[ "${rerr:-1}" = 0 ] || problems+="read errors after the replica caught up: ${rerr:-none reported}"$'\n'
# An idle backend may flush its statistics up to 10 s late (PostgreSQL
# 15): some of the primary's reads of the paused phase land here.
[ "$rxd" -ge $((reads / 2)) ] && [ "$pxd" -le $((reads / 4 + 20)) ] ||
    problems+="caught up: replica transactions $rxd, primary $pxd for $reads reads"$'\n'
behind=$(cat "$DIR"/node*/server.log | grep -c 'db: replica [0-9]* ms behind')
back=$(cat "$DIR"/node*/server.log | grep -c 'db: replica caught up')
[ "$behind" -ge 1 ] && [ "$back" -ge 1 ] || problems+="workers logged $behind 'behind', $back 'caught up'"$'\n'
check "replica lagging (replay paused) past SAN_REPLICA_MAX_LAG_MS: reads move to the primary, and back once it catches up"
diag "replay paused: reads $lag_reads, replica transactions $lag_rx (lag checks), primary $lag_px; resumed: reads $reads, replica $rxd, primary $pxd; workers that logged 'behind' $behind, 'caught up' $back"

# --- 2. kill -9 of one node under load ----------------------------------
# place TOKEN KEY BODY OUT: one checkout through nginx; prints the status.
place() {
	curl -s -o "$4" -w '%{http_code}' --max-time 30 -X POST </dev/null \
	    -H "Authorization: Bearer $1" -H "Idempotency-Key: $2" \
	    -H 'Content-Type: application/json' --data-binary "$3" \
	    "$URL/api/v1/orders"
}
ADDRESS='{"recipient":"Nguyễn Văn A","phone":"0912345678","address":"12 Trần Hưng Đạo","province":"Tây Ninh","ward":"Phường 1"}'
order_json() {	# N METHOD: 1-3 units, deterministic (a retry sends the same)
	echo "{\"items\":[{\"product_id\":$PID,\"qty\":$((1 + $1 % 3))}],\"shipping_address\":$ADDRESS,\"payment_method\":\"$2\"}"
}
# checkout_until_answered TOKEN KEY BODY OUT LOG: like a client behind a
# proxy: a 502/503/504 or no answer is retried with the same key until a
# real answer (at most 60 tries); logs "epoch_ms key status" per try.
checkout_until_answered() {
	local tok=$1 key=$2 body=$3 out=$4 log=$5 t st
	for t in $(seq 60); do
		st=$(place "$tok" "$key" "$body" "$out")
		echo "$(date +%s%3N) $key $st" >>"$log"
		case $st in
		000|502|503|504) sleep 0.2 ;;
		*) echo "$st"; return 0 ;;
		esac
	done
	echo "$st"
}
# client N TOKEN: cash-on-delivery checkouts until $DIR/stop.
client() {
	local c=$1 tok=$2 n=0 key st
	while [ ! -e "$DIR/stop" ]; do
		n=$((n + 1))
		key="cl-$c-$n-$RANDOM"
		st=$(checkout_until_answered "$tok" "$key" "$(order_json $n cod)" \
		    "$DIR/out.$c" "$DIR/tries.$c")
		echo "$(date +%s%3N) $key $st $(jq -c '{g: .group_id, o: [.orders[]?.id]}' "$DIR/out.$c" 2>/dev/null)" >>"$DIR/log.$c"
	done
}
# payer N TOKEN: VNPay checkouts, a payment attempt, the gateway's IPN
# (paysim, through nginx) repeated until VNPay's acknowledgement
# (RspCode 00, or 02: already confirmed) like VNPay does.
payer() {
	local c=$1 tok=$2 n=0 key st gid purl out t
	while [ ! -e "$DIR/stop" ]; do
		n=$((n + 1))
		key="pay-$c-$n-$RANDOM"
		st=$(checkout_until_answered "$tok" "$key" "$(order_json $n vnpay)" \
		    "$DIR/pout.$c" "$DIR/ptries.$c")
		[ "$st" = 201 ] || { echo "$key order $st" >>"$DIR/plog.$c"; continue; }
		gid=$(jq -r .group_id "$DIR/pout.$c")
		for t in $(seq 30); do
			st=$(curl -s -o "$DIR/purl.$c" -w '%{http_code}' --max-time 30 \
			    -X POST -H "Authorization: Bearer $tok" \
			    -H 'Content-Type: application/json' \
			    --data-binary '{"provider":"vnpay"}' </dev/null \
			    "$URL/api/v1/order-groups/$gid/payments")
			[ "$st" = 201 ] || [ "$st" = 200 ] && break
			sleep 0.2
		done
		purl=$(jq -r '.payment_url // empty' "$DIR/purl.$c" 2>/dev/null)
		[ -n "$purl" ] || { echo "$key payment $st" >>"$DIR/plog.$c"; continue; }
		for t in $(seq 30); do
			out=$("$ROOT/tests/providers/paysim" vnpay-pay "$purl" --base "$URL" 2>/dev/null)
			case $out in
			*'"RspCode":"00"'*|*'"RspCode":"02"'*)
				echo "$(date +%s%3N) $gid ipn-ack $(jq -r .RspCode <<<"${out#* }")" >>"$DIR/plog.$c"
				break ;;
			esac
			sleep 0.2
		done
	done
}

stock0=$(psql_p "SELECT stock FROM san.products WHERE id = $PID")
rm -f "$DIR/stop"
BG_PIDS=""
wrk_reads "$LOAD_S" "$DIR/wrk1.txt" &
WRK_PID=$!
BG_PIDS+=" $WRK_PID"
c=0
while read -r _ tok; do
	c=$((c + 1))
	if [ $c -le "$CLIENTS" ]; then
		client $c "$tok" &
	elif [ $c -le $((CLIENTS + PAYERS)) ]; then
		payer $c "$tok" &
	else
		EXP_TOKEN=$tok
		continue
	fi
	BG_PIDS+=" $!"
done <"$DIR/buyers"
sleep $((LOAD_S / 3))
kill_ms=$(date +%s%3N)
kill_node 1
sleep $((LOAD_S - LOAD_S / 3))
touch "$DIR/stop"
wait $WRK_PID
# The clients finish the request in hand (retries included).
for p in $BG_PIDS; do wait "$p" 2>/dev/null; done
BG_PIDS=""
# Node 1 back for the rest (and to show it rejoins).
start_node 1 || diag "node 1 did not restart"

problems=""
cat "$DIR"/log.* >"$DIR/all.log"
cat "$DIR"/tries.* "$DIR"/ptries.* 2>/dev/null >"$DIR/all.tries"
acked=$(awk '$3 == 201' "$DIR/all.log" | wc -l)
after_kill=$(awk -v k="$kill_ms" '$3 == 201 && $1 > k' "$DIR/all.log" | wc -l)
unanswered=$(awk '$3 != 201' "$DIR/all.log" | wc -l)
retried=$(awk '$3 ~ /^(000|502|503|504)$/' "$DIR/all.tries" | wc -l)
# Every acknowledged key: exactly one group, the answer's, with its orders.
awk '$3 == 201 {print $2, $4}' "$DIR/all.log" | while read -r key js; do
	jq -r --arg k "$key" '"\($k) \(.g) \(.o | map(tostring) | join(","))"' <<<"$js"
done >"$DIR/acks.txt"
bad=$("$PGBIN/psql" -X -q -At -d "$PRIMARY" <<SQL 2>&1
CREATE TEMP TABLE a (k text, g bigint, o text);
\copy a FROM '$DIR/acks.txt' WITH (DELIMITER ' ')
SELECT count(*) FROM a
 WHERE (SELECT count(*) FROM san.order_groups g WHERE g.idempotency_key = a.k) <> 1
    OR NOT EXISTS (SELECT 1 FROM san.order_groups g WHERE g.id = a.g AND g.idempotency_key = a.k)
    OR (SELECT string_agg(o.id::text, ',' ORDER BY o.id) FROM san.orders o WHERE o.group_id = a.g) <> a.o;
SQL
)
[ "$bad" = 0 ] || problems+="acknowledged orders missing, doubled or different: $bad"$'\n'
groups=$(psql_p "SELECT count(*) FROM san.order_groups WHERE idempotency_key LIKE 'cl-%'")
keys=$(awk '{print $2}' "$DIR"/tries.* | sort -u | wc -l)
# Groups that exist are acknowledged ones, plus at most the keys that
# never got an answer (none, normally).
[ "$groups" -ge "$acked" ] && [ "$groups" -le $((acked + unanswered)) ] ||
    problems+="groups $groups for $acked acknowledged keys ($unanswered unanswered)"$'\n'
[ "$keys" -ge "$groups" ] || problems+="more groups ($groups) than keys sent ($keys)"$'\n'
sold=$(psql_p "SELECT coalesce(sum(l.qty), 0) FROM san.order_lines l
	JOIN san.orders o ON o.id = l.order_id
	WHERE l.product_id = $PID AND o.status NOT IN ('expired', 'cancelled')")
stock1=$(psql_p "SELECT stock FROM san.products WHERE id = $PID")
[ $((stock1 + sold)) = "$STOCK" ] || problems+="stock $stock1 + sold $sold != $STOCK"$'\n'
[ "$after_kill" -gt 0 ] || problems+="no order acknowledged after the kill"$'\n'
# Payments: every group whose IPN VNPay saw acknowledged is paid, once.
cat "$DIR"/plog.* 2>/dev/null | awk '$3 == "ipn-ack" {print $2}' | sort -u >"$DIR/paid.txt"
paid_acks=$(wc -l <"$DIR/paid.txt")
if [ "$paid_acks" -gt 0 ]; then
	ids=$(paste -sd, "$DIR/paid.txt")
	pbad=$(psql_p "SELECT count(*) FROM unnest('{$ids}'::bigint[]) AS g(id)
		WHERE (SELECT count(*) FROM san.payments p WHERE p.group_id = g.id
			AND p.status = 'paid') <> 1
		   OR EXISTS (SELECT 1 FROM san.orders o WHERE o.group_id = g.id
			AND o.status <> 'paid')
		   OR (SELECT paid_at FROM san.order_groups x WHERE x.id = g.id) IS NULL")
	[ "$pbad" = 0 ] || problems+="acknowledged payments not applied exactly once: $pbad"$'\n'
fi
doubled=$(psql_p "SELECT count(*) FROM (SELECT group_id FROM san.payments
	WHERE status = 'paid' GROUP BY group_id HAVING count(*) > 1) d")
[ "$doubled" = 0 ] || problems+="groups paid twice: $doubled"$'\n'
read -r _ rps _ _ rerr < <(grep '^WRK' "$DIR/wrk1.txt")
reads=$(awk '/requests in/ {print $1}' "$DIR/wrk1.txt")
# GET errors: at most the requests in flight at the kill (wrk connections).
[ -n "${rerr:-}" ] && [ "$rerr" -le "$WRK_C" ] || problems+="read errors: ${rerr:-none reported} (> $WRK_C in flight)"$'\n'
post502=$(awk '$1 == "POST" && $2 ~ /^50/' "$DIR/nginx/access.log" | wc -l)
get5xx=$(awk '$1 == "GET" && $2 ~ /^50/' "$DIR/nginx/access.log" | wc -l)
# Tried on both nodes: two upstream addresses.
get_retried=$(grep '^GET ' "$DIR/nginx/access.log" | grep -c '\[[^]]*,')
# A POST goes to the other node only when the first refused the
# connection (never sent): no more of those than such refusals.
post_retried=$(grep -v '^GET ' "$DIR/nginx/access.log" | grep -c '\[[^]]*,')
post_refused=$(grep -c 'connect() failed.*request: "\(POST\|PUT\|PATCH\|DELETE\) ' "$DIR/nginx/error.log")
[ "$post_retried" -le "$post_refused" ] ||
    problems+="nginx sent $post_retried non-idempotent requests to both nodes, $post_refused refused at connect"$'\n'
check "kill -9 of one San node under reads, checkouts and payments: nginx keeps serving, nothing acknowledged lost or doubled"
diag "load ${LOAD_S}s, node 1 killed at $((LOAD_S / 3))s: orders acknowledged $acked ($after_kill after the kill), groups in the database $groups, keys sent $keys, tries answered 000/502/503/504 and retried with the same key $retried, checkouts without an answer $unanswered" \
    "payments acknowledged by the IPN $paid_acks, groups paid twice $doubled; stock $stock1 + sold $sold = $((stock1 + sold)) (was $STOCK)" \
    "reads $reads (${rps:-?} req/s), read errors ${rerr:-?}; nginx: GETs passed to the other node $get_retried, GET 5xx $get5xx, POST 5xx $post502, other methods passed to the other node $post_retried (refused at connect there: $post_refused)"

# --- 3. expiry on both nodes ----------------------------------------------
problems=""
curl -sf -o /dev/null "http://127.0.0.1:$P1/healthz" || problems+="node 1 is not back"$'\n'
: >"$DIR/exp.groups"
for n in $(seq "$EXPIRE_N"); do
	st=$(checkout_until_answered "$EXP_TOKEN" "exp-$n-$RANDOM" "$(order_json "$n" vnpay)" \
	    "$DIR/exp.out" "$DIR/exp.tries")
	[ "$st" = 201 ] && jq -r .group_id "$DIR/exp.out" >>"$DIR/exp.groups"
done
ng=$(wc -l <"$DIR/exp.groups")
gids=$(paste -sd, "$DIR/exp.groups")
[ "$ng" = "$EXPIRE_N" ] || problems+="only $ng of $EXPIRE_N unpaid orders placed"$'\n'
stock_before=$(psql_p "SELECT stock FROM san.products WHERE id = $PID")
qty=$(psql_p "SELECT sum(l.qty) FROM san.order_lines l JOIN san.orders o
	ON o.id = l.order_id WHERE o.group_id IN ($gids)")
t0=$(date +%s)
psql_p "UPDATE san.order_groups SET pay_by = now() - interval '1 second'
	WHERE id IN ($gids)" >/dev/null
left=$ng
for i in $(seq 60); do	# the job runs every 15 s in each of 4 workers
	left=$(psql_p "SELECT count(*) FROM san.orders WHERE group_id IN ($gids)
		AND status <> 'expired'")
	[ "$left" = 0 ] && break
	sleep 1
done
[ "$left" = 0 ] || problems+="$left orders not expired after 60 s"$'\n'
events=$(psql_p "SELECT count(*), count(DISTINCT order_id) FROM san.order_events
	WHERE to_status = 'expired' AND order_id IN
	(SELECT id FROM san.orders WHERE group_id IN ($gids))")
norders=$(psql_p "SELECT count(*) FROM san.orders WHERE group_id IN ($gids)")
[ "$events" = "$norders|$norders" ] || problems+="expiry events (all|orders) $events for $norders orders"$'\n'
stock_after=$(psql_p "SELECT stock FROM san.products WHERE id = $PID")
[ $((stock_after - stock_before)) = "$qty" ] ||
    problems+="stock returned $((stock_after - stock_before)), expected $qty"$'\n'
diag "at $SECONDS s"
check "order expiry on both nodes: every overdue order expired once, its stock returned once"
diag "orders $norders in $ng groups expired in $(( $(date +%s) - t0 ))s; expiry events $events; stock returned $((stock_after - stock_before)) of $qty"

# --- 3b. statistics snapshot on both nodes --------------------------------
# Each of the 4 workers asks for api.stat_stock_snapshot every second
# (SAN_STATS_SNAPSHOT_MS=1000).  One change to a stock indicator (the
# merchant hides a listing) must be written once: the rows that differ
# between the table before and after equal what the nodes logged doing
# ("statistics snapshot: N") in between.  Done twice, it would log twice.
problems=""
snap_rows() { psql_p "SELECT code, month, num, den, businesses FROM san.stat_stock_months ORDER BY 1, 2"; }
snap_logged() {
	cat "$DIR"/node*/server.log | sed -n 's/.*statistics snapshot: \([0-9]*\)$/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }'
}
# snap_settle: until nothing is logged for 3 s (at most 30 s); the sum.
snap_settle() {
	local last now quiet=0 i
	last=$(snap_logged)
	for i in $(seq 30); do
		sleep 1
		now=$(snap_logged)
		if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
		last=$now
		[ $quiet -ge 3 ] && break
	done
	echo "$last"
}
l0=$(snap_settle)
snap_rows >"$DIR/snap0"
listed0=$(psql_p "SELECT count(*) FROM san.products WHERE listed")
TOKEN=$MTOK api PATCH "/api/v1/products/${LAGPID:-0}" '{"status":"hidden"}'
[ "$code" = 200 ] || problems+="hiding the listing: $code"$'\n'
l1=$(snap_settle)
snap_rows >"$DIR/snap1"
changed=$(diff "$DIR/snap0" "$DIR/snap1" | grep -c '^>')
listing_row=$(psql_p "SELECT num FROM san.stat_stock_months WHERE code = 'active-listings'
	AND month = date_trunc('month', api.today())::date")
[ "$l0" -gt 0 ] || problems+="no snapshot logged before the change"$'\n'
[ "$changed" -ge 1 ] || problems+="no row changed after the listing was hidden"$'\n'
[ "$listing_row" = $((listed0 - 1)) ] ||
    problems+="active-listings this month $listing_row, expected $((listed0 - 1))"$'\n'
[ $((l1 - l0)) = "$changed" ] ||
    problems+="rows written $((l1 - l0)) (logged) for $changed rows changed"$'\n'
check "statistics snapshot on both nodes: one change written once"
diag "snapshot rows written before the change $l0; after it $((l1 - l0)) for $changed changed rows; active listings $listed0 -> $listing_row"

# --- 3c. monitoring rescan on both nodes ----------------------------------
# RESCAN_N listed products (bench/seed-products.sql), one in ten named
# with a term; an official's new rule on that term is rescanned by the
# background job of all four workers, 500 products a batch, so several
# workers take batches.  Every matching product gets one alert, no
# other product any, and the rescan ends having scanned each once.
problems=""
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$PRIMARY" -v n="$RESCAN_N" \
    -f "$ROOT/bench/seed-products.sql" >/dev/null 2>&1 || problems+="seeding products failed"$'\n'
psql_p "UPDATE san.products SET name = name || ' rượu quét lại cụm'
	WHERE listed AND id % 10 = 0 AND id NOT IN (${PID:-0}, ${LAGPID:-0})" >/dev/null
want=$(psql_p "SELECT count(*) FROM san.products WHERE listed AND name LIKE '%quét lại cụm'")
listed=$(psql_p "SELECT count(*) FROM san.products WHERE listed")
read -r _ OFF_TOK < <(new_role_account official) || problems+="official account"$'\n'
TOKEN=$OFF_TOK api POST /api/v1/official/rules \
    '{"name":"Cụm: quét lại","kind":"keyword","severity":"flag","category":"other","params":{"terms":["quét lại cụm"]}}'
[ "$code" = 201 ] || problems+="rule: $code $body"$'\n'
rid=$(jq -r '.id // 0' <<<"$body")
t0=$(date +%s)
for i in $(seq 120); do
	[ "$(psql_p "SELECT count(*) FROM san.mod_rescans WHERE rule_id = $rid AND finished_at IS NULL")" = 0 ] && break
	sleep 0.5
done
read -r outcome scanned hits < <(psql_p "SELECT outcome, scanned, hits FROM san.mod_rescans
	WHERE rule_id = $rid ORDER BY version DESC LIMIT 1" | tr '|' ' ')
read -r alerts products < <(psql_p "SELECT count(*), count(DISTINCT c.product_id)
	FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
	WHERE a.rule_id = $rid" | tr '|' ' ')
wrong=$(psql_p "SELECT count(*) FROM san.mod_alerts a JOIN san.mod_cases c ON c.id = a.case_id
	JOIN san.products p ON p.id = c.product_id
	WHERE a.rule_id = $rid AND p.name NOT LIKE '%quét lại cụm'")
[ "$outcome" = done ] || problems+="rescan outcome '${outcome:-none}'"$'\n'
[ "${scanned:-0}" = "$listed" ] || problems+="scanned ${scanned:-0} of $listed listed"$'\n'
[ "${alerts:-0}|${products:-0}" = "$want|$want" ] ||
    problems+="alerts ${alerts:-0} on ${products:-0} products for $want matching"$'\n'
[ "$wrong" = 0 ] || problems+="$wrong alerts on products without the term"$'\n'
check "monitoring rescan on both nodes: every matching listing alerted once, every listing scanned once"
diag "listed $listed, matching $want; rescan $outcome in $(( $(date +%s) - t0 ))s: scanned $scanned, hits $hits, alerts $alerts on $products products"

# --- 4. replica stopped under reads --------------------------------------
problems=""
wrk_reads "$READ_S" "$DIR/wrk2.txt" &
WRK_PID=$!
BG_PIDS=" $WRK_PID"
sleep $((READ_S / 3))
px0=$(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
pg_as_owner "$PGBIN/pg_ctl" -D "$DIR/replica/data" -m fast -w stop >/dev/null
wait $WRK_PID
BG_PIDS=""
sleep 0.6
px1=$(psql_p "SELECT xact_commit FROM pg_stat_database WHERE datname = 'san'")
read -r _ rps _ p99 rerr < <(grep '^WRK' "$DIR/wrk2.txt")
reads=$(awk '/requests in/ {print $1}' "$DIR/wrk2.txt")
[ "${rerr:-1}" = 0 ] || problems+="read errors with the replica down: ${rerr:-none reported}"$'\n'
[ $((px1 - px0)) -gt 0 ] || problems+="the primary served no reads"$'\n'
fallbacks=$(cat "$DIR"/node*/server.log | grep -c 'replica failed')
check "replica stopped under reads: every read still answered, from the primary"
diag "reads $reads (${rps:-?} req/s, p99 ${p99:-?} ms), errors ${rerr:-?}; primary transactions after the stop $((px1 - px0)); reads retried on the primary after a replica failure $fallbacks"

# Nodes: no worker died (node 1's kill -9 takes the parent too: Kore
# logs nothing for it; the nodes' own shutdown comes later).
problems=""
deaths=$(grep -hE "worker .*(exited|died)|seccomp.*(violation|trace)|^kore: " "$DIR"/node*/server.log)
[ -z "$deaths" ] || problems+="$deaths"
check "no worker died on either node"
diag "cluster test took $SECONDS s"
finish
