#!/bin/sh
# Entry point of the replica container (postgres image, as root): on the
# first start, copy the primary with pg_basebackup (-R: standby.signal and
# primary_conninfo, streaming); then run it as a hot standby.  Roles,
# tables and functions all come from the primary (read-only here).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	mkdir -p "$PGDATA"
	chown postgres:postgres "$PGDATA"
	chmod 700 "$PGDATA"
	until gosu postgres pg_basebackup -h "${SAN_PRIMARY_HOST:-db}" \
	    -U replicator -D "$PGDATA" -R -X stream -c fast; do
		echo "replica: primary not ready, retrying" >&2
		rm -rf "${PGDATA:?}"/*
		sleep 3
	done
fi
exec gosu postgres postgres -c hot_standby=on -c hot_standby_feedback=on \
    -c max_standby_streaming_delay=5s \
    -c idle_in_transaction_session_timeout=30s
