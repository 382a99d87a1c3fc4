/*
 * Businesses (Decree 52 seller identity): registration and edits by the
 * owner, review and decisions by officials.  Access is checked in the SQL
 * functions (sql/api/20_business.sql); here only input shape.
 */
#include "san.h"

static int	api_business_list(struct http_request *);
static int	api_business_create(struct http_request *);
static int	api_business_get(struct http_request *);
static int	api_business_update(struct http_request *);

static const char *const kinds[] = {
	"enterprise", "cooperative", "household", "production_facility", NULL
};

/* Every member of a business application; all required on create. */
static const struct field_rule business_fields[] = {
	{ "tax_code", FIELD_TAX_CODE, 1, 0, NULL },
	{ "name", FIELD_TEXT, 1, 255, NULL },
	{ "kind", FIELD_ENUM, 1, 0, kinds },
	{ "registration_no", FIELD_TEXT, 1, 64, NULL },
	{ "registration_date", FIELD_DATE, 1, 0, NULL },
	{ "registration_issuer", FIELD_TEXT, 1, 255, NULL },
	{ "address", FIELD_TEXT, 1, 500, NULL },
	{ "province", FIELD_TEXT, 1, 100, NULL },
	{ "ward", FIELD_TEXT, 1, 100, NULL },
	{ "representative", FIELD_TEXT, 1, 200, NULL },
	{ "phone", FIELD_PHONE, 1, 0, NULL },
	{ "email", FIELD_EMAIL, 1, 0, NULL },
};

static const char *const decisions[] = {
	"approve", "reject", "suspend", "reinstate", NULL
};

static const struct field_rule decision_fields[] = {
	{ "decision", FIELD_ENUM, 1, 0, decisions },
	{ "reason", FIELD_MULTILINE, 0, 1000, NULL },
};

static const char *const statuses[] = {
	"pending", "verified", "rejected", "suspended", NULL
};

/* /api/v1/businesses: GET my businesses, POST register one. */
int
api_business_collection(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_business_list(req));
	case HTTP_METHOD_POST:
		return (api_business_create(req));
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
		return (api_business_get(req));
	case HTTP_METHOD_PATCH:
		return (api_business_update(req));
	default:
		return (api_method_not_allowed(req, "GET, PATCH"));
	}
}

static int
api_business_list(struct http_request *req)
{
	struct api_call	*call;

	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	api_param_token(call);
	return (api_query(req, call,
	    "SELECT * FROM api.business_list_mine($1)", NULL));
}

static int
api_business_create(struct http_request *req)
{
	struct api_call	*call;
	json_t		*clean;

	if ((call = api_start(req, API_BODY_JSON)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, business_fields, nitems(business_fields),
	    0, &clean))
		return (KORE_RESULT_OK);
	api_param_token(call);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_query(req, call,
	    "SELECT * FROM api.business_create($1, $2::jsonb)", NULL));
}

static int
api_business_get(struct http_request *req)
{
	struct api_call	*call;
	long long	 id;

	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_path_id(req, 3, &id))
		return (api_error(req, 404, "business_not_found", NULL));
	api_param_token(call);
	api_param_int(call, id);
	return (api_query(req, call,
	    "SELECT * FROM api.business_get($1, $2)", NULL));
}

static int
api_business_update(struct http_request *req)
{
	struct api_call	*call;
	json_t		*clean;
	long long	 id;

	if ((call = api_start(req, API_BODY_JSON)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_path_id(req, 3, &id))
		return (api_error(req, 404, "business_not_found", NULL));
	if (!api_fields(req, call, business_fields, nitems(business_fields),
	    1, &clean))
		return (KORE_RESULT_OK);
	api_param_token(call);
	api_param_int(call, id);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_query(req, call,
	    "SELECT * FROM api.business_update($1, $2, $3::jsonb)", NULL));
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
