#!/usr/bin/env bash
# make soak: a long mixed load against a real server on a scratch cluster
# (issue 13, "Under faults"); a measurement with a verdict, not part of
# make test.  For SOAK_MINUTES (30) three wrk runs at once:
#   reads      bench/paths.lua, SOAK_READ_CONNS (4): product list, search,
#              product and store pages, categories;
#   checkouts  bench/orders.lua, SOAK_ORDER_CONNS (2): VietQR orders by
#              1000 buyers over 1000 products (bench/seed-orders.sql);
#   callbacks  bench/callbacks.lua, 1 connection: every minute a payment
#              attempt for each VietQR group still unpaid (api.payment_create,
#              as make bench does) and its signed bank notification; wrk
#              sends each once, then replays them (duplicates) until the
#              minute is over.
# Every SOAK_SAMPLE_S (10) seconds one CSV row: seconds, each worker's RSS
# (KiB, /proc/PID/status VmRSS), the server's PostgreSQL connections
# (pg_stat_activity, application_name san), requests so far and by class
# (from the server's access log: 2xx, 409, other 4xx, 5xx, and 499: the
# client closed the connection before the answer, which is not an answer;
# each callbacks run of wrk ends with one in flight).  Then a PNG
# plot (gnuplot, installed from Debian if missing) and the verdict:
#   * RSS flat: after the warm-up (SOAK_WARMUP_S, default a fifth of the
#     run, at most 300 s) every worker stays within +-2 MiB (2048 KiB) of
#     its RSS at the end of the warm-up;
#   * connections never above WORKERS x (pgsql_conn_max + 1) = 10 and no
#     higher at the end than the most seen in the first half of the run
#     (Kore opens pooled connections lazily: the spare one for the expiry
#     job may first appear after the warm-up; the first 10-minute run saw
#     9 -> 10 at 213 s, with that worker's RSS +292 KiB);
#   * no answer but 2xx and the intended 409s (other 4xx and 5xx: 0; the
#     499s are counted and reported apart);
#   * no worker died (the server log, as scripts/test.sh checks it).
# Output in SOAK_DIR (default var/soak): soak.csv, soak.png, server.log,
# wrk-*.txt.  Exit status 0 when the verdict holds.
set -u -o pipefail
. "$(dirname "$0")/lib.sh"
cd "$SAN_ROOT"
minutes=${SOAK_MINUTES:-30}
total=$((minutes * 60))
sample=${SOAK_SAMPLE_S:-10}
warm=${SOAK_WARMUP_S:-$((total / 5 < 300 ? total / 5 : 300))}
out=${SOAK_DIR:-$SAN_ROOT/var/soak}
mkdir -p "$out"
out=$(cd "$out" && pwd)
dir=$(mktemp -d /tmp/san-soak.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$dir"
cleanup() {
	for p in ${BG:-}; do kill "$p" 2>/dev/null; done
	[ -f "$dir/kore.pid" ] && kill "$(cat "$dir/kore.pid")" 2>/dev/null
	sleep 1
	pg_cluster_down "$dir/pg"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v wrk >/dev/null || { echo "soak: wrk is missing (make deps)"; exit 1; }
if ! command -v gnuplot >/dev/null; then
	echo "soak: installing gnuplot-nox (Debian) for the plot"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 ||
	    echo "soak: gnuplot could not be installed: CSV only"
fi

DATABASE_URL=$(pg_cluster_up "$dir/pg") || exit 1
export DATABASE_URL
sh scripts/migrate.sh >/dev/null || exit 1
SAN_SEED_DEMO=1 sh scripts/seed-demo.sh >/dev/null || exit 1
# 20 synthetic verified businesses with a store each (as make bench).
san_psql >/dev/null <<SQL || exit 1
INSERT INTO san.accounts (email, password_hash, full_name)
SELECT 'bench' || g || '@bench.invalid', 'x', 'Bench ' || g
  FROM generate_series(1, 20) g;
INSERT INTO san.businesses (tax_code, name, kind, registration_no,
    registration_date, registration_issuer, address, province, ward,
    representative, phone, email, status)
SELECT lpad((7000000000 + g)::text, 10, '0'), 'Cơ sở Bench ' || g,
    'household', 'B' || g, '2020-01-01', 'UBND', 'Địa chỉ ' || g,
    'Tây Ninh', 'Phường 1', 'Người đại diện', '+84912345678',
    'b@bench.invalid', 'verified'
  FROM generate_series(1, 20) g;
INSERT INTO san.stores (business_id, slug, name, description, phone, email,
    pickup_address)
SELECT b.id, 'bench-' || b.id, 'Muối tôm ' || b.name, 'Đặc sản địa phương',
    b.phone, b.email, b.address
  FROM san.businesses b WHERE b.email = 'b@bench.invalid';
SQL
# 1000 buyers with real Bearer tokens and 1000 products (make bench's way).
buyers=1000
mkdir -p "$dir/tok"
head -c $((33 * buyers)) /dev/urandom | base64 -w 44 | tr '+/' '-_' |
    cut -c1-43 >"$dir/tokens"
(cd "$dir/tok" && awk '{ printf "%s", $0 > NR; close(NR) }' "$dir/tokens" &&
    b2sum -l 256 $(seq "$buyers")) | awk '{ print $2 "\t" $1 }' >"$dir/hashes"
san_psql -v products=1000 -v stores=20 -v stock=100000000 \
    -f bench/seed-orders.sql <"$dir/hashes" >/dev/null || exit 1
read -r plo phi <<EOF
$(san_psql -At -F' ' -c "SELECT lo, hi FROM bench.order_products")
EOF
san_psql -q -c "CREATE EXTENSION IF NOT EXISTS pgcrypto" >/dev/null

port=$((30000 + $$ % 20000))
while curl -s -o /dev/null "http://127.0.0.1:$port/"; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
export BANK_WEBHOOK_SECRET="${BANK_WEBHOOK_SECRET:-soak-bank-webhook-secret-0123456789}"
PORT=$port SAN_CONF_OUT="$dir/san.conf" setsid sh scripts/serve.sh \
    >"$dir/server.log" 2>&1 </dev/null &
for i in $(seq 300); do
	curl -sf -o /dev/null "$url/healthz" && break
	sleep 0.1
done
pid=$(san_psql -At -c "SELECT min(id) FROM san.products WHERE listed")
slug=$(san_psql -At -c "SELECT slug FROM san.stores ORDER BY id LIMIT 1")
cat >"$dir/paths" <<EOF
/api/v1/products?limit=20
/api/v1/products?q=muoi%20tom
/api/v1/products?q=b%C3%A1nh&sort=newest
/api/v1/products/$pid
/api/v1/products/$plo
/api/v1/stores
/api/v1/stores/$slug
/api/v1/stores/$slug/products
/api/v1/categories
EOF
export WRK_REPORT="$SAN_ROOT/bench/report.lua"

# callbacks_file: a payment attempt for every unpaid VietQR group (up to
# 3000) and its signed bank notification, one line each (bench.sh's SQL).
callbacks_file() {
	san_psql -At -v secret="$BANK_WEBHOOK_SECRET" <<'SQL'
SELECT 't=' || t || ',v1=' || encode(hmac(t || '.' || body, :'secret',
    'sha256'), 'hex') || E'\t' || body
  FROM (SELECT extract(epoch FROM now())::bigint::text AS t,
	json_build_object('transaction_id', 'soak-' || (x.pay->>'txn_ref'),
	    'reference', x.pay->>'txn_ref',
	    'amount_vnd', (x.pay->>'amount_vnd')::bigint,
	    'time', to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh',
		'YYYY-MM-DD"T"HH24:MI:SS+07:00'))::text AS body
	  FROM (SELECT (api.payment_create(b.token_hash, g.id, 'vietqr')).body::json AS pay
		  FROM san.order_groups g
		  JOIN bench.buyers b ON b.account_id = g.buyer_id
		 WHERE g.payment_method = 'vietqr' AND g.paid_at IS NULL
		   AND g.response IS NOT NULL AND g.pay_by > now() + interval '2 minutes'
		 ORDER BY g.id LIMIT 3000) x
	 WHERE x.pay->>'txn_ref' IS NOT NULL) y;
SQL
}

start=$(date +%s)
end=$((start + total))
BG=""
WRK_PATHS="$dir/paths" wrk -t1 -c"${SOAK_READ_CONNS:-4}" -d"${total}s" -s bench/paths.lua \
    "$url" >"$out/wrk-reads.txt" 2>&1 &
BG+=" $!"
WRK_TOKENS="$dir/tokens" WRK_PLO=$plo WRK_PHI=$phi WRK_HOT=0 WRK_HOT_PCT=0 \
    WRK_TAG="soak$start" WRK_PAY=vietqr \
    wrk -t1 -c"${SOAK_ORDER_CONNS:-2}" -d"${total}s" -s bench/orders.lua \
    "$url" >"$out/wrk-orders.txt" 2>&1 &
BG+=" $!"
(
	: >"$out/wrk-callbacks.txt"
	while [ "$(date +%s)" -lt $((end - 5)) ]; do
		left=$((end - $(date +%s)))
		[ "$left" -gt 60 ] && left=60
		callbacks_file >"$dir/callbacks"
		if [ -s "$dir/callbacks" ]; then
			WRK_CALLBACKS="$dir/callbacks" WRK_THREADS=1 \
			    wrk -t1 -c1 -d"${left}s" -s bench/callbacks.lua \
			    "$url" 2>&1 | grep '^WRK' >>"$out/wrk-callbacks.txt"
		else
			sleep "$left"
		fi
	done
) &
BG+=" $!"

echo "t_s,rss_kib_w1,rss_kib_w2,pg_conns,requests,s2xx,s409,s4xx_other,s5xx,s499_client_gone" >"$out/soak.csv"
while :; do
	now=$(date +%s)
	t=$((now - start))
	rss=$(for p in $(pgrep -P "$(cat "$dir/kore.pid")" | sort -n); do
		awk '/VmRSS/ { print $2 }' "/proc/$p/status"; done | head -2 | paste -sd,)
	conns=$(san_psql -At -c "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'san'")
	counts=$(awk '$0 ~ / access id=/ { for (i = 1; i <= NF; i++)
		if ($i ~ /^id=/) { s = $(i + 3); break }
		n++; if (s ~ /^2/) a++; else if (s == 409) c++;
		else if (s == 499) g++;
		else if (s ~ /^4/) d++; else if (s ~ /^5/) e++ }
	    END { printf "%d,%d,%d,%d,%d,%d", n, a, c, d, e, g }' "$dir/server.log")
	echo "$t,$rss,$conns,$counts" >>"$out/soak.csv"
	[ "$now" -ge "$end" ] && break
	# Every $sample s from the start (reading the log takes a while).
	sleep $(( sample - ($(date +%s) - start) % sample ))
done
for p in $BG; do wait "$p" 2>/dev/null; done
BG=""
cp "$dir/server.log" "$out/server.log"

# --- verdict --------------------------------------------------------------
problems=""
read -r w1 w2 wc < <(awk -F, -v w="$warm" 'NR > 1 && $1 >= w { print $2, $3, $4; exit }' "$out/soak.csv")
read -r d1 d2 maxc lastc wc < <(awk -F, -v w="$warm" -v a="$w1" -v b="$w2" -v h=$((total / 2)) '
	NR > 1 && $1 <= h && $4 > hc { hc = $4 }
	NR > 1 && $1 >= w {
		x = $2 - a; if (x < 0) x = -x; if (x > m1) m1 = x
		y = $3 - b; if (y < 0) y = -y; if (y > m2) m2 = y
		if ($4 > mc) mc = $4; lc = $4 }
	END { print m1 + 0, m2 + 0, mc + 0, lc + 0, hc + 0 }' "$out/soak.csv")
[ "$d1" -le 2048 ] && [ "$d2" -le 2048 ] ||
    problems+="worker RSS moved by $d1 / $d2 KiB after the warm-up (bound 2048)"$'\n'
[ "$maxc" -le 10 ] || problems+="PostgreSQL connections reached $maxc (bound 10)"$'\n'
[ "$lastc" -le "$wc" ] || problems+="PostgreSQL connections grew: at most $wc in the first half, $lastc at the end"$'\n'
IFS=, read -r _ _ _ _ nreq n2 n409 n4 n5 n499 < <(tail -1 "$out/soak.csv")
[ "$n4" = 0 ] && [ "$n5" = 0 ] ||
    problems+="answers other than 2xx and 409: 4xx $n4, 5xx $n5"$'\n'
deaths=$(grep -E "worker [0-9]+ .*(exited|died)|worker \[wrk [0-9]+\] \([0-9]+\) exited|seccomp.*(violation|trace)" "$out/server.log")
[ -z "$deaths" ] || problems+="workers died: $deaths"$'\n'
paid=$(san_psql -At -c "SELECT count(*) FROM san.order_groups WHERE paid_at IS NOT NULL")
groups=$(san_psql -At -c "SELECT count(*) FROM san.order_groups WHERE idempotency_key LIKE 'soak%'")
doubled=$(san_psql -At -c "SELECT count(*) FROM (SELECT group_id FROM san.payments
    WHERE status = 'paid' GROUP BY group_id HAVING count(*) > 1) d")
[ "$doubled" = 0 ] || problems+="groups paid twice: $doubled"$'\n'

if command -v gnuplot >/dev/null; then
	gnuplot <<GP 2>/dev/null || echo "soak: gnuplot failed"
set terminal png size 1000,600
set output '$out/soak.png'
set datafile separator ','
set title 'San soak, $minutes min: worker RSS and PostgreSQL connections'
set xlabel 'seconds'
set ylabel 'RSS (MiB)'
set y2label 'PostgreSQL connections'
set y2range [0:12]
set y2tics
set key bottom right
set arrow from $warm, graph 0 to $warm, graph 1 nohead dt 2
plot '$out/soak.csv' using 1:(\$2/1024) every ::1 with lines title 'worker 1 RSS', \
     '' using 1:(\$3/1024) every ::1 with lines title 'worker 2 RSS', \
     '' using 1:4 every ::1 axes x1y2 with steps title 'PostgreSQL connections'
GP
fi

echo "soak: $minutes min ($(($(wc -l <"$out/soak.csv") - 1)) samples every ${sample}s, warm-up ${warm}s)"
echo "soak: requests $nreq: 2xx $n2, 409 $n409, other 4xx $n4, 5xx $n5; closed by the client before the answer (499) $n499"
echo "soak: wrk reads $(grep '^WRK' "$out/wrk-reads.txt"), orders $(grep '^WRK' "$out/wrk-orders.txt") (WRK rps p50 p99 errors); callback runs $(wc -l <"$out/wrk-callbacks.txt")"
echo "soak: soak groups placed $groups, groups paid $paid, paid twice $doubled"
echo "soak: worker RSS after the warm-up $w1 / $w2 KiB, largest move $d1 / $d2 KiB; first/last $(awk -F, 'NR == 2 { print $2 "/" $3 }' "$out/soak.csv") -> $(tail -1 "$out/soak.csv" | cut -d, -f2,3 | tr , /) KiB"
echo "soak: PostgreSQL connections at most $wc in the first half, at most $maxc after the warm-up, at the end $lastc"
echo "soak: wrk socket errors (timeouts: an answer slower than wrk's 2 s; the server's own answers are counted above): reads $(grep -h 'Socket errors' "$out/wrk-reads.txt" | sed 's/.*: //'), orders $(grep -h 'Socket errors' "$out/wrk-orders.txt" | sed 's/.*: //')"
echo "soak: CSV $out/soak.csv$( [ -f "$out/soak.png" ] && echo ", plot $out/soak.png")"
if [ -n "$problems" ]; then
	printf 'soak: PROBLEM %s\n' "$problems" | sed '/^soak: PROBLEM $/d'
	echo "soak: failed"
	exit 1
fi
echo "soak: ok"
