/*
 * Carts, shipping methods and orders.  The rules (prices, stock, the state
 * machine, who may do what) live in sql/api/50_orders.sql; this file
 * checks the shape of the input and names one SQL call per request, and
 * runs the expiry job (order_expiry_start).
 */
#include <ctype.h>
#include <string.h>

#include "san.h"
#include "validate.h"

#define IDEMPOTENCY_KEY_MAX	100
#define VND_MAX			1000000000000LL	/* 10^12 VND */
#define EXPIRY_INTERVAL_MS	15000
#define EXPIRY_BATCH		200

static int	api_order_place(struct http_request *);
static int	api_order_list(struct http_request *);
static int	api_invoices_csv_send(struct http_request *, struct api_call *);
static int	idempotency_key_ok(const char *);
static void	order_expiry_run(void *, u_int64_t);
static void	order_expiry_done(struct kore_pgsql *, void *);

static const char *const carriers[] = {
	"own", "vnpost", "viettelpost", "ghn", "ghtk", "jnt", NULL
};
static const char *const fee_rules[] = { "flat", "weight", NULL };
static const char *const payment_methods[] = {
	"cod", "vnpay", "momo", "vietqr", NULL
};
static const char *const order_actions[] = {
	"confirm", "ship", "deliver", "complete", "cancel", "refund", NULL
};
static const char *const order_statuses[] = {
	"pending_payment", "placed", "paid", "confirmed", "shipped",
	"delivered", "completed", "cancelled", "expired", "refunded", NULL
};

static const struct field_rule weight_tier_fields[] = {
	{ .name = "up_to_g", .kind = FIELD_INT, .required = 1,
	    .lo = 1, .hi = 1000000 },
	{ .name = "fee_vnd", .kind = FIELD_INT, .required = 1,
	    .lo = 0, .hi = 10000000 },
};

static const struct field_rule shipping_method_fields[] = {
	{ .name = "carrier", .kind = FIELD_ENUM, .required = 1,
	    .choices = carriers },
	{ .name = "name", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "fee_rule", .kind = FIELD_ENUM, .required = 1,
	    .choices = fee_rules },
	{ .name = "fee_vnd", .kind = FIELD_INT, .lo = 0, .hi = 10000000 },
	{ .name = "weight_tiers", .kind = FIELD_LIST, .max = 20,
	    FIELD_MEMBERS(weight_tier_fields) },
	{ .name = "free_over_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX },
};

static const struct field_rule shipping_methods_body[] = {
	{ .name = "methods", .kind = FIELD_LIST, .required = 1, .max = 10,
	    FIELD_MEMBERS(shipping_method_fields) },
};

static const struct field_rule cart_item_fields[] = {
	{ .name = "qty", .kind = FIELD_INT, .required = 1, .lo = 1, .hi = 999 },
};

static const struct field_rule order_item_fields[] = {
	{ .name = "product_id", .kind = FIELD_ID, .required = 1 },
	{ .name = "qty", .kind = FIELD_INT, .required = 1, .lo = 1, .hi = 999 },
};

static const struct field_rule address_fields[] = {
	{ .name = "recipient", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "phone", .kind = FIELD_PHONE, .required = 1 },
	{ .name = "address", .kind = FIELD_TEXT, .required = 1, .max = 300 },
	{ .name = "ward", .kind = FIELD_TEXT, .required = 1, .max = 100 },
	{ .name = "province", .kind = FIELD_TEXT, .required = 1, .max = 100 },
};

static const struct field_rule order_fields[] = {
	{ .name = "items", .kind = FIELD_LIST, .required = 1, .max = 50,
	    FIELD_MEMBERS(order_item_fields) },
	{ .name = "shipping_address", .kind = FIELD_OBJECT, .required = 1,
	    FIELD_MEMBERS(address_fields) },
	{ .name = "shipping", .kind = FIELD_ID_MAP, .max = 50 },
	{ .name = "payment_method", .kind = FIELD_ENUM, .required = 1,
	    .choices = payment_methods },
};

static const struct field_rule order_action_fields[] = {
	{ .name = "action", .kind = FIELD_ENUM, .required = 1,
	    .choices = order_actions },
	{ .name = "note", .kind = FIELD_MULTILINE, .max = 500 },
	{ .name = "carrier", .kind = FIELD_ENUM, .choices = carriers },
	{ .name = "tracking_no", .kind = FIELD_TEXT, .max = 50 },
	{ .name = "cash_collected_vnd", .kind = FIELD_INT,
	    .lo = 0, .hi = VND_MAX },
	{ .name = "amount_vnd", .kind = FIELD_INT, .lo = 1, .hi = VND_MAX },
};

static const struct field_rule invoice_fields[] = {
	{ .name = "form", .kind = FIELD_TEXT, .required = 1, .max = 20 },
	{ .name = "series", .kind = FIELD_TEXT, .required = 1, .max = 20 },
	{ .name = "number", .kind = FIELD_TEXT, .required = 1, .max = 20 },
	{ .name = "issued_on", .kind = FIELD_DATE, .required = 1 },
	{ .name = "lookup_code", .kind = FIELD_TEXT, .required = 1,
	    .max = 50 },
};

static const struct api_op cart_get_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.cart_get($1)",
};

static const struct api_op cart_put_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "product_not_found", OP_RULES(cart_item_fields),
	.sql = "SELECT * FROM api.cart_put($1, $2, $3::jsonb)",
};

static const struct api_op cart_delete_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "product_not_found",
	.sql = "SELECT * FROM api.cart_delete($1, $2)",
};

static const struct api_op shipping_get_op = {
	.flags = OP_PATH_SLUG, .path_seg = 3, .not_found = "store_not_found",
	.sql = "SELECT * FROM api.shipping_methods_get($1)",
};

static const struct api_op shipping_put_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG, .path_seg = 3,
	.not_found = "store_not_found", OP_RULES(shipping_methods_body),
	.sql = "SELECT * FROM api.shipping_methods_put($1, $2, $3::jsonb)",
};

static const struct api_op order_get_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "order_not_found",
	.sql = "SELECT * FROM api.order_get($1, $2)",
};

static const struct api_op order_action_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "order_not_found", OP_RULES(order_action_fields),
	.sql = "SELECT * FROM api.order_action($1, $2, $3::jsonb)",
};

static const struct api_op order_invoice_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "order_not_found", OP_RULES(invoice_fields),
	.sql = "SELECT * FROM api.order_invoice_put($1, $2, $3::jsonb)",
};

static const struct api_op order_group_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "order_not_found",
	.sql = "SELECT * FROM api.order_group_get($1, $2)",
};

/* /api/v1/cart: the signed-in buyer's cart. */
int
api_cart(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_op(req, &cart_get_op));
}

/* /api/v1/cart/items/{product_id}: PUT {qty}, DELETE. */
int
api_cart_item(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_PUT:
		return (api_op(req, &cart_put_op));
	case HTTP_METHOD_DELETE:
		return (api_op(req, &cart_delete_op));
	default:
		return (api_method_not_allowed(req, "PUT, DELETE"));
	}
}

/* /api/v1/stores/{slug}/shipping-methods: GET public, PUT by members. */
int
api_shipping_methods(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_op(req, &shipping_get_op));
	case HTTP_METHOD_PUT:
		return (api_op(req, &shipping_put_op));
	default:
		return (api_method_not_allowed(req, "GET, PUT"));
	}
}

/* /api/v1/orders: GET the buyer's orders, POST checkout. */
int
api_order_collection(struct http_request *req)
{
	API_RESUME(req);
	switch (req->method) {
	case HTTP_METHOD_GET:
		return (api_order_list(req));
	case HTTP_METHOD_POST:
		return (api_order_place(req));
	default:
		return (api_method_not_allowed(req, "GET, POST"));
	}
}

/* /api/v1/orders/{id}: for its buyer and its store's members. */
int
api_order_item(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_op(req, &order_get_op));
}

/* /api/v1/orders/{id}/actions: POST one transition. */
int
api_order_action(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_POST)
		return (api_method_not_allowed(req, "POST"));
	return (api_op(req, &order_action_op));
}

/* /api/v1/orders/{id}/invoice: PUT the e-invoice reference (merchant). */
int
api_order_invoice(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_PUT)
		return (api_method_not_allowed(req, "PUT"));
	return (api_op(req, &order_invoice_op));
}

/* /api/v1/order-groups/{id}: the buyer's checkout with its payments. */
int
api_order_group(struct http_request *req)
{
	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	return (api_op(req, &order_group_op));
}

/* /api/v1/stores/{slug}/orders?status=&after=&limit= (members). */
int
api_store_orders(struct http_request *req)
{
	struct api_call	*call;
	char		 slug[SLUG_MAX];
	long long	 after;
	int		 limit;

	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	if ((call = api_start(req, 0)) == NULL ||
	    !api_list_args(req, &after, &limit))
		return (KORE_RESULT_OK);
	if (!api_path_text(req, 3, slug, sizeof(slug)) || !validate_slug(slug))
		return (api_error(req, 404, "store_not_found", NULL));
	api_param_token(call);
	api_param(call, slug);
	if (!api_qs_choice(req, call, "status", order_statuses))
		return (KORE_RESULT_OK);
	api_param_opt_int(call, after > 0, after);
	api_param_int(call, limit);
	return (api_query(req, call,
	    "SELECT * FROM api.store_orders($1, $2, $3, $4, $5)", NULL));
}

/* /api/v1/stores/{slug}/invoices.csv?from=&to= (members). */
int
api_store_invoices_csv(struct http_request *req)
{
	struct api_call	*call;
	char		 slug[SLUG_MAX], date[16];
	const char	*bound[] = { "from", "to" };
	size_t		 i;
	int		 r;

	API_RESUME(req);
	if (req->method != HTTP_METHOD_GET)
		return (api_method_not_allowed(req, "GET"));
	if ((call = api_start(req, 0)) == NULL)
		return (KORE_RESULT_OK);
	if (!api_path_text(req, 3, slug, sizeof(slug)) || !validate_slug(slug))
		return (api_error(req, 404, "store_not_found", NULL));
	api_param_token(call);
	api_param(call, slug);
	for (i = 0; i < nitems(bound); i++) {
		r = api_query_text(req, bound[i], date, sizeof(date));
		if (r < 0 || (r > 0 && !validate_date(date)))
			return (api_error(req, 400, "invalid_date", bound[i]));
		api_param(call, r > 0 ? date : NULL);
	}
	return (api_query(req, call,
	    "SELECT * FROM api.store_invoices_csv($1, $2, $3, $4)",
	    api_invoices_csv_send));
}

static int
api_invoices_csv_send(struct http_request *req, struct api_call *call)
{
	const char	*body;

	if (api_result_value(call, 2) != NULL)
		return (api_reply_result(req, call));
	body = api_result_value(call, 1);
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"hoa-don-dien-tu.csv\"");
	return (api_send(req, call, 200, "text/csv; charset=utf-8",
	    "private, no-store", body, body ? strlen(body) : 0));
}

static int
api_order_list(struct http_request *req)
{
	struct api_call	*call;
	long long	 after;
	int		 limit;

	if ((call = api_start(req, 0)) == NULL ||
	    !api_list_args(req, &after, &limit))
		return (KORE_RESULT_OK);
	api_param_token(call);
	api_param_opt_int(call, after > 0, after);
	api_param_int(call, limit);
	return (api_query(req, call,
	    "SELECT * FROM api.order_list($1, $2, $3)", NULL));
}

/*
 * Checkout: Idempotency-Key (required; a retry with the same key and body
 * gets the first answer) + the validated body, one SQL call.
 */
static int
api_order_place(struct http_request *req)
{
	struct api_call	*call;
	const char	*key;
	json_t		*clean;

	if ((call = api_start(req, API_BODY_JSON)) == NULL)
		return (KORE_RESULT_OK);
	if (!http_request_header(req, "idempotency-key", &key))
		return (api_error(req, 400, "idempotency_key_required", NULL));
	if (!idempotency_key_ok(key))
		return (api_error(req, 400, "invalid_idempotency_key", NULL));
	if (!api_fields(req, call, order_fields, nitems(order_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	api_param_token(call);
	api_param(call, key);
	api_param_json(call, clean);
	json_decref(clean);
	return (api_query(req, call,
	    "SELECT * FROM api.order_place($1, $2, $3::jsonb)", NULL));
}

/* 1..100 printable ASCII characters without spaces (UUIDs and the like). */
static int
idempotency_key_ok(const char *key)
{
	size_t	len;

	for (len = 0; key[len] != '\0'; len++)
		if (!isgraph((unsigned char)key[len]) ||
		    len >= IDEMPOTENCY_KEY_MAX)
			return (0);
	return (len > 0);
}

/*
 * The expiry job: every EXPIRY_INTERVAL_MS each worker asks PostgreSQL to
 * expire overdue unpaid orders.  api.orders_expire takes an advisory lock
 * and skips locked groups, so any number of workers and app nodes may ask
 * at once; one does the work.  The query is asynchronous on a pooled
 * connection; a run still in flight skips the next tick.
 */
static struct kore_pgsql	expiry_sql;
static int			expiry_busy;

void
order_expiry_start(void)
{
	(void)kore_timer_add(order_expiry_run, EXPIRY_INTERVAL_MS, NULL, 0);
}

static void
order_expiry_run(void *arg, u_int64_t now)
{
	char	batch[16];

	(void)arg;
	(void)now;
	if (expiry_busy)
		return;
	kore_pgsql_init(&expiry_sql);
	kore_pgsql_bind_callback(&expiry_sql, order_expiry_done, NULL);
	if (!kore_pgsql_setup(&expiry_sql, "db", KORE_PGSQL_ASYNC)) {
		db_cleanup(&expiry_sql);
		return;
	}
	expiry_busy = 1;
	db_settle(&expiry_sql);
	(void)snprintf(batch, sizeof(batch), "%d", EXPIRY_BATCH);
	if (!kore_pgsql_query_params(&expiry_sql,
	    "SELECT api.orders_expire($1::int)", 0, 1, batch, strlen(batch),
	    0)) {
		expiry_busy = 0;
		db_cleanup(&expiry_sql);
	}
}

static void
order_expiry_done(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_RESULT:
		if (kore_pgsql_ntuples(sql) == 1 &&
		    strcmp(kore_pgsql_getvalue(sql, 0, 0), "0") != 0)
			kore_log(LOG_NOTICE, "expired %s unpaid orders",
			    kore_pgsql_getvalue(sql, 0, 0));
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		kore_log(LOG_WARNING, "order expiry: database error");
		expiry_busy = 0;
		db_cleanup(sql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		expiry_busy = 0;
		db_cleanup(sql);
		break;
	default:
		kore_pgsql_continue(sql);
		break;
	}
}
