/*
 * Unit tests for src/validate.c (cmocka).  Links validate.c alone:
 *	cc -std=c99 -Wall -Wextra -Werror -Isrc tests/unit/test_validate.c \
 *	    src/validate.c -lcmocka
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Tax codes.  Check digit N10 = 10 - (31 29 23 19 17 13 7 5 3 . N1..N9) mod 11,
 * worked out by hand for each vector below.
 */
static void
test_tax_code_valid(void **state)
{
	static const char *ok[] = {
		"0100109106",		/* sum 114, r 4, check 6 */
		"0300588569",		/* sum 375, r 1, check 9 */
		"0101248141",		/* sum 207, r 9, check 1 */
		"0100112437",		/* sum 102, r 3, check 7 */
		"0100686209",
		"0102100740",		/* r 10: check digit 0 */
		"0100000010",		/* sum 32, r 10, check 0 */
		"1234567893",		/* sum 513, r 7, check 3 */
		"9999999997",		/* sum 1323, r 3, check 7 */
		"0100109106-001",
		"0100109106-010",
		"0100109106-999",
		"0300588569-123",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ok); i++) {
		if (validate_tax_code(ok[i]) != 1)
			fail_msg("rejected valid tax code %s", ok[i]);
	}
}

static void
test_tax_code_invalid(void **state)
{
	static const char *bad[] = {
		"",
		"0100109107",		/* wrong check digit (6) */
		"0100109105",
		"0302571383",		/* check would be 4 */
		"0300588568",
		"0000000000",		/* sum 0: check value 10 */
		"010010910",		/* 9 digits */
		"01001091066",		/* 11 digits */
		"010010910a",
		"a100109106",
		" 0100109106",
		"0100109106 ",
		"0100 109 106",
		"0100109106-000",	/* branch 000 */
		"0100109106-1",
		"0100109106-01",
		"0100109106-0001",
		"0100109106-",
		"0100109106-00a",
		"0100109106_001",
		"0100109106 -001",
		"0100109106-001 ",
		"0100109107-001",	/* wrong check digit with branch */
		"+100109106",
		"\357\274\220100109106",	/* fullwidth 0 */
	};
	char	code[16];
	size_t	i;
	int	d;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		if (validate_tax_code(bad[i]) != 0)
			fail_msg("accepted invalid tax code \"%s\"", bad[i]);
	}
	/* Sum divisible by 11 (010000005: 44): no tenth digit is valid. */
	for (d = 0; d < 10; d++) {
		snprintf(code, sizeof(code), "010000005%d", d);
		assert_int_equal(validate_tax_code(code), 0);
	}
	/* Otherwise exactly one tenth digit is valid. */
	for (d = 0; d < 10; d++) {
		snprintf(code, sizeof(code), "010010910%d", d);
		assert_int_equal(validate_tax_code(code), d == 6);
	}
}

/* Phones. */
static void
test_phone_valid(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} ok[] = {
		{ "0912345678",		"+84912345678" },
		{ "0912 345 678",	"+84912345678" },
		{ "+84 912.345.678",	"+84912345678" },
		{ "+84912345678",	"+84912345678" },
		{ "84912345678",	"+84912345678" },
		{ "(091) 234-5678",	"+84912345678" },
		{ "(+84) 91-234-5678",	"+84912345678" },
		{ " 0912345678 ",	"+84912345678" },
		{ "0321234567",		"+84321234567" },
		{ "0561234567",		"+84561234567" },
		{ "0701234567",		"+84701234567" },
		{ "0812345678",		"+84812345678" },
		{ "0987654321",		"+84987654321" },
		{ "84 387 654 321",	"+84387654321" },
	};
	char	out[PHONE_E164_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ok); i++) {
		memset(out, 'x', sizeof(out));
		if (normalize_phone(ok[i].in, out, sizeof(out)) != 1)
			fail_msg("rejected phone \"%s\"", ok[i].in);
		assert_string_equal(out, ok[i].out);
	}
}

static void
test_phone_invalid(void **state)
{
	static const char *bad[] = {
		"",
		"   ",
		"0212345678",		/* landline prefix 02 */
		"0112345678",
		"0412345678",
		"0612345678",
		"0012345678",
		"091234567",		/* 9 digits */
		"09123456789",		/* 11 digits */
		"+840912345678",	/* trunk 0 after +84 */
		"840912345678",
		"+0912345678",
		"8491234567",		/* 84 but only 10 digits */
		"+85912345678",
		"+84212345678",		/* 02 after +84 */
		"++84912345678",
		"0912+345678",
		"84+912345678",
		"0912a45678",
		"0912_345_678",
		"0912/345/678",
		"0912345678\n",
		"091234567890123456789",
		"\357\274\220912345678",	/* fullwidth 0 */
	};
	char	out[PHONE_E164_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		memset(out, 'x', sizeof(out));
		if (normalize_phone(bad[i], out, sizeof(out)) != 0)
			fail_msg("accepted phone \"%s\" as %s", bad[i], out);
		assert_string_equal(out, "");
	}
}

static void
test_phone_short_buffer(void **state)
{
	char	out[PHONE_E164_MAX];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(normalize_phone("0912345678", out, sizeof(out) - 1),
	    0);
	assert_string_equal(out, "");
	assert_int_equal(normalize_phone("0912345678", out, sizeof(out)), 1);
}

/* E-mail. */
static void
test_email(void **state)
{
	static const char *ok[] = {
		"a@b.vn",
		"nguyen.van.an+shop@gmail.com",
		"x@sub.domain.com.vn",
		"a-b@a-b.c",
		"UPPER@EXAMPLE.COM",
		"o'brien!#$%&*/=?^_`{|}~@example.org",
	};
	static const char *bad[] = {
		"",
		"@b.vn",
		"a@",
		"a@b",
		"a@@b.vn",
		"a@b@c.vn",
		"a b@c.vn",
		"a\t@c.vn",
		"a@b..vn",
		"a@.b.vn",
		"a@b.vn.",
		"a@-b.vn",
		"a@b-.vn",
		"a@b_c.vn",
		"a@b c.vn",
		"\xc4\x83@b.vn",		/* ă in local part */
		"a@b\xc3\xa9.vn",		/* é in domain */
	};
	char	buf[EMAIL_MAX + 8];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ok); i++)
		if (validate_email(ok[i]) != 1)
			fail_msg("rejected e-mail \"%s\"", ok[i]);
	for (i = 0; i < NITEMS(bad); i++)
		if (validate_email(bad[i]) != 0)
			fail_msg("accepted e-mail \"%s\"", bad[i]);

	/* Total length: EMAIL_MAX is fine, one more is not. */
	memset(buf, 'a', EMAIL_MAX - 6);
	memcpy(buf + EMAIL_MAX - 6, "@ab.vn", 7);
	assert_int_equal(strlen(buf), EMAIL_MAX);
	assert_int_equal(validate_email(buf), 1);
	memset(buf, 'a', EMAIL_MAX - 5);
	memcpy(buf + EMAIL_MAX - 5, "@ab.vn", 7);
	assert_int_equal(validate_email(buf), 0);

	/* Domain labels: 63 bytes fine, 64 not. */
	memcpy(buf, "a@", 2);
	memset(buf + 2, 'b', 63);
	memcpy(buf + 65, ".vn", 4);
	assert_int_equal(validate_email(buf), 1);
	memset(buf + 2, 'b', 64);
	memcpy(buf + 66, ".vn", 4);
	assert_int_equal(validate_email(buf), 0);
}

/* Slugs. */
static void
test_slugify_examples(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} ex[] = {
		{ "Cà phê Buôn Ma Thuột",	"ca-phe-buon-ma-thuot" },
		{ "Đặc sản Đà Lạt",		"dac-san-da-lat" },
		{ "Phở Hà Nội 24/7",		"pho-ha-noi-24-7" },
		{ "ĐƯỜNG PHỐ",			"duong-pho" },
		{ "Nước mắm Phú Quốc",		"nuoc-mam-phu-quoc" },
		{ "Bánh tráng trộn",		"banh-trang-tron" },
		{ "Chè Thái Nguyên",		"che-thai-nguyen" },
		{ "  --Hello, World!!  ",	"hello-world" },
		{ "a",				"a" },
		{ "Straße Æsir",		"strasse-aesir" },
		{ "Crème brûlée",		"creme-brulee" },
		{ "Tết \xf0\x9f\x8e\x86 2025",	"tet-2025" },
		{ "\xcc\x81" "abc",		"abc" },	/* lone mark */
		{ "\xff\xfe" "abc\xc3",		"abc" },	/* bad UTF-8 */
		{ "a\xc0\xaf" "b",		"a-b" },	/* overlong */
		{ "x\xe2\x80\x8by",		"x-y" },	/* ZWSP */
	};
	char	out[SLUG_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ex); i++) {
		assert_int_equal(slugify(ex[i].in, out, sizeof(out)), 1);
		assert_string_equal(out, ex[i].out);
	}
}

/* Every Vietnamese letter, NFC and NFD, lower and upper case. */
static void
test_slugify_letters(void **state)
{
	static const struct {
		const char	*nfc;
		const char	*nfc_upper;
		const char	*nfd;
		const char	*nfd_upper;
		const char	*out;
	} g[] = {
		{ "aàáảãạăằắẳẵặâầấẩẫậ", "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ",
		    "aa\xcc\x80" "a\xcc\x81" "a\xcc\x89" "a\xcc\x83" "a"
		    "\xcc\xa3" "a\xcc\x86" "a\xcc\x86\xcc\x80" "a\xcc\x86"
		    "\xcc\x81" "a\xcc\x86\xcc\x89" "a\xcc\x86\xcc\x83" "a"
		    "\xcc\xa3\xcc\x86" "a\xcc\x82" "a\xcc\x82\xcc\x80" "a"
		    "\xcc\x82\xcc\x81" "a\xcc\x82\xcc\x89" "a\xcc\x82\xcc"
		    "\x83" "a\xcc\xa3\xcc\x82",
		    "AA\xcc\x80" "A\xcc\x81" "A\xcc\x89" "A\xcc\x83" "A"
		    "\xcc\xa3" "A\xcc\x86" "A\xcc\x86\xcc\x80" "A\xcc\x86"
		    "\xcc\x81" "A\xcc\x86\xcc\x89" "A\xcc\x86\xcc\x83" "A"
		    "\xcc\xa3\xcc\x86" "A\xcc\x82" "A\xcc\x82\xcc\x80" "A"
		    "\xcc\x82\xcc\x81" "A\xcc\x82\xcc\x89" "A\xcc\x82\xcc"
		    "\x83" "A\xcc\xa3\xcc\x82",
		    "aaaaaaaaaaaaaaaaaa" },
		{ "eèéẻẽẹêềếểễệ", "EÈÉẺẼẸÊỀẾỂỄỆ",
		    "ee\xcc\x80" "e\xcc\x81" "e\xcc\x89" "e\xcc\x83" "e"
		    "\xcc\xa3" "e\xcc\x82" "e\xcc\x82\xcc\x80" "e\xcc\x82"
		    "\xcc\x81" "e\xcc\x82\xcc\x89" "e\xcc\x82\xcc\x83" "e"
		    "\xcc\xa3\xcc\x82",
		    "EE\xcc\x80" "E\xcc\x81" "E\xcc\x89" "E\xcc\x83" "E"
		    "\xcc\xa3" "E\xcc\x82" "E\xcc\x82\xcc\x80" "E\xcc\x82"
		    "\xcc\x81" "E\xcc\x82\xcc\x89" "E\xcc\x82\xcc\x83" "E"
		    "\xcc\xa3\xcc\x82",
		    "eeeeeeeeeeee" },
		{ "iìíỉĩị", "IÌÍỈĨỊ",
		    "ii\xcc\x80i\xcc\x81i\xcc\x89i\xcc\x83i\xcc\xa3",
		    "II\xcc\x80I\xcc\x81I\xcc\x89I\xcc\x83I\xcc\xa3",
		    "iiiiii" },
		{ "oòóỏõọôồốổỗộơờớởỡợ", "OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ",
		    "oo\xcc\x80o\xcc\x81o\xcc\x89o\xcc\x83o\xcc\xa3o\xcc"
		    "\x82o\xcc\x82\xcc\x80o\xcc\x82\xcc\x81o\xcc\x82\xcc"
		    "\x89o\xcc\x82\xcc\x83o\xcc\xa3\xcc\x82o\xcc\x9bo\xcc"
		    "\x9b\xcc\x80o\xcc\x9b\xcc\x81o\xcc\x9b\xcc\x89o\xcc"
		    "\x9b\xcc\x83o\xcc\x9b\xcc\xa3",
		    "OO\xcc\x80O\xcc\x81O\xcc\x89O\xcc\x83O\xcc\xa3O\xcc"
		    "\x82O\xcc\x82\xcc\x80O\xcc\x82\xcc\x81O\xcc\x82\xcc"
		    "\x89O\xcc\x82\xcc\x83O\xcc\xa3\xcc\x82O\xcc\x9bO\xcc"
		    "\x9b\xcc\x80O\xcc\x9b\xcc\x81O\xcc\x9b\xcc\x89O\xcc"
		    "\x9b\xcc\x83O\xcc\x9b\xcc\xa3",
		    "oooooooooooooooooo" },
		{ "uùúủũụưừứửữự", "UÙÚỦŨỤƯỪỨỬỮỰ",
		    "uu\xcc\x80u\xcc\x81u\xcc\x89u\xcc\x83u\xcc\xa3u\xcc"
		    "\x9bu\xcc\x9b\xcc\x80u\xcc\x9b\xcc\x81u\xcc\x9b\xcc"
		    "\x89u\xcc\x9b\xcc\x83u\xcc\x9b\xcc\xa3",
		    "UU\xcc\x80U\xcc\x81U\xcc\x89U\xcc\x83U\xcc\xa3U\xcc"
		    "\x9bU\xcc\x9b\xcc\x80U\xcc\x9b\xcc\x81U\xcc\x9b\xcc"
		    "\x89U\xcc\x9b\xcc\x83U\xcc\x9b\xcc\xa3",
		    "uuuuuuuuuuuu" },
		{ "yỳýỷỹỵ", "YỲÝỶỸỴ",
		    "yy\xcc\x80y\xcc\x81y\xcc\x89y\xcc\x83y\xcc\xa3",
		    "YY\xcc\x80Y\xcc\x81Y\xcc\x89Y\xcc\x83Y\xcc\xa3",
		    "yyyyyy" },
		{ "dđ", "DĐ",
		    "d\xc4\x91",
		    "D\xc4\x90",
		    "dd" },
	};
	char	out[SLUG_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(g); i++) {
		assert_int_equal(slugify(g[i].nfc, out, sizeof(out)), 1);
		assert_string_equal(out, g[i].out);
		assert_int_equal(slugify(g[i].nfc_upper, out, sizeof(out)), 1);
		assert_string_equal(out, g[i].out);
		assert_int_equal(slugify(g[i].nfd, out, sizeof(out)), 1);
		assert_string_equal(out, g[i].out);
		assert_int_equal(slugify(g[i].nfd_upper, out, sizeof(out)), 1);
		assert_string_equal(out, g[i].out);
	}
}

static void
test_slugify_nfd(void **state)
{
	char	nfc[SLUG_MAX], nfd[SLUG_MAX];

	(void)state;
	assert_int_equal(slugify("Cà phê Buôn Ma Thuột", nfc, sizeof(nfc)), 1);
	assert_int_equal(slugify(
	    "Ca\xcc\x80 phe\xcc\x82 Buo\xcc\x82n Ma Thuo\xcc\xa3\xcc\x82t",
	    nfd, sizeof(nfd)), 1);
	assert_string_equal(nfd, "ca-phe-buon-ma-thuot");
	assert_string_equal(nfc, nfd);

	assert_int_equal(slugify("Đặc sản Đà Lạt", nfc, sizeof(nfc)), 1);
	assert_int_equal(slugify(
	    "\xc4\x90" "a\xcc\xa3\xcc\x86" "c sa\xcc\x89n \xc4\x90" "a"
	    "\xcc\x80 La\xcc\xa3t",
	    nfd, sizeof(nfd)), 1);
	assert_string_equal(nfd, "dac-san-da-lat");
	assert_string_equal(nfc, nfd);
}

static void
test_slugify_empty(void **state)
{
	static const char *none[] = { "", " ", "!!!", "---", "\xcc\x80\xcc\x81",
	    "\xe2\x82\xab", "\xf0\x9f\x98\x80" };
	char	out[SLUG_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(none); i++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(slugify(none[i], out, sizeof(out)), 0);
		assert_string_equal(out, "");
	}
	assert_int_equal(slugify("abc", out, 0), 0);
	assert_int_equal(slugify("abc", out, 1), 0);
	assert_string_equal(out, "");
}

static void
test_slugify_truncate(void **state)
{
	char	in[512], out[SLUG_MAX + 16], want[SLUG_MAX];
	size_t	i;

	(void)state;

	/* Ten-letter words: five fit (54 bytes), the sixth would not. */
	in[0] = '\0';
	for (i = 0; i < 10; i++)
		strcat(in, "Abcdefghij ");
	assert_int_equal(slugify(in, out, sizeof(out)), 1);
	assert_string_equal(out,
	    "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij");

	/* Same words, but the limit falls just after a word. */
	assert_int_equal(slugify(in, out, 34), 1);
	assert_string_equal(out, "abcdefghij-abcdefghij-abcdefghij");

	/* One long word is cut inside it at SLUG_MAX - 1 bytes. */
	memset(in, 'a', 200);
	in[200] = '\0';
	assert_int_equal(slugify(in, out, sizeof(out)), 1);
	assert_int_equal(strlen(out), SLUG_MAX - 1);
	memset(want, 'a', SLUG_MAX - 1);
	want[SLUG_MAX - 1] = '\0';
	assert_string_equal(out, want);

	/* A word boundary too early to keep half the room is ignored. */
	memcpy(in, "b ", 2);
	assert_int_equal(slugify(in, out, sizeof(out)), 1);
	assert_int_equal(strlen(out), SLUG_MAX - 1);
	assert_memory_equal(out, "b-aaa", 5);

	/* A multi-byte letter never counts as more than one output byte. */
	in[0] = '\0';
	for (i = 0; i < 70; i++)
		strcat(in, "\xe1\xbb\x87");		/* ệ */
	assert_int_equal(slugify(in, out, sizeof(out)), 1);
	memset(want, 'e', SLUG_MAX - 1);
	assert_string_equal(out, want);

	/* Small buffers: the result fits outlen and ends on a word. */
	assert_int_equal(slugify("ca phe sua da", out, 8), 1);
	assert_string_equal(out, "ca-phe");
	assert_int_equal(slugify("ca phe", out, 5), 1);
	assert_string_equal(out, "ca");
	assert_int_equal(slugify("ca phe", out, 2), 1);
	assert_string_equal(out, "c");

	/* Never a trailing '-', whatever the cut. */
	for (i = 1; i < 40; i++) {
		memset(out, 'x', sizeof(out));
		if (slugify("Cà phê  Buôn Ma Thuột, Đắk Lắk", out, i)) {
			assert_true(strlen(out) < i);
			assert_true(out[strlen(out) - 1] != '-');
			assert_true(out[0] != '-');
		}
	}
}

static void
test_validate_slug(void **state)
{
	static const char *ok[] = {
		"abc", "ca-phe", "a1-b2", "123", "ca-phe-buon-ma-thuot",
	};
	static const char *bad[] = {
		"", "a", "ab", "a-", "-ab", "abc-", "-abc", "a--b", "Abc",
		"ab c", "ab_c", "ab.c", "c\xc3\xa0-phe", "abc\n", "---",
	};
	char	buf[SLUG_MAX + 2];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ok); i++)
		if (validate_slug(ok[i]) != 1)
			fail_msg("rejected slug \"%s\"", ok[i]);
	for (i = 0; i < NITEMS(bad); i++)
		if (validate_slug(bad[i]) != 0)
			fail_msg("accepted slug \"%s\"", bad[i]);

	memset(buf, 'a', SLUG_MAX - 1);
	buf[SLUG_MAX - 1] = '\0';
	assert_int_equal(validate_slug(buf), 1);
	buf[SLUG_MAX - 1] = 'a';
	buf[SLUG_MAX] = '\0';
	assert_int_equal(validate_slug(buf), 0);
}

/* slugify output always passes validate_slug once it is 3 bytes or more. */
static void
test_slugify_validates(void **state)
{
	static const char *in[] = {
		"Cà phê Buôn Ma Thuột", "Đặc sản Đà Lạt", "  x -- y -- z  ",
		"Bánh mì 0đ!", "ĐĐĐ", "a\xff" "b\xfe" "c",
	};
	char	out[SLUG_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(in); i++) {
		assert_int_equal(slugify(in[i], out, sizeof(out)), 1);
		if (strlen(out) >= 3)
			assert_int_equal(validate_slug(out), 1);
	}
}

/* Passwords. */
static void
test_password_length(void **state)
{
	char	buf[PASSWORD_MAX_BYTES + 2];

	(void)state;
	assert_string_equal(password_policy(""), "password_too_short");
	assert_string_equal(password_policy("abc"), "password_too_short");
	assert_string_equal(password_policy("Xk8#pQ2$vL9"),
	    "password_too_short");
	assert_null(password_policy("Xk8#pQ2$vL9m"));

	/* Characters, not bytes: 11 two-byte letters are still too short. */
	assert_string_equal(password_policy(
	    "\xc4\x83\xc3\xa2\xc4\x91\xc3\xaa\xc3\xb4\xc6\xa1\xc6\xb0\xc4\x83"
	    "\xc3\xa2\xc4\x91\xc3\xaa"), "password_too_short");
	assert_null(password_policy(
	    "\xc4\x83\xc3\xa2\xc4\x91\xc3\xaa\xc3\xb4\xc6\xa1\xc6\xb0\xc4\x83"
	    "\xc3\xa2\xc4\x91\xc3\xaa\xc3\xb4"));

	/* PASSWORD_MAX_BYTES is fine, one more byte is not. */
	memset(buf, 'q', PASSWORD_MAX_BYTES);
	buf[0] = 'Z';
	buf[PASSWORD_MAX_BYTES] = '\0';
	assert_null(password_policy(buf));
	buf[PASSWORD_MAX_BYTES] = 'q';
	buf[PASSWORD_MAX_BYTES + 1] = '\0';
	assert_string_equal(password_policy(buf), "password_too_long");

	/* Invalid UTF-8 cannot be counted: reported as too short. */
	memset(buf, 0xff, 20);
	buf[20] = '\0';
	assert_string_equal(password_policy(buf), "password_too_short");
	assert_string_equal(password_policy("abcdefghijk\xc3"),
	    "password_too_short");
	assert_string_equal(password_policy("abcdefgh\xed\xa0\x80xyz"),
	    "password_too_short");
}

static void
test_password_common(void **state)
{
	static const char *common[] = {
		"123456789012", "QWERTYUIOPAS", "Password1234",
		"1234567890123", "abc123456789", "iloveyou1234",
		"MatKhau12345", "123456789abc", "anhyeuem1234",
		"matkhau123456", "AnhYeuEm123456", "1qaz2wsx3edc",
		"000000000000", "999999999999", "!qaz2wsx3edc",
		"zxcvbnm12345", "P@ssw0rd1234", "toiyeuvietnam",
		"administrator",
	};
	static const char *fine[] = {
		"1234567890124", "matkhau12345!", "correct horse battery",
		"Buôn Ma Thuột 2025", "anhyeuem12 34", " 123456789012",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(common); i++) {
		if (password_policy(common[i]) == NULL ||
		    strcmp(password_policy(common[i]), "password_common") != 0)
			fail_msg("\"%s\" not rejected as common", common[i]);
	}
	for (i = 0; i < NITEMS(fine); i++) {
		if (password_policy(fine[i]) != NULL)
			fail_msg("\"%s\" rejected: %s", fine[i],
			    password_policy(fine[i]));
	}
}

/*
 * The compiled-in list must stay sorted (bsearch), lower-case and of
 * PASSWORD_MIN_CHARS or more; read it from the source when it can be found
 * (run from the repository root, or set SAN_SRCDIR).
 */
static void
test_password_list_sorted(void **state)
{
	static const char *dirs[] = { NULL, "src", "../src", "../../src" };
	char	 path[1024], line[512], prev[512], cur[512];
	char	*p;
	FILE	*f;
	size_t	 i, n, count;
	int	 in;

	(void)state;
	f = NULL;
	dirs[0] = getenv("SAN_SRCDIR");
	for (i = 0; i < NITEMS(dirs) && f == NULL; i++) {
		if (dirs[i] == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/validate.c", dirs[i]);
		f = fopen(path, "r");
	}
	if (f == NULL)
		skip();

	in = 0;
	count = 0;
	prev[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!in) {
			in = strstr(line, "common_passwords[] = {") != NULL;
			continue;
		}
		if (strncmp(line, "};", 2) == 0)
			break;
		if ((p = strchr(line, '"')) == NULL)
			continue;
		for (n = 0, p++; *p != '"' && *p != '\0'; p++) {
			if (*p == '\\')
				p++;
			cur[n++] = *p;
		}
		cur[n] = '\0';
		if (n < PASSWORD_MIN_CHARS)
			fail_msg("list entry \"%s\" is short", cur);
		for (p = cur; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				fail_msg("\"%s\" not lower-case", cur);
		if (count > 0 && strcmp(prev, cur) >= 0)
			fail_msg("list not sorted at \"%s\" after \"%s\"",
			    cur, prev);
		if (password_policy(cur) == NULL ||
		    strcmp(password_policy(cur), "password_common") != 0)
			fail_msg("list entry \"%s\" not found", cur);
		memcpy(prev, cur, n + 1);
		count++;
	}
	fclose(f);
	if (count < 200)
		fail_msg("only %zu common passwords in %s", count, path);
}

/* UTF-8. */
static void
test_utf8_valid_text(void **state)
{
	static const char *ok[] = {
		"", "abc", "C\xc3\xa0 ph\xc3\xaa", "\t\n\r",
		"\xc2\xa0",			/* U+00A0, first after C1 */
		"\xdf\xbf",			/* U+07FF */
		"\xe0\xa0\x80",			/* U+0800 */
		"\xed\x9f\xbf",			/* U+D7FF */
		"\xee\x80\x80",			/* U+E000 */
		"\xef\xbf\xbf",			/* U+FFFF */
		"\xf0\x90\x80\x80",		/* U+10000 */
		"\xf0\x9f\x98\x80",		/* emoji */
		"\xf4\x8f\xbf\xbf",		/* U+10FFFF */
		"\xe1\xbb\x87",			/* ệ */
	};
	static const char *bad[] = {
		"\x80", "\xbf", "a\x80" "b",	/* stray continuation */
		"\xc0\xaf", "\xc1\xbf",		/* overlong 2 */
		"\xe0\x80\xaf", "\xe0\x9f\xbf",	/* overlong 3 */
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf",	/* overlong 4 */
		"\xed\xa0\x80", "\xed\xbf\xbf",	/* surrogates */
		"\xf4\x90\x80\x80",		/* U+110000 */
		"\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff",
		"\xc3", "\xe1\x80", "\xf0\x9f\x98",	/* truncated */
		"\xc3" "a", "\xe1\x80" "a",		/* bad continuation */
		"\x01", "a\x1b[0m", "\x08", "\x1f", "\x0b", "\x0c",
		"\x7f", "\xc2\x80", "\xc2\x9f",	/* DEL, C1 controls */
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(ok); i++)
		if (utf8_valid_text(ok[i], strlen(ok[i])) != 1)
			fail_msg("rejected valid text #%zu", i);
	for (i = 0; i < NITEMS(bad); i++)
		if (utf8_valid_text(bad[i], strlen(bad[i])) != 0)
			fail_msg("accepted invalid text #%zu", i);

	/* NUL is rejected; len bounds what is read. */
	assert_int_equal(utf8_valid_text("a\0b", 3), 0);
	assert_int_equal(utf8_valid_text("abc\xff", 3), 1);
	assert_int_equal(utf8_valid_text("\xc3\xa0", 1), 0);
	assert_int_equal(utf8_valid_text("\xc3\xa0", 2), 1);
}

/* DEL and C1 controls are never text; line breaks only where allowed. */
static void
test_text_controls(void **state)
{
	(void)state;
	assert_false(utf8_valid_text("a\x7f" "b", 3));
	assert_false(utf8_valid_text("a\xc2\x85" "b", 4));	/* U+0085 NEL */
	assert_false(utf8_valid_text("\xc2\x9f", 2));		/* U+009F */
	assert_true(utf8_valid_text("\xc2\xa0", 2));		/* U+00A0 NBSP */
	assert_true(utf8_valid_text("a\tb\nc\r", 6));
	assert_true(text_single_line("Hợp tác xã Thạnh Tân"));
	assert_false(text_single_line("Hợp tác xã\nGiả Mạo"));
	assert_false(text_single_line("a\tb"));
	assert_false(text_single_line("a\r"));
}

static void
test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("C\xc3\xa0 ph\xc3\xaa"), 6);
	assert_int_equal(utf8_length("\xc4\x90\xe1\xba\xb7" "c s\xe1\xba\xa3n"),
	    7);					/* Đặc sản */
	assert_int_equal(utf8_length("\xf0\x9f\x98\x80"), 1);
	assert_int_equal(utf8_length("a\xcc\x80"), 2);	/* NFD: 2 points */
}

static void
test_etag_list_match(void **state)
{
	const char	*e = "\"abc123\"";

	(void)state;
	assert_true(etag_list_match("\"abc123\"", e));
	assert_true(etag_list_match("W/\"abc123\"", e));
	assert_true(etag_list_match("*", e));
	assert_true(etag_list_match("\"x\", \"abc123\"", e));
	assert_true(etag_list_match(" \"x\" ,W/\"abc123\" , \"y\"", e));
	assert_false(etag_list_match("\"abc12\"", e));
	assert_false(etag_list_match("\"abc1234\"", e));
	assert_false(etag_list_match("abc123", e));
	assert_false(etag_list_match("\"x\" junk, \"abc123\"", e));
	assert_false(etag_list_match("\"abc123", e));
	assert_false(etag_list_match("", e));
	assert_false(etag_list_match("w/\"abc123\"", e));
}

static void
test_validate_date(void **state)
{
	(void)state;
	assert_true(validate_date("2024-02-29"));
	assert_true(validate_date("1900-01-01"));
	assert_true(validate_date("2000-02-29"));
	assert_false(validate_date("1900-02-29"));
	assert_false(validate_date("2023-02-29"));
	assert_false(validate_date("2023-04-31"));
	assert_false(validate_date("2023-4-30"));
	assert_false(validate_date("2023-04-30T"));
	assert_false(validate_date("1899-12-31"));
	assert_false(validate_date("20x3-01-01"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tax_code_valid),
		cmocka_unit_test(test_tax_code_invalid),
		cmocka_unit_test(test_phone_valid),
		cmocka_unit_test(test_phone_invalid),
		cmocka_unit_test(test_phone_short_buffer),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_slugify_examples),
		cmocka_unit_test(test_slugify_letters),
		cmocka_unit_test(test_slugify_nfd),
		cmocka_unit_test(test_slugify_empty),
		cmocka_unit_test(test_slugify_truncate),
		cmocka_unit_test(test_validate_slug),
		cmocka_unit_test(test_slugify_validates),
		cmocka_unit_test(test_password_length),
		cmocka_unit_test(test_password_common),
		cmocka_unit_test(test_password_list_sorted),
		cmocka_unit_test(test_utf8_valid_text),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_etag_list_match),
		cmocka_unit_test(test_validate_date),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
