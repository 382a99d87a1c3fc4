#!/bin/sh
# Recompute the hash chains of the append-only records (the audit log,
# the moderation decisions and the appeal outcomes) on $DATABASE_URL;
# print each result and exit 1 when one is broken.  `make audit-verify` runs it on the embedded cluster
# or on DATABASE_URL.
set -eu
. "$(dirname "$0")/lib.sh"
: "${DATABASE_URL:?DATABASE_URL must be set}"
out=$(san_psql -At -c "SELECT t || ' ' || jsonb_pretty(san.chain_verify(t::regclass))
	FROM unnest(ARRAY['san.audit_log', 'san.mod_decisions',
	    'san.mod_appeal_outcomes']) t")
echo "$out"
case $out in
*'"ok": false'*) exit 1 ;;
esac
