#!/bin/sh
# Demo data (sql/seed/demo.sql), loaded by `make run` after the migrations:
# Sở Công Thương tỉnh Tây Ninh's admin and official, local businesses of all
# four kinds at every verification status, and their storefronts.  Every
# demo account has the password below (one argon2id hash from build/san-hash).
# Idempotent: a second run adds nothing.  Honours DATABASE_URL.
# SAN_SEED_DEMO=0 skips it (the password is public: never seed a real floor).
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
if [ "${SAN_SEED_DEMO:-1}" = 0 ]; then
	echo "demo data: skipped (SAN_SEED_DEMO=0)"
	exit 0
fi
DEMO_PASSWORD='Demo-San-2026!'

psql_san() {
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" "$@"
}

[ -x "$SAN_ROOT/build/san-hash" ] || make -s -C "$SAN_ROOT" build/san-hash >&2
hash=$(printf '%s\n' "$DEMO_PASSWORD" | "$SAN_ROOT/build/san-hash")
case "$hash" in
'$argon2id$'*) ;;
*) echo "seed-demo: build/san-hash gave no argon2id hash" >&2; exit 1 ;;
esac

psql_san -1 -v demo_hash="$hash" -f "$SAN_ROOT/sql/seed/demo.sql"
# The seeds' plans (sql/plans/*.json), with what their checks found.
sh "$SAN_ROOT/scripts/import-plans.sh"

accounts=$(psql_san -F '	' <<'SQL'
SELECT a.email,
    CASE WHEN bool_or(r.role = 'admin') THEN 'admin'
	WHEN bool_or(r.role = 'official') THEN 'official'
	WHEN bool_or(m.role IS NOT NULL) THEN 'merchant'
	ELSE 'buyer' END,
    CASE WHEN bool_or(r.role IS NOT NULL)
	THEN 'Sở Công Thương tỉnh Tây Ninh'
	ELSE COALESCE(string_agg(DISTINCT CASE m.role WHEN 'owner' THEN ''
	    ELSE m.role || ' of ' END || b.name || ' [' || b.status || ']',
	    '; '), '') END
  FROM san.accounts a
  LEFT JOIN san.account_roles r ON r.account_id = a.id
  LEFT JOIN san.business_members m ON m.account_id = a.id
  LEFT JOIN san.businesses b ON b.id = m.business_id
 WHERE lower(a.email) IN ('admin@sct.tayninh.gov.vn',
	'canbo@sct.tayninh.gov.vn')
    OR lower(a.email) LIKE '%@demo.san.vn'
 GROUP BY a.id, a.email
 ORDER BY CASE WHEN bool_or(r.role = 'admin') THEN 0
	WHEN bool_or(r.role = 'official') THEN 1
	WHEN bool_or(m.role IS NOT NULL) THEN 2 ELSE 3 END, a.email;
SQL
)
echo "demo accounts (password for all: $DEMO_PASSWORD):"
printf '%s\n' "$accounts" | while IFS='	' read -r email role what; do
	if [ -n "$what" ]; then
		printf '  %-32s %-9s %s\n' "$email" "$role" "$what"
	else
		printf '  %-32s %s\n' "$email" "$role"
	fi
done
