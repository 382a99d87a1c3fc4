/*
 * Statistics against the plan targets (issue 12): the indicators of a
 * year, one indicator's series (JSON columns or CSV), the SME denominator
 * per year.  The figures, the targets and who may see them live in
 * sql/api/85_stats.sql over summary tables kept by triggers
 * (sql/009_stats.sql); this file names one SQL call per request.
 */
#include <stdlib.h>
#include <string.h>

#include "san.h"

#define STATS_SNAPSHOT_DEFAULT_MS	60000

static const char *const series_by[] = { "month", "province", "ward",
    "source", NULL };
static const char *const series_formats[] = { "json", "csv", NULL };

static const struct qs_rule indicators_args[] = {
	{ .name = "year", .kind = QS_INT, .lo = 2000, .hi = 2100 },
};

/* GET /api/v1/official/stats/indicators?year= (officials, admins). */
static const struct api_op indicators_op = {
	.flags = OP_TOKEN, OP_ARGS(indicators_args),
	.sql = "SELECT * FROM api.stats_indicators($1, $2::int)",
};

static const struct qs_rule series_args[] = {
	{ .name = "from", .kind = QS_DATE },
	{ .name = "to", .kind = QS_DATE },
	{ .name = "by", .kind = QS_ENUM, .choices = series_by },
	{ .name = "format", .kind = QS_ENUM, .choices = series_formats },
};

/* GET /api/v1/official/stats/series/{code}?from=&to=&by=&format=. */
static const struct api_op series_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG | OP_CSV_FORMAT, .path_seg = 5,
	.not_found = "indicator_not_found", OP_ARGS(series_args),
	.sql = "SELECT * FROM api.stats_series($1, $2, $3, $4, $5, $6)",
	.csv = "thong-ke.csv",
};

static const struct field_rule sme_fields[] = {
	{ .name = "sme_count", .kind = FIELD_INT, .required = 1,
	    .lo = 1, .hi = 10000000 },
	{ .name = "source", .kind = FIELD_TEXT, .required = 1, .max = 300 },
};

/* PUT /api/v1/admin/stats/sme-counts/{year} {sme_count, source}. */
static const struct api_op sme_put_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 5,
	.not_found = "not_found", OP_RULES(sme_fields),
	.sql = "SELECT * FROM api.stats_sme_put($1, $2, $3::jsonb)",
};

/* GET /api/v1/official/reports/sellers.csv: the seller register. */
static const struct api_op sellers_csv_op = {
	.flags = OP_TOKEN,
	.sql = "SELECT * FROM api.report_sellers_csv($1)",
	.csv = "so-dang-ky-nguoi-ban.csv",
};

static const struct qs_rule yearly_args[] = {
	{ .name = "format", .kind = QS_ENUM, .choices = series_formats },
};

/* GET /api/v1/official/reports/yearly/{year}?format=json|csv. */
static const struct api_op yearly_op = {
	.flags = OP_TOKEN | OP_PATH_ID | OP_CSV_FORMAT, .path_seg = 5,
	.not_found = "not_found", OP_ARGS(yearly_args),
	.sql = "SELECT * FROM api.report_yearly($1, $2, $3)",
	.csv = "bao-cao-nam.csv",
};

static const struct field_rule seller_data_fields[] = {
	{ .name = "requesting_body", .kind = FIELD_TEXT, .required = 1,
	    .max = 300 },
	{ .name = "document_no", .kind = FIELD_TEXT, .required = 1,
	    .max = 100 },
	{ .name = "document_date", .kind = FIELD_DATE, .required = 1 },
};

/*
 * POST /api/v1/official/reports/seller-data/{business}: an authority's
 * request about one seller, answered and recorded in the audit log.
 */
static const struct api_op seller_data_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 5,
	.not_found = "business_not_found", OP_RULES(seller_data_fields),
	.sql = "SELECT * FROM api.report_seller_data($1, $2, $3::jsonb)",
};

const struct api_route stats_routes[] = {
	{ .path = "/api/v1/official/stats/indicators", .methods = {
		ROUTE_OP(GET, &indicators_op) } },
	{ .path = "^/api/v1/official/stats/series/([a-z0-9-]{1,63})$",
	    .methods = { ROUTE_OP(GET, &series_op) } },
	{ .path = "^/api/v1/admin/stats/sme-counts/([0-9]{1,18})$",
	    .methods = { ROUTE_OP(PUT, &sme_put_op) } },
	{ .path = "/api/v1/official/reports/sellers.csv", .methods = {
		ROUTE_OP(GET, &sellers_csv_op) } },
	{ .path = "^/api/v1/official/reports/yearly/([0-9]{1,18})$",
	    .methods = { ROUTE_OP(GET, &yearly_op) } },
	{ .path = "^/api/v1/official/reports/seller-data/([0-9]{1,18})$",
	    .methods = { ROUTE_OP(POST, &seller_data_op) } },
	{ .path = NULL }
};


/*
 * The month-end figures of the stock indicators (sql/023): every
 * SAN_STATS_SNAPSHOT_MS (default a minute) each worker asks for
 * api.stat_stock_snapshot, which keeps this month's row equal to the state
 * now under an advisory lock and writes nothing while nothing changed.
 */
static struct db_job	snapshot_job = {
	.name = "statistics snapshot",
	.query = "SELECT api.stat_stock_snapshot()",
};

void
stats_snapshot_start(void)
{
	snapshot_job.interval_ms = env_ms("SAN_STATS_SNAPSHOT_MS",
	    STATS_SNAPSHOT_DEFAULT_MS, 1000, 86400000);
	db_job_start(&snapshot_job);
}
