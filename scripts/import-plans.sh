#!/bin/sh
# Load the plans of sql/plans/*.json (the seeds' budget appendices, as
# data) into $DATABASE_URL through api.plan_import, one call per file, and
# print what each check found: every stated subtotal or total that is not
# the sum of its parts, with both figures.  A plan already loaded is left
# as it is (its stored findings are printed).  Run by seed-demo.sh and
# scripts/test.sh; `sh scripts/with-db.sh sh scripts/import-plans.sh` by hand.
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
for f in "$SAN_ROOT"/sql/plans/*.json; do
	# (psql expands :'plan' in scripts, not in -c)
	out=$(echo "SELECT api.plan_import(:'plan'::jsonb)" |
	    "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
	    -v plan="$(cat "$f")")
	printf '%s\n' "$out" | jq -r --arg f "$(basename "$f")" '
	    "plan \($f): id \(.plan_id)\(if .imported then "" else " (already loaded)" end), \(.disagreements | length) disagreement(s)",
	    (.disagreements[] | "  \(.line) \(.year // "cả giai đoạn") \(.source // "tổng") [\(.stated_in)]: stated \(.stated_vnd), parts add up to \(.computed_vnd) (difference \(.difference_vnd))")'
done
