/*
 * Rules for the members of a JSON request body, and the checker that
 * applies them.  No Kore or libpq headers: unit tests (tests/unit) and the
 * fuzz target (tests/fuzz) link fields.c and validate.c directly.  The
 * engine's api_fields() (api.c) turns a failure into the one error shape.
 */
#ifndef SAN_FIELDS_H
#define SAN_FIELDS_H

#include <stddef.h>

#include <jansson.h>

#ifndef nitems
#define nitems(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define FIELD_PATH_MAX		96

enum field_kind {
	FIELD_TEXT,		/* one line, trimmed, 1..max code points */
	FIELD_MULTILINE,	/* line breaks allowed, "" allowed */
	FIELD_ENUM,		/* one of choices */
	FIELD_TAX_CODE,
	FIELD_PHONE,		/* normalised to +84… */
	FIELD_EMAIL,
	FIELD_DATE,		/* YYYY-MM-DD, a real calendar date */
	FIELD_SLUG,
	FIELD_ID,		/* positive integer */
	FIELD_INT,		/* integer in lo..hi */
	FIELD_OBJECT,		/* an object checked by fields */
	FIELD_LIST,		/* 1..max objects, each checked by fields */
	FIELD_ID_MAP,		/* { slug: id }, at most max entries */
	FIELD_BOOL		/* true or false */
};

/*
 * One member.  In an update (partial check) JSON null for an optional
 * member means "reset it" and is passed on as null, unless no_clear says
 * the member is a state that cannot be reset (answered cannot_clear).
 */
struct field_rule {
	const char		*name;
	enum field_kind		 kind;
	int			 required;
	int			 no_clear;	/* null refused in an update */
	size_t			 max;		/* FIELD_TEXT: code points */
	const char *const	*choices;	/* FIELD_ENUM: NULL-ended */
	long long		 lo, hi;	/* FIELD_INT bounds */
	const struct field_rule	*fields;	/* FIELD_OBJECT, FIELD_LIST */
	size_t			 nfields;
};

#define FIELD_MEMBERS(r)	.fields = (r), .nfields = nitems(r)

/* Where a check failed: a static error code and the member's path. */
struct field_error {
	const char	*code;
	char		 path[FIELD_PATH_MAX];	/* "items[2].qty", or "" */
};

/*
 * Check the object obj against the n rules.  Unknown members, missing
 * required members (unless partial), null for a required member and bad
 * values fail; text is trimmed and checked as strict UTF-8, phones are
 * normalised.  On success returns 1 and *out is a new object of the
 * normalised members (the caller owns it and json_decref()s it); on
 * failure returns 0, *out is NULL and err names the code and path.
 * err->path must be "" on entry.
 */
int	fields_check(json_t *obj, const struct field_rule *rules, size_t n,
	    int partial, struct field_error *err, json_t **out);

#endif
