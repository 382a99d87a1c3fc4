#!/bin/sh
# make run: database (embedded under var/ unless DATABASE_URL is set),
# migrations, demo data, then the server on http://127.0.0.1:${PORT:-8888}.
set -eu
. "$(dirname "$0")/lib.sh"
if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(pg_cluster_up "$SAN_ROOT/var/pg")
	echo "database: embedded cluster in var/pg"
fi
export DATABASE_URL
sh "$SAN_ROOT/scripts/migrate.sh"
sh "$SAN_ROOT/scripts/seed-demo.sh"
echo "serving on http://${BIND:-127.0.0.1}:${PORT:-8888}  (Ctrl-C stops)"
exec sh "$SAN_ROOT/scripts/serve.sh"
