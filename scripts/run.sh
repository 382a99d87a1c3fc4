#!/bin/sh
# make run: database (embedded under var/ unless DATABASE_URL is set),
# migrations, demo data, then the server on http://127.0.0.1:${PORT:-8888}.
set -eu
. "$(dirname "$0")/lib.sh"
# Demo data (with its publicly known password) goes only into the embedded
# cluster, or anywhere when SAN_SEED_DEMO=1 is asked for explicitly.
seed=${SAN_SEED_DEMO:-0}
if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(pg_cluster_up "$SAN_ROOT/var/pg")
	echo "database: embedded cluster in var/pg"
	seed=${SAN_SEED_DEMO:-1}
fi
export DATABASE_URL
sh "$SAN_ROOT/scripts/migrate.sh"
[ "$seed" = 1 ] && SAN_SEED_DEMO=1 sh "$SAN_ROOT/scripts/seed-demo.sh"
echo "serving on http://${BIND:-127.0.0.1}:${PORT:-8888}  (Ctrl-C stops)"
exec sh "$SAN_ROOT/scripts/serve.sh"
