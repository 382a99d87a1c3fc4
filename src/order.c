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
#define EXPIRY_BATCH		"200"	/* orders a run expires at most */

static int	order_place(struct http_request *, struct api_call *);
static int	idempotency_key_ok(const char *);

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

static const struct qs_rule page_args[] = { QS_PAGE };

/* GET /api/v1/orders?after=&limit=: the buyer's orders. */
static const struct api_op order_list_op = {
	.flags = OP_TOKEN, OP_ARGS(page_args),
	.sql = "SELECT * FROM api.order_list($1, $2, $3)",
};

static const struct qs_rule store_orders_args[] = {
	{ .name = "status", .kind = QS_ENUM, .choices = order_statuses },
	QS_PAGE,
};

/* GET /api/v1/stores/{slug}/orders?status=&after=&limit= (members). */
static const struct api_op store_orders_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG, .path_seg = 3,
	.not_found = "store_not_found", OP_ARGS(store_orders_args),
	.sql = "SELECT * FROM api.store_orders($1, $2, $3, $4, $5)",
};

static const struct qs_rule invoices_csv_args[] = {
	{ .name = "from", .kind = QS_DATE },
	{ .name = "to", .kind = QS_DATE },
};

/* GET /api/v1/stores/{slug}/invoices.csv?from=&to= (members). */
static const struct api_op invoices_csv_op = {
	.flags = OP_TOKEN | OP_PATH_SLUG, .path_seg = 3,
	.not_found = "store_not_found", OP_ARGS(invoices_csv_args),
	.sql = "SELECT * FROM api.store_invoices_csv($1, $2, $3, $4)",
	.csv = "hoa-don-dien-tu.csv",
};

/*
 * /api/v1/cart: the signed-in buyer's cart; /api/v1/cart/items/{product}:
 * PUT {qty}, DELETE.  /api/v1/stores/{slug}/shipping-methods: GET public,
 * PUT by members.  /api/v1/orders: GET the buyer's orders, POST checkout.
 * /api/v1/orders/{id}: for its buyer and its store's members; .../actions:
 * POST one transition; .../invoice: PUT the e-invoice reference
 * (merchant).  /api/v1/order-groups/{id}: the buyer's checkout with its
 * payments.  A store's orders and its invoices as CSV (members).
 */
const struct api_route order_routes[] = {
	{ .path = "/api/v1/cart", .methods = { ROUTE_OP(GET, &cart_get_op) } },
	{ .path = "^/api/v1/cart/items/([0-9]{1,18})$", .methods = {
		ROUTE_OP(PUT, &cart_put_op),
		ROUTE_OP(DELETE, &cart_delete_op) } },
	{ .path = "^/api/v1/stores/([a-z0-9-]{1,63})/shipping-methods$",
	    .methods = {
		ROUTE_OP(GET, &shipping_get_op),
		ROUTE_OP(PUT, &shipping_put_op) } },
	{ .path = "/api/v1/orders", .methods = {
		ROUTE_OP(GET, &order_list_op),
		ROUTE_RUN(POST, order_place, API_BODY_JSON) } },
	{ .path = "^/api/v1/orders/([0-9]{1,18})$", .methods = {
		ROUTE_OP(GET, &order_get_op) } },
	{ .path = "^/api/v1/orders/([0-9]{1,18})/actions$", .methods = {
		ROUTE_OP(POST, &order_action_op) } },
	{ .path = "^/api/v1/orders/([0-9]{1,18})/invoice$", .methods = {
		ROUTE_OP(PUT, &order_invoice_op) } },
	{ .path = "^/api/v1/order-groups/([0-9]{1,18})$", .methods = {
		ROUTE_OP(GET, &order_group_op) } },
	{ .path = "^/api/v1/stores/([a-z0-9-]{1,63})/orders$", .methods = {
		ROUTE_OP(GET, &store_orders_op) } },
	{ .path = "^/api/v1/stores/([a-z0-9-]{1,63})/invoices\\.csv$",
	    .methods = { ROUTE_OP(GET, &invoices_csv_op) } },
	{ .path = NULL }
};

/*
 * Checkout: Idempotency-Key (required; a retry with the same key and body
 * gets the first answer) + the validated body, one SQL call.
 */
static int
order_place(struct http_request *req, struct api_call *call)
{
	const char	*key;
	json_t		*clean;

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
	return (api_sql(req, call,
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
 * expire overdue unpaid orders (a db_job, job.c).  api.orders_expire takes
 * an advisory lock and skips locked groups, so any number of workers and
 * app nodes may ask at once; one does the work.  The log names how many
 * orders a run expired.
 */
static struct db_job	expiry_job = {
	.name = "orders expired",
	.query = "SELECT api.orders_expire(" EXPIRY_BATCH ")",
	.interval_ms = EXPIRY_INTERVAL_MS,
};

void
order_expiry_start(void)
{
	db_job_start(&expiry_job);
}
