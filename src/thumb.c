/* Thumbnails with libvips; see thumb.h for the contracts. */
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "thumb.h"

static int	thumb_ready;

int
thumb_init(void)
{
	if (thumb_ready)
		return (1);
	if (VIPS_INIT("san") != 0) {
		vips_error_clear();
		return (0);
	}
	vips_cache_set_max(0);
	vips_concurrency_set(1);
	thumb_ready = 1;
	return (1);
}

int
thumb_make(const unsigned char *in, size_t len, int max,
    unsigned char **out, size_t *outlen, const char **mime)
{
	VipsImage	*hdr, *t = NULL;
	void		*buf = NULL;
	size_t		 blen = 0;
	long long	 px;

	*out = NULL;
	*outlen = 0;
	*mime = NULL;
	if (!thumb_ready || in == NULL || len == 0 || max < 1)
		return (0);
	/* The header only: refuse decompression bombs before decoding. */
	if ((hdr = vips_image_new_from_buffer(in, len, "", "access",
	    VIPS_ACCESS_SEQUENTIAL, NULL)) == NULL) {
		vips_error_clear();
		return (0);
	}
	px = (long long)vips_image_get_width(hdr) *
	    (long long)vips_image_get_height(hdr);
	g_object_unref(hdr);
	if (px < 1 || px > THUMB_MAX_PIXELS)
		return (0);
	if (vips_thumbnail_buffer((void *)in, len, &t, max, "height", max,
	    "size", VIPS_SIZE_DOWN, NULL) != 0) {
		vips_error_clear();
		return (0);
	}
	if (vips_webpsave_buffer(t, &buf, &blen, "Q", 75, "strip", TRUE,
	    NULL) == 0)
		*mime = "image/webp";
	else {
		vips_error_clear();
		if (vips_jpegsave_buffer(t, &buf, &blen, "Q", 80, "strip",
		    TRUE, NULL) == 0)
			*mime = "image/jpeg";
	}
	g_object_unref(t);
	if (*mime == NULL || blen == 0) {
		vips_error_clear();
		g_free(buf);
		*mime = NULL;
		return (0);
	}
	if ((*out = malloc(blen)) == NULL) {
		g_free(buf);
		*mime = NULL;
		return (0);
	}
	memcpy(*out, buf, blen);
	*outlen = blen;
	g_free(buf);
	return (1);
}
