-- Thumbnails of product images (issue 9): made once at upload by libvips
-- in a Kore task (src/media.c), at most 400 px on the longer side, WebP
-- (JPEG when the library cannot write WebP).  Listing grids and cards use
-- them (product_item_json's thumb_url); the product page keeps the
-- originals.  NULL: no thumbnail (an image uploaded before this migration
-- or one libvips refused); GET /api/v1/images/{id}/thumb then answers the
-- original.
ALTER TABLE san.product_images
	ADD COLUMN thumb_mime text CHECK (thumb_mime IN ('image/jpeg',
	    'image/webp')),
	ADD COLUMN thumb bytea,
	ADD CONSTRAINT product_images_thumb_pair
	    CHECK ((thumb IS NULL) = (thumb_mime IS NULL));
ALTER TABLE san.product_images ALTER COLUMN thumb SET STORAGE EXTERNAL;
