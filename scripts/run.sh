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
# DEMO payment-provider keys, public and worthless, for the demo only (the
# seeded database) and only where not set: payments can be simulated with
# the stand-in, e.g.  tests/providers/paysim vnpay-pay "<payment_url>"
# (same variables in its environment, SAN_URL=http://127.0.0.1:8888).
if [ "$seed" = 1 ]; then
	export VNPAY_TMN_CODE="${VNPAY_TMN_CODE:-SANDEMO1}"
	export VNPAY_HASH_SECRET="${VNPAY_HASH_SECRET:-DEMOVNPAYSECRETNOTFORPRODUCTION0}"
	export MOMO_PARTNER_CODE="${MOMO_PARTNER_CODE:-MOMOSANDEMO}"
	export MOMO_ACCESS_KEY="${MOMO_ACCESS_KEY:-demoaccesskey}"
	export MOMO_SECRET_KEY="${MOMO_SECRET_KEY:-demo-momo-secret-not-for-production}"
	export BANK_WEBHOOK_SECRET="${BANK_WEBHOOK_SECRET:-demo-bank-secret-not-for-production}"
	export VIETQR_BANK_BIN="${VIETQR_BANK_BIN:-970436}"
	export VIETQR_ACCOUNT="${VIETQR_ACCOUNT:-0011000000001}"
	echo "payments: DEMO provider keys (VNPAY_TMN_CODE=$VNPAY_TMN_CODE ...);" \
	    "simulate with tests/providers/paysim"
fi
echo "serving on http://${BIND:-127.0.0.1}:${PORT:-8888}  (Ctrl-C stops)"
exec sh "$SAN_ROOT/scripts/serve.sh"
