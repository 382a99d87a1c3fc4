#!/bin/sh
# Start the server in the foreground: generate the runtime configuration
# from conf/san.conf.in and exec kore.  Environment: DATABASE_URL or
# SAN_APP_DATABASE_URL (one required, see below), PORT (8888), BIND
# (127.0.0.1), WORKERS (2), SAN_CONF_OUT (where the generated
# configuration goes, default var/san.conf), SAN_TEST_ROUTES=1 (the module
# adds the test-only routes), SAN_SECURE_COOKIES, SAN_TRUST_PROXY,
# SAN_ALLOWED_ORIGINS, SAN_HASH_SLOTS, SAN_REPLICA_URL.
#
# Two connection URLs: DATABASE_URL is the owner's (migrations, tools);
# the server connects as the application role, SAN_APP_DATABASE_URL
# (sql/011_app_role.sql: it may only execute schema api's entry points).
# For a cluster made by scripts/lib.sh the app URL is derived; elsewhere
# an unset SAN_APP_DATABASE_URL leaves the server on the owner's role,
# with a warning.  SAN_REPLICA_URL (optional): a streaming replica for
# public reads (src/db.c), as the application role too.
set -eu
. "$(dirname "$0")/lib.sh"
app_url=${SAN_APP_DATABASE_URL:-$(san_app_url "${DATABASE_URL:-}")}
if [ -z "$app_url" ]; then
	: "${DATABASE_URL:?DATABASE_URL or SAN_APP_DATABASE_URL must be set}"
	echo "warning: SAN_APP_DATABASE_URL is not set: the server connects" \
	    "as the owner of the tables (README, Configuration)" >&2
	app_url=$DATABASE_URL
fi
# Kore sees the application role's URL only.
DATABASE_URL=$app_url
unset SAN_APP_DATABASE_URL app_url
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
