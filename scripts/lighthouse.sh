#!/bin/sh
# Lighthouse scores (mobile) of the web app served at URL (default
# http://127.0.0.1:8888): home, search results, a product page.  npm ci of
# bench/lighthouse (lighthouse 12.2.3, its own lock file: not part of the
# app's build) when missing, then bench/lighthouse/run.mjs in Debian's
# Chromium.  Run by make bench; not a test.
set -eu
. "$(dirname "$0")/lib.sh"
cd "$SAN_ROOT/bench/lighthouse"
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error >&2
	touch node_modules/.package-lock.json
fi
node run.mjs "${1:-http://127.0.0.1:8888}"
