#!/bin/sh
# Apply migrations to $DATABASE_URL: every sql/NNN_*.sql not yet recorded,
# in order, each in its own transaction with its record; then, when any file
# of sql/api/ changed (by checksum), rebuild schema api from all of them in
# one transaction.  Safe to run concurrently (advisory lock) and repeatedly.
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
export PGOPTIONS="-c client_min_messages=warning"

san_psql -c "CREATE TABLE IF NOT EXISTS public.schema_migrations (
	version text PRIMARY KEY, checksum text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())"

for f in "$SAN_ROOT"/sql/[0-9][0-9][0-9]_*.sql; do
	v=$(basename "$f" .sql)
	sum=$(sha256sum "$f" | cut -c1-64)
	done_sum=$(san_psql -At -c "SELECT checksum FROM schema_migrations WHERE version = '$v'")
	if [ -n "$done_sum" ]; then
		[ "$done_sum" = "$sum" ] || echo "warning: $v changed after it was applied" >&2
		continue
	fi
	echo "migrate: $v"
	san_psql -1 -o /dev/null -c "SELECT pg_advisory_xact_lock(7301)" -f "$f" \
	    -c "INSERT INTO schema_migrations (version, checksum) VALUES ('$v', '$sum')"
done

api_sum=$(cat "$SAN_ROOT"/sql/api/*.sql | sha256sum | cut -c1-64)
done_sum=$(san_psql -At -c "SELECT checksum FROM schema_migrations WHERE version = 'api'")
if [ "$done_sum" != "$api_sum" ]; then
	echo "migrate: api functions"
	set --
	for f in "$SAN_ROOT"/sql/api/*.sql; do set -- "$@" -f "$f"; done
	san_psql -1 -o /dev/null -c "SELECT pg_advisory_xact_lock(7301)" \
	    -c "DROP SCHEMA IF EXISTS api CASCADE" -c "CREATE SCHEMA api" "$@" \
	    -c "INSERT INTO schema_migrations (version, checksum) VALUES ('api', '$api_sum')
		ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()"
fi
