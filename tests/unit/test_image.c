/* Unit tests: image sniffing and QR SVG (src/image.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image.h"

static void
test_sniff_real_signatures(void **state)
{
	static const unsigned char jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10,
	    'J', 'F', 'I', 'F', 0 };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1 };
	static const unsigned char webp[] = { 'R', 'I', 'F', 'F', 0x24, 0, 0,
	    0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 0, 0 };

	(void)state;
	assert_string_equal(image_sniff(jpeg, sizeof(jpeg)), "image/jpeg");
	assert_string_equal(image_sniff(png, sizeof(png)), "image/png");
	assert_string_equal(image_sniff(webp, sizeof(webp)), "image/webp");
}

static void
test_sniff_rejects_others(void **state)
{
	static const char *bad[] = {
		"", "GIF89a....", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
		"%PDF-1.7", "\x89PNG\r\n\x1a\n", "RIFF\x24\0\0\0WAVEfmt ",
		"MZ\x90\0", "hello.png", "\xff\xd8",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (image_sniff((const unsigned char *)bad[i],
		    strlen(bad[i])) != NULL)
			fail_msg("accepted #%zu", i);
	assert_null(image_sniff(NULL, 10));
}

static void
test_qr_svg(void **state)
{
	char	*svg;

	(void)state;
	svg = qr_svg("https://san.example.vn/api/v1/products/123");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<svg"));
	assert_non_null(strstr(svg, "viewBox=\"0 0 37 37\""));	/* v4: 29+8 */
	assert_non_null(strstr(svg, "M4 4h1v1h-1z"));	/* finder corner */
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);
}

static void
test_product_page_url(void **state)
{
	char	buf[64];

	(void)state;
	assert_int_equal(product_page_url(buf, sizeof(buf),
	    "https://san.example.vn", 123), 1);
	assert_string_equal(buf, "https://san.example.vn/san-pham/123");
	assert_int_equal(product_page_url(buf, sizeof(buf),
	    "http://127.0.0.1:8888//", 7), 1);
	assert_string_equal(buf, "http://127.0.0.1:8888/san-pham/7");
	assert_int_equal(product_page_url(buf, sizeof(buf), "", 7), 0);
	assert_string_equal(buf, "");
	assert_int_equal(product_page_url(buf, sizeof(buf), "/", 7), 0);
	assert_int_equal(product_page_url(buf, sizeof(buf), "http://x", 0), 0);
	assert_int_equal(product_page_url(buf, 20,
	    "https://san.example.vn", 123), 0);
	assert_string_equal(buf, "");
	assert_int_equal(product_page_url(buf, sizeof(buf), NULL, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_real_signatures),
		cmocka_unit_test(test_sniff_rejects_others),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_product_page_url),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
