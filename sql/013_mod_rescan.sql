-- Monitoring (issue 10): the background rescan of the listed products when
-- a keyword rule is added or changed.  One job per rule version, made by
-- api.mod_rule_create / api.mod_rule_update; api.mod_rescan_step (called
-- by a timer in every worker, src/monitor.c) works through the listed
-- products in id order, a batch per call, and stores its progress after
-- each batch, so a job survives restarts and several app nodes.
CREATE TABLE san.mod_rescans (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule_id		bigint NOT NULL REFERENCES san.mod_rules,
	version		int NOT NULL,
	last_product_id	bigint NOT NULL DEFAULT 0,
	scanned		bigint NOT NULL DEFAULT 0,
	hits		bigint NOT NULL DEFAULT 0,
	outcome		text CHECK (outcome IN ('done', 'superseded')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	finished_at	timestamptz,
	UNIQUE (rule_id, version)
);
CREATE INDEX mod_rescans_pending_idx ON san.mod_rescans (id)
    WHERE finished_at IS NULL;
