-- Thumbnail backfill (issue 9): images stored without a thumbnail (before
-- 010, or while both thumbnail tasks of the worker were busy) get one from
-- a periodic job in every worker (src/media.c, api.thumb_claim and
-- api.thumb_store).  thumb_tried_at is the claim: an image is handed to one
-- worker of one node at a time, and one libvips refuses is tried again only
-- a day later, not at every tick.
ALTER TABLE san.product_images ADD COLUMN thumb_tried_at timestamptz;
CREATE INDEX product_images_no_thumb_idx ON san.product_images (id)
	WHERE thumb IS NULL;
