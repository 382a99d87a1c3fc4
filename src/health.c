/*
 * Liveness, the API document, the landing page, and two routes that exist
 * only in the test configuration to prove the pool fix (tests/api).
 */
#include "san.h"

/* build/assets.c, generated from assets/ by scripts/embed-assets.sh. */
extern const unsigned char	asset_index_html[];
extern const size_t		asset_index_html_len;
extern const unsigned char	asset_openapi_json[];
extern const size_t		asset_openapi_json_len;

static int	health_done(struct http_request *, struct api_call *);
static int	tx_state_done(struct http_request *, struct api_call *);
static int	static_asset(struct http_request *, const char *,
		    const unsigned char *, size_t);

/* GET /healthz: 200 when the database answers, 503 when it does not. */
int
api_health(struct http_request *req)
{
	struct api_call	*call;

	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	return (api_query(req, call, "SELECT 1", health_done));
}

static int
health_done(struct http_request *req, struct api_call *call)
{
	static const char	body[] = "{\"status\":\"ok\",\"database\":\"up\"}";

	return (api_reply(req, call, 200, body, sizeof(body) - 1));
}

/* Catch-all route (last in conf/): 404 in the API error shape. */
int
api_not_found(struct http_request *req)
{
	if (api_start(req, 0) == NULL)
		return (KORE_RESULT_OK);
	return (api_error(req, 404, "not_found", NULL));
}

int
api_openapi(struct http_request *req)
{
	return (static_asset(req, "application/json; charset=utf-8",
	    asset_openapi_json, asset_openapi_json_len));
}

int
asset_index(struct http_request *req)
{
	return (static_asset(req, "text/html; charset=utf-8",
	    asset_index_html, asset_index_html_len));
}

static int
static_asset(struct http_request *req, const char *type,
    const unsigned char *data, size_t len)
{
	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD)
		return (api_method_not_allowed(req, "GET, HEAD"));
	http_response_header(req, "x-content-type-options", "nosniff");
	return (api_send(req, NULL, 200, type, "public, max-age=300", data,
	    len));
}

/*
 * Test configuration only (tests/api/pool.bats): POST /_test/open-tx leaves
 * its connection inside a transaction holding a transaction-local setting,
 * as a buggy handler would; GET /_test/tx-state tells whether the setting
 * is visible, i.e. whether it runs inside that leaked transaction.
 */
int
api_test_open_tx(struct http_request *req)
{
	struct api_call	*call;

	API_RESUME(req);
	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (api_query(req, call, "BEGIN; "
		    "SELECT set_config('san.leak', 'yes', true)", health_done));
	return (api_query(req, call,
	    "SELECT current_setting('san.leak', true) = 'yes'",
	    tx_state_done));
}

static int
tx_state_done(struct http_request *req, struct api_call *call)
{
	const char	*v = api_result_value(call, 0);

	if (v != NULL && v[0] == 't')
		return (api_reply(req, call, 200,
		    "{\"in_transaction\":true}", 23));
	return (api_reply(req, call, 200, "{\"in_transaction\":false}", 24));
}
