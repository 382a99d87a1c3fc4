/*
 * The "params" of a monitoring rule (issue 10), checked by the rule's
 * kind.  No Kore headers: tests/unit/test_modrule.c links it directly.
 *
 *	keyword		{"terms": [1..100 phrases], "except": [0..100 phrases]}
 *			a phrase: a string of 1..100 code points with at
 *			least one letter or digit (words are matched after
 *			folding, in the database)
 *	price_anomaly	{"threshold": 1..20 (3.5), "min_listings": 3..10000
 *			(20), "constant_ratio": 1.5..100 (3)}
 *	seller_signals	{"store_age_days": 1..365 (30), "daily_listings":
 *			1..10000 (20), "reports": 0..1000 (0: not looked at)}
 *			a store created in the last store_age_days days
 *			listing more than daily_listings products in a day;
 *			a business with at least "reports" reports in its
 *			open cases
 *	same_image	{} (an image whose SHA-256 is on a listing of another
 *			business)
 *	category	{"categories": [0..100 category ids (1..2^31-1)]}
 *			a listing in (or under) one of those conditional
 *			categories, any conditional one when the list is
 *			empty or absent, whose business has no valid licence
 *			for it (the database checks that each id is a
 *			conditional category)
 */
#include <ctype.h>
#include <string.h>

#include "modrule.h"

#define PHRASES_MAX	100
#define PHRASE_MAX	100	/* code points */
#define CATEGORIES_MAX	100
#define CATEGORY_ID_MAX	2147483647LL	/* san.categories.id is an int */

static int	modrule_fail(struct field_error *, const char *, const char *);
static int	modrule_phrases(json_t *, const char *, int,
		    struct field_error *, json_t *);
static int	modrule_number(json_t *, const char *, double, double, double,
		    int, struct field_error *, json_t *);
static int	modrule_ids(json_t *, const char *, struct field_error *,
		    json_t *);

static int
modrule_fail(struct field_error *err, const char *code, const char *path)
{
	err->code = code;
	strncpy(err->path, path, sizeof(err->path) - 1);
	err->path[sizeof(err->path) - 1] = '\0';
	return (0);
}

/*
 * Code points of a valid UTF-8 string (jansson only hands out valid
 * UTF-8), and whether it holds a letter or digit: any ASCII alnum or any
 * non-ASCII character (Vietnamese letters), so a phrase of punctuation
 * alone, which would fold to no words, is refused.
 */
static size_t
modrule_measure(const char *s, int *wordy)
{
	size_t	n = 0;

	*wordy = 0;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			*wordy = 1;
	}
	return (n);
}

/* params[key]: an array of phrases (min..PHRASES_MAX), copied to out. */
static int
modrule_phrases(json_t *params, const char *key, int min,
    struct field_error *err, json_t *out)
{
	json_t		*list, *v, *copy;
	size_t		 i, len;
	int		 wordy;
	char		 path[FIELD_PATH_MAX];

	list = json_object_get(params, key);
	snprintf(path, sizeof(path), "params.%s", key);
	if (list == NULL || json_is_null(list)) {
		if (min > 0)
			return (modrule_fail(err, "required", path));
		json_object_set_new(out, key, json_array());
		return (1);
	}
	if (!json_is_array(list))
		return (modrule_fail(err, "not_a_list", path));
	if (json_array_size(list) < (size_t)min)
		return (modrule_fail(err, "required", path));
	if (json_array_size(list) > PHRASES_MAX)
		return (modrule_fail(err, "too_many", path));
	copy = json_array();
	json_array_foreach(list, i, v) {
		snprintf(path, sizeof(path), "params.%s[%zu]", key, i);
		if (!json_is_string(v)) {
			json_decref(copy);
			return (modrule_fail(err, "not_a_string", path));
		}
		len = modrule_measure(json_string_value(v), &wordy);
		if (len > PHRASE_MAX) {
			json_decref(copy);
			return (modrule_fail(err, "too_long", path));
		}
		if (!wordy) {
			json_decref(copy);
			return (modrule_fail(err, "invalid_text", path));
		}
		json_array_append(copy, v);
	}
	json_object_set_new(out, key, copy);
	return (1);
}

/*
 * params[key]: a list of 0..CATEGORIES_MAX category ids (integers in
 * 1..CATEGORY_ID_MAX), [] when absent or null; copied to out.
 */
static int
modrule_ids(json_t *params, const char *key, struct field_error *err,
    json_t *out)
{
	json_t		*list, *v;
	json_int_t	 id;
	size_t		 i;
	char		 path[FIELD_PATH_MAX];

	list = json_object_get(params, key);
	snprintf(path, sizeof(path), "params.%s", key);
	if (list == NULL || json_is_null(list)) {
		json_object_set_new(out, key, json_array());
		return (1);
	}
	if (!json_is_array(list))
		return (modrule_fail(err, "not_a_list", path));
	if (json_array_size(list) > CATEGORIES_MAX)
		return (modrule_fail(err, "too_many", path));
	json_array_foreach(list, i, v) {
		snprintf(path, sizeof(path), "params.%s[%zu]", key, i);
		if (!json_is_integer(v))
			return (modrule_fail(err, "invalid_id", path));
		id = json_integer_value(v);
		if (id < 1 || id > CATEGORY_ID_MAX)
			return (modrule_fail(err, "invalid_id", path));
	}
	json_object_set(out, key, list);
	return (1);
}

/* params[key]: a number in lo..hi (an integer when integral), or def. */
static int
modrule_number(json_t *params, const char *key, double lo, double hi,
    double def, int integral, struct field_error *err, json_t *out)
{
	json_t	*v;
	double	 d;
	char	 path[FIELD_PATH_MAX];

	snprintf(path, sizeof(path), "params.%s", key);
	v = json_object_get(params, key);
	if (v == NULL || json_is_null(v)) {
		d = def;
	} else if (integral) {
		if (!json_is_integer(v))
			return (modrule_fail(err, "not_an_integer", path));
		d = (double)json_integer_value(v);
	} else {
		if (!json_is_number(v))
			return (modrule_fail(err, "out_of_range", path));
		d = json_number_value(v);
	}
	if (d < lo || d > hi)
		return (modrule_fail(err, "out_of_range", path));
	json_object_set_new(out, key, integral ?
	    json_integer((json_int_t)d) : json_real(d));
	return (1);
}

int
modrule_params(const char *kind, json_t *params, struct field_error *err,
    json_t **out)
{
	static const char *const keyword_keys[] = { "terms", "except", NULL };
	static const char *const price_keys[] = { "threshold",
	    "min_listings", "constant_ratio", NULL };
	static const char *const signal_keys[] = { "store_age_days",
	    "daily_listings", "reports", NULL };
	static const char *const image_keys[] = { NULL };
	static const char *const category_keys[] = { "categories", NULL };
	const char *const	*keys;
	const char		*key;
	json_t			*v, *o;
	size_t			 i;
	int			 known;

	*out = NULL;
	if (kind == NULL)
		return (modrule_fail(err, "required", "kind"));
	if (strcmp(kind, "keyword") == 0)
		keys = keyword_keys;
	else if (strcmp(kind, "price_anomaly") == 0)
		keys = price_keys;
	else if (strcmp(kind, "seller_signals") == 0)
		keys = signal_keys;
	else if (strcmp(kind, "same_image") == 0)
		keys = image_keys;
	else if (strcmp(kind, "category") == 0)
		keys = category_keys;
	else
		return (modrule_fail(err, "invalid_choice", "kind"));
	if (params == NULL || json_is_null(params))
		return (modrule_fail(err, "required", "params"));
	if (!json_is_object(params))
		return (modrule_fail(err, "not_an_object", "params"));
	json_object_foreach(params, key, v) {
		known = 0;
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(keys[i], key) == 0)
				known = 1;
		if (!known)
			return (modrule_fail(err, "unknown_field", "params"));
	}
	o = json_object();
	if (keys == keyword_keys) {
		if (!modrule_phrases(params, "terms", 1, err, o) ||
		    !modrule_phrases(params, "except", 0, err, o))
			goto fail;
	} else if (keys == signal_keys) {
		if (!modrule_number(params, "store_age_days", 1, 365, 30, 1,
		    err, o) ||
		    !modrule_number(params, "daily_listings", 1, 10000, 20, 1,
		    err, o) ||
		    !modrule_number(params, "reports", 0, 1000, 0, 1, err, o))
			goto fail;
	} else if (keys == category_keys) {
		if (!modrule_ids(params, "categories", err, o))
			goto fail;
	} else if (keys == price_keys) {
		if (!modrule_number(params, "threshold", 1, 20, 3.5, 0,
		    err, o) ||
		    !modrule_number(params, "min_listings", 3, 10000, 20, 1,
		    err, o) ||
		    !modrule_number(params, "constant_ratio", 1.5, 100, 3, 0,
		    err, o))
			goto fail;
	}
	*out = o;
	return (1);
fail:
	json_decref(o);
	return (0);
}
