/*
 * The body field checker (see fields.h): pure code over jansson values,
 * shared by every handler through api_fields() and fuzzed on its own.
 */
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "validate.h"

static int	fields_in(json_t *, const struct field_rule *, size_t, int,
		    struct field_error *, json_t **);
static int	field_nested(const struct field_rule *, json_t *, json_t *,
		    struct field_error *);
static int	field_check(const struct field_rule *, json_t *, json_t *,
		    struct field_error *);

int
fields_check(json_t *obj, const struct field_rule *rules, size_t n,
    int partial, struct field_error *err, json_t **out)
{
	*out = NULL;
	if (!json_is_object(obj)) {
		err->code = "json_not_object";
		return (0);
	}
	return (fields_in(obj, rules, n, partial, err, out));
}

/*
 * Check the object obj against rules; on success *out is a new object of
 * the normalised members.  On failure err names the code and the member's
 * path ("items[2].qty"); err->path holds the prefix on entry.
 */
static int
fields_in(json_t *obj, const struct field_rule *rules, size_t n,
    int partial, struct field_error *err, json_t **out)
{
	const char	*key;
	json_t		*value;
	size_t		 i, plen;

	plen = strlen(err->path);
	json_object_foreach(obj, key, value) {
		for (i = 0; i < n; i++)
			if (strcmp(rules[i].name, key) == 0)
				break;
		if (i == n) {
			err->code = "unknown_field";
			err->path[plen] = '\0';
			return (0);
		}
	}
	*out = json_object();
	for (i = 0; i < n; i++) {
		(void)snprintf(err->path + plen, sizeof(err->path) - plen,
		    "%s%s", plen ? "." : "", rules[i].name);
		value = json_object_get(obj, rules[i].name);
		if (value == NULL) {
			if (rules[i].required && !partial) {
				err->code = "required";
				goto bad;
			}
			continue;
		}
		if (json_is_null(value)) {
			/* null resets an optional member in an update; a
			 * required one or a state cannot be reset. */
			if (rules[i].required) {
				err->code = "required";
				goto bad;
			}
			if (partial && rules[i].no_clear) {
				err->code = "cannot_clear";
				goto bad;
			}
			if (partial)
				json_object_set_new(*out, rules[i].name,
				    json_null());
			continue;
		}
		if (!field_check(&rules[i], value, *out, err))
			goto bad;
	}
	err->path[plen] = '\0';
	return (1);
bad:
	json_decref(*out);
	*out = NULL;
	return (0);
}

/*
 * Nested kinds: an object checked by its member rules, a list of such
 * objects (1..max), or a map from slugs to ids (at most max entries).
 */
static int
field_nested(const struct field_rule *rule, json_t *value, json_t *out,
    struct field_error *err)
{
	json_t		*item, *clean, *list;
	const char	*key;
	size_t		 i, plen;

	plen = strlen(err->path);
	switch (rule->kind) {
	case FIELD_OBJECT:
		if (!json_is_object(value)) {
			err->code = "not_an_object";
			return (0);
		}
		if (!fields_in(value, rule->fields, rule->nfields, 0,
		    err, &clean))
			return (0);
		json_object_set_new(out, rule->name, clean);
		return (1);
	case FIELD_LIST:
		if (!json_is_array(value)) {
			err->code = "not_a_list";
			return (0);
		}
		if (json_array_size(value) == 0 ||
		    json_array_size(value) > rule->max) {
			err->code = json_array_size(value) ? "too_many" :
			    "required";
			return (0);
		}
		list = json_array();
		json_array_foreach(value, i, item) {
			(void)snprintf(err->path + plen,
			    sizeof(err->path) - plen, "[%zu]", i);
			if (!json_is_object(item)) {
				err->code = "not_an_object";
				json_decref(list);
				return (0);
			}
			if (!fields_in(item, rule->fields, rule->nfields,
			    0, err, &clean)) {
				json_decref(list);
				return (0);
			}
			json_array_append_new(list, clean);
		}
		err->path[plen] = '\0';
		json_object_set_new(out, rule->name, list);
		return (1);
	case FIELD_ID_MAP:
		if (!json_is_object(value)) {
			err->code = "not_an_object";
			return (0);
		}
		if (json_object_size(value) > rule->max) {
			err->code = "too_many";
			return (0);
		}
		json_object_foreach(value, key, item) {
			if (!validate_slug(key) || !json_is_integer(item) ||
			    json_integer_value(item) < 1) {
				err->code = validate_slug(key) ?
				    "invalid_id" : "invalid_slug";
				return (0);
			}
		}
		json_object_set(out, rule->name, value);
		return (1);
	default:
		err->code = "invalid";
		return (0);
	}
}

/* Check one present value; add its normalised form to out. */
static int
field_check(const struct field_rule *rule, json_t *value, json_t *out,
    struct field_error *err)
{
	const char	*s, **code = &err->code;
	char		 buf[PHONE_E164_MAX];
	size_t		 i, len;

	if (rule->kind == FIELD_OBJECT || rule->kind == FIELD_LIST ||
	    rule->kind == FIELD_ID_MAP)
		return (field_nested(rule, value, out, err));

	if (rule->kind == FIELD_ID) {
		if (!json_is_integer(value) || json_integer_value(value) < 1) {
			*code = "invalid_id";
			return (0);
		}
		json_object_set(out, rule->name, value);
		return (1);
	}
	if (rule->kind == FIELD_BOOL) {
		if (!json_is_boolean(value)) {
			*code = "not_a_boolean";
			return (0);
		}
		json_object_set(out, rule->name, value);
		return (1);
	}
	if (rule->kind == FIELD_INT) {
		if (!json_is_integer(value)) {
			*code = "not_an_integer";
			return (0);
		}
		if (json_integer_value(value) < rule->lo ||
		    json_integer_value(value) > rule->hi) {
			*code = "out_of_range";
			return (0);
		}
		json_object_set(out, rule->name, value);
		return (1);
	}
	if (!json_is_string(value)) {
		*code = "not_a_string";
		return (0);
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (strlen(s) != len || !utf8_valid_text(s, len)) {
		*code = "invalid_text";
		return (0);
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;

	switch (rule->kind) {
	case FIELD_TEXT:
	case FIELD_MULTILINE:
		if (len == 0 && rule->kind == FIELD_TEXT) {
			*code = "required";
			return (0);
		}
		json_object_set_new(out, rule->name, json_stringn(s, len));
		s = json_string_value(json_object_get(out, rule->name));
		if (rule->kind == FIELD_TEXT && !text_single_line(s)) {
			*code = "invalid_text";
			return (0);
		}
		if (utf8_length(s) > rule->max) {
			*code = "too_long";
			return (0);
		}
		return (1);
	case FIELD_ENUM:
		for (i = 0; rule->choices[i] != NULL; i++) {
			if (strlen(rule->choices[i]) == len &&
			    strncmp(rule->choices[i], s, len) == 0) {
				json_object_set_new(out, rule->name,
				    json_string(rule->choices[i]));
				return (1);
			}
		}
		*code = "invalid_choice";
		return (0);
	default:
		break;
	}

	/* The remaining kinds are short ASCII forms. */
	if (len == 0 || len > EMAIL_MAX) {
		*code = len == 0 ? "required" : "too_long";
		return (0);
	}
	json_object_set_new(out, rule->name, json_stringn(s, len));
	s = json_string_value(json_object_get(out, rule->name));
	switch (rule->kind) {
	case FIELD_TAX_CODE:
		if (!validate_tax_code(s)) {
			*code = "invalid_tax_code";
			return (0);
		}
		return (1);
	case FIELD_PHONE:
		if (!normalize_phone(s, buf, sizeof(buf))) {
			*code = "invalid_phone";
			return (0);
		}
		json_object_set_new(out, rule->name, json_string(buf));
		return (1);
	case FIELD_EMAIL:
		if (!validate_email(s)) {
			*code = "invalid_email";
			return (0);
		}
		return (1);
	case FIELD_DATE:
		if (!validate_date(s)) {
			*code = "invalid_date";
			return (0);
		}
		return (1);
	case FIELD_SLUG:
		if (!validate_slug(s)) {
			*code = "invalid_slug";
			return (0);
		}
		return (1);
	default:
		*code = "invalid";
		return (0);
	}
}
