-- Least privilege (issue 13).  Runs last whenever schema api is rebuilt
-- (scripts/migrate.sh applies sql/api/*.sql in name order), so it covers
-- every module's functions without naming them.
--
-- The server connects as san_app (sql/011_app_role.sql), which has no
-- rights on schema san.  It may EXECUTE the entry points of schema api
-- only; they run as their owner (SECURITY DEFINER) with a fixed
-- search_path (san, public for the extensions, pg_temp last so nothing
-- temporary can shadow a name).  Helpers stay SECURITY INVOKER and are
-- executable by nobody but the owner: called from an entry point they run
-- with its rights anyway, and a SECURITY DEFINER or SET clause would stop
-- PostgreSQL from inlining the small SQL ones inside queries (and cost a
-- settings switch per row).
--
-- An entry point is a function of schema api that
--   * no other function in the database mentions (api.name in its body:
--     what the C code calls), or
--   * returns api.result and is not LANGUAGE sql (a handler that another
--     one also calls or mentions, e.g. api.category_list).
-- Trigger functions are never entry points.  So: write a helper used
-- inside queries in LANGUAGE sql, or call it from another function;
-- tests/api/privileges.bats fails when a function the C code calls is not
-- executable by san_app.
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO san_app;

DO $$
DECLARE
	f	record;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure AS sig,
		    (NOT EXISTS (SELECT 1 FROM pg_proc q
			JOIN pg_namespace qn ON qn.oid = q.pronamespace
		       WHERE q.oid <> p.oid
			 AND qn.nspname NOT IN ('pg_catalog', 'information_schema')
			 AND q.prosrc ~ ('\mapi\.' || p.proname || '\M'))
		     OR (p.prorettype = 'api.result'::regtype
			 AND l.lanname <> 'sql'))
		    AND p.prorettype NOT IN ('trigger'::regtype,
			'event_trigger'::regtype) AS entry
		  FROM pg_proc p
		  JOIN pg_namespace n ON n.oid = p.pronamespace
		  JOIN pg_language l ON l.oid = p.prolang
		 WHERE n.nspname = 'api' AND p.prokind IN ('f', 'p')
	LOOP
		EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC', f.sig);
		IF f.entry THEN
			EXECUTE format('ALTER ROUTINE %s SECURITY DEFINER '
			    'SET search_path = san, public, pg_temp', f.sig);
			EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO san_app',
			    f.sig);
		END IF;
	END LOOP;
END $$;

-- A deferred trigger fires at COMMIT, after the entry point has returned,
-- so it runs as san_app, which may not touch schema san (the statistics'
-- summary of san.orders, sql/009_stats.sql, is one).  Every function
-- behind a deferrable trigger therefore runs as its owner, with the same
-- fixed search_path.
DO $$
DECLARE
	f	regprocedure;
BEGIN
	FOR f IN
		SELECT DISTINCT t.tgfoid::regprocedure
		  FROM pg_trigger t
		  JOIN pg_class c ON c.oid = t.tgrelid
		  JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'san' AND t.tgdeferrable
	LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER '
		    'SET search_path = san, public, pg_temp', f);
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
	END LOOP;
END $$;
