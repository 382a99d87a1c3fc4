/*
 * libFuzzer target for src/validate.c: every validator and normaliser gets
 * the input (as a NUL-terminated copy, or the raw bytes where a length is
 * taken) and its result is checked against the contract in validate.h.
 *	clang -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_validate.c src/validate.c -o fuzz_validate
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Slug shape as slugify promises it; "" allowed. */
static void
check_slug_shape(const char *s, size_t outlen)
{
	size_t	i, len;

	len = strlen(s);
	CHECK(len < outlen && len <= SLUG_MAX - 1);
	for (i = 0; i < len; i++) {
		CHECK((s[i] >= 'a' && s[i] <= 'z') || is_digit(s[i]) ||
		    s[i] == '-');
		if (s[i] == '-')
			CHECK(i > 0 && i + 1 < len && s[i - 1] != '-');
	}
	if (len >= 3)
		CHECK(validate_slug(s) == 1);
}

static void
fuzz_tax_code(const char *s)
{
	size_t	i, len;

	if (!validate_tax_code(s))
		return;
	len = strlen(s);
	CHECK(len == 10 || len == TAX_CODE_MAX);
	for (i = 0; i < len; i++)
		CHECK(i == 10 ? s[i] == '-' : is_digit(s[i]));
}

static void
fuzz_phone(const char *s)
{
	char	*out;
	size_t	 i, outlen;

	outlen = PHONE_E164_MAX;
	out = malloc(outlen);
	CHECK(out != NULL);
	if (normalize_phone(s, out, outlen)) {
		CHECK(strlen(out) == 12);
		CHECK(memcmp(out, "+84", 3) == 0);
		for (i = 3; i < 12; i++)
			CHECK(is_digit(out[i]));
		CHECK(strchr("35789", out[3]) != NULL);
		/* Normalising the result gives it back. */
		{
			char	again[PHONE_E164_MAX];

			CHECK(normalize_phone(out, again, sizeof(again)) == 1);
			CHECK(strcmp(again, out) == 0);
		}
	} else
		CHECK(out[0] == '\0');
	free(out);

	/* Too small a buffer always fails and leaves it empty. */
	out = malloc(PHONE_E164_MAX - 1);
	CHECK(out != NULL);
	CHECK(normalize_phone(s, out, PHONE_E164_MAX - 1) == 0);
	CHECK(out[0] == '\0');
	free(out);
}

static void
fuzz_email(const char *s)
{
	const char	*at;

	if (!validate_email(s))
		return;
	CHECK(strlen(s) <= EMAIL_MAX);
	CHECK((at = strchr(s, '@')) != NULL && at != s);
	CHECK(strchr(at + 1, '@') == NULL);
	CHECK(strchr(at + 1, '.') != NULL);
}

static void
fuzz_slug(const char *s, size_t outlen)
{
	char	*out;
	int	 r;

	/* Exact-size buffer so ASan sees any overrun. */
	if (outlen == 0) {
		CHECK(slugify(s, NULL, 0) == 0);
		return;
	}
	out = malloc(outlen);
	CHECK(out != NULL);
	r = slugify(s, out, outlen);
	CHECK(r == (out[0] != '\0'));
	check_slug_shape(out, outlen);
	free(out);
}

static void
fuzz_validate_slug(const char *s)
{
	char	out[SLUG_MAX];

	if (!validate_slug(s))
		return;
	/* A valid slug is its own slug. */
	CHECK(slugify(s, out, sizeof(out)) == 1);
	CHECK(strcmp(out, s) == 0);
}

static void
fuzz_password(const char *s)
{
	const char	*r;

	r = password_policy(s);
	if (r == NULL) {
		CHECK(strlen(s) <= PASSWORD_MAX_BYTES);
		CHECK(utf8_length(s) >= PASSWORD_MIN_CHARS);
	} else
		CHECK(strcmp(r, "password_too_short") == 0 ||
		    strcmp(r, "password_too_long") == 0 ||
		    strcmp(r, "password_common") == 0);
}

static void
fuzz_utf8(const uint8_t *data, size_t size, const char *s)
{
	size_t	i;

	/* Raw bytes, no NUL after them: reads past size would be caught. */
	if (utf8_valid_text((const char *)data, size)) {
		for (i = 0; i < size; i++) {
			CHECK(data[i] >= 0x20 || data[i] == '\t' ||
			    data[i] == '\n' || data[i] == '\r');
			CHECK(data[i] != 0xc0 && data[i] != 0xc1 &&
			    data[i] < 0xf5);
		}
		CHECK(utf8_length(s) <= size);
	}
	CHECK(utf8_length(s) <= strlen(s));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	fuzz_tax_code(s);
	fuzz_phone(s);
	fuzz_email(s);
	fuzz_slug(s, SLUG_MAX);
	fuzz_slug(s, size > 0 ? data[0] % (SLUG_MAX + 8) : 0);
	fuzz_validate_slug(s);
	fuzz_password(s);
	fuzz_utf8(data, size, s);

	free(s);
	return (0);
}
