/*
 * Storefronts (gian hàng): opened by owners of verified businesses, shown
 * publicly with the seller identity Decree 52 requires.  Visibility (only
 * verified businesses) is decided in sql/api/30_store.sql.
 */
#include <string.h>

#include "san.h"
#include "validate.h"

#define STORE_Q_MAX	200	/* bytes of a search or province argument */

static int	api_store_list(struct http_request *);
static int	api_store_create(struct http_request *);
static int	api_store_get(struct http_request *);

static const struct field_rule store_fields[] = {
	{ "business_id", FIELD_ID, 1, 0, NULL },
	{ "slug", FIELD_SLUG, 0, 0, NULL },
	{ "name", FIELD_TEXT, 1, 200, NULL },
	{ "description", FIELD_MULTILINE, 0, 5000, NULL },
	{ "phone", FIELD_PHONE, 1, 0, NULL },
	{ "email", FIELD_EMAIL, 1, 0, NULL },
	{ "pickup_address", FIELD_TEXT, 1, 500, NULL },
};

/* /api/v1/stores: GET public list, POST open a store. */
int
api_store_collection(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_store_list(req));
	case HTTP_METHOD_POST:
		return (api_store_create(req));
	default:
		return (api_method_not_allowed(req, "GET, POST"));
	}
}

/* /api/v1/stores/{slug}: public. */
int
api_store_item(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_store_get(req));
}

/*
 * Optional search argument: absent or blank -> SQL NULL.  Returns 0 after
 * answering 400 when it is too long or not text.
 */
static int
store_text_arg(struct http_request *req, struct api_call *call,
    const char *name)
{
	char	buf[STORE_Q_MAX + 1], *p;
	int	r;

	if ((r = api_query_text(req, name, buf, sizeof(buf))) < 0) {
		api_error(req, 400, "invalid_query", name);
		return (0);
	}
	for (p = buf; r == 1 && (*p == ' ' || *p == '\t'); p++)
		;
	api_param(call, r == 1 && *p != '\0' ? p : NULL);
	return (1);
}

static int
api_store_list(struct http_request *req)
{
	struct api_call	*call;
	long long	 after;
	int		 limit;

	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_list_args(req, &after, &limit) ||
	    !store_text_arg(req, call, "q") ||
	    !store_text_arg(req, call, "province"))
		return (KORE_RESULT_OK);
	if (after > 0)
		api_param_int(call, after);
	else
		api_param(call, NULL);
	api_param_int(call, limit);
	return (api_query(req, call,
	    "SELECT * FROM api.store_list($1, $2, $3, $4)", NULL));
}

static int
api_store_create(struct http_request *req)
{
	struct api_call	*call;
	json_t		*clean;
	char		 slug[SLUG_MAX + 16];

	if ((call = api_start(req, API_BODY_JSON)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, store_fields, nitems(store_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	if (json_object_get(clean, "slug") == NULL) {
		/* Derived from the name; SQL adds -2, -3... on collision. */
		slug[0] = '\0';
		if (!slugify(json_string_value(json_object_get(clean, "name")),
		    slug, SLUG_MAX - 10) || strlen(slug) < 3) {
			(void)memmove(slug + 10, slug, strlen(slug) + 1);
			memcpy(slug, "gian-hang-", 10);
			if (slug[10] == '\0')
				slug[9] = '\0';
		}
		json_object_set_new(clean, "slug", json_string(slug));
		json_object_set_new(clean, "slug_auto", json_true());
	}
	api_param_token(call);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_query(req, call,
	    "SELECT * FROM api.store_create($1, $2::jsonb)", NULL));
}

static int
api_store_get(struct http_request *req)
{
	struct api_call	*call;
	char		 slug[SLUG_MAX];

	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_path_text(req, 3, slug, sizeof(slug)) ||
	    !validate_slug(slug))
		return (api_error(req, 404, "store_not_found", NULL));
	api_param(call, slug);
	return (api_query(req, call, "SELECT * FROM api.store_get($1)",
	    NULL));
}
