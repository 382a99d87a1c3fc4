/*
 * Routes as data (the tmux cmd_entry model): every domain file exports a
 * table of its routes (san.h, struct api_route); this file registers them
 * with Kore, is the one handler Kore calls for every request, and runs the
 * requests that are data (api_op).
 *
 * The tables are the only list of routes: conf/ has none.  Kore calls the
 * module's init in each worker (README, Kore fact 8) and routes requests
 * in the worker (http_request_new -> kore_module_handler_find walks the
 * domain's handlers in order), so init appends every table's paths to
 * domain "*" of server "app", test routes when SAN_TEST_ROUTES=1, and the
 * catch-all "^/" last.  All of them name api_route, which finds the table
 * entry by the matched path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "san.h"

#define ROUTE_FUNC	"api_route"

static const struct api_route *const tables[] = {
	health_routes, auth_routes, business_routes, store_routes,
	catalog_routes, media_routes, order_routes, payment_routes,
	monitor_routes, subsidy_routes, stats_routes, survey_routes,
	place_routes,
	web_routes,
};

static int			 test_routes;
static const struct api_route	*route_find(const char *);
static json_t			*route_args_json(const struct api_op *);
static void			 route_add(struct kore_domain *, const char *);
static int			 route_allow(struct http_request *,
				    const struct api_route *);

/*
 * Register every route with Kore (once per process: a module reload finds
 * them registered).  Fatal when the configuration lacks server "app" with
 * domain "*", or when two tables claim the same path.
 */
void
api_routes_register(void)
{
	struct kore_server		*srv;
	struct kore_domain		*dom;
	struct kore_module_handle	*hdlr;
	const struct api_route		*r;
	const char			*env;
	size_t				 i;

	if ((srv = kore_server_lookup("app")) == NULL ||
	    (dom = kore_domain_lookup(srv, "*")) == NULL)
		fatal("routes: the configuration has no server app, domain *");
	env = getenv("SAN_TEST_ROUTES");
	test_routes = env != NULL && strcmp(env, "1") == 0;
	TAILQ_FOREACH(hdlr, &dom->handlers, list)
		if (strcmp(hdlr->func, ROUTE_FUNC) == 0)
			return;
	for (i = 0; i < nitems(tables); i++)
		for (r = tables[i]; r->path != NULL; r++)
			route_add(dom, r->path);
	for (r = health_test_routes; test_routes && r->path != NULL; r++)
		route_add(dom, r->path);
	/* Last: everything else is 404 in the API error shape. */
	route_add(dom, "^/");
}

static void
route_add(struct kore_domain *dom, const char *path)
{
	struct kore_module_handle	*hdlr;

	TAILQ_FOREACH(hdlr, &dom->handlers, list)
		if (strcmp(hdlr->path, path) == 0)
			fatal("routes: %s is in two tables", path);
	if (!kore_module_handler_new(dom, path, ROUTE_FUNC, NULL,
	    *path == '/' ? HANDLER_TYPE_STATIC : HANDLER_TYPE_DYNAMIC))
		fatal("routes: cannot register %s", path);
}

/* The table entry of a registered path; NULL for the catch-all. */
static const struct api_route *
route_find(const char *path)
{
	const struct api_route	*r;
	size_t			 i;

	for (i = 0; i < nitems(tables); i++)
		for (r = tables[i]; r->path != NULL; r++)
			if (strcmp(r->path, path) == 0)
				return (r);
	for (r = health_test_routes; test_routes && r->path != NULL; r++)
		if (strcmp(r->path, path) == 0)
			return (r);
	return (NULL);
}

/*
 * The one handler of every route: resume a sleeping request, else start
 * the call (token, CSRF, body as the method asks) and run the method's op
 * or code; 404 for the catch-all, 405 with Allow for another method.
 */
int
api_route(struct http_request *req)
{
	const struct api_route	*r;
	const struct api_method	*m = NULL;
	struct api_call		*call;
	int			 i, flags = 0;

	if (http_state_exists(req))
		return (api_run(req));
	if ((r = route_find(req->hdlr->path)) != NULL) {
		for (i = 0; i < API_METHODS_MAX && r->methods[i].method; i++)
			if (r->methods[i].method == (int)req->method)
				m = &r->methods[i];
	}
	if (m != NULL)
		flags = m->op ? (m->op->rules ? API_BODY_JSON : 0) : m->start;
	if ((call = api_start(req, flags)) == NULL)
		return (KORE_RESULT_OK);
	if (r == NULL)
		return (api_error(req, 404, "not_found", NULL));
	if (m == NULL)
		return (route_allow(req, r));
	if (m->op != NULL)
		return (api_op(req, call, m->op));
	return (m->run(req, call));
}

/* 405 with the route's methods in Allow, in table order. */
static int
route_allow(struct http_request *req, const struct api_route *r)
{
	char	allow[64];
	size_t	len = 0;
	int	i;

	allow[0] = '\0';
	for (i = 0; i < API_METHODS_MAX && r->methods[i].method; i++)
		len += (size_t)snprintf(allow + len, sizeof(allow) - len, "%s%s",
		    i ? ", " : "", http_method_text(r->methods[i].method));
	http_response_header(req, "allow", allow);
	return (api_error(req, 405, "method_not_allowed", NULL));
}

/* Run op (see struct api_op) for a started call. */
int
api_op(struct http_request *req, struct api_call *call,
    const struct api_op *op)
{
	json_t	*clean = NULL;
	char	 format[8];

	if (op->flags & OP_TOKEN)
		api_param_token(call);
	if ((op->flags & OP_PATH_ID) && !api_path_id(req, call, op->path_seg,
	    op->not_found))
		return (KORE_RESULT_OK);
	if ((op->flags & OP_PATH_SLUG) && !api_path_slug(req, call,
	    op->path_seg, op->not_found))
		return (KORE_RESULT_OK);
	if (!api_qs_args(req, call, op->args, op->nargs))
		return (KORE_RESULT_OK);
	if (op->rules != NULL) {
		if (!api_fields(req, call, op->rules, op->nrules,
		    op->flags & OP_PARTIAL, &clean))
			return (KORE_RESULT_OK);
		api_param_json(call, clean);
		json_decref(clean);
	}
	/* Only what anybody may see, and never a signed-in caller's view. */
	call->replica = (op->flags & OP_REPLICA) &&
	    call->token_hash[0] == '\0' && db_replica_usable();
	if (op->csv != NULL && (!(op->flags & OP_CSV_FORMAT) ||
	    (api_qs_peek(req, "format", format, sizeof(format)) &&
	    strcmp(format, "csv") == 0))) {
		call->csv_name = op->csv;
		return (api_sql(req, call, op->sql, api_reply_csv));
	}
	return (api_sql(req, call, op->sql, op->on_result));
}

/*
 * The public routes as [{"path": "<Kore route>", "methods": ["GET", ...],
 * "args": {"GET": [{"name", "choices"}...]}}] in registration order, for
 * the tests that compare them with the API document (tests/api/
 * openapi.bats).  The caller owns the result.
 */
json_t *
api_routes_json(void)
{
	const struct api_route	*r;
	json_t			*list, *methods, *args;
	const char		*m;
	size_t			 i;
	int			 j;

	list = json_array();
	for (i = 0; i < nitems(tables); i++) {
		for (r = tables[i]; r->path != NULL; r++) {
			methods = json_array();
			args = json_object();
			for (j = 0; j < API_METHODS_MAX &&
			    r->methods[j].method; j++) {
				m = http_method_text(r->methods[j].method);
				json_array_append_new(methods, json_string(m));
				if (r->methods[j].op != NULL &&
				    r->methods[j].op->nargs > 0)
					json_object_set_new(args, m,
					    route_args_json(r->methods[j].op));
			}
			json_array_append_new(list, json_pack("{s:s,s:o,s:o}",
			    "path", r->path, "methods", methods,
			    "args", args));
		}
	}
	return (list);
}

/* An op's query-string arguments: [{name, choices (QS_ENUM only)}]. */
static json_t *
route_args_json(const struct api_op *op)
{
	json_t		*list, *arg, *choices;
	const char	*const *c;
	size_t		 i;

	list = json_array();
	for (i = 0; i < op->nargs; i++) {
		arg = json_pack("{s:s}", "name", op->args[i].name);
		if (op->args[i].kind == QS_ENUM) {
			choices = json_array();
			for (c = op->args[i].choices; *c != NULL; c++)
				json_array_append_new(choices, json_string(*c));
			json_object_set_new(arg, "choices", choices);
		}
		json_array_append_new(list, arg);
	}
	return (list);
}
