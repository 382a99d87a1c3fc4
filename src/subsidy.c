/*
 * The subsidy ledger: plans (the seeds' budget appendices), support
 * programmes, grants, disbursements with maker-checker, the ledger check
 * and the reports.  The rules and the money live in sql/api/80_subsidy.sql
 * (one PL/pgSQL call per request, limits checked inside it with accounts
 * locked in a fixed order); this file checks the shape of the input and
 * names the call.  Admins write; a business's members and officials read
 * its support.
 */
#include <ctype.h>
#include <string.h>

#include "san.h"

#define IDEMPOTENCY_KEY_MAX	100
#define VND_MAX			1000000000000LL	/* 10^12 VND */

static int	subsidy_grant(struct http_request *, struct api_call *);
static int	subsidy_disburse(struct http_request *, struct api_call *);
static int	subsidy_key(struct http_request *, struct api_call *);
static int	subsidy_revise(struct http_request *, struct api_call *);

static const char *const rules[] = { "fixed", "rate", NULL };
static const char *const kinds[] = {
	"enterprise", "cooperative", "household", "production_facility", NULL
};
static const char *const methods[] = {
	"bank_transfer", "treasury", "cash", NULL
};
static const char *const disbursement_statuses[] = {
	"pending", "posted", "rejected", "reversed", NULL
};
static const char *const formats[] = { "json", "csv", NULL };

static const struct field_rule share_fields[] = {
	{ .name = "provincial", .kind = FIELD_INT, .lo = 1, .hi = 10000 },
	{ .name = "central", .kind = FIELD_INT, .lo = 1, .hi = 10000 },
	{ .name = "business", .kind = FIELD_INT, .lo = 1, .hi = 10000 },
	{ .name = "other", .kind = FIELD_INT, .lo = 1, .hi = 10000 },
};

/* eligible_kinds: {kind: true}; the kinds marked true are eligible. */
static const struct field_rule kind_fields[] = {
	{ .name = "enterprise", .kind = FIELD_BOOL },
	{ .name = "cooperative", .kind = FIELD_BOOL },
	{ .name = "household", .kind = FIELD_BOOL },
	{ .name = "production_facility", .kind = FIELD_BOOL },
};

static const struct field_rule programme_fields[] = {
	{ .name = "line_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 300 },
	{ .name = "rule", .kind = FIELD_ENUM, .required = 1,
	    .choices = rules },
	{ .name = "fixed_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX },
	{ .name = "rate_bp", .kind = FIELD_INT, .lo = 1, .hi = 10000 },
	{ .name = "cap_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX },
	{ .name = "sources", .kind = FIELD_OBJECT, .required = 1,
	    FIELD_MEMBERS(share_fields) },
	{ .name = "counterpart_bp", .kind = FIELD_INT, .lo = 0, .hi = 10000 },
	{ .name = "max_per_year", .kind = FIELD_INT, .lo = 1, .hi = 100000 },
	{ .name = "per_business_cap_vnd", .kind = FIELD_INT,
	    .lo = 1, .hi = VND_MAX },
	{ .name = "eligible_kind", .kind = FIELD_ENUM, .choices = kinds },
	{ .name = "eligible_kinds", .kind = FIELD_OBJECT,
	    FIELD_MEMBERS(kind_fields) },
	{ .name = "require_verified", .kind = FIELD_BOOL },
};

/*
 * PATCH /api/v1/admin/programmes/{id}: the members of a programme that
 * may change (not its line); null clears cap_vnd, max_per_year,
 * per_business_cap_vnd, eligible_kinds.  What may change once it has
 * grants: api.programme_update.
 */
static const struct field_rule programme_update_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT, .max = 300, .no_clear = 1 },
	{ .name = "rule", .kind = FIELD_ENUM, .choices = rules,
	    .no_clear = 1 },
	{ .name = "fixed_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX,
	    .no_clear = 1 },
	{ .name = "rate_bp", .kind = FIELD_INT, .lo = 1, .hi = 10000,
	    .no_clear = 1 },
	{ .name = "cap_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX },
	{ .name = "sources", .kind = FIELD_OBJECT, .no_clear = 1,
	    FIELD_MEMBERS(share_fields) },
	{ .name = "counterpart_bp", .kind = FIELD_INT, .lo = 0, .hi = 10000,
	    .no_clear = 1 },
	{ .name = "max_per_year", .kind = FIELD_INT, .lo = 1, .hi = 100000 },
	{ .name = "per_business_cap_vnd", .kind = FIELD_INT,
	    .lo = 1, .hi = VND_MAX },
	{ .name = "eligible_kinds", .kind = FIELD_OBJECT,
	    FIELD_MEMBERS(kind_fields) },
	{ .name = "require_verified", .kind = FIELD_BOOL, .no_clear = 1 },
};

static const struct field_rule grant_fields[] = {
	{ .name = "programme_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "business_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "year", .kind = FIELD_INT, .required = 1,
	    .lo = 2000, .hi = 2100 },
	{ .name = "decision_no", .kind = FIELD_TEXT, .required = 1,
	    .max = 100 },
	{ .name = "eligible_cost_vnd", .kind = FIELD_INT,
	    .lo = 1, .hi = VND_MAX },
};

static const struct field_rule disbursement_fields[] = {
	{ .name = "amount_vnd", .kind = FIELD_INT, .required = 1,
	    .lo = 1, .hi = VND_MAX },
	{ .name = "paid_on", .kind = FIELD_DATE, .required = 1 },
	{ .name = "voucher_no", .kind = FIELD_TEXT, .required = 1,
	    .max = 50 },
	{ .name = "method", .kind = FIELD_ENUM, .required = 1,
	    .choices = methods },
};

static const char *const sources[] = {
	"provincial", "central", "business", "other", NULL
};

/* One change of a plan revision: a part's revised amount. */
static const struct field_rule change_fields[] = {
	{ .name = "line_code", .kind = FIELD_TEXT, .required = 1, .max = 30 },
	{ .name = "year", .kind = FIELD_INT, .lo = 2000, .hi = 2100 },
	{ .name = "source", .kind = FIELD_ENUM, .required = 1,
	    .choices = sources },
	{ .name = "amount_vnd", .kind = FIELD_INT, .required = 1,
	    .lo = 0, .hi = VND_MAX },
};

static const struct field_rule revision_fields[] = {
	{ .name = "decision_no", .kind = FIELD_TEXT, .required = 1,
	    .max = 100 },
	{ .name = "decision_date", .kind = FIELD_DATE, .required = 1 },
	{ .name = "reason", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 500 },
	{ .name = "changes", .kind = FIELD_LIST, .required = 1, .max = 200,
	    FIELD_MEMBERS(change_fields) },
};

static const struct field_rule reason_fields[] = {
	{ .name = "reason", .kind = FIELD_MULTILINE, .max = 500 },
};

static const struct api_op plans_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.plans_list($1)",
};

static const struct qs_rule report_args[] = {
	{ .name = "format", .kind = QS_ENUM, .choices = formats },
};

/* GET /api/v1/admin/plans/{id}/report?format=json|csv */
static const struct api_op plan_report_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_CSV_FORMAT, .path_seg = 4,
	.not_found = "plan_not_found", OP_ARGS(report_args),
	.sql = "SELECT * FROM api.plan_report($1, $2, $3)",
	.csv = "ke-hoach-kinh-phi.csv",
};

static const struct api_op programmes_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.programmes_list($1)",
};

static const struct api_op programme_create_op = {
	.flags = OP_TOKEN, OP_RULES(programme_fields),
	.sql = "SELECT * FROM api.programme_create($1, $2::jsonb)",
};

static const struct api_op programme_update_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_PARTIAL, .path_seg = 4,
	.not_found = "programme_not_found", OP_RULES(programme_update_fields),
	.sql = "SELECT * FROM api.programme_update($1, $2, $3::jsonb)",
};

static const struct api_op programme_close_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "programme_not_found", OP_RULES(reason_fields),
	.sql = "SELECT * FROM api.programme_close($1, $2, $3::jsonb)",
};

static const struct api_op programme_report_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "programme_not_found",
	.sql = "SELECT * FROM api.programme_report($1, $2)",
};

static const struct qs_rule grants_args[] = {
	{ .name = "programme_id", .kind = QS_INT, .lo = 1,
	    .hi = 999999999999999999LL },
	QS_PAGE,
};

static const struct api_op grants_op = {
	.flags = OP_TOKEN, OP_ARGS(grants_args),
	.sql = "SELECT * FROM api.grants_list($1, $2, $3, $4)",
};

static const struct api_op grant_cancel_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "grant_not_found", OP_RULES(reason_fields),
	.sql = "SELECT * FROM api.grant_cancel($1, $2, $3::jsonb)",
};

static const struct qs_rule disbursements_args[] = {
	{ .name = "status", .kind = QS_ENUM,
	    .choices = disbursement_statuses },
	QS_PAGE,
};

/* GET /api/v1/admin/disbursements?status=pending: the approval queue. */
static const struct api_op disbursements_op = {
	.flags = OP_TOKEN, OP_ARGS(disbursements_args),
	.sql = "SELECT * FROM api.disbursements_list($1, $2, $3, $4)",
};

static const struct api_op approve_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "disbursement_not_found", OP_RULES(reason_fields),
	.sql = "SELECT * FROM api.disbursement_decide($1, $2, 'approve', "
	    "$3::jsonb)",
};

static const struct api_op reject_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "disbursement_not_found", OP_RULES(reason_fields),
	.sql = "SELECT * FROM api.disbursement_decide($1, $2, 'reject', "
	    "$3::jsonb)",
};

static const struct api_op reverse_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "disbursement_not_found", OP_RULES(reason_fields),
	.sql = "SELECT * FROM api.disbursement_decide($1, $2, 'reverse', "
	    "$3::jsonb)",
};

static const struct api_op ledger_check_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.ledger_check($1)",
};

static const struct api_op business_support_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "business_not_found",
	.sql = "SELECT * FROM api.business_support($1, $2)",
};

/*
 * /api/v1/admin/plans[/{id}/report], .../plans/{id}/revisions (POST, key),
 * /api/v1/admin/programmes[/{id} PATCH, /{id}/close, /{id}/report],
 * /api/v1/admin/grants (GET list, POST grant with Idempotency-Key),
 * .../grants/{id}/cancel, .../grants/{id}/disbursements (POST, key),
 * /api/v1/admin/disbursements (the approval queue), .../{id}/approve,
 * reject, reverse; /api/v1/admin/ledger/check: admins only (anyone else
 * 404, anonymous 401).
 * /api/v1/businesses/{id}/support: its members, officials, admins.
 */
const struct api_route subsidy_routes[] = {
	{ .path = "/api/v1/admin/plans", .methods = {
		ROUTE_OP(GET, &plans_op) } },
	{ .path = "^/api/v1/admin/plans/([0-9]{1,18})/report$", .methods = {
		ROUTE_OP(GET, &plan_report_op) } },
	{ .path = "^/api/v1/admin/plans/([0-9]{1,18})/revisions$",
	    .methods = {
		ROUTE_RUN(POST, subsidy_revise, API_BODY_JSON) } },
	{ .path = "/api/v1/admin/programmes", .methods = {
		ROUTE_OP(GET, &programmes_op),
		ROUTE_OP(POST, &programme_create_op) } },
	{ .path = "^/api/v1/admin/programmes/([0-9]{1,18})$", .methods = {
		ROUTE_OP(PATCH, &programme_update_op) } },
	{ .path = "^/api/v1/admin/programmes/([0-9]{1,18})/close$",
	    .methods = { ROUTE_OP(POST, &programme_close_op) } },
	{ .path = "^/api/v1/admin/programmes/([0-9]{1,18})/report$",
	    .methods = { ROUTE_OP(GET, &programme_report_op) } },
	{ .path = "/api/v1/admin/grants", .methods = {
		ROUTE_OP(GET, &grants_op),
		ROUTE_RUN(POST, subsidy_grant, API_BODY_JSON) } },
	{ .path = "^/api/v1/admin/grants/([0-9]{1,18})/cancel$", .methods = {
		ROUTE_OP(POST, &grant_cancel_op) } },
	{ .path = "^/api/v1/admin/grants/([0-9]{1,18})/disbursements$",
	    .methods = {
		ROUTE_RUN(POST, subsidy_disburse, API_BODY_JSON) } },
	{ .path = "/api/v1/admin/disbursements", .methods = {
		ROUTE_OP(GET, &disbursements_op) } },
	{ .path = "^/api/v1/admin/disbursements/([0-9]{1,18})/approve$",
	    .methods = { ROUTE_OP(POST, &approve_op) } },
	{ .path = "^/api/v1/admin/disbursements/([0-9]{1,18})/reject$",
	    .methods = { ROUTE_OP(POST, &reject_op) } },
	{ .path = "^/api/v1/admin/disbursements/([0-9]{1,18})/reverse$",
	    .methods = { ROUTE_OP(POST, &reverse_op) } },
	{ .path = "/api/v1/admin/ledger/check", .methods = {
		ROUTE_OP(GET, &ledger_check_op) } },
	{ .path = "^/api/v1/businesses/([0-9]{1,18})/support$", .methods = {
		ROUTE_OP(GET, &business_support_op) } },
	{ .path = NULL }
};

/*
 * The Idempotency-Key header (required: 1..100 printable ASCII characters
 * without spaces), added as the next parameter; 0 after answering 400.
 */
static int
subsidy_key(struct http_request *req, struct api_call *call)
{
	const char	*key;
	size_t		 len;

	if (!http_request_header(req, "idempotency-key", &key)) {
		api_error(req, 400, "idempotency_key_required", NULL);
		return (0);
	}
	for (len = 0; key[len] != '\0'; len++) {
		if (!isgraph((unsigned char)key[len]) ||
		    len >= IDEMPOTENCY_KEY_MAX) {
			api_error(req, 400, "invalid_idempotency_key", NULL);
			return (0);
		}
	}
	if (len == 0) {
		api_error(req, 400, "invalid_idempotency_key", NULL);
		return (0);
	}
	api_param(call, key);
	return (1);
}

/* POST /api/v1/admin/grants: token, key, body; one call. */
static int
subsidy_grant(struct http_request *req, struct api_call *call)
{
	json_t	*clean;

	api_param_token(call);
	if (!subsidy_key(req, call))
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, grant_fields, nitems(grant_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_sql(req, call,
	    "SELECT * FROM api.grant_create($1, $2, $3::jsonb)", NULL));
}

/* POST /api/v1/admin/grants/{id}/disbursements: token, id, key, body. */
static int
subsidy_disburse(struct http_request *req, struct api_call *call)
{
	json_t	*clean;

	api_param_token(call);
	if (!api_path_id(req, call, 4, "grant_not_found") ||
	    !subsidy_key(req, call))
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, disbursement_fields,
	    nitems(disbursement_fields), 0, &clean))
		return (KORE_RESULT_OK);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_sql(req, call,
	    "SELECT * FROM api.disbursement_create($1, $2, $3, $4::jsonb)",
	    NULL));
}

/* POST /api/v1/admin/plans/{id}/revisions: token, id, key, body. */
static int
subsidy_revise(struct http_request *req, struct api_call *call)
{
	json_t	*clean;

	api_param_token(call);
	if (!api_path_id(req, call, 4, "plan_not_found") ||
	    !subsidy_key(req, call))
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, revision_fields, nitems(revision_fields),
	    0, &clean))
		return (KORE_RESULT_OK);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_sql(req, call,
	    "SELECT * FROM api.plan_revise($1, $2, $3, $4::jsonb)", NULL));
}
