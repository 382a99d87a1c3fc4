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

. "$HERE/scratch.bash"
scratch_server abuse || exit 1

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
