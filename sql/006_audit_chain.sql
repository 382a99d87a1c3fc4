-- 006: hash chains for append-only records (the audit log now; ledgers and
-- moderation records later), and the rule that such records never change.
--
-- A chained table has three columns, filled by the trigger san.chain_link
-- (whatever the INSERT supplies is overwritten):
--	chain_seq	1, 2, 3 ... in the order rows joined the chain
--	prev_hash	hash of the row before (32 zero bytes for the first)
--	hash		sha256(prev_hash || san.chain_content(row))
-- Appends are serialised by the row lock on san.chain_heads, so chain_seq
-- has no gaps and no two rows share a predecessor, whatever order identity
-- ids were drawn in.  san.chain_verify(table) recomputes the chain with one
-- set-based query.
--
-- A row's content is its jsonb image without the three chain columns,
-- rendered with TimeZone UTC, DateStyle ISO, hex bytea and shortest exact
-- floats (the functions fix these settings), so
-- the hash does not depend on the session that wrote or checks it.

CREATE TABLE san.chain_heads (
	chain		regclass PRIMARY KEY,
	last_seq	bigint NOT NULL DEFAULT 0,
	last_hash	bytea NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000'
);

-- The canonical bytes of a chained row: its jsonb text without the chain
-- columns (jsonb orders keys itself).
CREATE FUNCTION san.chain_content(r jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT convert_to((r - 'chain_seq' - 'prev_hash' - 'hash')::text, 'UTF8') $$;

CREATE FUNCTION san.chain_link() RETURNS trigger
LANGUAGE plpgsql
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
SET bytea_output = 'hex' SET extra_float_digits = 1 SET search_path = pg_catalog
AS $$
DECLARE
	h san.chain_heads;
BEGIN
	UPDATE san.chain_heads SET last_seq = last_seq + 1
	 WHERE chain = TG_RELID::regclass RETURNING * INTO h;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no chain head for %', TG_RELID::regclass;
	END IF;
	NEW.chain_seq := h.last_seq;
	NEW.prev_hash := h.last_hash;
	NEW.hash := sha256(h.last_hash || san.chain_content(to_jsonb(NEW)));
	UPDATE san.chain_heads SET last_hash = NEW.hash
	 WHERE chain = TG_RELID::regclass;
	RETURN NEW;
END $$;

-- Append-only, enforced by the database: UPDATE, DELETE and TRUNCATE raise,
-- for the application and for every function it calls.  Only the owner can
-- get past it (ALTER TABLE ... DISABLE TRIGGER), which is what the tamper
-- tests do.
CREATE FUNCTION san.refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$ BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
	    USING ERRCODE = 'insufficient_privilege';
END $$;

-- Make table t a chained, append-only record.  It must have no rows yet,
-- or rows the caller is content to chain in id order now.
CREATE FUNCTION san.chain_install(t regclass) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	n text := t::text;
	tn text := (SELECT relname FROM pg_class WHERE oid = t);
BEGIN
	EXECUTE format('ALTER TABLE %s ADD COLUMN chain_seq bigint UNIQUE,
	    ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea', n);
	INSERT INTO san.chain_heads (chain) VALUES (t);
	EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %s
	    FOR EACH ROW EXECUTE FUNCTION san.chain_link()', tn || '_chain', n);
	EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %s
	    FOR EACH ROW EXECUTE FUNCTION san.refuse_change()', tn || '_no_change', n);
	EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s
	    FOR EACH STATEMENT EXECUTE FUNCTION san.refuse_change()', tn || '_no_truncate', n);
END $$;

-- Recompute table t's chain: {"ok", "rows", "first_broken"} where
-- first_broken is the id of the first row (in chain order) whose link or
-- hash does not match, or null.  A row removed from the middle shows as a
-- gap in chain_seq; a row removed from the end, as rows < the head's count.
CREATE FUNCTION san.chain_verify(t regclass) RETURNS jsonb
LANGUAGE plpgsql STABLE
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
SET bytea_output = 'hex' SET extra_float_digits = 1 SET search_path = pg_catalog
AS $$
DECLARE
	n bigint;
	broken text;
	head san.chain_heads;
BEGIN
	SELECT * INTO head FROM san.chain_heads WHERE chain = t;
	EXECUTE format($q$
	WITH c AS (
		SELECT id, chain_seq, prev_hash, hash,
		    lag(hash) OVER w AS want_prev,
		    lag(chain_seq) OVER w AS seq_before,
		    sha256(prev_hash || san.chain_content(to_jsonb(x))) AS want_hash
		  FROM %s x WINDOW w AS (ORDER BY chain_seq))
	SELECT (SELECT count(*) FROM c),
	    (SELECT id::text FROM c
	      WHERE hash IS DISTINCT FROM want_hash
		 OR prev_hash IS DISTINCT FROM coalesce(want_prev,
			'\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
		 OR chain_seq IS DISTINCT FROM coalesce(seq_before, 0) + 1
	      ORDER BY chain_seq NULLS FIRST LIMIT 1)$q$, t)
	INTO n, broken;
	IF broken IS NULL AND n <> head.last_seq THEN
		broken := 'end';
	ELSIF broken IS NULL AND n > 0 THEN
		EXECUTE format('SELECT CASE WHEN hash = $1 THEN NULL ELSE id::text END
		    FROM %s ORDER BY chain_seq DESC LIMIT 1', t)
		INTO broken USING head.last_hash;
	END IF;
	RETURN jsonb_build_object('ok', broken IS NULL, 'rows', n,
	    'first_broken', CASE WHEN broken ~ '^\d+$' THEN broken::bigint::text::jsonb
		WHEN broken IS NULL THEN 'null'::jsonb ELSE to_jsonb(broken) END);
END $$;

-- The audit log existed before chains: link what it holds in id order, in
-- place (ids are GENERATED ALWAYS, so the rows cannot be re-inserted).
SELECT san.chain_install('san.audit_log');
ALTER TABLE san.audit_log DISABLE TRIGGER audit_log_no_change;
DO $$
DECLARE
	r record;
	prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
	seq bigint := 0;
	h bytea;
BEGIN
	SET LOCAL TimeZone = 'UTC';
	SET LOCAL DateStyle = 'ISO, YMD';
	FOR r IN SELECT a.id, to_jsonb(a) AS j FROM san.audit_log a ORDER BY a.id LOOP
		seq := seq + 1;
		h := sha256(prev || san.chain_content(r.j));
		UPDATE san.audit_log SET chain_seq = seq, prev_hash = prev, hash = h
		 WHERE id = r.id;
		prev := h;
	END LOOP;
	UPDATE san.chain_heads SET last_seq = seq, last_hash = prev
	 WHERE chain = 'san.audit_log'::regclass;
END $$;
ALTER TABLE san.audit_log ENABLE TRIGGER audit_log_no_change;
