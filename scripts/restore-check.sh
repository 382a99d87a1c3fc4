#!/bin/bash
# scripts/restore-check.sh [DUMP]: prove a backup restores.  Without DUMP,
# takes one now: pg_dump -Fc of $DATABASE_URL (the owner's URL) inside a
# REPEATABLE READ snapshot, in which the row count of every table of
# schema san and the head of every hash chain (sql/006_audit_chain.sql)
# are read too.  With DUMP (a pg_dump -Fc file), the counts and heads are
# read from $DATABASE_URL as it is now (compare with a quiet database).
# Then: a scratch cluster (scripts/lib.sh), pg_restore --exit-on-error
# into it, and the same counts and heads there, plus san.chain_verify of
# every chained table.  Prints one line per table and chain and
# "restore-check: ok" or "restore-check: FAILED"; exit status 0 or 1.
# SAN_RESTORE_KEEP=1 keeps the scratch directory.
set -u -o pipefail
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL (the owner) must be set}"
dump=${1:-}
tmp=$(mktemp -d /tmp/san-restore.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$tmp"
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
	pg_cluster_down "$tmp/pg"
	if [ "${SAN_RESTORE_KEEP:-0}" = 1 ]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

# The state to compare with: exact row counts of every table in schema san
# and, per chained table, "rows last_seq last_hash" from san.chain_heads.
STATE_SQL="SELECT 'table ' || c.relname || ' ' || (xpath('/row/n/text()',
	query_to_xml(format('SELECT count(*) AS n FROM san.%I', c.relname),
	false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'san' AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'chain ' || h.chain::text || ' ' || h.last_seq || ' ' ||
	encode(h.last_hash, 'hex') FROM san.chain_heads h
ORDER BY 1;"

if [ -z "$dump" ]; then
	dump="$tmp/san.dump"
	# Hold a snapshot open, read the state in it, dump from it.
	mkfifo "$tmp/in"
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    <"$tmp/in" >"$tmp/source.out" 2>"$tmp/source.err" &
	holder=$!
	exec 3>"$tmp/in"
	printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" \
	    "SELECT pg_export_snapshot();" "$STATE_SQL" "SELECT 'END';" >&3
	for i in $(seq 600); do
		grep -qx END "$tmp/source.out" 2>/dev/null && break
		kill -0 "$holder" 2>/dev/null || break
		sleep 0.1
	done
	grep -qx END "$tmp/source.out" ||
	    { cat "$tmp/source.err" >&2; echo "restore-check: FAILED (source)"; exit 1; }
	snap=$(head -1 "$tmp/source.out")
	sed -n '2,$p' "$tmp/source.out" | grep -vx END >"$tmp/source.state"
	t0=$(date +%s)
	"$PGBIN/pg_dump" -Fc --snapshot="$snap" -d "$DATABASE_URL" -f "$dump" ||
	    { echo "restore-check: FAILED (pg_dump)"; exit 1; }
	echo "COMMIT;" >&3
	exec 3>&-
	wait "$holder"
	holder=""
	echo "dump: $(du -h "$dump" | cut -f1) in $(( $(date +%s) - t0 )) s"
else
	[ -r "$dump" ] || { echo "restore-check: cannot read $dump" >&2; exit 1; }
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -c "$STATE_SQL" >"$tmp/source.state" || exit 1
fi

# A scratch cluster; the roles the dump grants to must exist there.
url=$(pg_cluster_up "$tmp/pg") || { echo "restore-check: FAILED (cluster)"; exit 1; }
[ "$(id -u)" -eq 0 ] && chmod 644 "$dump" 2>/dev/null
"$PGBIN/psql" -X -q -d "$url" -c "CREATE ROLE san_app NOLOGIN" 2>/dev/null
t0=$(date +%s)
"$PGBIN/pg_restore" --exit-on-error -d "$url" "$dump" 2>"$tmp/restore.err" ||
    { sed 's/^/  /' "$tmp/restore.err"; echo "restore-check: FAILED (pg_restore)"; exit 1; }
echo "restore: $(( $(date +%s) - t0 )) s into a scratch cluster"
"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$url" -c "$STATE_SQL" \
    >"$tmp/restored.state" || exit 1

fail=0
if ! diff -u "$tmp/source.state" "$tmp/restored.state" >"$tmp/diff"; then
	echo "differences (source, restored):"
	sed -n '3,$p' "$tmp/diff" | grep '^[-+]' | sed 's/^/  /'
	fail=1
fi
awk '{ print "  " $0 }' "$tmp/restored.state" | cut -c1-90
# Every chain recomputed from its rows.
chains=$("$PGBIN/psql" -X -q -At -d "$url" -c "SELECT chain::text FROM san.chain_heads ORDER BY 1")
for c in $chains; do
	v=$("$PGBIN/psql" -X -q -At -d "$url" -c "SELECT san.chain_verify('$c')")
	echo "  chain_verify $c $v"
	[ "$(jq -r .ok <<<"$v")" = true ] || fail=1
done
[ -n "$chains" ] || { echo "  no chained table"; fail=1; }
if [ $fail -eq 0 ]; then echo "restore-check: ok"; else echo "restore-check: FAILED"; fi
exit $fail
