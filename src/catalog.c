/*
 * Product catalog: categories (public list, admin management), listings
 * managed by store members, and the public browse/search.  Access rules,
 * category policy (conditional/prohibited) and visibility are enforced in
 * sql/api/40_catalog.sql; here only input shape.
 */
#include <string.h>

#include "san.h"
#include "validate.h"

#define SEARCH_Q_MAX	200	/* bytes of q */
#define CURSOR_MAX	64
#define PRICE_MAX	1000000000000LL	/* 10^12 VND */

static int	api_product_search(struct http_request *);

static const char *const policies[] = {
	"normal", "conditional", "prohibited", NULL
};

static const struct field_rule category_fields[] = {
	{ .name = "parent_id", .kind = FIELD_ID },
	{ .name = "slug", .kind = FIELD_SLUG, .required = 1 },
	{ .name = "name_vi", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "name_en", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "policy", .kind = FIELD_ENUM, .required = 1,
	    .choices = policies },
	{ .name = "licence_hint", .kind = FIELD_TEXT, .max = 300 },
	{ .name = "position", .kind = FIELD_INT, .lo = 0, .hi = 10000 },
};

/* A merchant may set these statuses; "removed" is the officials'. */
static const char *const merchant_statuses[] = {
	"draft", "active", "hidden", NULL
};

static const struct field_rule product_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "description", .kind = FIELD_MULTILINE, .max = 10000 },
	{ .name = "category_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "price_vnd", .kind = FIELD_INT, .required = 1, .lo = 1,
	    .hi = PRICE_MAX },
	{ .name = "unit", .kind = FIELD_TEXT, .required = 1, .max = 20 },
	{ .name = "stock", .kind = FIELD_INT, .required = 1, .lo = 0,
	    .hi = 1000000000 },
	{ .name = "weight_g", .kind = FIELD_INT, .lo = 0, .hi = 100000000 },
	{ .name = "origin_province", .kind = FIELD_TEXT, .max = 100 },
	{ .name = "ocop_stars", .kind = FIELD_INT, .lo = 3, .hi = 5 },
	{ .name = "ocop_certificate", .kind = FIELD_TEXT, .max = 100 },
	{ .name = "trace_code", .kind = FIELD_TEXT, .max = 100 },
	{ .name = "licence_ref", .kind = FIELD_TEXT, .max = 100 },
	{ .name = "status", .kind = FIELD_ENUM, .choices = merchant_statuses,
	    .no_clear = 1 },
};

static const char *const sorts[] = {
	"relevance", "newest", "price_asc", "price_desc", NULL
};

static const struct api_op category_list_op = {
	.sql = "SELECT * FROM api.category_list()",
};

static const struct api_op category_create_op = {
	.flags = OP_TOKEN, OP_RULES(category_fields),
	.sql = "SELECT * FROM api.category_create($1, $2::jsonb)",
};

static const struct api_op category_update_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_PARTIAL, .path_seg = 4,
	.not_found = "category_not_found", OP_RULES(category_fields),
	.sql = "SELECT * FROM api.category_update($1, $2, $3::jsonb)",
};

static const struct api_op product_create_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG, .path_seg = 3,
	.not_found = "store_not_found", OP_RULES(product_fields),
	.sql = "SELECT * FROM api.product_create($1, $2, $3::jsonb)",
};

static const struct api_op product_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "product_not_found",
	.sql = "SELECT * FROM api.product_get($1, $2)",
};

static const struct api_op product_update_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_PARTIAL, .path_seg = 3,
	.not_found = "product_not_found", OP_RULES(product_fields),
	.sql = "SELECT * FROM api.product_update($1, $2, $3::jsonb)",
};

static const struct api_op product_delete_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "product_not_found",
	.sql = "SELECT * FROM api.product_delete($1, $2)",
};

/* GET /api/v1/categories: the tree, flat, with listed-product counts. */
int
api_category_list(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_op(req, &category_list_op));
}

/* /api/v1/admin/categories: GET the tree, POST a category (admins). */
int
api_category_admin(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &category_list_op));
	case HTTP_METHOD_POST:
		return (api_op(req, &category_create_op));
	default:
		return (api_method_not_allowed(req, "GET, POST"));
	}
}

/* PATCH /api/v1/admin/categories/{id} (admins). */
int
api_category_admin_item(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_PATCH)
		return (api_method_not_allowed(req, "PATCH"));
	return (api_op(req, &category_update_op));
}

/* POST /api/v1/stores/{slug}/products (store members). */
int
api_product_create(struct http_request *req)
{
	return (api_op(req, &product_create_op));
}

/* /api/v1/products: GET the public browse and search. */
int
api_product_collection(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_product_search(req));
}

/*
 * ?q=&category=&store=&province=&min_price=&max_price=&ocop=&sort=&after=
 * &limit=.  Blank q lists everything; sort defaults to relevance with q,
 * newest without.  The cursor is opaque text checked by the SQL side.
 */
static int
api_product_search(struct http_request *req)
{
	struct api_call	*call;
	long long	 category, minp, maxp, ocop, limit;
	char		 sort[16], after[CURSOR_MAX + 1], slug[SLUG_MAX];
	int		 r, i, has_q;
	const char	*q;

	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_qs_text(req, call, "q", SEARCH_Q_MAX))
		return (KORE_RESULT_OK);
	q = call->params[0];
	has_q = q != NULL;
	if ((r = api_qs_int(req, "category", 1, 2147483647, &category)) < 0)
		return (KORE_RESULT_OK);
	api_param_opt_int(call, r, category);

	if ((r = api_query_text(req, "store", slug, sizeof(slug))) != 0 &&
	    (r < 0 || !validate_slug(slug)))
		return (api_error(req, 400, "invalid_query", "store"));
	api_param(call, r == 1 ? slug : NULL);
	if (!api_qs_text(req, call, "province", 100))
		return (KORE_RESULT_OK);

	if ((r = api_qs_int(req, "min_price", 0, PRICE_MAX, &minp)) < 0)
		return (KORE_RESULT_OK);
	api_param_opt_int(call, r, minp);
	if ((r = api_qs_int(req, "max_price", 0, PRICE_MAX, &maxp)) < 0)
		return (KORE_RESULT_OK);
	api_param_opt_int(call, r, maxp);
	if ((r = api_qs_int(req, "ocop", 3, 5, &ocop)) < 0)
		return (KORE_RESULT_OK);
	api_param_opt_int(call, r, ocop);

	if ((r = api_query_text(req, "sort", sort, sizeof(sort))) == 0)
		(void)kore_strlcpy(sort, has_q ? "relevance" : "newest",
		    sizeof(sort));
	for (i = 0; r >= 0 && sorts[i] != NULL; i++)
		if (strcmp(sorts[i], sort) == 0)
			break;
	if (r < 0 || sorts[i] == NULL)
		return (api_error(req, 400, "invalid_choice", "sort"));
	api_param(call, sort);

	if ((r = api_query_text(req, "after", after, sizeof(after))) < 0 ||
	    (r == 1 && strspn(after, "abcdefghijklmnopqrstuvwxyz0123456789:.-")
	    != strlen(after)))
		return (api_error(req, 400, "invalid_cursor", "after"));
	api_param(call, r == 1 ? after : NULL);

	limit = API_LIST_LIMIT_DEF;
	if ((r = api_qs_int(req, "limit", 1, API_LIST_LIMIT_MAX, &limit)) < 0)
		return (KORE_RESULT_OK);
	api_param_int(call, limit);
	return (api_query(req, call, "SELECT * FROM api.product_search("
	    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", NULL));
}

/* /api/v1/products/{id}: GET (public, or members for unlisted), PATCH and
 * DELETE (members). */
int
api_product_item(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &product_get_op));
	case HTTP_METHOD_PATCH:
		return (api_op(req, &product_update_op));
	case HTTP_METHOD_DELETE:
		return (api_op(req, &product_delete_op));
	default:
		return (api_method_not_allowed(req, "GET, PATCH, DELETE"));
	}
}
