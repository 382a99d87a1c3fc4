-- 001: extensions, text folding, accounts, roles, sessions, audit.
-- Tables live in schema san; the functions the server calls live in schema
-- api (sql/api/*.sql, re-applied by scripts/migrate.sh when they change).

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA IF NOT EXISTS san;

-- Diacritic- and case-insensitive form of Vietnamese text for search:
-- "Cà Phê Đắk Lắk" -> "ca phe dak lak".  IMMUTABLE so it can be indexed; the
-- dictionary is named explicitly so search_path cannot change the result.
CREATE FUNCTION san.fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
	normalize(t, NFC))) $$;

-- Operator-tunable settings (session lifetimes, throttling windows).
CREATE TABLE san.settings (
	key	text PRIMARY KEY,
	value	text NOT NULL
);
INSERT INTO san.settings (key, value) VALUES
	('session_idle', '2 hours'),
	('session_absolute', '7 days'),
	('login_window', '15 minutes'),
	('login_max_failures_account', '10'),
	('login_max_failures_ip', '50');

CREATE FUNCTION san.setting(k text) RETURNS text
LANGUAGE sql STABLE STRICT
AS $$ SELECT value FROM san.settings WHERE key = k $$;

CREATE TABLE san.accounts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL CHECK (length(email) <= 254),
	password_hash	text NOT NULL,
	full_name	text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
	phone		text CHECK (phone ~ '^\+84[0-9]{9}$'),
	status		text NOT NULL DEFAULT 'active'
			    CHECK (status IN ('active', 'disabled')),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON san.accounts (lower(email));

-- Granted roles.  "buyer" is everyone's; "merchant" follows business
-- membership; only official and admin are granted.
CREATE TABLE san.account_roles (
	account_id	bigint NOT NULL REFERENCES san.accounts ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('official', 'admin')),
	granted_by	bigint REFERENCES san.accounts,
	granted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, role)
);

-- Sessions: only the BLAKE2b-256 hash of the token is stored (hex).
CREATE TABLE san.sessions (
	token_hash	text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	account_id	bigint NOT NULL REFERENCES san.accounts ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON san.sessions (account_id);

-- Failed logins, for throttling per account and per client address.
CREATE TABLE san.login_failures (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id	bigint REFERENCES san.accounts ON DELETE CASCADE,
	ip		inet NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_account_idx ON san.login_failures (account_id, at);
CREATE INDEX login_failures_ip_idx ON san.login_failures (ip, at);

-- Every action of an official or admin, and every role change: who, what,
-- on which object, when, why.  Append-only for the application.
CREATE TABLE san.audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	actor_id	bigint REFERENCES san.accounts,
	action		text NOT NULL,
	object_type	text NOT NULL,
	object_id	text NOT NULL,
	detail		jsonb NOT NULL DEFAULT '{}',
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_object_idx ON san.audit_log (object_type, object_id);
