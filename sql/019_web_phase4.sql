-- Web app, phase 4 (issue 9): a merchant's soft delete of a product, and
-- the indexes of the admins' accounts search.

-- Soft delete of a product by its merchant: DELETE
-- /api/v1/products/{id} sets deleted_at instead of removing the row, so
-- orders, monitoring cases and audit entries keep pointing at it.  A
-- deleted product is never listed (so it leaves search, home, the store
-- page, the monitoring rescan, and checkout refuses it) and is gone for
-- its members too (api.product_lock, the store's product list); a second
-- DELETE answers 404.  The "listed" triggers of 007 are repeated here with
-- "deleted_at IS NULL" added.
ALTER TABLE san.products ADD COLUMN deleted_at timestamptz;
ALTER TABLE san.products ADD CONSTRAINT products_deleted_unlisted
	CHECK (deleted_at IS NULL OR NOT listed);

CREATE OR REPLACE FUNCTION san.products_set_listed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	NEW.listed := NEW.status = 'active' AND NOT NEW.held AND
	    NEW.deleted_at IS NULL AND EXISTS (
	    SELECT 1 FROM san.stores s
	      JOIN san.businesses b ON b.id = s.business_id
	     WHERE s.id = NEW.store_id AND s.status = 'active'
	       AND b.status = 'verified');
	RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION san.stores_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	v_ok	boolean := NEW.status = 'active' AND EXISTS (
	    SELECT 1 FROM san.businesses b
	     WHERE b.id = NEW.business_id AND b.status = 'verified');
BEGIN
	UPDATE san.products p
	   SET listed = (p.status = 'active' AND NOT p.held AND
		p.deleted_at IS NULL AND v_ok)
	 WHERE p.store_id = NEW.id
	   AND p.listed <> (p.status = 'active' AND NOT p.held AND
		p.deleted_at IS NULL AND v_ok);
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION san.businesses_relist() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE san.products p
	   SET listed = (p.status = 'active' AND NOT p.held AND
		p.deleted_at IS NULL AND s.status = 'active' AND
		NEW.status = 'verified')
	  FROM san.stores s
	 WHERE s.business_id = NEW.id AND p.store_id = s.id
	   AND p.listed <> (p.status = 'active' AND NOT p.held AND
		p.deleted_at IS NULL AND s.status = 'active' AND
		NEW.status = 'verified');
	RETURN NULL;
END $$;

-- The admins' accounts list (api.admin_accounts): a prefix of the e-mail
-- (lower case) or of the folded name, read as a byte-wise range
-- (text_pattern_ops: ~>=~ and ~<~, which also plan with parameters, where
-- LIKE 'prefix%' needs a constant).
CREATE INDEX accounts_email_prefix_idx ON san.accounts
	(lower(email) text_pattern_ops);
CREATE INDEX accounts_name_prefix_idx ON san.accounts
	(san.fold(full_name) text_pattern_ops);
