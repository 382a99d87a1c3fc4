/*
 * Administrative units since 1 July 2025 (sql/015_admin_units.sql): the
 * public lists forms offer.  Public and the same for everyone, so they
 * may be cached (a day: the units change by resolution, with a new
 * migration).  Resolving a given province or ward is the SQL's
 * (api.place_resolve), where the business, store and order functions
 * use it.
 */
#include <string.h>

#include "san.h"

#define PLACE_CACHE	"public, max-age=86400"

static int	place_cached(struct http_request *, struct api_call *);

/* GET /api/v1/provinces */
static const struct api_op province_list_op = {
	.flags = OP_REPLICA, .on_result = place_cached,
	.sql = "SELECT * FROM api.province_list()",
};

/* GET /api/v1/provinces/{code}/wards: the code as a number (8 or 08). */
static const struct api_op province_wards_op = {
	.flags = OP_PATH_ID | OP_REPLICA, .path_seg = 3,
	.not_found = "province_not_found", .on_result = place_cached,
	.sql = "SELECT * FROM api.province_wards($1)",
};

const struct api_route place_routes[] = {
	{ .path = "/api/v1/provinces", .methods = {
		ROUTE_OP(GET, &province_list_op) } },
	{ .path = "^/api/v1/provinces/([0-9]{1,9})/wards$", .methods = {
		ROUTE_OP(GET, &province_wards_op) } },
	{ .path = NULL }
};

/* A 200 answer with the public cache policy; anything else as usual. */
static int
place_cached(struct http_request *req, struct api_call *call)
{
	const char	*status, *body;

	status = api_result_value(call, 0);
	body = api_result_value(call, 1);
	if (status == NULL || strcmp(status, "200") != 0 || body == NULL ||
	    api_result_value(call, 2) != NULL)
		return (api_reply_result(req, call));
	return (api_send(req, call, 200, "application/json; charset=utf-8",
	    PLACE_CACHE, body, strlen(body)));
}
