/*
 * San: the provincial e-commerce trading floor.  Shared declarations of the
 * request engine (api.c) and the handlers of each domain area.
 *
 * Shape of every API request: a route (route.c) names, as data, the input
 * to validate in C and one SQL function call, and api_sql() runs it
 * asynchronously; the function returns one api.result row (status, body,
 * error, field) that api.c turns into the response.  Handlers that need
 * more steps (login: query, hash off the event loop, query) chain them with
 * the on_result/on_task callbacks of the same call.
 */
#ifndef SAN_H
#define SAN_H

#include <sys/types.h>

#include <netinet/in.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "errors.h"
#include "fields.h"


#define API_PARAMS_MAX		12
#define API_JSON_MAX		(1024 * 1024)	/* request body limit */
#define API_TASK_OUT_MAX	256
#define API_LIST_LIMIT_MAX	100
#define API_LIST_LIMIT_DEF	20

/* api_start() flags. */
#define API_BODY_JSON		0x01	/* the request carries a JSON object */

struct api_call;

/*
 * Continuation of a call: runs when the query result or the task output
 * is in.  Returns what a Kore handler returns (api_sql/api_task/api_reply
 * results pass straight through).
 */
typedef int	(*api_step)(struct http_request *, struct api_call *);

/* Per-request state; owned by the request, freed with it. */
struct api_call {
	struct kore_pgsql	 sql;
	u_int8_t		 phase;
	u_int8_t		 sql_bound;
	u_int8_t		 finished;	/* onfree already ran */
	u_int8_t		 hash_slot;	/* holds one of the hash slots */
	u_int8_t		 via_cookie;	/* token came from the cookie */
	u_int8_t		 lang_en;
	char			 id[17];	/* request id, hex */
	u_int64_t		 started;

	const char		*query;
	int			 nparams;
	char			*params[API_PARAMS_MAX];	/* owned */
	int			 lengths[API_PARAMS_MAX];
	int			 formats[API_PARAMS_MAX];	/* 1: binary */
	int			 binary_result;	/* results in binary format */
	PGresult		*result;	/* first result of the query */
	api_step		 on_result;
	api_step		 on_db_error;	/* answers instead of 500/503 */
	u_int8_t		 replica;	/* this query goes to the replica */
	const char		*csv_name;	/* api_reply_csv's file name */

	struct kore_task	 task;
	u_int8_t		 task_live;
	api_step		 on_task;
	int			 task_ok;
	size_t			 task_outlen;
	char			 task_out[API_TASK_OUT_MAX];
	/* Data shared with the task (media.c's thumbnail job), freed with
	 * task_arg_free once the task can no longer touch it. */
	void			*task_arg;
	void			(*task_arg_free)(void *);

	char			 token_hash[65];	/* "" when anonymous */
	json_t			*body;		/* parsed request body */
	long long		 path_id;	/* api_path_id()'s, 0 before */

	/* Kept between the steps of a login (auth.c). */
	char			 client_addr[INET6_ADDRSTRLEN];
	long long		 account_id;	/* 0: no such account */

	/* A provider callback's answer decided before its query, a static
	 * string (payment.c); NULL: decided by the query's outcome. */
	const char		*verdict;
};

/*
 * Query-string arguments of an api_op (args.c), each added as one SQL
 * parameter in table order: the value, or SQL NULL when absent.
 */
enum qs_kind {
	QS_TEXT,	/* at most max bytes; leading blanks dropped; blank: NULL */
	QS_INT,		/* integer in lo..hi */
	QS_ENUM,	/* one of choices (invalid_choice, as a body enum) */
	QS_SLUG,	/* a valid slug */
	QS_DATE,	/* YYYY-MM-DD, a real day */
	QS_CURSOR,	/* opaque keyset cursor: [a-z0-9:.-], at most max bytes */
	QS_AFTER,	/* keyset cursor: a positive id */
	QS_LIMIT	/* page size 1..API_LIST_LIMIT_MAX; absent: the default */
};

struct qs_rule {
	const char		*name;
	enum qs_kind		 kind;
	size_t			 max;		/* QS_TEXT, QS_CURSOR: bytes */
	long long		 lo, hi;	/* QS_INT bounds */
	const char *const	*choices;	/* QS_ENUM: NULL-ended */
};

/* Keyset pagination: ?after=<id>&limit=<n>, the last two parameters. */
#define QS_PAGE								\
	{ .name = "after", .kind = QS_AFTER },				\
	{ .name = "limit", .kind = QS_LIMIT }

/*
 * The common request, as data: parameters in a fixed order ($1 the token
 * hash, then the path parameter, then the query-string arguments, then the
 * validated body as jsonb), one query, and the api.result row as the
 * answer (or on_result's).  Checked in the order path (404), query string
 * (400), body (400).  api_op() runs it.
 */
#define OP_TOKEN	0x01	/* the caller's token hash (or NULL) */
#define OP_PATH_ID	0x02	/* path segment path_seg, positive integer */
#define OP_PATH_SLUG	0x04	/* path segment path_seg, a valid slug */
#define OP_PARTIAL	0x08	/* rules: all optional, at least one given */
#define OP_REPLICA	0x10	/* public read tolerant of lag: the replica
				   (SAN_REPLICA_URL) serves anonymous callers */
#define OP_CSV_FORMAT	0x20	/* csv: only when the query has format=csv */

#define OP_RULES(r)	.rules = (r), .nrules = nitems(r)
#define OP_ARGS(a)	.args = (a), .nargs = nitems(a)

struct api_op {
	int			 flags;
	int			 path_seg;
	const char		*not_found;	/* malformed path parameter */
	const struct qs_rule	*args;		/* query string, when set */
	size_t			 nargs;
	const struct field_rule	*rules;		/* JSON body, when set */
	size_t			 nrules;
	const char		*sql;
	api_step		 on_result;	/* NULL: answer the api.result */
	const char		*csv;		/* a successful result body is a
						   CSV attachment of this name */
};

/*
 * Routes as data (route.c).  Each domain file exports a table of its
 * routes, ended by a NULL path: the Kore route (a path, or a regex when it
 * starts with '^'; regexes only check the shape, see the README's Kore
 * fact 4) and per method either an api_op or code.  The one dispatcher,
 * api_route(), resumes sleeping requests, starts the call (api_start with
 * the method's flags), answers 405 with Allow from the table, then runs the
 * op or the code.  Tables are registered with Kore at worker start; conf/
 * holds no routes.
 */
#define API_METHODS_MAX	4

struct api_method {
	int			 method;	/* HTTP_METHOD_*; 0 ends */
	const struct api_op	*op;		/* the request as data, or */
	api_step		 run;		/* code, given the started call */
	int			 start;		/* api_start() flags for run */
};

struct api_route {
	const char		*path;
	struct api_method	 methods[API_METHODS_MAX];
};

#define ROUTE_OP(m, o)		{ .method = HTTP_METHOD_##m, .op = (o) }
#define ROUTE_RUN(m, f, s)	{ .method = HTTP_METHOD_##m, .run = (f), .start = (s) }

/*
 * The one convention for helpers that can fail: they return 1 (a call for
 * api_start) on success and 0 (NULL) after they have answered the request
 * with an error; the caller then returns KORE_RESULT_OK and touches the
 * response no more.  Helpers that read a request argument for SQL (path,
 * query string, body) add it as the next parameter themselves.  Helpers
 * that cannot fail say so (api_qs_peek).
 */

/* api.c: the engine (state, body, token, query, task, response, errors). */
struct api_call	*api_start(struct http_request *, int);
int		 api_run(struct http_request *);
int		 api_sql(struct http_request *, struct api_call *,
		    const char *, api_step);
int		 api_task(struct http_request *, struct api_call *,
		    int (*)(struct kore_task *), const void *, size_t,
		    api_step);
void		 api_param(struct api_call *, const char *);
void		 api_param_json(struct api_call *, json_t *);
void		 api_param_token(struct api_call *);
void		 api_param_int(struct api_call *, long long);
void		 api_param_opt_int(struct api_call *, int, long long);
void		 api_param_bytes(struct api_call *, const void *, size_t);
int		 api_body_raw(struct http_request *, struct api_call *, size_t,
		    u_int8_t **, size_t *);
int		 api_reply(struct http_request *, struct api_call *, int,
		    const char *, size_t);
int		 api_reply_result(struct http_request *, struct api_call *);
int		 api_reply_csv(struct http_request *, struct api_call *);
int		 api_send(struct http_request *, struct api_call *, int,
		    const char *, const char *, const void *, size_t);
int		 api_error(struct http_request *, int, const char *,
		    const char *);
int		 api_error_details(struct http_request *, int, const char *,
		    const char *, const char *);
int		 api_fields(struct http_request *, struct api_call *,
		    const struct field_rule *, size_t, int, json_t **);
void		 api_client_ip(struct http_request *, char *, size_t);
int		 api_hash_slot_take(struct http_request *, struct api_call *);
const char	*api_result_value(struct api_call *, int);

/* args.c: path and query-string arguments. */
int		 api_path_id(struct http_request *, struct api_call *, int,
		    const char *);
int		 api_path_slug(struct http_request *, struct api_call *, int,
		    const char *);
int		 api_qs_args(struct http_request *, struct api_call *,
		    const struct qs_rule *, size_t);
int		 api_qs_peek(struct http_request *, const char *, char *,
		    size_t);

/* route.c: the route tables, the dispatcher, api_op. */
void		 api_routes_register(void);
int		 api_route(struct http_request *);
int		 api_op(struct http_request *, struct api_call *,
		    const struct api_op *);
json_t		*api_routes_json(void);

/* db.c: a fair wait for pooled connections, pool hygiene (README, Kore fact 3). */
void		 db_register(void);
int		 db_acquire(struct kore_pgsql *);
int		 db_acquire_replica(struct kore_pgsql *);
int		 db_replica_usable(void);
void		 db_replica_failed(void);
void		 db_settle(struct kore_pgsql *);
void		 db_cleanup(struct kore_pgsql *);

/* job.c: periodic database jobs (one query each, every interval_ms). */
struct db_job {
	const char		*name;		/* in the log */
	const char		*query;		/* no parameters, one row */
	u_int64_t		 interval_ms;
	u_int64_t		 again_ms;	/* 0: only on the tick */
	int			 quiet;		/* do not log what it did */
	/* The run in flight (job.c's own). */
	struct kore_pgsql	 sql;
	int			 busy;
	int			 did;
};
void		 db_job_start(struct db_job *);
u_int64_t	 env_ms(const char *, u_int64_t, u_int64_t, u_int64_t);

/* The route tables, one per domain area (route.c registers them). */
extern const struct api_route	health_routes[];
extern const struct api_route	health_test_routes[];	/* SAN_TEST_ROUTES=1 */
extern const struct api_route	auth_routes[];
extern const struct api_route	business_routes[];
extern const struct api_route	store_routes[];
extern const struct api_route	catalog_routes[];
extern const struct api_route	media_routes[];
extern const struct api_route	order_routes[];
extern const struct api_route	payment_routes[];
extern const struct api_route	subsidy_routes[];
extern const struct api_route	web_routes[];
extern const struct api_route	stats_routes[];	/* stats.c */
extern const struct api_route	survey_routes[];	/* survey.c */
extern const struct api_route	monitor_routes[];	/* monitor.c */
extern const struct api_route	place_routes[];	/* place.c */

/* Other entry points of the domain files. */
void	order_expiry_start(void);
void	media_backfill_start(void);
void	monitor_rescan_start(void);
void	stats_snapshot_start(void);
void	payment_init(void);

#endif
