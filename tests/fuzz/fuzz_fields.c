/*
 * libFuzzer target for src/fields.c: check any JSON object against a rule
 * table with every kind, nested, as a create and as an update.  A pass
 * yields only known members with normalised values; a failure names a
 * code and a path that fits.
 *	clang -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_fields.c src/fields.c src/validate.c -ljansson
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char *const choices[] = { "flat", "weight", NULL };

static const struct field_rule tier[] = {
	{ .name = "max_g", .kind = FIELD_INT, .required = 1, .lo = 1,
	    .hi = 1000000 },
	{ .name = "fee_vnd", .kind = FIELD_INT, .required = 1, .lo = 0,
	    .hi = 10000000 },
};

static const struct field_rule addr[] = {
	{ .name = "recipient", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
};

static const struct field_rule rules[] = {
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 20 },
	{ .name = "note", .kind = FIELD_MULTILINE, .max = 50 },
	{ .name = "kind", .kind = FIELD_ENUM, .choices = choices,
	    .no_clear = 1 },
	{ .name = "tax_code", .kind = FIELD_TAX_CODE },
	{ .name = "phone", .kind = FIELD_PHONE },
	{ .name = "email", .kind = FIELD_EMAIL },
	{ .name = "date", .kind = FIELD_DATE },
	{ .name = "slug", .kind = FIELD_SLUG },
	{ .name = "id", .kind = FIELD_ID },
	{ .name = "n", .kind = FIELD_INT, .lo = -5, .hi = 5 },
	{ .name = "addr", .kind = FIELD_OBJECT, FIELD_MEMBERS(addr) },
	{ .name = "tiers", .kind = FIELD_LIST, .max = 4, FIELD_MEMBERS(tier) },
	{ .name = "map", .kind = FIELD_ID_MAP, .max = 3 },
};

/* Every member of a passed object is a rule's, with a sane value. */
static void
check_out(json_t *out, int partial)
{
	const char	*key, *s;
	json_t		*v;
	size_t		 i;

	CHECK(json_is_object(out));
	json_object_foreach(out, key, v) {
		for (i = 0; i < nitems(rules); i++)
			if (strcmp(rules[i].name, key) == 0)
				break;
		CHECK(i < nitems(rules));
		if (json_is_null(v)) {
			CHECK(partial && !rules[i].required &&
			    !rules[i].no_clear);
			continue;
		}
		if (!json_is_string(v))
			continue;
		s = json_string_value(v);
		CHECK(utf8_valid_text(s, strlen(s)));
		if (rules[i].kind == FIELD_TEXT) {
			CHECK(s[0] != '\0' && s[0] != ' ' &&
			    text_single_line(s));
			CHECK(utf8_length(s) <= rules[i].max);
		}
		if (rules[i].kind == FIELD_PHONE)
			CHECK(strlen(s) == 12 && strncmp(s, "+84", 3) == 0);
		if (rules[i].kind == FIELD_DATE)
			CHECK(validate_date(s));
	}
	if (!partial)
		CHECK(json_object_get(out, "name") != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field_error	 err;
	json_error_t		 jerr;
	json_t			*obj, *out;
	int			 partial;

	obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (obj == NULL)
		return (0);
	for (partial = 0; partial < 2; partial++) {
		err.code = NULL;
		err.path[0] = '\0';
		if (fields_check(obj, rules, nitems(rules), partial, &err,
		    &out)) {
			check_out(out, partial);
			json_decref(out);
		} else {
			CHECK(out == NULL && err.code != NULL);
			CHECK(strlen(err.path) < sizeof(err.path));
		}
	}
	json_decref(obj);
	return (0);
}
