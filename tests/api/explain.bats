#!/usr/bin/env bats
# The hot catalog queries use indexes at scale: 100,000 listed products in
# a database of their own (same cluster), plans read with auto_explain from
# inside the PL/pgSQL functions.  Fails on any sequential scan of products.
load helpers

setup_file() {
	local top="$BATS_TEST_DIRNAME/../.."
	export EXPLAIN_URL="${DATABASE_URL/\/san\?//san_explain?}"
	"$PGBIN/psql" -X -q -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS san_explain" -c "CREATE DATABASE san_explain"
	DATABASE_URL=$EXPLAIN_URL sh "$top/scripts/migrate.sh" >/dev/null
	DATABASE_URL=$EXPLAIN_URL SAN_SEED_DEMO=1 sh "$top/scripts/seed-demo.sh" >/dev/null
	"$PGBIN/psql" -X -q -d "$EXPLAIN_URL" -v n=100000 -f "$top/bench/seed-products.sql" >/dev/null
}

teardown_file() {
	"$PGBIN/psql" -X -q -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS san_explain"
}

# plans SQL: the plans of every statement SQL runs, nested ones included.
# Each query runs 7 times so PL/pgSQL's cached generic plan is the one seen.
plans() {
	local i script="LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;"
	for i in 1 2 3 4 5 6; do script="$script
SELECT 1 FROM ($1) x;"; done
	script="$script
SET client_min_messages = log;
SELECT 1 FROM ($1) x;"
	"$PGBIN/psql" -X -q -d "$EXPLAIN_URL" -c "$script" 2>&1 >/dev/null
}

no_seq_scan() {
	local out; out=$(plans "$1")
	grep -q "Query Text" <<<"$out" || { echo "no plan captured: $out"; return 1; }
	if grep -qE "Seq Scan on (san\.)?products" <<<"$out"; then
		echo "$out"
		return 1
	fi
}

@test "there are 100,000 listed products to plan against" {
	[ "$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT count(*) >= 100000 FROM san.products WHERE listed")" = t ]
}

@test "listing (newest) uses an index" {
	no_seq_scan "SELECT * FROM api.product_search(NULL,NULL,NULL,NULL,NULL,NULL,NULL,'newest',NULL,20)"
}

@test "category filter uses an index" {
	local c; c=$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT category_id FROM san.products WHERE listed LIMIT 1")
	no_seq_scan "SELECT * FROM api.product_search(NULL,$c,NULL,NULL,NULL,NULL,NULL,'newest',NULL,20)"
}

@test "price sorts use an index" {
	no_seq_scan "SELECT * FROM api.product_search(NULL,NULL,NULL,NULL,NULL,NULL,NULL,'price_asc',NULL,20)"
	no_seq_scan "SELECT * FROM api.product_search(NULL,NULL,NULL,NULL,10000,50000,NULL,'price_desc',NULL,20)"
}

@test "search with and without diacritics uses the trigram index" {
	no_seq_scan "SELECT * FROM api.product_search('cà phê',NULL,NULL,NULL,NULL,NULL,NULL,'relevance',NULL,20)"
	no_seq_scan "SELECT * FROM api.product_search('banh trang',NULL,NULL,NULL,NULL,NULL,NULL,'relevance',NULL,20)"
}

@test "product detail uses an index" {
	local id; id=$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT max(id) FROM san.products")
	no_seq_scan "SELECT * FROM api.product_get(NULL, $id)"
}

@test "a typo of a common name is read from the newest rows, not by scoring every trigram candidate" {
	# "banh trangg" matches no name exactly; at 100,000 products one in
	# 25 is a "Bánh tráng ...", 0.83 word-similar.  The first page comes
	# from the newest rows in id order (at most 50 x limit rows scored),
	# never from the trigram index with the similarity operator (which
	# scored ~40,000 candidates at a million products: ~0.5 s).
	local out
	out=$(plans "SELECT * FROM api.product_search('banh trangg',NULL,NULL,NULL,NULL,NULL,NULL,'relevance',NULL,20)")
	grep -q "Query Text" <<<"$out" || { echo "no plan captured: $out"; return 1; }
	if grep -qE "%>|<%" <<<"$out"; then
		echo "$out"
		return 1
	fi
	# The newest rows, in id order.
	grep -q "Index Scan Backward using products_listed_id_idx" <<<"$out"
}

@test "keyword screening at 1,000 rules probes the phrases by first word, never reading them all" {
	# the monitoring bench's rule set (bench/seed-mod-rules.sql: every
	# rule made inactive, 1,000 active keyword rules, ~2,200 phrases) in
	# this database only; a listing's description of ~70 words
	"$PGBIN/psql" -X -q -d "$EXPLAIN_URL" -v n=1000 -f "$BATS_TEST_DIRNAME/../../bench/seed-mod-rules.sql" >/dev/null
	local text="Cà phê Robusta trồng trên đất đỏ bazan, thu hái khi chín đỏ, phơi trên giàn tre rồi rang mộc bằng củi ở nhiệt độ vừa phải để giữ hương vị đậm đà. Đóng gói túi zip có van một chiều, bảo quản nơi khô ráo thoáng mát, tránh ánh nắng trực tiếp. Không phải súng hơi hay đồng hồ super fake."
	local out
	out=$(plans "SELECT * FROM api.mod_keyword_hits('description', '$text')")
	grep -q "Query Text" <<<"$out" || { echo "no plan captured: $out"; return 1; }
	if grep -qE "Seq Scan on (san\.)?mod_rule_terms" <<<"$out"; then
		echo "$out"
		return 1
	fi
	grep -qE "Index Scan using mod_rule_terms_first_word_idx|Bitmap Index Scan on mod_rule_terms_first_word_idx" <<<"$out"
	# and it still finds what it should: a three-word phrase of a rule,
	# inside a sentence
	[ "$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT bool_and(EXISTS (SELECT 1 FROM api.mod_keyword_hits('description', 'Bán ' || t.phrase || ', giá rẻ') h WHERE h.rule_id = t.rule_id AND h.matched = t.phrase)) FROM (SELECT * FROM san.mod_rule_terms WHERE nwords = 3 AND NOT is_except ORDER BY rule_id LIMIT 5) t")" = t ]
}

@test "the admins' accounts search (e-mail or name prefix) reads the prefix indexes, not every account" {
	# 50,000 accounts; an admin with a session (a made-up token hash).
	local h; h=$(printf 'explain-admin-%s' "$RANDOM" | b2sum -l 256 | cut -d' ' -f1)
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$EXPLAIN_URL" >/dev/null <<-SQL
		INSERT INTO san.accounts (email, password_hash, full_name)
		SELECT 'acct' || g || '@explain.invalid', 'x', 'Nguyễn Văn ' || g
		  FROM generate_series(1, 50000) g;
		WITH a AS (INSERT INTO san.accounts (email, password_hash, full_name)
		    VALUES ('explain-admin-$h@explain.invalid', 'x', 'Quản trị') RETURNING id),
		  r AS (INSERT INTO san.account_roles (account_id, role)
		    SELECT id, 'admin' FROM a)
		INSERT INTO san.sessions (token_hash, account_id, expires_at)
		SELECT '$h', id, now() + interval '1 hour' FROM a;
		ANALYZE san.accounts;
	SQL
	local q out
	for q in "'acct4999'" "'NGUYEN VAN 4999'" "'Trần'"; do
		out=$(plans "SELECT * FROM api.admin_accounts('$h', $q, NULL, 50)")
		grep -q "Query Text" <<<"$out" || { echo "no plan captured: $out"; return 1; }
		if grep -qE "Seq Scan on (san\.)?accounts" <<<"$out"; then
			echo "$q: $out"
			return 1
		fi
		grep -q "accounts_email_prefix_idx" <<<"$out"
		grep -q "accounts_name_prefix_idx" <<<"$out"
	done
	# The answers are right, too: 11 accounts start with acct4999.
	[ "$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT json_array_length((body::json)->'items') FROM api.admin_accounts('$h', 'acct4999', NULL, 50)")" = 11 ]
	[ "$("$PGBIN/psql" -X -At -d "$EXPLAIN_URL" -c "SELECT json_array_length((body::json)->'items') FROM api.admin_accounts('$h', 'nguyen van 4999', NULL, 50)")" = 11 ]
}
