#!/bin/sh
# make bench: wrk against the real server and pgbench running the identical
# SQL against the same database, in one run, on a scratch cluster with the
# demo data plus BENCH_STORES synthetic stores.  Prints a table; it is a
# measurement, not a test.  BENCH_SECONDS (10), BENCH_CONNECTIONS (16),
# BENCH_STORES (2000), BENCH_PRODUCTS (10000; works with 1000000).
set -eu
. "$(dirname "$0")/lib.sh"
cd "$SAN_ROOT"
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-16}
stores=${BENCH_STORES:-2000}
products=${BENCH_PRODUCTS:-10000}
dir=$(mktemp -d /tmp/san-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$dir"
cleanup() {
	[ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null
	sleep 0.5
	[ -f "$dir/kore.pid" ] && kill "$(cat "$dir/kore.pid")" 2>/dev/null
	sleep 0.5
	pg_cluster_down "$dir/pg"
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

DATABASE_URL=$(pg_cluster_up "$dir/pg")
export DATABASE_URL
sh scripts/migrate.sh >/dev/null
SAN_SEED_DEMO=1 sh scripts/seed-demo.sh >/dev/null
# Synthetic verified businesses with one store each (tax codes need not
# pass the check digit here: the database only checks the format).
san_psql <<SQL
INSERT INTO san.accounts (email, password_hash, full_name)
SELECT 'bench' || g || '@bench.invalid', 'x', 'Bench ' || g
  FROM generate_series(1, $stores) g;
INSERT INTO san.businesses (tax_code, name, kind, registration_no,
    registration_date, registration_issuer, address, province, ward,
    representative, phone, email, status)
SELECT lpad((7000000000 + g)::text, 10, '0'), 'Cơ sở Bench ' || g,
    'household', 'B' || g, '2020-01-01', 'UBND', 'Địa chỉ ' || g,
    (ARRAY['Tây Ninh','Khánh Hòa','Quảng Ngãi'])[1 + g % 3], 'Phường 1',
    'Người đại diện', '+84912345678', 'b@bench.invalid', 'verified'
  FROM generate_series(1, $stores) g;
INSERT INTO san.stores (business_id, slug, name, description, phone, email,
    pickup_address)
SELECT b.id, 'bench-' || b.id, (ARRAY['Cà phê','Bánh tráng','Muối tôm',
    'Mãng cầu','Gạo','Mật ong'])[1 + b.id % 6] || ' ' || b.name,
    'Đặc sản địa phương', b.phone, b.email, b.address
  FROM san.businesses b WHERE b.email = 'b@bench.invalid';
ANALYZE;
SQL
t0=$(date +%s)
san_psql -v n="$products" -f bench/seed-products.sql >/dev/null
echo "seeded $products products in $(( $(date +%s) - t0 )) s"

port=$((30000 + $$ % 20000))
while curl -s -o /dev/null "http://127.0.0.1:$port/"; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
PORT=$port SAN_CONF_OUT="$dir/san.conf" sh scripts/serve.sh >"$dir/server.log" 2>&1 &
server_pid=$!
until curl -sf -o /dev/null "$url/healthz"; do sleep 0.1; done

worker_rss() {
	for p in $(pgrep -P "$(cat "$dir/kore.pid")"); do
		awk '/VmRSS/ { printf "%d ", $2 / 1024 }' "/proc/$p/status"
	done
}

# bench NAME PATHS SQL: wrk on PATHS (one path, or several separated by
# spaces: a random one per request), pgbench on SQL (which may pick its own
# variant with \set), same connections and duration; one table row.
bench() {
	printf '%s\n' $2 >"$dir/paths"
	printf '%s\n' "$3" >"$dir/q.sql"
	w=$(WRK_PATHS="$dir/paths" WRK_REPORT="$SAN_ROOT/bench/report.lua" \
	    wrk -t2 -c"$conns" -d"${secs}s" -s bench/paths.lua "$url" | grep '^WRK')
	p=$("$PGBIN/pgbench" -n -c"$conns" -j2 -T"$secs" -f "$dir/q.sql" \
	    "$DATABASE_URL" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	echo "$1 $w $p" | awk '{ printf "%-22s %9.0f %8.2f %8.2f %6d %10.0f %6.2f\n",
	    $1, $3, $4, $5, $6, $7, ($7 > 0 ? $3 / $7 : 0) }'
}

# The search terms, with and without diacritics, NFD and a typo; wrk and
# pgbench use the same list.
terms="ca%20phe c%C3%A0%20ph%C3%AA banh%20trang b%C3%A1nh%20tr%C3%A1ng muoi%20tom mat%20ong ca%CC%80%20phe%CC%82 banh%20trangg"
nfd=$(printf 'ca\314\200 phe\314\202')
sql_terms="'ca phe','cà phê','banh trang','bánh tráng','muoi tom','mat ong','$nfd','banh trangg'"
search_paths=""
for t in $terms; do search_paths="$search_paths /api/v1/products?q=$t"; done
cats=$(san_psql -At -c "SELECT string_agg(category_id::text, ' ') FROM (SELECT category_id FROM san.products WHERE listed GROUP BY 1 ORDER BY count(*) DESC LIMIT 8) x")
cat_paths=""
for c in $cats; do cat_paths="$cat_paths /api/v1/products?category=$c"; done
ids=$(san_psql -At -c "SELECT min(id) || ' ' || max(id) FROM san.products WHERE listed")
lo=${ids% *}
hi=${ids#* }
detail_paths=""
for i in $(seq 64); do detail_paths="$detail_paths /api/v1/products/$(( lo + (i * 7919) % (hi - lo + 1) ))"; done

echo "san bench: $products products, $stores synthetic stores, $conns connections, ${secs}s each, $(nproc) cores"
echo "worker RSS before (MiB): $(worker_rss)"
printf '%-22s %9s %8s %8s %6s %10s %6s\n' endpoint "req/s" "p50 ms" "p99 ms" errors "pgbench/s" ratio
bench products_list "/api/v1/products" \
    "SELECT * FROM api.product_search(NULL,NULL,NULL,NULL,NULL,NULL,NULL,'newest',NULL,20);"
bench products_search "$search_paths" \
    "\\set i random(1, 8)
SELECT * FROM api.product_search((ARRAY[$sql_terms])[:i],NULL,NULL,NULL,NULL,NULL,NULL,'relevance',NULL,20);"
bench products_category "$cat_paths" \
    "\\set i random(1, 8)
SELECT * FROM api.product_search(NULL,(ARRAY[$(echo $cats | tr ' ' ',')])[:i],NULL,NULL,NULL,NULL,NULL,'newest',NULL,20);"
bench product_detail "$detail_paths" \
    "\\set i random($lo, $hi)
SELECT * FROM api.product_get(NULL, :i);"
bench stores_list "/api/v1/stores" \
    "SELECT * FROM api.store_list(NULL, NULL, NULL, 20);"
bench stores_search "/api/v1/stores?q=ca%20phe" \
    "SELECT * FROM api.store_list('ca phe', NULL, NULL, 20);"
bench store_detail "/api/v1/stores/bench-100" \
    "SELECT * FROM api.store_get('bench-100');"
bench healthz "/healthz" "SELECT 1;"
echo "worker RSS after (MiB): $(worker_rss)"

# Login: argon2id dominates; sequential logins give the latency a user sees.
for i in $(seq 20); do
	curl -s -o /dev/null -w '%{time_total}\n' -X POST "$url/api/v1/auth/login" \
	    -H 'Content-Type: application/json' \
	    -d '{"email":"nguoimua@demo.san.vn","password":"Demo-San-2026!"}'
done | sort -n | awk '{ t[NR] = $1 } END { printf "login (sequential, n=%d): p50 %.0f ms, max %.0f ms\n", NR, t[int((NR + 1) / 2)] * 1000, t[NR] * 1000 }'
