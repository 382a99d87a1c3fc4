#!/bin/sh
# make ledger-check: the subsidy ledger's own audit (api.ledger_problems,
# the same as GET /api/v1/admin/ledger/check) on $DATABASE_URL: debits
# equal credits, cached balances equal their entries, no budget, grant,
# programme count or business cap exceeded, hash chains intact.  Prints
# {"ok", "problems"} and exits 1 when there is any problem.
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
out=$("$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" \
    -c "SELECT jsonb_build_object('ok', p = '[]', 'problems', p) FROM api.ledger_problems() p")
printf '%s\n' "$out" | jq .
[ "$(printf '%s' "$out" | jq -r .ok)" = true ]
