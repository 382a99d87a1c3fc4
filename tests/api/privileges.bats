#!/usr/bin/env bats
# Least privilege in the database (issue 13): the server connects as
# san_app (sql/011_app_role.sql), which may only execute the entry points
# of schema api (sql/api/99_privileges.sql); chained tables (audit log,
# ledgers) refuse UPDATE, DELETE and TRUNCATE even to a SECURITY DEFINER
# function running as their owner.  scripts/test.sh exports
# SAN_APP_DATABASE_URL (the app role) and DATABASE_URL (the owner).

load helpers

# app_sql QUERY: run as the application role; prints what psql says
# (errors included) and returns psql's status.
app_sql() {
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
	    -d "$SAN_APP_DATABASE_URL" -c "$1" 2>&1
}

# refused QUERY: as san_app, QUERY fails for want of a privilege (not
# for some other reason, such as a typo in the test).
refused() {
	local out
	if out=$(app_sql "$1"); then
		echo "san_app was allowed: $1 -> $out"
		return 1
	fi
	grep -q 'permission denied' <<<"$out" ||
	    { echo "failed, but not for a privilege: $1 -> $out"; return 1; }
}

@test "privileges: the server connects as san_app, a separate login role without special rights" {
	[ -n "$SAN_APP_DATABASE_URL" ]
	run app_sql "SELECT current_user, session_user"
	[ "$status" -eq 0 ]
	[ "$output" = "san_app|san_app" ]
	# Not a SET ROLE inside another role's session: nothing to RESET to.
	run app_sql "RESET ROLE; SELECT current_user"
	[ "$output" = "san_app" ]
	run sql "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication
		    OR rolbypassrls OR rolinherit, rolcanlogin
		   FROM pg_roles WHERE rolname = 'san_app'"
	[ "$output" = "f|t" ]
	# A member of no role, owner of nothing.
	run sql "SELECT (SELECT count(*) FROM pg_auth_members m
		  JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'san_app')
		 + (SELECT count(*) FROM pg_class c JOIN pg_roles r
		  ON r.oid = c.relowner WHERE r.rolname = 'san_app')
		 + (SELECT count(*) FROM pg_proc p JOIN pg_roles r
		  ON r.oid = p.proowner WHERE r.rolname = 'san_app')"
	[ "$output" = 0 ]
	# The running server's pooled connections are san_app's.
	api GET /api/v1/categories
	[ "$code" = 200 ]
	run sql "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity
		  WHERE application_name = 'san' AND datname = current_database()"
	[ "$output" = "san_app" ]
}

@test "privileges: san_app cannot read or change a table: SELECT, INSERT, UPDATE, DELETE, TRUNCATE on san.accounts fail" {
	refused "SELECT * FROM san.accounts"
	refused "SELECT count(*) FROM san.accounts"
	refused "UPDATE san.accounts SET full_name = 'x'"
	refused "DELETE FROM san.accounts"
	refused "TRUNCATE san.accounts"
	refused "INSERT INTO san.accounts (email, password_hash, full_name)
		 VALUES ('x@example.vn', 'x', 'x')"
	refused "SELECT * FROM san.sessions"
	refused "SELECT * FROM san.audit_log"
	refused "DELETE FROM san.audit_log"
	refused "CREATE TABLE public.lp_probe (x int)"
	refused "CREATE TEMP TABLE lp_probe (x int)"
}

@test "privileges: no table, sequence or schema right on san for san_app, and none for PUBLIC" {
	# Every table and sequence of schema san, whatever module made it.
	run sql "SELECT count(*) FROM pg_class c
		   JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'san' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
	[ "$output" -gt 10 ]
	run sql "SELECT string_agg(c.oid::regclass::text, ' ')
		   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'san' AND c.relkind IN ('r', 'p', 'v', 'm')
		    AND (has_table_privilege('san_app', c.oid,
			'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
		     OR has_any_column_privilege('san_app', c.oid,
			'SELECT, INSERT, UPDATE, REFERENCES')
		     OR EXISTS (SELECT 1 FROM aclexplode(c.relacl) a
			   WHERE a.grantee <> c.relowner))"
	[ -z "$output" ] || { echo "tables with grants: $output"; false; }
	run sql "SELECT has_schema_privilege('san_app', 'san', 'USAGE'),
		    has_schema_privilege('san_app', 'san', 'CREATE'),
		    has_schema_privilege('san_app', 'public', 'CREATE'),
		    has_database_privilege('san_app', current_database(), 'TEMP'),
		    has_schema_privilege('san_app', 'api', 'USAGE'),
		    has_schema_privilege('san_app', 'api', 'CREATE')"
	[ "$output" = "f|f|f|f|t|f" ]
	refused "SELECT nextval('san.accounts_id_seq')"
}

@test "privileges: san_app calls api functions; they run as the owner with a fixed search_path" {
	run app_sql "SELECT status FROM api.category_list()"
	[ "$status" -eq 0 ]
	[ "$output" = 200 ]
	run app_sql "SELECT status, error FROM api.me(NULL)"
	[ "$output" = "401|unauthenticated" ]
	# A search_path of the caller's cannot redirect a function.
	run app_sql "SET search_path = pg_temp, public; SELECT status FROM api.category_list()"
	[ "$output" = 200 ]
	# Every function the C code calls is an entry point: executable by
	# san_app, SECURITY DEFINER, search_path fixed (catches a module
	# whose entry point 99_privileges.sql would not recognise).
	local names
	names=$(cd "$BATS_TEST_DIRNAME/../.." && grep -ohE 'api\.[a-z_0-9]+\(' src/*.c |
	    sed 's/^api\.//; s/($//' | sort -u | paste -sd, -)
	[ -n "$names" ]
	run sql "SELECT count(*), string_agg(DISTINCT proname, ' ') FILTER (WHERE NOT (
		    has_function_privilege('san_app', p.oid, 'EXECUTE') AND prosecdef
		    AND array_to_string(proconfig, ' ') LIKE '%search_path=san, public, pg_temp%'))
		   FROM pg_proc p WHERE pronamespace = 'api'::regnamespace
		    AND proname = ANY (string_to_array('$names', ','))"
	echo "$output"
	[ "${output%%|*}" -ge "$(tr ',' '\n' <<<"$names" | wc -l)" ]
	[ "${output#*|}" = "" ]
}

@test "privileges: helpers are not executable by san_app, nothing in schema api by PUBLIC" {
	refused "SELECT api.audit(1, 'forged', 'account', '1', '{}')"
	refused "SELECT api.session_account('0000')"
	refused "SELECT api.ok(200, '{}')"
	run sql "SELECT count(*) FROM pg_proc p
		  WHERE pronamespace = 'api'::regnamespace
		    AND has_function_privilege('public', p.oid, 'EXECUTE')"
	[ "$output" = 0 ]
	# Helpers stay SECURITY INVOKER (inlining, no settings switch per row).
	run sql "SELECT count(*) FROM pg_proc p
		  WHERE pronamespace = 'api'::regnamespace AND NOT prosecdef
		    AND proconfig IS NULL
		    AND NOT has_function_privilege('san_app', p.oid, 'EXECUTE')"
	[ "$output" -gt 20 ]
	run sql "SELECT count(*) FROM pg_proc p
		  WHERE pronamespace = 'api'::regnamespace
		    AND prosecdef <> has_function_privilege('san_app', p.oid, 'EXECUTE')"
	[ "$output" = 0 ]
}

@test "privileges: chained tables (the audit log) refuse UPDATE, DELETE and TRUNCATE even through a SECURITY DEFINER function" {
	# At least one audit row, so the row triggers have something to refuse.
	sql "SELECT api.audit(NULL, 'privileges.test', 'test', '1', '{}')" >/dev/null
	run sql "SELECT count(*) FROM san.audit_log"
	[ "$output" -ge 1 ]
	# A definer function owned by the tables' owner, callable by san_app:
	# what any api function could do, at most.
	sql "SET client_min_messages = warning;
	     DROP SCHEMA IF EXISTS lp_probe CASCADE; CREATE SCHEMA lp_probe;
	     CREATE FUNCTION lp_probe.tamper(t text, how text) RETURNS void
	     LANGUAGE plpgsql SECURITY DEFINER SET search_path = san, pg_temp AS \$f\$
	     BEGIN
		IF how = 'update' THEN
			EXECUTE format('UPDATE %s SET chain_seq = chain_seq', t::regclass);
		ELSIF how = 'delete' THEN
			EXECUTE format('DELETE FROM %s', t::regclass);
		ELSE
			EXECUTE format('TRUNCATE %s CASCADE', t::regclass);
		END IF;
	     END \$f\$;
	     GRANT USAGE ON SCHEMA lp_probe TO san_app;
	     GRANT EXECUTE ON FUNCTION lp_probe.tamper(text, text) TO san_app" >/dev/null
	local before tables t how out
	before=$(sql "SELECT count(*) FROM san.audit_log")
	tables=$(sql "SELECT DISTINCT n.nspname || '.' || c.relname
		       FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		       JOIN pg_namespace n ON n.oid = c.relnamespace
		      WHERE g.tgfoid = 'san.refuse_change'::regproc")
	grep -qx 'san.audit_log' <<<"$tables"
	for t in $tables; do
		# Each chained table with a row (a fresh module's may be empty).
		[ "$(sql "SELECT count(*) > 0 FROM $t")" = t ] || continue
		for how in update delete truncate; do
			if out=$(app_sql "SELECT lp_probe.tamper('$t', '$how')"); then
				sql "DROP SCHEMA lp_probe CASCADE" >/dev/null
				echo "$how on $t went through"
				return 1
			fi
			grep -q 'append-only' <<<"$out" ||
			    { echo "$how on $t: $out"; sql "DROP SCHEMA lp_probe CASCADE"; return 1; }
		done
	done
	sql "DROP SCHEMA lp_probe CASCADE" >/dev/null
	[ "$(sql "SELECT count(*) FROM san.audit_log")" = "$before" ]
	run sql "SELECT (san.chain_verify('san.audit_log'))->>'ok'"
	[ "$output" = true ]
}
