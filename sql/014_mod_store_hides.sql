-- 014: monitoring (issue 10): stores hidden for a time.  A hide_store
-- decision with an end date, or the hide_store_7_days penalty tier
-- reached by a decision, hides the business's store(s) until a date; the
-- background job (api.mod_background_step, the timer of src/monitor.c)
-- shows the store again on that date (Vietnam calendar), and a reversal
-- on appeal ends the hide at once.  mod_decisions is append-only, so the
-- hide's state lives here.
CREATE TABLE san.mod_store_hides (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	decision_id	bigint NOT NULL REFERENCES san.mod_decisions,
	store_id	bigint NOT NULL REFERENCES san.stores,
	reason		text NOT NULL CHECK (reason IN ('decision',
			    'penalty_tier')),
	-- NULL: until an official lifts it (no end date in the decision).
	ends_on		date,
	-- The store's status before it was first hidden (restored at the end).
	prev_status	text NOT NULL CHECK (prev_status IN ('active', 'hidden')),
	lifted_at	timestamptz,
	lifted_by	text CHECK (lifted_by IN ('end_date', 'appeal')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (decision_id, store_id)
);
-- The hides the background job has to look at.
CREATE INDEX mod_store_hides_due_idx ON san.mod_store_hides (ends_on)
    WHERE lifted_at IS NULL AND ends_on IS NOT NULL;
CREATE INDEX mod_store_hides_store_idx ON san.mod_store_hides (store_id)
    WHERE lifted_at IS NULL;

-- Two more rule kinds (params checked in src/modrule.c; evaluated in
-- sql/api/70_monitoring.sql): seller_signals (a new store listing many
-- products in a day; a business with many reports in its open cases),
-- screened at a product's creation; same_image (an image whose SHA-256,
-- the ETag already stored, is on a listing of another business),
-- screened when an image is added (the trigger below, inside the upload's
-- transaction) and by the rescan.
ALTER TABLE san.mod_rules DROP CONSTRAINT mod_rules_kind_check;
ALTER TABLE san.mod_rules ADD CONSTRAINT mod_rules_kind_check
    CHECK (kind IN ('keyword', 'price_anomaly', 'seller_signals',
    'same_image'));
CREATE INDEX product_images_etag_idx ON san.product_images (etag);

-- A new image of a product is screened against the active same_image
-- rules (api.mod_image_screen: alerts, and a hold for a hold rule).
CREATE FUNCTION san.mod_image_screen() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM api.mod_image_screen(NEW.product_id, NEW.etag);
	RETURN NULL;
END $$;
CREATE TRIGGER mod_image_screen AFTER INSERT ON san.product_images
    FOR EACH ROW EXECUTE FUNCTION san.mod_image_screen();
