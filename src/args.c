/*
 * Request arguments from the URL: path segments and the query string.
 * Every reader that can fail follows the convention of san.h: 1 with the
 * value added as the next SQL parameter, or 0 after answering 400/404.
 * Kore 4.1 neither fills req->cgroups for routes (README, Kore fact 4) nor
 * parses the query string unless asked (fact 13): both are read here.
 */
#include <limits.h>
#include <string.h>

#include "san.h"
#include "validate.h"

#define QS_TEXT_MAX	512	/* bytes of a query-string value */
#define CURSOR_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789:.-"

static int	path_segment(struct http_request *, int, char *, size_t);
static int	qs_find(struct http_request *, const char *, char *, size_t);
static int	qs_arg(struct http_request *, struct api_call *,
		    const struct qs_rule *);
static int	qs_number(const char *, long long, long long, long long *);

/*
 * Path segment idx (0 = "api" in /api/v1/...) as a positive integer, kept
 * in call->path_id and added as a parameter.  Answers 404 not_found when
 * it is not one.
 */
int
api_path_id(struct http_request *req, struct api_call *call, int idx,
    const char *not_found)
{
	char	buf[24];

	if (!path_segment(req, idx, buf, sizeof(buf)) ||
	    !qs_number(buf, 1, LLONG_MAX, &call->path_id)) {
		api_error(req, 404, not_found, NULL);
		return (0);
	}
	api_param_int(call, call->path_id);
	return (1);
}

/* Path segment idx as a valid slug, added; else 404 not_found. */
int
api_path_slug(struct http_request *req, struct api_call *call, int idx,
    const char *not_found)
{
	char	slug[SLUG_MAX];

	if (!path_segment(req, idx, slug, sizeof(slug)) ||
	    !validate_slug(slug)) {
		api_error(req, 404, not_found, NULL);
		return (0);
	}
	api_param(call, slug);
	return (1);
}

/*
 * Every query-string argument of rules, in order, each added as one
 * parameter; answers 400 naming the first malformed one.
 */
int
api_qs_args(struct http_request *req, struct api_call *call,
    const struct qs_rule *rules, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!qs_arg(req, call, &rules[i]))
			return (0);
	return (1);
}

/*
 * Cannot fail: argument name, URL-decoded, into buf when it is present and
 * valid text shorter than len (1), else "" (0).  Adds no parameter: for
 * values recorded as claims (a provider's unverified reference).
 */
int
api_qs_peek(struct http_request *req, const char *name, char *buf,
    size_t len)
{
	if (qs_find(req, name, buf, len) == 1)
		return (1);
	buf[0] = '\0';
	return (0);
}

/* One argument by its rule (see enum qs_kind). */
static int
qs_arg(struct http_request *req, struct api_call *call,
    const struct qs_rule *rule)
{
	const char *const	*c;
	const char		*code = "invalid_query", *p;
	char			 buf[QS_TEXT_MAX];
	long long		 v = 0, lo, hi;
	size_t			 max;
	int			 r;

	max = rule->max && rule->max < sizeof(buf) ? rule->max + 1 :
	    sizeof(buf);
	r = qs_find(req, rule->name, buf, max);
	switch (rule->kind) {
	case QS_TEXT:
		for (p = buf; r == 1 && (*p == ' ' || *p == '\t'); p++)
			;
		if (r >= 0) {
			api_param(call, r == 1 && *p != '\0' ? p : NULL);
			return (1);
		}
		break;
	case QS_INT:
	case QS_AFTER:
	case QS_LIMIT:
		lo = rule->kind == QS_INT ? rule->lo : 1;
		hi = rule->kind == QS_INT ? rule->hi : rule->kind == QS_AFTER ?
		    LLONG_MAX : API_LIST_LIMIT_MAX;
		if (r == 0 || (r == 1 && qs_number(buf, lo, hi, &v))) {
			if (rule->kind == QS_LIMIT)
				api_param_int(call, r ? v : API_LIST_LIMIT_DEF);
			else
				api_param_opt_int(call, r, v);
			return (1);
		}
		if (rule->kind != QS_INT)
			code = rule->kind == QS_AFTER ? "invalid_cursor" :
			    "invalid_limit";
		break;
	case QS_ENUM:
		for (c = rule->choices; r == 1 && *c != NULL; c++)
			if (strcmp(buf, *c) == 0)
				break;
		if (r == 0 || (r == 1 && *c != NULL)) {
			api_param(call, r ? *c : NULL);
			return (1);
		}
		code = "invalid_choice";
		break;
	case QS_SLUG:
		if (r == 0 || (r == 1 && validate_slug(buf))) {
			api_param(call, r ? buf : NULL);
			return (1);
		}
		break;
	case QS_DATE:
		if (r == 0 || (r == 1 && validate_date(buf))) {
			api_param(call, r ? buf : NULL);
			return (1);
		}
		code = "invalid_date";
		break;
	case QS_CURSOR:
		if (r == 0 || (r == 1 && strspn(buf, CURSOR_CHARS) ==
		    strlen(buf))) {
			api_param(call, r ? buf : NULL);
			return (1);
		}
		code = "invalid_cursor";
		break;
	}
	api_error(req, 400, code, rule->name);
	return (0);
}

/* A decimal integer in lo..hi (kore_strtonum: no sign games, no junk). */
static int
qs_number(const char *s, long long lo, long long hi, long long *v)
{
	int	err;

	*v = kore_strtonum(s, 10, lo, hi, &err);
	return (err == KORE_RESULT_OK);
}

/*
 * Query-string argument name, URL-decoded ('+' is a space), into buf.
 * Returns 1 when present, 0 when absent, -1 when not shorter than len or
 * not valid text.  req->query_string itself is left as it came (the VNPay
 * signature covers it).
 */
static int
qs_find(struct http_request *req, const char *name, char *buf, size_t len)
{
	char	*qs, *pair, *next, *eq, *p;
	size_t	 nlen = strlen(name);
	int	 found = 0;

	if (req->query_string == NULL)
		return (0);
	qs = kore_strdup(req->query_string);
	for (pair = qs; pair != NULL; pair = next) {
		if ((next = strchr(pair, '&')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(pair, '=')) == NULL || (size_t)(eq - pair) !=
		    nlen || strncmp(pair, name, nlen) != 0)
			continue;
		for (p = ++eq; *p != '\0'; p++)
			if (*p == '+')
				*p = ' ';
		if (!http_argument_urldecode(eq) || strlen(eq) >= len ||
		    !utf8_valid_text(eq, strlen(eq))) {
			found = -1;
			break;
		}
		(void)kore_strlcpy(buf, eq, len);
		found = 1;
		break;
	}
	kore_free(qs);
	return (found);
}

/*
 * Path segment idx into buf: 1, or 0 when missing, empty or not shorter
 * than len.  The route's regex has checked the shape already.
 */
static int
path_segment(struct http_request *req, int idx, char *buf, size_t len)
{
	const char	*p = req->path, *end = NULL;

	for (; idx >= 0; idx--) {
		if (*p != '/')
			return (0);
		p++;
		end = strchrnul(p, '/');
		if (idx > 0)
			p = end;
	}
	if (end == NULL || end == p || (size_t)(end - p) >= len)
		return (0);
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return (1);
}
