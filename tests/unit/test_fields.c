/*
 * Unit tests for src/fields.c (cmocka): the body field checker every
 * handler uses.  Links fields.c and validate.c (Makefile).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"

static const char *const colours[] = { "red", "green", NULL };

static const struct field_rule item_rules[] = {
	{ .name = "id", .kind = FIELD_ID, .required = 1 },
	{ .name = "qty", .kind = FIELD_INT, .required = 1, .lo = 1, .hi = 9 },
};

static const struct field_rule addr_rules[] = {
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
	{ .name = "city", .kind = FIELD_TEXT, .max = 20 },
};

static const struct field_rule rules[] = {
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 5 },
	{ .name = "note", .kind = FIELD_MULTILINE, .max = 10 },
	{ .name = "colour", .kind = FIELD_ENUM, .choices = colours,
	    .no_clear = 1 },
	{ .name = "count", .kind = FIELD_INT, .lo = 0, .hi = 100 },
	{ .name = "email", .kind = FIELD_EMAIL },
	{ .name = "day", .kind = FIELD_DATE },
	{ .name = "slug", .kind = FIELD_SLUG },
	{ .name = "tax", .kind = FIELD_TAX_CODE },
	{ .name = "items", .kind = FIELD_LIST, .max = 3,
	    FIELD_MEMBERS(item_rules) },
	{ .name = "addr", .kind = FIELD_OBJECT, FIELD_MEMBERS(addr_rules) },
	{ .name = "map", .kind = FIELD_ID_MAP, .max = 2 },
	{ .name = "flag", .kind = FIELD_BOOL },
};

/* Check the JSON text with the table above; out is NULL on failure. */
static int
run(const char *text, int partial, struct field_error *err, json_t **out)
{
	json_t		*obj;
	json_error_t	 jerr;
	int		 ok;

	obj = json_loads(text, 0, &jerr);
	assert_non_null(obj);
	err->code = NULL;
	err->path[0] = '\0';
	ok = fields_check(obj, rules, nitems(rules), partial, err, out);
	json_decref(obj);
	if (ok) {
		assert_non_null(*out);
		assert_null(err->code);
	} else
		assert_null(*out);
	return (ok);
}

/* text must fail with code at path. */
static void
reject(const char *text, int partial, const char *code, const char *path)
{
	struct field_error	err;
	json_t			*out;

	if (run(text, partial, &err, &out)) {
		json_decref(out);
		fail_msg("accepted %s", text);
	}
	assert_string_equal(err.code, code);
	assert_string_equal(err.path, path);
}

/* text must pass; returns the normalised object (caller decrefs). */
static json_t *
accept(const char *text, int partial)
{
	struct field_error	err;
	json_t			*out;

	if (!run(text, partial, &err, &out))
		fail_msg("rejected %s: %s at %s", text, err.code, err.path);
	return (out);
}

static const char *
str(json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

static void
test_required_and_unknown(void **state)
{
	(void)state;
	reject("{}", 0, "required", "name");
	reject("{\"name\":null}", 0, "required", "name");
	reject("{\"name\":null}", 1, "required", "name");
	reject("{\"name\":\"ab\",\"extra\":1}", 0, "unknown_field", "");
	reject("{\"name\":\"   \"}", 0, "required", "name");
	json_decref(accept("{}", 1));
}

static void
test_text_normalised(void **state)
{
	json_t	*o;

	(void)state;
	o = accept("{\"name\":\"  Trà \",\"note\":\"a\\nb  \"}", 0);
	assert_string_equal(str(o, "name"), "Trà");
	assert_string_equal(str(o, "note"), "a\nb");
	json_decref(o);
	/* max counts code points, not bytes: 5 Vietnamese letters pass. */
	json_decref(accept("{\"name\":\"ỨỨỨỨỨ\"}", 0));
	reject("{\"name\":\"ỨỨỨỨỨỨ\"}", 0, "too_long", "name");
	reject("{\"name\":\"a\\nb\"}", 0, "invalid_text", "name");
	reject("{\"name\":\"a\\u0007b\"}", 0, "invalid_text", "name");
	reject("{\"name\":\"a\\u0085b\"}", 0, "invalid_text", "name");
	reject("{\"name\":12}", 0, "not_a_string", "name");
	reject("{\"name\":\"ab\",\"note\":\"01234567890\"}", 0, "too_long",
	    "note");
}

static void
test_null_in_update(void **state)
{
	json_t	*o;

	(void)state;
	/* An optional member's null resets it and is passed on. */
	o = accept("{\"note\":null,\"count\":null}", 1);
	assert_true(json_is_null(json_object_get(o, "note")));
	assert_true(json_is_null(json_object_get(o, "count")));
	json_decref(o);
	/* A state cannot be reset. */
	reject("{\"colour\":null}", 1, "cannot_clear", "colour");
	/* Outside an update, null for an optional member is left out. */
	o = accept("{\"name\":\"ab\",\"colour\":null,\"note\":null}", 0);
	assert_null(json_object_get(o, "colour"));
	assert_null(json_object_get(o, "note"));
	json_decref(o);
}

static void
test_scalars(void **state)
{
	json_t	*o;

	(void)state;
	o = accept("{\"colour\":\" red \",\"count\":100,\"email\":\"a@b.vn\","
	    "\"day\":\"2024-02-29\",\"slug\":\"tra-xanh\","
	    "\"tax\":\"0100109106\"}", 1);
	assert_string_equal(str(o, "colour"), "red");
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 100);
	json_decref(o);
	reject("{\"colour\":\"blue\"}", 1, "invalid_choice", "colour");
	reject("{\"count\":101}", 1, "out_of_range", "count");
	reject("{\"count\":-1}", 1, "out_of_range", "count");
	reject("{\"count\":1.5}", 1, "not_an_integer", "count");
	reject("{\"count\":\"3\"}", 1, "not_an_integer", "count");
	reject("{\"email\":\"a@b\"}", 1, "invalid_email", "email");
	reject("{\"day\":\"2023-02-29\"}", 1, "invalid_date", "day");
	reject("{\"day\":\"2024-13-01\"}", 1, "invalid_date", "day");
	reject("{\"slug\":\"Tra Xanh\"}", 1, "invalid_slug", "slug");
	reject("{\"tax\":\"0100109107\"}", 1, "invalid_tax_code", "tax");
}

static void
test_nested_paths(void **state)
{
	json_t	*o;

	(void)state;
	o = accept("{\"addr\":{\"phone\":\"0912 345 678\"},"
	    "\"items\":[{\"id\":1,\"qty\":2}]}", 1);
	assert_string_equal(str(json_object_get(o, "addr"), "phone"),
	    "+84912345678");
	assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
	json_decref(o);
	reject("{\"addr\":{\"phone\":\"12\"}}", 1, "invalid_phone",
	    "addr.phone");
	reject("{\"addr\":{}}", 1, "required", "addr.phone");
	reject("{\"addr\":[]}", 1, "not_an_object", "addr");
	reject("{\"items\":[{\"id\":1,\"qty\":1},{\"id\":2,\"qty\":1},"
	    "{\"id\":3,\"qty\":0}]}", 1, "out_of_range", "items[2].qty");
	reject("{\"items\":[{\"id\":1,\"qty\":1},7]}", 1, "not_an_object",
	    "items[1]");
	reject("{\"items\":[]}", 1, "required", "items");
	reject("{\"items\":[{},{},{},{}]}", 1, "too_many", "items");
	reject("{\"items\":[{\"id\":1,\"qty\":1,\"price\":5}]}", 1,
	    "unknown_field", "items[0]");
}

static void
test_id_map(void **state)
{
	(void)state;
	json_decref(accept("{\"map\":{\"ghn\":1,\"vnpost\":2}}", 1));
	reject("{\"map\":{\"a\":1,\"bcd\":2,\"efg\":3}}", 1, "too_many", "map");
	reject("{\"map\":{\"Bad Slug\":1}}", 1, "invalid_slug", "map");
	reject("{\"map\":{\"ghn\":0}}", 1, "invalid_id", "map");
	reject("{\"map\":3}", 1, "not_an_object", "map");
}

/* FIELD_BOOL: JSON true and false only. */
static void
test_bool(void **state)
{
	json_t	*o;

	(void)state;
	o = accept("{\"name\":\"ab\",\"flag\":false}", 0);
	assert_true(json_is_false(json_object_get(o, "flag")));
	json_decref(o);
	o = accept("{\"name\":\"ab\",\"flag\":true}", 0);
	assert_true(json_is_true(json_object_get(o, "flag")));
	json_decref(o);
	reject("{\"name\":\"ab\",\"flag\":1}", 0, "not_a_boolean", "flag");
	reject("{\"name\":\"ab\",\"flag\":\"true\"}", 0, "not_a_boolean",
	    "flag");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_and_unknown),
		cmocka_unit_test(test_text_normalised),
		cmocka_unit_test(test_null_in_update),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_nested_paths),
		cmocka_unit_test(test_id_map),
		cmocka_unit_test(test_bool),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
