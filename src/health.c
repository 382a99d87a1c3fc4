/*
 * Liveness, the API document, the landing page, and the routes that exist
 * only in the test configuration (SAN_TEST_ROUTES=1): two that prove the
 * pool fix and one that lists the route tables (tests/api).
 */
#include <stdlib.h>
#include <string.h>

#include "san.h"

/* build/assets.c, generated from assets/ by scripts/embed-assets.sh. */
extern const unsigned char	asset_openapi_json[];
extern const size_t		asset_openapi_json_len;

static int	health_done(struct http_request *, struct api_call *);
static int	health_openapi(struct http_request *, struct api_call *);
static int	health_asset(struct http_request *, struct api_call *,
		    const char *, const unsigned char *, size_t);
static int	health_test_open_tx(struct http_request *, struct api_call *);
static int	health_test_tx_state(struct http_request *, struct api_call *);
static int	health_test_tx_done(struct http_request *, struct api_call *);
static int	health_test_routes_list(struct http_request *,
		    struct api_call *);

/* GET /healthz: 200 when the database answers, 503 when it does not. */
static const struct api_op health_op = {
	.sql = "SELECT 1", .on_result = health_done,
};

const struct api_route health_routes[] = {
	{ .path = "/healthz", .methods = { ROUTE_OP(GET, &health_op) } },
	{ .path = "/api/v1/openapi.json", .methods = {
		ROUTE_RUN(GET, health_openapi, 0),
		ROUTE_RUN(HEAD, health_openapi, 0) } },
	{ .path = NULL }
};

/*
 * Test configuration only (tests/api/pool.bats): POST /_test/open-tx leaves
 * its connection inside a transaction holding a transaction-local setting,
 * as a buggy handler would; GET /_test/tx-state tells whether the setting
 * is visible, i.e. whether it runs inside that leaked transaction.
 * GET /_test/routes lists the route tables (tests/api/openapi.bats).
 */
const struct api_route health_test_routes[] = {
	{ .path = "/_test/open-tx", .methods = {
		ROUTE_RUN(POST, health_test_open_tx, 0) } },
	{ .path = "/_test/tx-state", .methods = {
		ROUTE_RUN(GET, health_test_tx_state, 0) } },
	{ .path = "/_test/routes", .methods = {
		ROUTE_RUN(GET, health_test_routes_list, 0) } },
	{ .path = NULL }
};

static int
health_done(struct http_request *req, struct api_call *call)
{
	static const char	body[] = "{\"status\":\"ok\",\"database\":\"up\"}";

	return (api_reply(req, call, 200, body, sizeof(body) - 1));
}

static int
health_openapi(struct http_request *req, struct api_call *call)
{
	return (health_asset(req, call, "application/json; charset=utf-8",
	    asset_openapi_json, asset_openapi_json_len));
}

static int
health_asset(struct http_request *req, struct api_call *call,
    const char *type, const unsigned char *data, size_t len)
{
	http_response_header(req, "x-content-type-options", "nosniff");
	return (api_send(req, call, 200, type, "public, max-age=300", data,
	    len));
}

static int
health_test_open_tx(struct http_request *req, struct api_call *call)
{
	return (api_sql(req, call, "BEGIN; "
	    "SELECT set_config('san.leak', 'yes', true)", health_done));
}

static int
health_test_tx_state(struct http_request *req, struct api_call *call)
{
	return (api_sql(req, call,
	    "SELECT current_setting('san.leak', true) = 'yes'",
	    health_test_tx_done));
}

static int
health_test_tx_done(struct http_request *req, struct api_call *call)
{
	const char	*v = api_result_value(call, 0);

	if (v != NULL && v[0] == 't')
		return (api_reply(req, call, 200,
		    "{\"in_transaction\":true}", 23));
	return (api_reply(req, call, 200, "{\"in_transaction\":false}", 24));
}

static int
health_test_routes_list(struct http_request *req, struct api_call *call)
{
	json_t	*routes;
	char	*text;
	int	 ret;

	routes = api_routes_json();
	if ((text = json_dumps(routes, JSON_COMPACT)) == NULL)
		fatal("health_test_routes_list: out of memory");
	json_decref(routes);
	ret = api_reply(req, call, 200, text, strlen(text));
	free(text);
	return (ret);
}
