/*
 * Unit tests for src/modrule.c (cmocka): the params of monitoring rules.
 *	cc -std=gnu11 -Wall -Wextra -Werror -Isrc tests/unit/test_modrule.c \
 *	    src/modrule.c -lcmocka -ljansson
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "modrule.h"

/* Check text (JSON) as params of kind; expects failure code at path. */
static void
expect_bad(const char *kind, const char *text, const char *code,
    const char *path)
{
	struct field_error	 err;
	json_t			*params, *out;

	params = text ? json_loads(text, 0, NULL) : NULL;
	if (text != NULL && params == NULL)
		fail_msg("bad test JSON: %s", text);
	err.code = NULL;
	err.path[0] = '\0';
	if (modrule_params(kind, params, &err, &out))
		fail_msg("accepted %s %s", kind ? kind : "(null)",
		    text ? text : "(null)");
	assert_null(out);
	assert_string_equal(err.code, code);
	assert_string_equal(err.path, path);
	json_decref(params);
}

/* Check text as params of kind; expects success with the result want. */
static void
expect_good(const char *kind, const char *text, const char *want)
{
	struct field_error	 err;
	json_t			*params, *out;
	char			*got;

	params = json_loads(text, 0, NULL);
	assert_non_null(params);
	err.path[0] = '\0';
	if (!modrule_params(kind, params, &err, &out))
		fail_msg("refused %s: %s %s", text, err.code, err.path);
	got = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT |
	    JSON_REAL_PRECISION(6));
	if (strcmp(got, want) != 0)
		fail_msg("%s -> %s, want %s", text, got, want);
	free(got);
	json_decref(out);
	json_decref(params);
}

static void
test_keyword_good(void **state)
{
	(void)state;
	expect_good("keyword", "{\"terms\":[\"pháo nổ\"]}",
	    "{\"except\":[],\"terms\":[\"pháo nổ\"]}");
	expect_good("keyword",
	    "{\"terms\":[\"súng hơi\",\"dao găm\"],\"except\":[\"súng hơi phun sơn\"]}",
	    "{\"except\":[\"súng hơi phun sơn\"],\"terms\":[\"súng hơi\",\"dao găm\"]}");
	expect_good("keyword", "{\"terms\":[\"x\"],\"except\":null}",
	    "{\"except\":[],\"terms\":[\"x\"]}");
}

static void
test_keyword_bad(void **state)
{
	char	big[300];
	char	text[400];

	(void)state;
	expect_bad("keyword", "{}", "required", "params.terms");
	expect_bad("keyword", "{\"terms\":[]}", "required", "params.terms");
	expect_bad("keyword", "{\"terms\":\"x\"}", "not_a_list",
	    "params.terms");
	expect_bad("keyword", "{\"terms\":[\"a\",3]}", "not_a_string",
	    "params.terms[1]");
	expect_bad("keyword", "{\"terms\":[\"a\",\"!?-\"]}", "invalid_text",
	    "params.terms[1]");
	expect_bad("keyword", "{\"terms\":[\"a\"],\"except\":[\"\"]}",
	    "invalid_text", "params.except[0]");
	expect_bad("keyword", "{\"terms\":[\"a\"],\"threshold\":3}",
	    "unknown_field", "params");
	expect_bad("keyword", "[\"a\"]", "not_an_object", "params");
	expect_bad("keyword", NULL, "required", "params");
	/* 101 code points (Vietnamese letters are 2-3 bytes each) */
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 101; i++)
		strcat(big, i % 2 ? "a" : "\xc3\xa1");
	snprintf(text, sizeof(text), "{\"terms\":[\"%s\"]}", big);
	expect_bad("keyword", text, "too_long", "params.terms[0]");
	big[strlen(big) - 2] = '\0';	/* 100 code points (drop the last á) */
	snprintf(text, sizeof(text), "{\"terms\":[\"%s\"]}", big);
	{
		struct field_error err;
		json_t *p = json_loads(text, 0, NULL), *o;

		err.path[0] = '\0';
		assert_int_equal(modrule_params("keyword", p, &err, &o), 1);
		json_decref(o);
		json_decref(p);
	}
}

static void
test_price(void **state)
{
	(void)state;
	expect_good("price_anomaly", "{}",
	    "{\"constant_ratio\":3.0,\"min_listings\":20,\"threshold\":3.5}");
	expect_good("price_anomaly",
	    "{\"threshold\":5,\"min_listings\":50,\"constant_ratio\":2.5}",
	    "{\"constant_ratio\":2.5,\"min_listings\":50,\"threshold\":5.0}");
	expect_bad("price_anomaly", "{\"threshold\":0.5}", "out_of_range",
	    "params.threshold");
	expect_bad("price_anomaly", "{\"threshold\":\"3\"}", "out_of_range",
	    "params.threshold");
	expect_bad("price_anomaly", "{\"min_listings\":2}", "out_of_range",
	    "params.min_listings");
	expect_bad("price_anomaly", "{\"min_listings\":20.5}",
	    "not_an_integer", "params.min_listings");
	expect_bad("price_anomaly", "{\"terms\":[\"a\"]}", "unknown_field",
	    "params");
}

static void
test_signals(void **state)
{
	(void)state;
	expect_good("seller_signals", "{}",
	    "{\"daily_listings\":20,\"reports\":0,\"store_age_days\":30}");
	expect_good("seller_signals",
	    "{\"store_age_days\":7,\"daily_listings\":50,\"reports\":5}",
	    "{\"daily_listings\":50,\"reports\":5,\"store_age_days\":7}");
	expect_bad("seller_signals", "{\"store_age_days\":0}",
	    "out_of_range", "params.store_age_days");
	expect_bad("seller_signals", "{\"store_age_days\":366}",
	    "out_of_range", "params.store_age_days");
	expect_bad("seller_signals", "{\"daily_listings\":2.5}",
	    "not_an_integer", "params.daily_listings");
	expect_bad("seller_signals", "{\"reports\":-1}", "out_of_range",
	    "params.reports");
	expect_bad("seller_signals", "{\"threshold\":3}", "unknown_field",
	    "params");
	expect_bad("seller_signals", "[]", "not_an_object", "params");
}

static void
test_same_image(void **state)
{
	(void)state;
	expect_good("same_image", "{}", "{}");
	expect_bad("same_image", "{\"terms\":[\"a\"]}", "unknown_field",
	    "params");
	expect_bad("same_image", NULL, "required", "params");
}

static void
test_kind(void **state)
{
	(void)state;
	expect_bad(NULL, "{}", "required", "kind");
	expect_bad("licence", "{}", "invalid_choice", "kind");
}

static void
test_category(void **state)
{
	(void)state;
	expect_good("category", "{}", "{\"categories\":[]}");
	expect_good("category", "{\"categories\":null}", "{\"categories\":[]}");
	expect_good("category", "{\"categories\":[3,17]}",
	    "{\"categories\":[3,17]}");
	expect_good("category", "{\"categories\":[2147483647]}",
	    "{\"categories\":[2147483647]}");
	expect_bad("category", "{\"categories\":[0]}", "invalid_id",
	    "params.categories[0]");
	expect_bad("category", "{\"categories\":[1,2147483648]}", "invalid_id",
	    "params.categories[1]");
	expect_bad("category", "{\"categories\":[\"3\"]}", "invalid_id",
	    "params.categories[0]");
	expect_bad("category", "{\"categories\":[1.5]}", "invalid_id",
	    "params.categories[0]");
	expect_bad("category", "{\"categories\":3}", "not_a_list",
	    "params.categories");
	expect_bad("category", "{\"terms\":[\"a\"]}", "unknown_field",
	    "params");
	expect_bad("category", NULL, "required", "params");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyword_good),
		cmocka_unit_test(test_keyword_bad),
		cmocka_unit_test(test_price),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_same_image),
		cmocka_unit_test(test_category),
		cmocka_unit_test(test_kind),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
