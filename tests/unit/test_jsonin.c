/*
 * Unit tests for src/jsonin.c (cmocka).  Links jsonin.c alone:
 *	cc -std=c99 -Wall -Wextra -Werror -Isrc tests/unit/test_jsonin.c \
 *	    src/jsonin.c -lcmocka -ljansson
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jsonin.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define LIT(s)		(s), (sizeof(s) - 1)	/* literal and its length */

/* Printable copy of len bytes at s for failure messages (static buffer). */
static const char *
show(const char *s, size_t len)
{
	static char	buf[512];
	size_t		i, n;

	for (i = n = 0; i < len && n + 5 < sizeof(buf); i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f)
			buf[n++] = s[i];
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			    "\\x%02x", (unsigned char)s[i]);
	}
	buf[n] = '\0';
	return (buf);
}

/* Parses len bytes at s; expects failure with code want. */
static void
expect_reject(const char *s, size_t len, const char *want)
{
	json_t		*v;
	const char	*code;

	code = "unset";
	v = jsonin_parse(s, len, &code);
	if (v != NULL) {
		json_decref(v);
		fail_msg("accepted %s", show(s, len));
	}
	if (code == NULL || strcmp(code, want) != 0)
		fail_msg("%s: code %s, want %s", show(s, len),
		    code ? code : "NULL", want);
}

/* Parses len bytes at s; expects an object and a NULL code.  Caller decrefs. */
static json_t *
expect_accept(const char *s, size_t len)
{
	json_t		*v;
	const char	*code;

	code = "unset";
	v = jsonin_parse(s, len, &code);
	if (v == NULL)
		fail_msg("rejected %s: %s", show(s, len), code ? code : "NULL");
	assert_true(json_is_object(v));
	assert_null(code);
	return (v);
}

#define ACCEPT(s)	json_decref(expect_accept((s), strlen(s)))
#define REJECT(s, c)	expect_reject((s), strlen(s), (c))

static void
test_valid(void **state)
{
	json_t	*v;

	(void)state;
	ACCEPT("{}");
	ACCEPT(" {\"a\":1} \n");
	ACCEPT("{\"a\":[1,2,{\"b\":null}],\"c\":\"x\"}");
	v = expect_accept(LIT("{\"name\":\"C\xc3\xa0 ph\xc3\xaa\"}"));
	assert_string_equal(json_string_value(json_object_get(v, "name")),
	    "C\xc3\xa0 ph\xc3\xaa");
	json_decref(v);
}

static void
test_duplicate_keys(void **state)
{
	(void)state;
	REJECT("{\"a\":1,\"a\":2}", "json_invalid");
	REJECT("{\"a\":1,\"b\":2,\"a\":1}", "json_invalid");
	REJECT("{\"o\":{\"k\":1,\"k\":1}}", "json_invalid");
	REJECT("{\"l\":[{\"k\":1,\"k\":1}]}", "json_invalid");
	/* The same key spelled with an escape is still a duplicate. */
	REJECT("{\"a\":1,\"\\u0061\":2}", "json_invalid");
	/* Same key in sibling objects is fine. */
	ACCEPT("{\"x\":{\"k\":1},\"y\":{\"k\":1}}");
}

static void
test_invalid_utf8(void **state)
{
	static const char *bad[] = {
		"{\"a\":\"\xff\"}",
		"{\"a\":\"\xc3\"}",			/* truncated */
		"{\"a\":\"\xc0\xaf\"}",			/* overlong */
		"{\"a\":\"\xed\xa0\x80\"}",		/* surrogate */
		"{\"a\":\"\xf4\x90\x80\x80\"}",		/* > U+10FFFF */
		"{\"\xff\":1}",				/* in a key */
		"{\"a\":1}\xff",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++)
		REJECT(bad[i], "json_invalid");
}

static void
test_trailing_garbage(void **state)
{
	json_t	*v;

	(void)state;
	REJECT("{\"a\":1}x", "json_invalid");
	REJECT("{\"a\":1}}", "json_invalid");
	REJECT("{\"a\":1}{}", "json_invalid");
	REJECT("{\"a\":1},", "json_invalid");
	REJECT("{\"a\":1} 1", "json_invalid");
	/* A NUL byte inside len is garbage too. */
	expect_reject(LIT("{\"a\":1}\0"), "json_invalid");
	/* len, not the NUL, ends the input. */
	v = expect_accept("{\"a\":1}garbage", 7);
	json_decref(v);
}

static void
test_syntax(void **state)
{
	(void)state;
	expect_reject("", 0, "json_invalid");
	REJECT(" ", "json_invalid");
	REJECT("{", "json_invalid");
	REJECT("{\"a\":}", "json_invalid");
	REJECT("{\"a\":1,}", "json_invalid");
	REJECT("{'a':1}", "json_invalid");
	REJECT("{a:1}", "json_invalid");
	REJECT("{\"a\":\"x\ty\"}", "json_invalid");	/* raw control */
	REJECT("{\"a\":\"\\ud800\"}", "json_invalid");	/* lone surrogate */
	REJECT("{\"a\":NaN}", "json_invalid");
}

/* Builds n nested containers: {"a":{"a":...}} or {"a":[[...]]}. */
static void
nest(char *buf, size_t size, int n, int arrays)
{
	size_t	len;
	int	i;

	assert_true(size > (size_t)n * 5 + 8);
	len = 0;
	buf[len++] = '{';
	for (i = 1; i < n; i++) {
		if (arrays) {
			if (i == 1) {
				memcpy(buf + len, "\"a\":", 4);
				len += 4;
			}
			buf[len++] = '[';
		} else {
			memcpy(buf + len, "\"a\":{", 5);
			len += 5;
		}
	}
	for (i = n - 1; i > 0; i--)
		buf[len++] = arrays ? ']' : '}';
	buf[len++] = '}';
	buf[len] = '\0';
}

static void
test_depth(void **state)
{
	char	buf[256];

	(void)state;
	nest(buf, sizeof(buf), 1, 0);
	assert_string_equal(buf, "{}");
	nest(buf, sizeof(buf), 3, 0);
	assert_string_equal(buf, "{\"a\":{\"a\":{}}}");
	nest(buf, sizeof(buf), 3, 1);
	assert_string_equal(buf, "{\"a\":[[]]}");

	nest(buf, sizeof(buf), JSONIN_MAX_DEPTH, 0);
	ACCEPT(buf);
	nest(buf, sizeof(buf), JSONIN_MAX_DEPTH + 1, 0);
	REJECT(buf, "json_too_deep");
	nest(buf, sizeof(buf), JSONIN_MAX_DEPTH, 1);
	ACCEPT(buf);
	nest(buf, sizeof(buf), JSONIN_MAX_DEPTH + 1, 1);
	REJECT(buf, "json_too_deep");
	nest(buf, sizeof(buf), 40, 1);
	REJECT(buf, "json_too_deep");
	assert_int_equal(JSONIN_MAX_DEPTH, 16);
}

static void
test_unicode_escape(void **state)
{
	json_t	*v;

	(void)state;
	v = expect_accept(LIT("{\"s\":\"\\u00e0\"}"));
	assert_string_equal(jsonin_str(v, "s"), "\xc3\xa0");	/* à */
	json_decref(v);
	v = expect_accept(LIT("{\"s\":\"\\u1ec7\\ud83d\\ude00\"}"));
	assert_string_equal(jsonin_str(v, "s"),
	    "\xe1\xbb\x87\xf0\x9f\x98\x80");	/* ệ and U+1F600 */
	json_decref(v);
}

static void
test_nul_escape(void **state)
{
	(void)state;
	REJECT("{\"a\":\"\\u0000\"}", "json_invalid");
	REJECT("{\"a\":\"x\\u0000y\"}", "json_invalid");
	REJECT("{\"\\u0000\":1}", "json_invalid");
	REJECT("{\"k\\u0000\":1}", "json_invalid");
}

static void
test_not_object(void **state)
{
	static const char *bad[] = { "1", "\"x\"", "true", "null", "-0.5" };
	const char	*code;
	size_t		 i;

	(void)state;
	REJECT("[]", "json_not_object");
	REJECT("[{\"a\":1}]", "json_not_object");
	/* Bare scalars fail too (jansson refuses them as input). */
	for (i = 0; i < NITEMS(bad); i++) {
		code = NULL;
		assert_null(jsonin_parse(bad[i], strlen(bad[i]), &code));
		assert_non_null(code);
	}
}

static void
test_str(void **state)
{
	json_t	*v;

	(void)state;
	v = expect_accept(LIT(
	    "{\"s\":\"v\",\"n\":null,\"i\":1,\"o\":{},\"e\":\"\"}"));
	assert_string_equal(jsonin_str(v, "s"), "v");
	assert_null(jsonin_str(v, "n"));
	assert_null(jsonin_str(v, "missing"));
	assert_string_equal(jsonin_str(v, "i"), "");
	assert_string_equal(jsonin_str(v, "o"), "");
	assert_string_equal(jsonin_str(v, "e"), "");
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_unicode_escape),
		cmocka_unit_test(test_nul_escape),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_str),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
