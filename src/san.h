/*
 * San: the provincial e-commerce trading floor.  Shared declarations of the
 * request engine (api.c) and the handlers of each domain area.
 *
 * Shape of every API request: the handler validates input in C, names one
 * SQL function call and its parameters, and api_query() runs it
 * asynchronously; the function returns one api.result row (status, body,
 * error, field) that api.c turns into the response.  Handlers that need
 * more steps (login: query, hash off the event loop, query) chain them with
 * the on_result/on_task callbacks of the same call.
 */
#ifndef SAN_H
#define SAN_H

#include <sys/types.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "errors.h"

#define nitems(a)		(sizeof(a) / sizeof((a)[0]))

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
 * is in.  Returns what a Kore handler returns (api_query/api_task/api_reply
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

	struct kore_task	 task;
	u_int8_t		 task_live;
	api_step		 on_task;
	int			 task_ok;
	size_t			 task_outlen;
	char			 task_out[API_TASK_OUT_MAX];

	char			 token_hash[65];	/* "" when anonymous */
	json_t			*body;		/* parsed request body */
	char			 scratch[128];	/* small per-handler state */
};

/* A rule for one member of a JSON request body (api_fields()). */
enum field_kind {
	FIELD_TEXT,		/* one line, trimmed, 1..max code points */
	FIELD_MULTILINE,	/* line breaks allowed, "" allowed */
	FIELD_ENUM,		/* one of choices */
	FIELD_TAX_CODE,
	FIELD_PHONE,		/* normalised to +84… */
	FIELD_EMAIL,
	FIELD_DATE,		/* YYYY-MM-DD, a real calendar date */
	FIELD_SLUG,
	FIELD_ID,		/* positive integer */
	FIELD_INT,		/* integer in lo..hi */
	FIELD_OBJECT,		/* an object checked by fields */
	FIELD_LIST,		/* 1..max objects, each checked by fields */
	FIELD_ID_MAP		/* { slug: id }, at most max entries */
};

struct field_rule {
	const char		*name;
	enum field_kind		 kind;
	int			 required;
	size_t			 max;		/* FIELD_TEXT: code points */
	const char *const	*choices;	/* FIELD_ENUM: NULL-ended */
	long long		 lo, hi;	/* FIELD_INT bounds */
	const struct field_rule	*fields;	/* FIELD_OBJECT, FIELD_LIST */
	size_t			 nfields;
};

#define FIELD_MEMBERS(r)	.fields = (r), .nfields = nitems(r)

/*
 * The common handler, as data: parameters in a fixed order ($1 the token
 * hash, then the path parameter, then the validated body as jsonb), one
 * query, the api.result row as the answer.  api_op() runs it.
 */
#define OP_TOKEN	0x01	/* the caller's token hash (or NULL) */
#define OP_PATH_ID	0x02	/* path segment path_seg, positive integer */
#define OP_PATH_SLUG	0x04	/* path segment path_seg, a valid slug */
#define OP_PARTIAL	0x08	/* rules: all optional, at least one given */

#define OP_RULES(r)	.rules = (r), .nrules = nitems(r)

struct api_op {
	int			 flags;
	int			 path_seg;
	const char		*not_found;	/* malformed path parameter */
	const struct field_rule	*rules;		/* JSON body, when set */
	size_t			 nrules;
	const char		*sql;
};

/* api.c: the engine. */
#define API_RESUME(req)							\
	do {								\
		if (http_state_exists(req))				\
			return (api_run(req));				\
	} while (0)

struct api_call	*api_start(struct http_request *, int);
int		 api_op(struct http_request *, const struct api_op *);
int		 api_run(struct http_request *);
int		 api_query(struct http_request *, struct api_call *,
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
int		 api_qs_int(struct http_request *, const char *, long long,
		    long long, long long *);
int		 api_qs_text(struct http_request *, struct api_call *,
		    const char *, size_t);
int		 api_qs_choice(struct http_request *, struct api_call *,
		    const char *, const char *const *);
int		 api_reply(struct http_request *, struct api_call *, int,
		    const char *, size_t);
int		 api_reply_result(struct http_request *, struct api_call *);
int		 api_send(struct http_request *, struct api_call *, int,
		    const char *, const char *, const void *, size_t);
int		 api_error(struct http_request *, int, const char *,
		    const char *);
int		 api_error_details(struct http_request *, int, const char *,
		    const char *, const char *);
int		 api_method_not_allowed(struct http_request *, const char *);
int		 api_fields(struct http_request *, struct api_call *,
		    const struct field_rule *, size_t, int, json_t **);
int		 api_date_ok(const char *);
int		 api_path_id(struct http_request *, int, long long *);
int		 api_path_text(struct http_request *, int, char *, size_t);
int		 api_query_text(struct http_request *, const char *,
		    char *, size_t);
int		 api_list_args(struct http_request *, long long *, int *);
void		 api_client_ip(struct http_request *, char *, size_t);
int		 api_hash_slot_take(struct http_request *, struct api_call *);
const char	*api_result_value(struct api_call *, int);

/* db.c: a fair wait for pooled connections, pool hygiene (README, Kore fact 3). */
void		 db_register(void);
int		 db_acquire(struct kore_pgsql *);
void		 db_settle(struct kore_pgsql *);
void		 db_cleanup(struct kore_pgsql *);

/* Handlers, one file per domain area (routes in conf/san.conf.in). */
int	api_health(struct http_request *);
int	api_not_found(struct http_request *);
int	api_openapi(struct http_request *);
int	asset_index(struct http_request *);
int	api_test_open_tx(struct http_request *);

int	api_auth_register(struct http_request *);
int	api_auth_login(struct http_request *);
int	api_auth_logout(struct http_request *);
int	api_auth_me(struct http_request *);
int	api_admin_roles(struct http_request *);

int	api_business_collection(struct http_request *);
int	api_business_item(struct http_request *);
int	api_business_decide(struct http_request *);
int	api_business_review_queue(struct http_request *);

int	api_store_collection(struct http_request *);
int	api_store_item(struct http_request *);
int	api_store_products(struct http_request *);

int	api_category_list(struct http_request *);
int	api_category_admin(struct http_request *);
int	api_category_admin_item(struct http_request *);
int	api_product_collection(struct http_request *);
int	api_product_item(struct http_request *);
int	api_product_create(struct http_request *);

int	api_product_images(struct http_request *);
int	api_product_qr(struct http_request *);
int	api_image_item(struct http_request *);

int	api_cart(struct http_request *);
int	api_cart_item(struct http_request *);
int	api_shipping_methods(struct http_request *);
int	api_order_collection(struct http_request *);
int	api_order_item(struct http_request *);
int	api_order_action(struct http_request *);
int	api_order_invoice(struct http_request *);
int	api_order_group(struct http_request *);
int	api_store_orders(struct http_request *);
int	api_store_invoices_csv(struct http_request *);
void	order_expiry_start(void);

/* payment.c */
void	payment_init(void);
int	api_payment_create(struct http_request *);
int	api_payment_qr(struct http_request *);
int	api_payment_vnpay_ipn(struct http_request *);
int	api_payment_momo_ipn(struct http_request *);
int	api_payment_bank_webhook(struct http_request *);
int	api_payment_reconciliation(struct http_request *);
int	api_payment_callbacks(struct http_request *);

#endif
