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

/* /api/v1/businesses: GET my businesses, POST register one. */
int
api_business_collection(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &business_list_op));
	case HTTP_METHOD_POST:
		return (api_op(req, &business_create_op));
	default:
		return (api_method_not_allowed(req, "GET, POST"));
	}
}

/* /api/v1/businesses/{id}: GET (owner, officials), PATCH (owner). */
int
api_business_item(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &business_get_op));
	case HTTP_METHOD_PATCH:
		return (api_op(req, &business_update_op));
	default:
		return (api_method_not_allowed(req, "GET, PATCH"));
	}
}

/* POST /api/v1/businesses/{id}/decision {decision, reason} (officials) */
int
api_business_decide(struct http_request *req)
{
	struct api_call	*call;
	json_t		*clean;
	long long	 id;

	API_RESUME(req);
	if (req->method != HTTP_METHOD_POST)
		return (api_method_not_allowed(req, "POST"));
	if ((call = api_start(req, API_BODY_JSON)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_path_id(req, 3, &id))
		return (api_error(req, 404, "business_not_found", NULL));
	if (!api_fields(req, call, decision_fields, nitems(decision_fields),
	    0, &clean))
		return (KORE_RESULT_OK);
	api_param_token(call);
	api_param_int(call, id);
	api_param(call, json_string_value(json_object_get(clean,
	    "decision")));
	api_param(call, json_string_value(json_object_get(clean, "reason")));
	json_decref(clean);
	return (api_query(req, call,
	    "SELECT * FROM api.business_decide($1, $2, $3, $4)", NULL));
}

/* GET /api/v1/official/businesses?status=pending&after=&limit= */
int
api_business_review_queue(struct http_request *req)
{
	struct api_call	*call;
	long long	 after;
	int		 limit, i, r;
	char		 status[16];

	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_list_args(req, &after, &limit))
		return (KORE_RESULT_OK);
	if ((r = api_query_text(req, "status", status, sizeof(status))) == 0)
		(void)kore_strlcpy(status, "pending", sizeof(status));
	for (i = 0; r >= 0 && statuses[i] != NULL; i++)
		if (strcmp(statuses[i], status) == 0)
			break;
	if (r < 0 || statuses[i] == NULL)
		return (api_error(req, 400, "invalid_choice", "status"));
	api_param_token(call);
	api_param(call, status);
	api_param_int(call, after);
	api_param_int(call, limit);
	return (api_query(req, call,
	    "SELECT * FROM api.business_review_queue($1, $2, $3, $4)", NULL));
}
