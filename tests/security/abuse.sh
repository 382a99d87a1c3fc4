#!/usr/bin/env bash
# tests/security/abuse.sh: abusive clients against a real server on a
# scratch cluster (like sqlmap.sh), the long variant: 10,000 idle
# keep-alive connections, 1,000 slowloris header senders, 500 slow bodies,
# requests with 100 headers, 3,000- and 70,000-byte paths and a
# 10,000-byte query string, for 60 s, while a normal client keeps reading
# (tests/security/abuse.py does the work and the checks).  Then the server
# log: no worker may have died.  tests/api/abuse.bats runs a short variant
# in make test.
#
# Environment: ABUSE_IDLE (10000), ABUSE_SLOW_HEADERS (1000),
# ABUSE_SLOW_BODIES (500), ABUSE_SECONDS (60); SAN_URL=http://... runs
# against that server instead of a scratch one (its log is not checked).
# Exit status 0 when every check held.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/lib.sh"
SAN_ROOT=$ROOT
cd "$ROOT"

ARGS=(--idle "${ABUSE_IDLE:-10000}" --slow-headers "${ABUSE_SLOW_HEADERS:-1000}"
    --slow-bodies "${ABUSE_SLOW_BODIES:-500}" --seconds "${ABUSE_SECONDS:-60}")
if [ -n "${SAN_URL:-}" ]; then
	exec python3 "$HERE/abuse.py" "$SAN_URL" "${ARGS[@]}"
fi

DIR=$(mktemp -d /tmp/san-abuse.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
cleanup() {
	[ -f "$DIR/kore.pid" ] && kill "$(cat "$DIR/kore.pid")" 2>/dev/null
	sleep 0.5
	pg_cluster_down "$DIR/pg"
	[ "${SAN_KEEP_TEST_DIR:-0}" = 1 ] && echo "kept $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

DATABASE_URL=$(pg_cluster_up "$DIR/pg") || exit 1
export DATABASE_URL
sh scripts/migrate.sh >/dev/null || exit 1
SAN_SEED_DEMO=1 sh scripts/seed-demo.sh >/dev/null || exit 1
port=$((40000 + $$ % 10000))
while curl -s -o /dev/null "http://127.0.0.1:$port/"; do port=$((port + 1)); done
export PORT=$port SAN_URL="http://127.0.0.1:$port" SAN_CONF_OUT="$DIR/san.conf"
setsid sh scripts/serve.sh >"$DIR/server.log" 2>&1 </dev/null &
for i in $(seq 200); do
	curl -sf -o /dev/null "$SAN_URL/healthz" && break
	sleep 0.1
done

python3 "$HERE/abuse.py" "$SAN_URL" --out "$DIR" "${ARGS[@]}"
rc=$?
# The same death patterns scripts/test.sh looks for.
deaths=$(grep -E "worker [0-9]+ .*(exited|died)|worker \[wrk [0-9]+\] \([0-9]+\) exited|seccomp.*(violation|trace)" "$DIR/server.log")
if [ -n "$deaths" ]; then
	echo "abuse: PROBLEM workers died:"; echo "$deaths"
	rc=1
fi
curl -sf -o /dev/null --max-time 5 "$SAN_URL/healthz" ||
    { echo "abuse: PROBLEM the server does not answer after the attack"; rc=1; }
echo "abuse: server log: $(grep -c ' 408 \|408' "$DIR/server.log") lines with 408; workers died: $( [ -n "$deaths" ] && echo yes || echo none)"
exit $rc
