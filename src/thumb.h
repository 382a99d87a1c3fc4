/*
 * Thumbnails of product images with libvips.  No Kore headers: unit
 * tests link thumb.c directly.  thumb_make runs in a Kore task
 * (src/media.c), never on the event loop.
 */
#ifndef SAN_THUMB_H
#define SAN_THUMB_H

#include <stddef.h>

#define THUMB_MAX_SIDE		400		/* px, the longer side */
#define THUMB_MAX_PIXELS	(50LL * 1000 * 1000)	/* larger: no thumbnail */

/*
 * Start libvips once per process (no operation cache, one thread per
 * operation, so memory stays bounded).  Not thread-safe: call it from the
 * worker before the first task.  Returns 1 when thumbnails can be made.
 */
int	thumb_init(void);

/*
 * A thumbnail of the image in len bytes (JPEG, PNG or WebP), at most max
 * px on each side (never enlarged), as WebP (JPEG when libvips cannot
 * write WebP).  On success returns 1, *out is a malloc'd buffer the
 * caller frees, *outlen its size and *mime a static string.  Returns 0
 * (and *out NULL) when the image cannot be read, exceeds
 * THUMB_MAX_PIXELS, or thumb_init has not succeeded.  Safe to call from
 * several threads once thumb_init has returned 1.
 */
int	thumb_make(const unsigned char *in, size_t len, int max,
	    unsigned char **out, size_t *outlen, const char **mime);

#endif
