#!/usr/bin/env bats
# Backups (issue 13): scripts/restore-check.sh dumps the test database in
# a snapshot, restores it into a scratch cluster and compares every
# table's row count and every hash chain's head, and recomputes the
# chains (san.chain_verify).  It must also notice a restore that does not
# match: a dump taken before a change, compared with the database after.

load helpers

CHECK="$BATS_TEST_DIRNAME/../../scripts/restore-check.sh"

@test "restore-check: a dump restores with the same row counts and intact chains" {
	sql "SELECT api.audit(NULL, 'restore.test', 'test', '1', '{}')" >/dev/null
	run bash "$CHECK"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "restore-check: ok" ]
	grep -q '^  table accounts [0-9]' <<<"$output"
	grep -q '^  chain_verify .*audit_log {"ok": true' <<<"$output"
}

@test "restore-check: a dump that does not match the database fails, naming the table and the chain" {
	local d="$BATS_TEST_TMPDIR/old.dump"
	"$PGBIN/pg_dump" -Fc -d "$DATABASE_URL" -f "$d"
	sql "SELECT api.audit(NULL, 'restore.after', 'test', '2', '{}')" >/dev/null
	run bash "$CHECK" "$d"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "restore-check: FAILED" ]
	grep -q '^  -table audit_log ' <<<"$output"
	grep -q '^  -chain .*audit_log ' <<<"$output"
}
