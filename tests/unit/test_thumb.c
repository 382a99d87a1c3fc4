/* Unit tests of src/thumb.c (libvips thumbnails). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <vips/vips.h>

#include "thumb.h"

/* A w x h JPEG made by libvips itself (a gradient). */
static void *
jpeg_of(int w, int h, size_t *len)
{
	VipsImage	*img;
	void		*buf = NULL;

	assert_int_equal(vips_xyz(&img, w, h, NULL), 0);
	assert_int_equal(vips_jpegsave_buffer(img, &buf, len, NULL), 0);
	g_object_unref(img);
	return (buf);
}

/* Width and height of an encoded image. */
static void
size_of(const unsigned char *p, size_t len, int *w, int *h)
{
	VipsImage	*img;

	img = vips_image_new_from_buffer(p, len, "", NULL);
	assert_non_null(img);
	*w = vips_image_get_width(img);
	*h = vips_image_get_height(img);
	g_object_unref(img);
}

static void
test_thumb_landscape(void **state)
{
	unsigned char	*out;
	size_t		 len, outlen;
	const char	*mime;
	void		*in;
	int		 w, h;

	(void)state;
	in = jpeg_of(1000, 600, &len);
	assert_int_equal(thumb_make(in, len, THUMB_MAX_SIDE, &out, &outlen,
	    &mime), 1);
	assert_string_equal(mime, "image/webp");
	assert_true(outlen > 0 && outlen < len);
	assert_memory_equal(out + 8, "WEBP", 4);
	size_of(out, outlen, &w, &h);
	assert_int_equal(w, 400);
	assert_int_equal(h, 240);
	free(out);
	g_free(in);
}

static void
test_thumb_portrait_and_small(void **state)
{
	unsigned char	*out;
	size_t		 len, outlen;
	const char	*mime;
	void		*in;
	int		 w, h;

	(void)state;
	in = jpeg_of(300, 900, &len);
	assert_int_equal(thumb_make(in, len, 400, &out, &outlen, &mime), 1);
	size_of(out, outlen, &w, &h);
	assert_int_equal(h, 400);
	assert_int_equal(w, 133);
	free(out);
	g_free(in);
	/* Never enlarged. */
	in = jpeg_of(120, 80, &len);
	assert_int_equal(thumb_make(in, len, 400, &out, &outlen, &mime), 1);
	size_of(out, outlen, &w, &h);
	assert_int_equal(w, 120);
	assert_int_equal(h, 80);
	free(out);
	g_free(in);
}

static void
test_thumb_refuses(void **state)
{
	static const unsigned char	junk[] = "not an image at all, sorry";
	unsigned char			*out = (unsigned char *)1;
	size_t				 outlen = 9;
	const char			*mime = "x";
	void				*in;
	size_t				 len;

	(void)state;
	assert_int_equal(thumb_make(junk, sizeof(junk), 400, &out, &outlen,
	    &mime), 0);
	assert_null(out);
	assert_int_equal(outlen, 0);
	assert_null(mime);
	assert_int_equal(thumb_make(NULL, 10, 400, &out, &outlen, &mime), 0);
	/* A truncated JPEG. */
	in = jpeg_of(600, 400, &len);
	assert_int_equal(thumb_make(in, 40, 400, &out, &outlen, &mime), 0);
	assert_null(out);
	g_free(in);
}

static int
setup(void **state)
{
	(void)state;
	return (thumb_init() ? 0 : -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thumb_landscape),
		cmocka_unit_test(test_thumb_portrait_and_small),
		cmocka_unit_test(test_thumb_refuses),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
