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

static const char *const store_statuses[] = { "active", "hidden", NULL };

static const struct field_rule store_fields[] = {
	{ .name = "business_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "slug", .kind = FIELD_SLUG },
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "description", .kind = FIELD_MULTILINE, .max = 5000 },
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
	{ .name = "email", .kind = FIELD_EMAIL, .required = 1 },
	{ .name = "pickup_address", .kind = FIELD_TEXT, .required = 1, .max = 500 },
};

/* What an owner may change later (all optional). */
static const struct field_rule store_update_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT, .max = 200 },
	{ .name = "description", .kind = FIELD_MULTILINE, .max = 5000 },
	{ .name = "phone", .kind = FIELD_PHONE },
	{ .name = "email", .kind = FIELD_EMAIL },
	{ .name = "pickup_address", .kind = FIELD_TEXT, .max = 500 },
	{ .name = "status", .kind = FIELD_ENUM, .choices = store_statuses,
	    .no_clear = 1 },
};

static const struct api_op store_get_op = {
	.flags = OP_PATH_SLUG, .path_seg = 3, .not_found = "store_not_found",
	.sql = "SELECT * FROM api.store_get($1)",
};

static const struct api_op store_update_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG | OP_PARTIAL, .path_seg = 3,
	.not_found = "store_not_found", OP_RULES(store_update_fields),
	.sql = "SELECT * FROM api.store_update($1, $2, $3::jsonb)",
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

/* /api/v1/stores/{slug}: GET public, PATCH by the owner. */
int
api_store_item(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &store_get_op));
	case HTTP_METHOD_PATCH:
		return (api_op(req, &store_update_op));
	default:
		return (api_method_not_allowed(req, "GET, PATCH"));
	}
}

/*
 * /api/v1/stores/{slug}/products: GET the store's listings (members see
 * every status), POST a new listing (members; catalog.c).
 */
int
api_store_products(struct http_request *req)
{
	struct api_call	*call;
	char		 slug[SLUG_MAX];
	long long	 after;
	int		 limit;

	API_RESUME(req);
	if (req->method == HTTP_METHOD_POST)
		return (api_product_create(req));
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET, POST"));
	if ((call = api_start(req, 0)) == NULL ||
	    !api_list_args(req, &after, &limit))
		return (KORE_RESULT_OK);
	if (!api_path_text(req, 3, slug, sizeof(slug)) || !validate_slug(slug))
		return (api_error(req, 404, "store_not_found", NULL));
	api_param_token(call);
	api_param(call, slug);
	api_param_opt_int(call, after > 0, after);
	api_param_int(call, limit);
	return (api_query(req, call,
	    "SELECT * FROM api.store_products($1, $2, $3, $4)", NULL));
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
	    !api_qs_text(req, call, "q", STORE_Q_MAX) ||
	    !api_qs_text(req, call, "province", STORE_Q_MAX))
		return (KORE_RESULT_OK);
	api_param_opt_int(call, after > 0, after);
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
