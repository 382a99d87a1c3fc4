#!/bin/sh
# Build the web app (assets/app/) into build/web/: npm ci when
# assets/node_modules is missing or older than package-lock.json, then
# assets/build.mjs (esbuild: bundle, minify, content-hashed names, gzip
# copies, index.html).  Prints the first load's gzipped size; fails over
# the budget (100 KB).
set -eu
. "$(dirname "$0")/lib.sh"
cd "$SAN_ROOT/assets"
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json
fi
node build.mjs "$SAN_ROOT/build/web"
