-- 012: plan amendments (issue 11).  A later decision revises a plan: each
-- change sets a part's (line x year x source) revised amount, and one
-- balanced ledger transaction of kind 'revision' moves the difference
-- between the plan's funding account and the part's budget account.  The
-- budget of a part is therefore its appendix figure plus the differences
-- of its revisions (api.ledger_problems checks exactly that).
--
-- Revisions and their changes are money records: append-only and
-- hash-chained (san.chain_install, 006), like the ledger.  ledger_tx gets
-- no new column (a column would change every chained row's image); a
-- revision names its transaction (tx_id).

ALTER TABLE san.ledger_tx DROP CONSTRAINT ledger_tx_kind_check;
ALTER TABLE san.ledger_tx ADD CONSTRAINT ledger_tx_kind_check
    CHECK (kind IN ('plan_load', 'grant', 'grant_cancel', 'disbursement',
	'approve', 'reject', 'reversal', 'revision'));

CREATE TABLE san.plan_revisions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id		bigint NOT NULL REFERENCES san.plans,
	decision_no	text NOT NULL,
	decision_date	date NOT NULL,
	reason		text NOT NULL,
	tx_id		bigint NOT NULL REFERENCES san.ledger_tx,
	actor_id	bigint NOT NULL REFERENCES san.accounts,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_revisions_plan_idx ON san.plan_revisions (plan_id, id);

-- One row per changed part: its budget before this revision, the revised
-- amount, and the difference moved.
CREATE TABLE san.plan_revision_changes (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	revision_id	bigint NOT NULL REFERENCES san.plan_revisions,
	line_id		bigint NOT NULL REFERENCES san.plan_lines,
	year		int,
	source		text NOT NULL CHECK (source IN ('provincial',
			    'central', 'business', 'other')),
	budget_id	bigint NOT NULL REFERENCES san.ledger_accounts,
	before_vnd	bigint NOT NULL CHECK (before_vnd >= 0),
	revised_vnd	bigint NOT NULL CHECK (revised_vnd >= 0),
	difference_vnd	bigint NOT NULL,
	CHECK (difference_vnd = revised_vnd - before_vnd),
	UNIQUE (revision_id, budget_id)
);
CREATE INDEX plan_revision_changes_budget_idx
    ON san.plan_revision_changes (budget_id);

SELECT san.chain_install('san.plan_revisions');
SELECT san.chain_install('san.plan_revision_changes');
