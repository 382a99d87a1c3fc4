#!/bin/sh
# Run a command with DATABASE_URL set: the caller's, or the embedded cluster
# under var/pg (created and started on first use).
set -eu
. "$(dirname "$0")/lib.sh"
if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(pg_cluster_up "$SAN_ROOT/var/pg")
fi
export DATABASE_URL
exec "$@"
