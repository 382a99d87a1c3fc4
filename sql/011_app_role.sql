-- 011: the application's own database role (issue 13, least privilege).
--
-- The server connects as san_app, a separate LOGIN role (not SET ROLE in
-- the owner's session, which injected SQL could undo with RESET ROLE).
-- san_app owns nothing and gets no rights on schema san: it may only
-- EXECUTE the entry points of schema api, which run as their owner
-- (SECURITY DEFINER, fixed search_path).  sql/api/99_privileges.sql grants
-- them each time schema api is rebuilt.  Migrations keep running as the
-- owner (DATABASE_URL).
--
-- Production: a DBA may create the role beforehand, with its password:
--	CREATE ROLE san_app LOGIN PASSWORD '...';
-- otherwise this migration creates it (LOGIN, no password: it can log in
-- only where pg_hba.conf trusts it, e.g. a scratch cluster's Unix socket)
-- when the owner may create roles, and stops with a clear error when not.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'san_app') THEN
		IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles
			 WHERE rolname = current_user) THEN
			RAISE EXCEPTION 'role san_app does not exist and % cannot create it', current_user
			    USING HINT = 'as a superuser: CREATE ROLE san_app LOGIN PASSWORD ''...'';';
		END IF;
		CREATE ROLE san_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
		    NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
	END IF;
END $$;

-- Nothing for everybody beyond connecting: no temporary tables (a
-- pg_temp object could shadow a name in a careless search_path), no
-- objects in schema public, no access to schema san.
DO $$
BEGIN
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',
	    current_database());
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA san FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA san FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA san FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA san FROM PUBLIC;
-- (Functions later migrations add to san stay executable by PUBLIC, as
-- PostgreSQL makes them, but without USAGE on san nobody but the owner
-- can reach them.)
