/*
 * Monitoring and violation alerts (issue 10): rules, the officials' case
 * queue, decisions with a statement of reasons, the audit chain check.
 * Screening itself runs inside the product functions' transactions
 * (sql/api/40_catalog.sql calls sql/api/70_monitoring.sql); access is
 * checked there too (non-officials get 404).  Here: input shape only.
 */
#include <string.h>

#include "san.h"
#include "modrule.h"

static int	monitor_rule_create(struct http_request *, struct api_call *);
static int	monitor_rule_update(struct http_request *, struct api_call *);
static int	monitor_rule_write(struct http_request *, struct api_call *,
		    int, const char *);
static int	monitor_report(struct http_request *, struct api_call *);
static int	monitor_rule_dry_run(struct http_request *, struct api_call *);

/*
 * The background job: how often each worker asks when idle, how soon it
 * asks again after a batch that found work, and the batch.
 */
#define RESCAN_INTERVAL_MS	1000
#define RESCAN_AGAIN_MS		10
#define RESCAN_BATCH		"500"	/* products a batch screens */

static const char *const rule_kinds[] = {
	"keyword", "price_anomaly", "seller_signals", "same_image", "category",
	NULL
};
static const char *const severities[] = { "block", "hold", "flag", NULL };
/* The statement-of-reasons categories (DSA-like; keep these codes). */
static const char *const categories[] = {
	"prohibited_goods", "unsafe_goods", "counterfeit",
	"missing_seller_info", "misleading_price", "other", NULL
};
static const char *const actions[] = {
	"dismiss", "warn", "remove_listing", "hide_store", "suspend_business",
	NULL
};
static const char *const grounds[] = { "illegal", "incompatible", NULL };
static const char *const case_statuses[] = { "open", "decided", NULL };
static const char *const case_sorts[] = { "deadline", NULL };

/* A rule's members but params and active (checked in monitor_rule_write). */
static const struct field_rule rule_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 200,
	    .no_clear = 1 },
	{ .name = "kind", .kind = FIELD_ENUM, .required = 1,
	    .choices = rule_kinds, .no_clear = 1 },
	{ .name = "severity", .kind = FIELD_ENUM, .required = 1,
	    .choices = severities, .no_clear = 1 },
	{ .name = "category", .kind = FIELD_ENUM, .required = 1,
	    .choices = categories, .no_clear = 1 },
};

static const struct field_rule decision_fields[] = {
	{ .name = "action", .kind = FIELD_ENUM, .required = 1,
	    .choices = actions },
	{ .name = "ground", .kind = FIELD_ENUM, .required = 1,
	    .choices = grounds },
	{ .name = "legal_provision", .kind = FIELD_TEXT, .max = 500 },
	{ .name = "explanation", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 5000 },
	{ .name = "category", .kind = FIELD_ENUM, .required = 1,
	    .choices = categories },
	{ .name = "end_date", .kind = FIELD_DATE },
};

/* POST /api/v1/reports: product_id or store_slug (the SQL wants one). */
static const struct field_rule report_fields[] = {
	{ .name = "product_id", .kind = FIELD_ID },
	{ .name = "store_slug", .kind = FIELD_SLUG },
	{ .name = "reason", .kind = FIELD_ENUM, .required = 1,
	    .choices = categories },
	{ .name = "explanation", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 2000 },
	{ .name = "email", .kind = FIELD_EMAIL },
};

static const struct field_rule authority_fields[] = {
	{ .name = "product_id", .kind = FIELD_ID },
	{ .name = "store_slug", .kind = FIELD_SLUG },
	{ .name = "authority", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "document_no", .kind = FIELD_TEXT, .required = 1,
	    .max = 100 },
	{ .name = "category", .kind = FIELD_ENUM, .required = 1,
	    .choices = categories },
	{ .name = "explanation", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 5000 },
};

static const struct api_op authority_op = {
	.flags = OP_TOKEN, OP_RULES(authority_fields),
	.sql = "SELECT * FROM api.mod_authority_create($1, $2::jsonb)",
};

static const char *const outcomes[] = { "uphold", "reverse", NULL };

static const struct field_rule appeal_fields[] = {
	{ .name = "explanation", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 5000 },
};

static const struct field_rule appeal_decision_fields[] = {
	{ .name = "outcome", .kind = FIELD_ENUM, .required = 1,
	    .choices = outcomes },
	{ .name = "explanation", .kind = FIELD_MULTILINE, .required = 1,
	    .max = 5000 },
};

/* ?after=&limit=: keyset pages (after: the last id of the page before). */
static const struct qs_rule page_args[] = {
	QS_PAGE,
};

/*
 * GET /api/v1/decisions?after=&limit=: the caller's businesses' decisions
 * (newest first) and points.
 */
static const struct api_op seller_decisions_op = {
	.flags = OP_TOKEN, OP_ARGS(page_args),
	.sql = "SELECT * FROM api.mod_seller_decisions($1, $2, $3)",
};

static const struct api_op appeal_create_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "decision_not_found", OP_RULES(appeal_fields),
	.sql = "SELECT * FROM api.mod_appeal_create($1, $2, $3::jsonb)",
};

/* GET /api/v1/official/appeals?after=&limit=: open appeals, oldest first. */
static const struct api_op appeal_list_op = {
	.flags = OP_TOKEN, OP_ARGS(page_args),
	.sql = "SELECT * FROM api.mod_appeal_list($1, $2, $3)",
};

static const struct api_op appeal_decide_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "appeal_not_found", OP_RULES(appeal_decision_fields),
	.sql = "SELECT * FROM api.mod_appeal_decide($1, $2, $3::jsonb)",
};

static const struct qs_rule case_list_args[] = {
	{ .name = "status", .kind = QS_ENUM, .choices = case_statuses },
	{ .name = "sort", .kind = QS_ENUM, .choices = case_sorts },
	QS_PAGE,
};

static const struct api_op rule_list_op = {
	.flags = OP_TOKEN,
	.sql = "SELECT * FROM api.mod_rule_list($1)",
};

/* GET /api/v1/official/cases?status=open|decided&sort=deadline&after=&limit= */
static const struct api_op case_list_op = {
	.flags = OP_TOKEN, OP_ARGS(case_list_args),
	.sql = "SELECT * FROM api.mod_case_list($1, $2, $3, $4, $5)",
};

static const struct api_op case_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "case_not_found",
	.sql = "SELECT * FROM api.mod_case_get($1, $2)",
};

static const struct api_op case_claim_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "case_not_found",
	.sql = "SELECT * FROM api.mod_case_claim($1, $2)",
};

static const struct api_op case_decide_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "case_not_found", OP_RULES(decision_fields),
	.sql = "SELECT * FROM api.mod_case_decide($1, $2, $3::jsonb)",
};

static const struct api_op audit_verify_op = {
	.flags = OP_TOKEN,
	.sql = "SELECT * FROM api.mod_audit_verify($1)",
};

static const char *const transparency_formats[] = { "json", "csv", NULL };

static const struct qs_rule transparency_args[] = {
	{ .name = "from", .kind = QS_DATE },
	{ .name = "to", .kind = QS_DATE },
	{ .name = "format", .kind = QS_ENUM, .choices = transparency_formats },
};

/* GET /api/v1/official/transparency?from=&to=&format=json|csv. */
static const struct api_op transparency_op = {
	.flags = OP_TOKEN | OP_CSV_FORMAT, OP_ARGS(transparency_args),
	.sql = "SELECT * FROM api.mod_transparency($1, $2, $3, $4)",
	.csv = "minh-bach.csv",
};

static int
monitor_rule_create(struct http_request *req, struct api_call *call)
{
	return (monitor_rule_write(req, call, 0,
	    "SELECT * FROM api.mod_rule_create($1, $2::jsonb)"));
}

static int
monitor_rule_update(struct http_request *req, struct api_call *call)
{
	return (monitor_rule_write(req, call, 1,
	    "SELECT * FROM api.mod_rule_update($1, $2, $3::jsonb)"));
}

/* POST /api/v1/official/rules/dry-run: a complete rule body, not saved. */
static int
monitor_rule_dry_run(struct http_request *req, struct api_call *call)
{
	return (monitor_rule_write(req, call, 0,
	    "SELECT * FROM api.mod_rule_dry_run($1, $2::jsonb)"));
}

/*
 * A rule body: the plain members by rule_fields, "active" a boolean,
 * "params" by the kind (modrule.c).  In an update (partial) params need
 * the kind beside them; the SQL refuses a kind other than the rule's.
 */
static int
monitor_rule_write(struct http_request *req, struct api_call *call,
    int partial, const char *sql)
{
	struct field_error	 err;
	json_t			*rest, *clean = NULL, *params, *active, *pc;
	const char		*kind;

	api_param_token(call);
	if (partial && !api_path_id(req, call, 4, "rule_not_found"))
		return (KORE_RESULT_OK);
	rest = json_deep_copy(call->body);
	json_object_del(rest, "params");
	json_object_del(rest, "active");
	err.path[0] = '\0';
	if (!fields_check(rest, rule_fields, nitems(rule_fields), partial,
	    &err, &clean)) {
		json_decref(rest);
		return (api_error(req, 400, err.code,
		    err.path[0] ? err.path : NULL));
	}
	json_decref(rest);
	active = json_object_get(call->body, "active");
	if (active != NULL) {
		if (!json_is_boolean(active)) {
			json_decref(clean);
			return (api_error(req, 400, "invalid", "active"));
		}
		json_object_set(clean, "active", active);
	}
	params = json_object_get(call->body, "params");
	if (!partial || params != NULL) {
		kind = json_string_value(json_object_get(clean, "kind"));
		if (!modrule_params(kind, params, &err, &pc)) {
			json_decref(clean);
			return (api_error(req, 400, err.code, err.path));
		}
		json_object_set_new(clean, "params", pc);
	}
	if (json_object_size(clean) == 0) {
		json_decref(clean);
		return (api_error(req, 400, "empty_update", NULL));
	}
	api_param_json(call, clean);
	json_decref(clean);
	return (api_sql(req, call, sql, NULL));
}

/*
 * POST /api/v1/reports: a notice from anyone (signed in, or with an
 * e-mail address); the client address goes to the rate limit.
 */
static int
monitor_report(struct http_request *req, struct api_call *call)
{
	json_t	*clean;
	char	 ip[INET6_ADDRSTRLEN];

	api_param_token(call);
	api_client_ip(req, ip, sizeof(ip));
	api_param(call, ip[0] ? ip : NULL);
	if (!api_fields(req, call, report_fields, nitems(report_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_sql(req, call,
	    "SELECT * FROM api.mod_report_create($1, $2, $3::jsonb)", NULL));
}

/*
 * /api/v1/official/rules: GET the rules, POST a rule; /dry-run: POST (what
 * a draft would hit); /{id}: PATCH (a new version).  /api/v1/official/cases: GET the queue; /{id}: GET a case;
 * /{id}/claim, /{id}/decision: POST.  /api/v1/official/authority-requests:
 * POST.  /api/v1/reports: POST (anyone).  /api/v1/decisions: GET (the
 * seller's); /{id}/appeal: POST.  /api/v1/official/appeals: GET;
 * /{id}/decision: POST.  /api/v1/official/audit/verify: GET.
 * /api/v1/official/transparency: GET (JSON or CSV).
 */
const struct api_route monitor_routes[] = {
	{ .path = "/api/v1/official/rules", .methods = {
		ROUTE_OP(GET, &rule_list_op),
		ROUTE_RUN(POST, monitor_rule_create, API_BODY_JSON) } },
	{ .path = "/api/v1/official/rules/dry-run", .methods = {
		ROUTE_RUN(POST, monitor_rule_dry_run, API_BODY_JSON) } },
	{ .path = "^/api/v1/official/rules/([0-9]{1,18})$", .methods = {
		ROUTE_RUN(PATCH, monitor_rule_update, API_BODY_JSON) } },
	{ .path = "/api/v1/official/cases", .methods = {
		ROUTE_OP(GET, &case_list_op) } },
	{ .path = "^/api/v1/official/cases/([0-9]{1,18})$", .methods = {
		ROUTE_OP(GET, &case_get_op) } },
	{ .path = "^/api/v1/official/cases/([0-9]{1,18})/claim$", .methods = {
		ROUTE_OP(POST, &case_claim_op) } },
	{ .path = "^/api/v1/official/cases/([0-9]{1,18})/decision$",
	    .methods = { ROUTE_OP(POST, &case_decide_op) } },
	{ .path = "/api/v1/official/authority-requests", .methods = {
		ROUTE_OP(POST, &authority_op) } },
	{ .path = "/api/v1/reports", .methods = {
		ROUTE_RUN(POST, monitor_report, API_BODY_JSON) } },
	{ .path = "/api/v1/decisions", .methods = {
		ROUTE_OP(GET, &seller_decisions_op) } },
	{ .path = "^/api/v1/decisions/([0-9]{1,18})/appeal$", .methods = {
		ROUTE_OP(POST, &appeal_create_op) } },
	{ .path = "/api/v1/official/appeals", .methods = {
		ROUTE_OP(GET, &appeal_list_op) } },
	{ .path = "^/api/v1/official/appeals/([0-9]{1,18})/decision$",
	    .methods = { ROUTE_OP(POST, &appeal_decide_op) } },
	{ .path = "/api/v1/official/audit/verify", .methods = {
		ROUTE_OP(GET, &audit_verify_op) } },
	{ .path = "/api/v1/official/transparency", .methods = {
		ROUTE_OP(GET, &transparency_op) } },
	{ .path = NULL }
};

/*
 * The background job (issue 10): every RESCAN_INTERVAL_MS each worker
 * asks PostgreSQL for api.mod_background_step (a db_job, job.c): stores
 * whose hide has ended are shown again, and the next batch of listed
 * products is screened against a rule added or changed (advisory locks,
 * SKIP LOCKED, progress stored per batch, nothing written when there is
 * nothing to do).  A batch that found work is followed by the next one
 * after RESCAN_AGAIN_MS.
 */
static struct db_job	rescan_job = {
	.name = "monitoring job",
	.query = "SELECT api.mod_background_step(" RESCAN_BATCH ")",
	.interval_ms = RESCAN_INTERVAL_MS,
	.again_ms = RESCAN_AGAIN_MS,
	.quiet = 1,
};

void
monitor_rescan_start(void)
{
	db_job_start(&rescan_job);
}
