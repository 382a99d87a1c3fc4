/*
 * Businesses (Decree 52 seller identity): registration and edits by the
 * owner, review and decisions by officials.  Access is checked in the SQL
 * functions (sql/api/20_business.sql); here only input shape.
 */
#include "san.h"

static const char *const kinds[] = {
	"enterprise", "cooperative", "household", "production_facility", NULL
};

/* Every member of a business application; all required on create. */
static const struct field_rule business_fields[] = {
	{ .name = "tax_code", .kind = FIELD_TAX_CODE, .required = 1 },
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 255 },
	{ .name = "kind", .kind = FIELD_ENUM, .required = 1, .choices = kinds },
	{ .name = "registration_no", .kind = FIELD_TEXT, .required = 1, .max = 64 },
	{ .name = "registration_date", .kind = FIELD_DATE, .required = 1 },
	{ .name = "registration_issuer", .kind = FIELD_TEXT, .required = 1, .max = 255 },
	{ .name = "address", .kind = FIELD_TEXT, .required = 1, .max = 500 },
	{ .name = "province", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "ward", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "representative", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
	{ .name = "email", .kind = FIELD_EMAIL, .required = 1 },
};

static const char *const decisions[] = {
	"approve", "reject", "suspend", "reinstate", NULL
};

static const struct field_rule decision_fields[] = {
	{ .name = "decision", .kind = FIELD_ENUM, .required = 1, .choices = decisions },
	{ .name = "reason", .kind = FIELD_MULTILINE, .max = 1000 },
};

static const char *const statuses[] = {
	"pending", "verified", "rejected", "suspended", NULL
};

static const struct api_op business_list_op = {
	.flags = OP_TOKEN,
	.sql = "SELECT * FROM api.business_list_mine($1)",
};

static const struct api_op business_create_op = {
	.flags = OP_TOKEN, OP_RULES(business_fields),
	.sql = "SELECT * FROM api.business_create($1, $2::jsonb)",
};

static const struct api_op business_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "business_not_found",
	.sql = "SELECT * FROM api.business_get($1, $2)",
};

/* Owner edits: any subset of the application's fields. */
static const struct api_op business_update_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_PARTIAL, .path_seg = 3,
	.not_found = "business_not_found", OP_RULES(business_fields),
	.sql = "SELECT * FROM api.business_update($1, $2, $3::jsonb)",
};

/* POST /api/v1/businesses/{id}/decision {decision, reason} (officials) */
static const struct api_op business_decide_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "business_not_found", OP_RULES(decision_fields),
	.sql = "SELECT * FROM api.business_decide($1, $2, "
	    "$3::jsonb->>'decision', $3::jsonb->>'reason')",
};

static const struct qs_rule review_queue_args[] = {
	{ .name = "status", .kind = QS_ENUM, .choices = statuses },
	QS_PAGE,
};

/* GET /api/v1/official/businesses?status=pending&after=&limit= */
static const struct api_op business_review_queue_op = {
	.flags = OP_TOKEN, OP_ARGS(review_queue_args),
	.sql = "SELECT * FROM api.business_review_queue($1, "
	    "coalesce($2, 'pending'), $3, $4)",
};

/*
 * The licence register (issue 10): a licence or certificate for a
 * conditional category (sql/api/25_licence.sql checks the category, the
 * dates against today and membership).
 */
static const struct field_rule licence_fields[] = {
	{ .name = "category_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "number", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "issuer", .kind = FIELD_TEXT, .required = 1, .max = 255 },
	{ .name = "issued_on", .kind = FIELD_DATE, .required = 1 },
	{ .name = "expires_on", .kind = FIELD_DATE },
};

/* GET /api/v1/businesses/{id}/licences (members, officials) */
static const struct api_op licence_list_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "business_not_found",
	.sql = "SELECT * FROM api.licence_list($1, $2)",
};

/* POST /api/v1/businesses/{id}/licences (members) */
static const struct api_op licence_create_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "business_not_found", OP_RULES(licence_fields),
	.sql = "SELECT * FROM api.licence_create($1, $2, $3::jsonb)",
};

/* DELETE /api/v1/businesses/{id}/licences/{lid} (members): withdraw. */
static int
business_licence_revoke(struct http_request *req, struct api_call *call)
{
	api_param_token(call);
	if (!api_path_id(req, call, 3, "business_not_found") ||
	    !api_path_id(req, call, 5, "licence_not_found"))
		return (KORE_RESULT_OK);
	return (api_sql(req, call,
	    "SELECT * FROM api.licence_revoke($1, $2, $3)", NULL));
}

/*
 * /api/v1/businesses: GET my businesses, POST register one.
 * /api/v1/businesses/{id}: GET (owner, officials), PATCH (owner).
 * /api/v1/businesses/{id}/licences: GET (members, officials), POST
 * (members); .../licences/{lid}: DELETE withdraws (members).
 */
const struct api_route business_routes[] = {
	{ .path = "/api/v1/businesses", .methods = {
		ROUTE_OP(GET, &business_list_op),
		ROUTE_OP(POST, &business_create_op) } },
	{ .path = "^/api/v1/businesses/([0-9]{1,18})$", .methods = {
		ROUTE_OP(GET, &business_get_op),
		ROUTE_OP(PATCH, &business_update_op) } },
	{ .path = "^/api/v1/businesses/([0-9]{1,18})/decision$", .methods = {
		ROUTE_OP(POST, &business_decide_op) } },
	{ .path = "^/api/v1/businesses/([0-9]{1,18})/licences$", .methods = {
		ROUTE_OP(GET, &licence_list_op),
		ROUTE_OP(POST, &licence_create_op) } },
	{ .path = "^/api/v1/businesses/([0-9]{1,18})/licences/([0-9]{1,18})$",
	    .methods = {
		ROUTE_RUN(DELETE, business_licence_revoke, 0) } },
	{ .path = "/api/v1/official/businesses", .methods = {
		ROUTE_OP(GET, &business_review_queue_op) } },
	{ .path = NULL }
};
