-- 008: the subsidy ledger.  Plans (the seeds' budget appendices, as data),
-- support programmes, grants and disbursements, and under them a
-- double-entry ledger in integer VND.
--
-- Plans.  A plan's lines keep the appendix's hierarchy (I, 1, 1.1 ...)
-- and order.  Every figure the appendix prints is a row of plan_figures
-- (line, year, source): year NULL is a whole-period column, source NULL a
-- total across sources.  The figures of leaf lines with a source are the
-- parts: they become budget accounts.  Every other figure (subtotals, row
-- totals, the grand total, totals stated in the plan's text) is kept as
-- stated, beside the sum of its parts computed when the report is made;
-- the importer (api.plan_import) lists every disagreement and never
-- chooses between them.
--
-- The ledger.  Accounts:
--	funding		one per plan and source: where the plan's money
--			comes from (goes negative by design)
--	budget		line x year x source: what is left to commit
--	committed	grant x source: committed, not yet paid
--	pending		grant x source: a payment waiting for approval
--	disbursed	grant x source: paid
-- Every operation is one ledger_tx with entries whose debits equal
-- their credits; an account's balance is credits minus debits and is
-- cached in ledger_accounts.balance_vnd (checked by api.ledger_check).
-- Accounts other than funding may never go below zero (a CHECK, the last
-- line behind the functions' own checks).  ledger_tx and ledger_entries
-- are hash-chained and append-only (san.chain_install, 006).

CREATE TABLE san.plans (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	province	text NOT NULL,
	decision_no	text,
	decision_date	date,
	status		text NOT NULL DEFAULT 'approved'
			    CHECK (status IN ('approved', 'draft')),
	title		text NOT NULL,
	appendix	text NOT NULL,
	seed		text,
	period_from	int NOT NULL,
	period_to	int NOT NULL CHECK (period_to >= period_from),
	unit_vnd	bigint NOT NULL CHECK (unit_vnd > 0),
	unit_label	text NOT NULL,
	years		int[],		-- the appendix's year columns; NULL: none
	sources		text[] NOT NULL,
	source_labels	jsonb NOT NULL DEFAULT '{}',
	import_report	jsonb NOT NULL DEFAULT '[]',	-- disagreements found
	imported_by	bigint REFERENCES san.accounts,
	imported_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX plans_title_key ON san.plans (province, title);

CREATE TABLE san.plan_lines (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id		bigint NOT NULL REFERENCES san.plans,
	parent_id	bigint REFERENCES san.plan_lines,
	position	int NOT NULL,		-- order in the appendix
	kind		text NOT NULL DEFAULT 'line'
			    CHECK (kind IN ('line', 'total')),
	code		text,			-- I, I.1, I.1.2 (NULL: total)
	printed_code	text,			-- as printed when it differs
	level		int NOT NULL,
	title		text NOT NULL,
	explanation	text,
	note		text,
	UNIQUE (plan_id, position),
	UNIQUE (plan_id, code)
);
CREATE INDEX plan_lines_parent_idx ON san.plan_lines (parent_id);

CREATE TABLE san.plan_figures (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	line_id		bigint NOT NULL REFERENCES san.plan_lines,
	year		int,
	source		text CHECK (source IN ('provincial', 'central',
			    'business', 'other')),
	stated_in	text NOT NULL DEFAULT 'appendix',
	amount_vnd	bigint NOT NULL CHECK (amount_vnd >= 0),
	is_part		boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX plan_figures_key ON san.plan_figures
    (line_id, COALESCE(year, 0), COALESCE(source, ''), stated_in);

-- Support programmes: a rule on a plan line.  Rates and shares in basis
-- points (5000 = 50 %).  A programme draws on the line's budget accounts
-- of each source it names (the line itself or one leaf below it per
-- source, fixed when the programme is made: programme_sources.line_id).
CREATE TABLE san.programmes (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id			bigint NOT NULL REFERENCES san.plans,
	line_id			bigint NOT NULL REFERENCES san.plan_lines,
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
	rule			text NOT NULL CHECK (rule IN ('fixed', 'rate')),
	fixed_vnd		bigint CHECK (fixed_vnd > 0),
	rate_bp			int CHECK (rate_bp BETWEEN 1 AND 10000),
	cap_vnd			bigint CHECK (cap_vnd > 0),
	counterpart_bp		int NOT NULL DEFAULT 0
				    CHECK (counterpart_bp BETWEEN 0 AND 10000),
	max_per_year		int CHECK (max_per_year > 0),
	per_business_cap_vnd	bigint CHECK (per_business_cap_vnd > 0),
	eligible_kinds		text[],		-- NULL: every kind
	require_verified	boolean NOT NULL DEFAULT true,
	created_by		bigint REFERENCES san.accounts,
	created_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (rule <> 'fixed' OR fixed_vnd IS NOT NULL),
	CHECK (rule <> 'rate' OR rate_bp IS NOT NULL)
);

CREATE TABLE san.programme_sources (
	programme_id	bigint NOT NULL REFERENCES san.programmes,
	source		text NOT NULL CHECK (source IN ('provincial',
			    'central', 'business', 'other')),
	share_bp	int NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
	line_id		bigint NOT NULL REFERENCES san.plan_lines,
	PRIMARY KEY (programme_id, source)
);

CREATE TABLE san.grants (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	programme_id		bigint NOT NULL REFERENCES san.programmes,
	business_id		bigint NOT NULL REFERENCES san.businesses,
	year			int NOT NULL,
	decision_no		text NOT NULL,
	eligible_cost_vnd	bigint,
	amount_vnd		bigint NOT NULL CHECK (amount_vnd > 0),
	counterpart_vnd		bigint NOT NULL DEFAULT 0,
	status			text NOT NULL DEFAULT 'active'
				    CHECK (status IN ('active', 'cancelled')),
	created_by		bigint NOT NULL REFERENCES san.accounts,
	created_at		timestamptz NOT NULL DEFAULT now(),
	cancelled_at		timestamptz
);
CREATE INDEX grants_business_idx ON san.grants (business_id, created_at);
CREATE INDEX grants_programme_idx ON san.grants (programme_id, year);

CREATE TABLE san.disbursements (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	grant_id	bigint NOT NULL REFERENCES san.grants,
	amount_vnd	bigint NOT NULL CHECK (amount_vnd > 0),
	paid_on		date NOT NULL,
	voucher_no	text NOT NULL,
	method		text NOT NULL CHECK (method IN ('bank_transfer',
			    'treasury', 'cash')),
	status		text NOT NULL CHECK (status IN ('pending', 'posted',
			    'rejected', 'reversed')),
	maker_id	bigint NOT NULL REFERENCES san.accounts,
	checker_id	bigint REFERENCES san.accounts,
	decided_at	timestamptz,
	reason		text,
	split		jsonb NOT NULL,		-- {source: amount_vnd}
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (checker_id IS NULL OR checker_id <> maker_id)
);
CREATE INDEX disbursements_grant_idx ON san.disbursements (grant_id);
CREATE INDEX disbursements_pending_idx ON san.disbursements (id)
    WHERE status = 'pending';

-- Idempotency records of the ledger's unsafe requests: (operation, key)
-- is unique; the stored answer is replayed for the same request, a
-- different request under the same key gets 422.
CREATE TABLE san.ledger_requests (
	op		text NOT NULL,
	idem_key	text NOT NULL,
	request_hash	bytea NOT NULL,
	status		int,
	response	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (op, idem_key)
);

CREATE TABLE san.ledger_accounts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('funding', 'budget',
			    'committed', 'pending', 'disbursed')),
	plan_id		bigint NOT NULL REFERENCES san.plans,
	source		text NOT NULL CHECK (source IN ('provincial',
			    'central', 'business', 'other')),
	line_id		bigint REFERENCES san.plan_lines,
	year		int,		-- budget: NULL for a whole-period part
	grant_id	bigint REFERENCES san.grants,
	budget_id	bigint REFERENCES san.ledger_accounts,	-- grant accounts
	balance_vnd	bigint NOT NULL DEFAULT 0,
	CHECK (kind = 'funding' OR balance_vnd >= 0)
);
CREATE UNIQUE INDEX ledger_accounts_budget_key ON san.ledger_accounts
    (line_id, COALESCE(year, 0), source) WHERE kind = 'budget';
CREATE UNIQUE INDEX ledger_accounts_grant_key ON san.ledger_accounts
    (grant_id, kind, source) WHERE grant_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_funding_key ON san.ledger_accounts
    (plan_id, source) WHERE kind = 'funding';
CREATE INDEX ledger_accounts_budget_idx ON san.ledger_accounts (budget_id);

CREATE TABLE san.ledger_tx (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('plan_load', 'grant',
			    'grant_cancel', 'disbursement', 'approve',
			    'reject', 'reversal')),
	plan_id		bigint REFERENCES san.plans,
	grant_id	bigint REFERENCES san.grants,
	disbursement_id	bigint REFERENCES san.disbursements,
	actor_id	bigint REFERENCES san.accounts,
	reason		text,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_tx_grant_idx ON san.ledger_tx (grant_id);

CREATE TABLE san.ledger_entries (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tx_id		bigint NOT NULL REFERENCES san.ledger_tx,
	account_id	bigint NOT NULL REFERENCES san.ledger_accounts,
	debit_vnd	bigint NOT NULL DEFAULT 0 CHECK (debit_vnd >= 0),
	credit_vnd	bigint NOT NULL DEFAULT 0 CHECK (credit_vnd >= 0),
	CHECK ((debit_vnd > 0) <> (credit_vnd > 0))
);
CREATE INDEX ledger_entries_tx_idx ON san.ledger_entries (tx_id);
CREATE INDEX ledger_entries_account_idx ON san.ledger_entries (account_id);

SELECT san.chain_install('san.ledger_tx');
SELECT san.chain_install('san.ledger_entries');

-- Post the entries of transaction p_tx: account p_accounts[i] gets
-- p_amounts[i] (positive: credit, negative: debit), cached balances move
-- with them.  The caller has locked the accounts (in id order) and checked
-- its limits; unbalanced entries raise, as does a balance below zero
-- (ledger_accounts' CHECK).
CREATE FUNCTION san.ledger_post(p_tx bigint, p_accounts bigint[],
    p_amounts bigint[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	IF (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 THEN
		RAISE EXCEPTION 'ledger tx % does not balance', p_tx;
	END IF;
	INSERT INTO san.ledger_entries (tx_id, account_id, debit_vnd,
	    credit_vnd)
	SELECT p_tx, a, greatest(-v, 0), greatest(v, 0)
	  FROM unnest(p_accounts, p_amounts) WITH ORDINALITY x(a, v, n)
	 WHERE v <> 0 ORDER BY n;
	UPDATE san.ledger_accounts l SET balance_vnd = l.balance_vnd + x.v
	  FROM (SELECT a, sum(v) AS v FROM unnest(p_accounts, p_amounts) u(a, v)
		 GROUP BY a) x
	 WHERE l.id = x.a;
END $$;

INSERT INTO san.settings (key, value) VALUES
	-- a disbursement above this many VND waits for a second admin
	('subsidy_approval_threshold_vnd', '20000000'),
	-- "de minimis": all support to one business across programmes
	-- within the window may not exceed the cap
	('subsidy_business_cap_vnd', '200000000'),
	('subsidy_business_window', '3 years')
ON CONFLICT (key) DO NOTHING;
