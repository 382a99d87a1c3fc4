-- 016: the subsidy ledger, what was left (issue 11).
--
-- Programmes can be closed (no new grants; grants already made continue:
-- they are paid, cancelled and reversed as before) and are edited by
-- PATCH (the rule of sql/api/80_subsidy.sql api.programme_update: once a
-- programme has a grant, its rule, shares and counterpart are fixed).
--
-- The business counterpart a programme expects (counterpart_bp of the
-- eligible cost) is committed in the ledger against the plan's business
-- source: one 'counterpart' account per grant, whose budget is the one
-- business-source budget at or below the programme's line
-- (programmes.counterpart_line_id, fixed when the programme is made, like
-- programme_sources.line_id).  It is moved in the grant's own 'grant'
-- transaction and released by 'grant_cancel'; it is never disbursed (the
-- business pays its share itself), so an auditor reads the plan's
-- business column as planned vs committed by businesses.

ALTER TABLE san.programmes
	ADD COLUMN status text NOT NULL DEFAULT 'open'
	    CHECK (status IN ('open', 'closed')),
	ADD COLUMN closed_at timestamptz,
	ADD COLUMN closed_by bigint REFERENCES san.accounts,
	ADD COLUMN close_reason text,
	ADD COLUMN updated_at timestamptz,
	ADD COLUMN counterpart_line_id bigint REFERENCES san.plan_lines,
	ADD CONSTRAINT programmes_closed_check
	    CHECK ((status = 'closed') = (closed_at IS NOT NULL));

ALTER TABLE san.ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE san.ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funding', 'budget', 'committed', 'pending',
	'disbursed', 'counterpart'));

-- Existing programmes with a counterpart: the one business budget line at
-- or below their line, where there is exactly one.  (Grants made before
-- this migration have no counterpart account; api.ledger_problems names
-- each as counterpart_mismatch.)
WITH RECURSIVE t(programme_id, line_id) AS (
	SELECT id, line_id FROM san.programmes WHERE counterpart_bp > 0
	UNION ALL
	SELECT t.programme_id, c.id FROM t
	  JOIN san.plan_lines c ON c.parent_id = t.line_id)
UPDATE san.programmes g SET counterpart_line_id = x.line_id
  FROM (SELECT t.programme_id, min(b.line_id) AS line_id
	  FROM t JOIN san.ledger_accounts b ON b.line_id = t.line_id
	   AND b.kind = 'budget' AND b.source = 'business'
	 GROUP BY t.programme_id HAVING count(DISTINCT b.line_id) = 1) x
 WHERE g.id = x.programme_id;
