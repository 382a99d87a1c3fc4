#!/bin/sh
# Start the server in the foreground: generate the runtime configuration
# from conf/san.conf.in and exec kore.  Environment: DATABASE_URL
# (required), PORT (8888), BIND (127.0.0.1), WORKERS (2), SAN_CONF_OUT
# (where the generated configuration goes, default var/san.conf),
# SAN_TEST_ROUTES=1 (the module adds the test-only routes), SAN_SECURE_COOKIES,
# SAN_TRUST_PROXY, SAN_ALLOWED_ORIGINS, SAN_HASH_SLOTS.
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
export DATABASE_URL
PORT=${PORT:-8888}
BIND=${BIND:-127.0.0.1}
WORKERS=${WORKERS:-2}
OUT=${SAN_CONF_OUT:-$SAN_ROOT/var/san.conf}
mkdir -p "$(dirname "$OUT")"
BODY_DIR=$(cd "$(dirname "$OUT")" && pwd -P)/body
mkdir -p "$BODY_DIR" && chmod 700 "$BODY_DIR"
awk -v module="$SAN_ROOT/build/san.so" -v bind="$BIND" -v port="$PORT" \
    -v workers="$WORKERS" -v pidfile="$(dirname "$OUT")/kore.pid" \
    -v bodydir="$BODY_DIR" '{
	gsub("@MODULE@", module); gsub("@BIND@", bind); gsub("@PORT@", port);
	gsub("@WORKERS@", workers); gsub("@PIDFILE@", pidfile);
	gsub("@BODY_DIR@", bodydir); print }' \
    "$SAN_ROOT/conf/san.conf.in" >"$OUT"
# Kore logs through stdio under -f: line-buffer it (README, Kore fact 10).
exec stdbuf -oL -eL kore -f -n -r -c "$OUT"
