/*
 * Storefronts (gian hàng): opened by owners of verified businesses, shown
 * publicly with the seller identity Decree 52 requires.  Visibility (only
 * verified businesses) is decided in sql/api/30_store.sql.
 */
#include <string.h>

#include "san.h"
#include "validate.h"

#define STORE_Q_MAX	200	/* bytes of a search or province argument */

static int	store_create(struct http_request *, struct api_call *);

static const char *const store_statuses[] = { "active", "hidden", NULL };

static const struct field_rule store_fields[] = {
	{ .name = "business_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "slug", .kind = FIELD_SLUG },
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "description", .kind = FIELD_MULTILINE, .max = 5000 },
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
	{ .name = "email", .kind = FIELD_EMAIL, .required = 1 },
	{ .name = "pickup_address", .kind = FIELD_TEXT, .required = 1, .max = 500 },
	/* A code or a current or former name; default: the business's. */
	{ .name = "province", .kind = FIELD_TEXT, .max = 100 },
	{ .name = "ward", .kind = FIELD_TEXT, .max = 100 },
};

/* What an owner may change later (all optional; null resets only the
 * description, the rest cannot be blank). */
static const struct field_rule store_update_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT, .max = 200, .no_clear = 1 },
	{ .name = "description", .kind = FIELD_MULTILINE, .max = 5000 },
	{ .name = "phone", .kind = FIELD_PHONE, .no_clear = 1 },
	{ .name = "email", .kind = FIELD_EMAIL, .no_clear = 1 },
	{ .name = "pickup_address", .kind = FIELD_TEXT, .max = 500,
	    .no_clear = 1 },
	{ .name = "province", .kind = FIELD_TEXT, .max = 100, .no_clear = 1 },
	{ .name = "ward", .kind = FIELD_TEXT, .max = 100, .no_clear = 1 },
	{ .name = "status", .kind = FIELD_ENUM, .choices = store_statuses,
	    .no_clear = 1 },
};

static const struct api_op store_get_op = {
	.flags = OP_PATH_SLUG | OP_REPLICA, .path_seg = 3, .not_found = "store_not_found",
	.sql = "SELECT * FROM api.store_get($1)",
};

static const struct api_op store_update_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG | OP_PARTIAL, .path_seg = 3,
	.not_found = "store_not_found", OP_RULES(store_update_fields),
	.sql = "SELECT * FROM api.store_update($1, $2, $3::jsonb)",
};

static const struct qs_rule store_list_args[] = {
	{ .name = "q", .kind = QS_TEXT, .max = STORE_Q_MAX },
	{ .name = "province", .kind = QS_TEXT, .max = STORE_Q_MAX },
	QS_PAGE,
};

/* GET /api/v1/stores?q=&province=&after=&limit=: the public list. */
static const struct api_op store_list_op = {
	.flags = OP_REPLICA, OP_ARGS(store_list_args),
	.sql = "SELECT * FROM api.store_list($1, $2, $3, $4)",
};

/*
 * /api/v1/stores: GET the public list, POST open a store.
 * /api/v1/stores/{slug}: GET public, PATCH by the owner.
 * (A store's products are catalog.c's.)
 */
const struct api_route store_routes[] = {
	{ .path = "/api/v1/stores", .methods = {
		ROUTE_OP(GET, &store_list_op),
		ROUTE_RUN(POST, store_create, API_BODY_JSON) } },
	{ .path = "^/api/v1/stores/([a-z0-9-]{1,63})$", .methods = {
		ROUTE_OP(GET, &store_get_op),
		ROUTE_OP(PATCH, &store_update_op) } },
	{ .path = NULL }
};

/* POST /api/v1/stores {business_id, slug?, name, ...}: slug from name. */
static int
store_create(struct http_request *req, struct api_call *call)
{
	json_t		*clean;
	char		 slug[SLUG_MAX + 16];

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
	return (api_sql(req, call,
	    "SELECT * FROM api.store_create($1, $2::jsonb)", NULL));
}
