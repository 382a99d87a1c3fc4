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
	{ .name = "position", .kind = FIELD_INT, .lo = 0, .hi = 10000,
	    .no_clear = 1 },
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

/* GET /api/v1/categories: the tree, flat, with listed-product counts. */
static const struct api_op category_list_op = {
	.flags = OP_REPLICA,
	.sql = "SELECT * FROM api.category_list()",
};

/* GET /api/v1/admin/categories: the same for admins only. */
static const struct api_op category_admin_list_op = {
	.flags = OP_TOKEN,
	.sql = "SELECT * FROM api.category_admin_list($1)",
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

static const struct qs_rule page_args[] = { QS_PAGE };

/* GET /api/v1/stores/{slug}/products: members see every status. */
static const struct api_op store_products_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG | OP_REPLICA, .path_seg = 3,
	.not_found = "store_not_found", OP_ARGS(page_args),
	.sql = "SELECT * FROM api.store_products($1, $2, $3, $4)",
};

/* POST /api/v1/stores/{slug}/products (store members). */
static const struct api_op product_create_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG, .path_seg = 3,
	.not_found = "store_not_found", OP_RULES(product_fields),
	.sql = "SELECT * FROM api.product_create($1, $2, $3::jsonb)",
};

/*
 * GET /api/v1/products?q=&category=&store=&province=&min_price=&max_price=
 * &ocop=&sort=&after=&limit=&origin=: the public browse and search.  Blank q lists
 * everything; sort defaults to relevance with q, newest without.  The
 * cursor is opaque text checked by the SQL side.
 */
static const struct qs_rule product_search_args[] = {
	{ .name = "q", .kind = QS_TEXT, .max = SEARCH_Q_MAX },
	{ .name = "category", .kind = QS_INT, .lo = 1, .hi = 2147483647 },
	{ .name = "store", .kind = QS_SLUG },
	{ .name = "province", .kind = QS_TEXT, .max = 100 },
	{ .name = "min_price", .kind = QS_INT, .lo = 0, .hi = PRICE_MAX },
	{ .name = "max_price", .kind = QS_INT, .lo = 0, .hi = PRICE_MAX },
	{ .name = "ocop", .kind = QS_INT, .lo = 3, .hi = 5 },
	{ .name = "sort", .kind = QS_ENUM, .choices = sorts },
	{ .name = "after", .kind = QS_CURSOR, .max = CURSOR_MAX },
	{ .name = "limit", .kind = QS_LIMIT },
	/* The origin province's code (8 or 08), sql/022. */
	{ .name = "origin", .kind = QS_INT, .lo = 1, .hi = 99 },
};

static const struct api_op product_search_op = {
	.flags = OP_REPLICA, OP_ARGS(product_search_args),
	.sql = "SELECT * FROM api.product_search($1, $2, $3, $4, $5, $6, $7, "
	    "coalesce($8, CASE WHEN $1::text IS NULL THEN 'newest' "
	    "ELSE 'relevance' END), $9, $10, lpad($11::text, 2, '0'))",
};

static const struct api_op product_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_REPLICA, .path_seg = 3,
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

/*
 * /api/v1/admin/categories: GET the tree, POST a category (admins);
 * /api/v1/admin/categories/{id}: PATCH (admins).
 * /api/v1/stores/{slug}/products: GET the store's listings, POST one.
 * /api/v1/products/{id}: GET (public, or members for unlisted), PATCH and
 * DELETE (members).
 */
const struct api_route catalog_routes[] = {
	{ .path = "/api/v1/categories", .methods = {
		ROUTE_OP(GET, &category_list_op) } },
	{ .path = "/api/v1/admin/categories", .methods = {
		ROUTE_OP(GET, &category_admin_list_op),
		ROUTE_OP(POST, &category_create_op) } },
	{ .path = "^/api/v1/admin/categories/([0-9]{1,9})$", .methods = {
		ROUTE_OP(PATCH, &category_update_op) } },
	{ .path = "^/api/v1/stores/([a-z0-9-]{1,63})/products$", .methods = {
		ROUTE_OP(GET, &store_products_op),
		ROUTE_OP(POST, &product_create_op) } },
	{ .path = "/api/v1/products", .methods = {
		ROUTE_OP(GET, &product_search_op) } },
	{ .path = "^/api/v1/products/([0-9]{1,18})$", .methods = {
		ROUTE_OP(GET, &product_get_op),
		ROUTE_OP(PATCH, &product_update_op),
		ROUTE_OP(DELETE, &product_delete_op) } },
	{ .path = NULL }
};
