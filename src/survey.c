/*
 * The annual business survey (issue 12): questionnaires and rounds
 * (admins), answers (members of verified businesses, until the round
 * closes), progress, aggregates and the answers as CSV (officials).  The
 * rules live in sql/api/86_survey.sql; this file checks the shape of the
 * input and names one SQL call per request.
 */
#include <string.h>

#include "san.h"


static const char *const question_kinds[] = {
	"single", "multiple", "number", "text", NULL
};

static const struct field_rule choice_fields[] = {
	{ .name = "vi", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "en", .kind = FIELD_TEXT, .max = 200 },
};

static const struct field_rule question_fields[] = {
	{ .name = "kind", .kind = FIELD_ENUM, .required = 1,
	    .choices = question_kinds },
	{ .name = "text_vi", .kind = FIELD_TEXT, .required = 1, .max = 500 },
	{ .name = "text_en", .kind = FIELD_TEXT, .max = 500 },
	{ .name = "required", .kind = FIELD_BOOL },
	{ .name = "choices", .kind = FIELD_LIST, .max = 20,
	    FIELD_MEMBERS(choice_fields) },
};

static const struct field_rule survey_fields[] = {
	{ .name = "title_vi", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "title_en", .kind = FIELD_TEXT, .max = 200 },
	{ .name = "questions", .kind = FIELD_LIST, .required = 1, .max = 100,
	    FIELD_MEMBERS(question_fields) },
};

static const struct field_rule round_fields[] = {
	{ .name = "title", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "opens_on", .kind = FIELD_DATE, .required = 1 },
	{ .name = "closes_on", .kind = FIELD_DATE, .required = 1 },
	/* A random sample of the verified businesses; absent: all. */
	{ .name = "sample_size", .kind = FIELD_INT, .lo = 1, .hi = 100000 },
};

static const struct field_rule answer_fields[] = {
	{ .name = "question_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "choice", .kind = FIELD_INT, .lo = 0, .hi = 19 },
	{ .name = "number", .kind = FIELD_INT, .lo = -1000000000000LL,
	    .hi = 1000000000000LL },
	{ .name = "text", .kind = FIELD_MULTILINE, .max = 2000 },
};

static const struct field_rule answer_body[] = {
	{ .name = "business_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "answers", .kind = FIELD_LIST, .required = 1, .max = 500,
	    FIELD_MEMBERS(answer_fields) },
};

/* POST /api/v1/admin/surveys: a questionnaire (admins). */
static const struct api_op survey_create_op = {
	.flags = OP_TOKEN, OP_RULES(survey_fields),
	.sql = "SELECT * FROM api.survey_create($1, $2::jsonb)",
};

/* GET /api/v1/official/surveys: questionnaires, rounds, progress. */
static const struct api_op survey_list_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.survey_list($1)",
};

/* POST /api/v1/admin/surveys/{id}/rounds (admins). */
static const struct api_op round_create_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "survey_not_found", OP_RULES(round_fields),
	.sql = "SELECT * FROM api.survey_round_create($1, $2, $3::jsonb)",
};

/* POST /api/v1/admin/survey-rounds/{id}/close (admins). */
static const struct api_op round_close_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "survey_round_not_found",
	.sql = "SELECT * FROM api.survey_round_close($1, $2)",
};

/* GET /api/v1/official/survey-rounds/{id}: progress and aggregates. */
static const struct api_op round_results_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "survey_round_not_found",
	.sql = "SELECT * FROM api.survey_results($1, $2)",
};

/* GET /api/v1/official/survey-rounds/{id}/answers.csv (officials). */
static const struct api_op round_csv_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "survey_round_not_found",
	.sql = "SELECT * FROM api.survey_answers_csv($1, $2)",
	.csv = "khao-sat.csv",
};

/* GET /api/v1/survey-rounds: rounds open for the caller's businesses. */
static const struct api_op open_rounds_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.survey_open_rounds($1)",
};

static const struct qs_rule answer_get_args[] = {
	{ .name = "business_id", .kind = QS_INT, .lo = 1,
	    .hi = 999999999999999999LL },
};

/* GET /api/v1/survey-rounds/{id}/answer?business_id= (members). */
static const struct api_op answer_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "survey_round_not_found", OP_ARGS(answer_get_args),
	.sql = "SELECT * FROM api.survey_answer_get($1, $2, $3)",
};

/* PUT /api/v1/survey-rounds/{id}/answer {business_id, answers}. */
static const struct api_op answer_put_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "survey_round_not_found", OP_RULES(answer_body),
	.sql = "SELECT * FROM api.survey_answer_put($1, $2, $3::jsonb)",
};

const struct api_route survey_routes[] = {
	{ .path = "/api/v1/admin/surveys", .methods = {
		ROUTE_OP(POST, &survey_create_op) } },
	{ .path = "/api/v1/official/surveys", .methods = {
		ROUTE_OP(GET, &survey_list_op) } },
	{ .path = "^/api/v1/admin/surveys/([0-9]{1,18})/rounds$", .methods = {
		ROUTE_OP(POST, &round_create_op) } },
	{ .path = "^/api/v1/admin/survey-rounds/([0-9]{1,18})/close$",
	    .methods = { ROUTE_OP(POST, &round_close_op) } },
	{ .path = "^/api/v1/official/survey-rounds/([0-9]{1,18})$",
	    .methods = { ROUTE_OP(GET, &round_results_op) } },
	{ .path = "^/api/v1/official/survey-rounds/([0-9]{1,18})/answers\\.csv$",
	    .methods = { ROUTE_OP(GET, &round_csv_op) } },
	{ .path = "/api/v1/survey-rounds", .methods = {
		ROUTE_OP(GET, &open_rounds_op) } },
	{ .path = "^/api/v1/survey-rounds/([0-9]{1,18})/answer$", .methods = {
		ROUTE_OP(GET, &answer_get_op),
		ROUTE_OP(PUT, &answer_put_op) } },
	{ .path = NULL }
};

