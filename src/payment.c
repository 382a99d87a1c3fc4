/*
 * Payments: a buyer starts a payment of an order group with VNPay, MoMo or
 * a VietQR bank transfer; the providers call back (VNPay IPN, MoMo IPN,
 * the bank's webhook); admins reconcile.  What a payment is and what a
 * callback does live in sql/api/60_payments.sql (one call each, applied
 * exactly once under concurrency); this file holds everything secret:
 * provider keys from the environment (read once, at init), the provider
 * parts of a new payment, and signature checks (src/paysign.c).
 *
 * Every callback is recorded, the ones refused here (bad signature, stale,
 * malformed) included, with the reason and never a signature or key; the
 * access log has the path only, never the query string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "san.h"
#include "image.h"
#include "jsonin.h"
#include "paysign.h"

#define VNPAY_PAY_URL_DEF	"https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
#define PUBLIC_URL_DEF		"http://127.0.0.1:8888"
#define RETURN_PATH		"/thanh-toan/ket-qua"
#define MOMO_IPN_PATH		"/api/v1/payments/momo/ipn"
#define ORDER_INFO		"Thanh toan don hang "	/* VNPay: no diacritics */
#define BANK_TOLERANCE		300	/* seconds a webhook signature lives */
#define CALLBACK_BODY_MAX	(64 * 1024)
#define CLAIM_MAX		101	/* bytes of a recorded claimed field */
#define VN_OFFSET		(7 * 3600)	/* GMT+7, no daylight saving */

/* Provider settings: copies of the environment taken at init. */
static struct {
	char	*vnp_tmn_code;
	char	*vnp_hash_secret;
	char	*vnp_pay_url;
	char	*momo_partner_code;
	char	*momo_access_key;
	char	*momo_secret_key;
	char	*bank_secret;
	char	*vietqr_bin;
	char	*vietqr_account;
	char	*public_url;
} pay;

static const char *const providers[] = { "vnpay", "momo", "vietqr", NULL };
static const char *const outcomes[] = {
	"applied", "duplicate", "failed_payment", "rejected", NULL
};

static const struct field_rule payment_fields[] = {
	{ .name = "provider", .kind = FIELD_ENUM, .required = 1,
	    .choices = providers },
};

static char	*env_copy(const char *, const char *);
static int	 provider_ready(const char *);
static void	 vn_time(time_t, char *, size_t);
static int	 payment_create(struct http_request *, struct api_call *);
static int	 payment_created(struct http_request *, struct api_call *);
static int	 payment_qr(struct http_request *, struct api_call *);
static int	 payment_vnpay_ipn(struct http_request *, struct api_call *);
static int	 payment_momo_ipn(struct http_request *, struct api_call *);
static int	 payment_bank_webhook(struct http_request *,
		    struct api_call *);
static int	 payment_vnpay(json_t *, struct http_request *, long long,
		    const char *, time_t);
static int	 payment_momo(json_t *, long long, const char *);
static int	 payment_vietqr(json_t *, long long, const char *, long long);
static int	 qr_ready(struct http_request *, struct api_call *);
static int	 callback_record(struct http_request *, struct api_call *,
		    const char *, const char *, const char *, long long, int,
		    const char *, api_step);
static int	 vnpay_done(struct http_request *, struct api_call *);
static int	 vnpay_db_failed(struct http_request *, struct api_call *);
static int	 momo_done(struct http_request *, struct api_call *);
static int	 bank_done(struct http_request *, struct api_call *);
static void	 bank_claims(const u_int8_t *, size_t, char *, char *,
		    long long *);

static const struct qs_rule reconciliation_args[] = {
	{ .name = "date", .kind = QS_DATE },
	{ .name = "provider", .kind = QS_ENUM, .choices = providers },
};

/*
 * GET /api/v1/admin/payments/reconciliation?date=YYYY-MM-DD[&provider=]
 * (admins): per provider, money received on that Vietnam day, matched to
 * orders, mismatches to refund, duplicates.
 */
static const struct api_op reconciliation_op = {
	.flags = OP_TOKEN, OP_ARGS(reconciliation_args),
	.sql = "SELECT * FROM api.payment_reconciliation($1, $2::date, $3)",
};

static const struct qs_rule callbacks_args[] = {
	{ .name = "outcome", .kind = QS_ENUM, .choices = outcomes },
	{ .name = "provider", .kind = QS_ENUM, .choices = providers },
	QS_PAGE,
};

/*
 * GET /api/v1/admin/payments/callbacks?outcome=&provider=&after=&limit=
 * (admins): recorded callbacks, newest first.
 */
static const struct api_op callbacks_op = {
	.flags = OP_TOKEN, OP_ARGS(callbacks_args),
	.sql = "SELECT * FROM api.payment_callbacks($1, $2, $3, $4, $5)",
};

static const char *const pay_statuses[] = { "pending", "paid", "failed", NULL };
static const struct qs_rule payments_args[] = {
	{ .name = "status", .kind = QS_ENUM, .choices = pay_statuses },
	{ .name = "provider", .kind = QS_ENUM, .choices = providers },
	{ .name = "from", .kind = QS_DATE },
	{ .name = "to", .kind = QS_DATE },
	QS_PAGE,
};

/*
 * GET /api/v1/admin/payments?status=&provider=&from=&to=&after=&limit=
 * (admins; others 404): payment attempts, newest first, made between the
 * Vietnam days from and to (both included).
 */
static const struct api_op payments_op = {
	.flags = OP_TOKEN, OP_ARGS(payments_args),
	.sql = "SELECT * FROM api.payment_list($1, $2, $3, $4::date, $5::date, "
	    "$6, $7)",
};

const struct api_route payment_routes[] = {
	{ .path = "^/api/v1/order-groups/([0-9]{1,18})/payments$", .methods = {
		ROUTE_RUN(POST, payment_create, API_BODY_JSON) } },
	{ .path = "^/api/v1/payments/([0-9]{1,18})/qr\\.svg$", .methods = {
		ROUTE_RUN(GET, payment_qr, 0) } },
	{ .path = "/api/v1/payments/vnpay/ipn", .methods = {
		ROUTE_RUN(GET, payment_vnpay_ipn, 0) } },
	{ .path = "/api/v1/payments/momo/ipn", .methods = {
		ROUTE_RUN(POST, payment_momo_ipn, 0) } },
	{ .path = "/api/v1/payments/bank/webhook", .methods = {
		ROUTE_RUN(POST, payment_bank_webhook, 0) } },
	{ .path = "/api/v1/admin/payments", .methods = {
		ROUTE_OP(GET, &payments_op) } },
	{ .path = "/api/v1/admin/payments/reconciliation", .methods = {
		ROUTE_OP(GET, &reconciliation_op) } },
	{ .path = "/api/v1/admin/payments/callbacks", .methods = {
		ROUTE_OP(GET, &callbacks_op) } },
	{ .path = NULL }
};

/*
 * Read the provider settings once (module init, parent and workers).
 * Unset or empty variables leave that provider unavailable (503), never a
 * crash; the copies live as long as the process.
 */
void
payment_init(void)
{
	pay.vnp_tmn_code = env_copy("VNPAY_TMN_CODE", NULL);
	pay.vnp_hash_secret = env_copy("VNPAY_HASH_SECRET", NULL);
	pay.vnp_pay_url = env_copy("VNPAY_PAY_URL", VNPAY_PAY_URL_DEF);
	pay.momo_partner_code = env_copy("MOMO_PARTNER_CODE", NULL);
	pay.momo_access_key = env_copy("MOMO_ACCESS_KEY", NULL);
	pay.momo_secret_key = env_copy("MOMO_SECRET_KEY", NULL);
	pay.bank_secret = env_copy("BANK_WEBHOOK_SECRET", NULL);
	pay.vietqr_bin = env_copy("VIETQR_BANK_BIN", NULL);
	pay.vietqr_account = env_copy("VIETQR_ACCOUNT", NULL);
	pay.public_url = env_copy("SAN_PUBLIC_URL", PUBLIC_URL_DEF);
}

/* The value of name, or def (may be NULL) when unset or empty. */
static char *
env_copy(const char *name, const char *def)
{
	const char	*v;

	if ((v = getenv(name)) == NULL || *v == '\0')
		v = def;
	return (v ? kore_strdup(v) : NULL);
}

/* 1 when everything provider needs is configured. */
static int
provider_ready(const char *provider)
{
	if (strcmp(provider, "vnpay") == 0)
		return (pay.vnp_tmn_code && pay.vnp_hash_secret);
	if (strcmp(provider, "momo") == 0)
		return (pay.momo_partner_code && pay.momo_access_key &&
		    pay.momo_secret_key);
	/* VietQR: the account to pay into and the bank's webhook key. */
	return (pay.vietqr_bin && pay.vietqr_account && pay.bank_secret);
}

/* yyyyMMddHHmmss in GMT+7, as VNPay wants its dates. */
static void
vn_time(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	t += VN_OFFSET;
	(void)gmtime_r(&t, &tm);
	(void)strftime(buf, len, "%Y%m%d%H%M%S", &tm);
}

/*
 * POST /api/v1/order-groups/{id}/payments {"provider"}: the group's buyer
 * starts a payment; 201 with what the client needs to pay.
 */
static int
payment_create(struct http_request *req, struct api_call *call)
{
	json_t		*clean;
	const char	*provider;

	api_param_token(call);
	if (!api_path_id(req, call, 3, "order_not_found"))
		return (KORE_RESULT_OK);
	if (!api_fields(req, call, payment_fields, nitems(payment_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	provider = json_string_value(json_object_get(clean, "provider"));
	if (call->token_hash[0] == '\0') {
		json_decref(clean);
		return (api_error(req, 401, "unauthenticated", NULL));
	}
	if (!provider_ready(provider)) {
		json_decref(clean);
		http_response_header(req, "retry-after", "3600");
		return (api_error(req, 503, "provider_unavailable",
		    "provider"));
	}
	api_param(call, provider);
	json_decref(clean);
	return (api_sql(req, call,
	    "SELECT * FROM api.payment_create($1, $2, $3)", payment_created));
}

/* The SQL part is in: add the provider's part (secrets stay here). */
static int
payment_created(struct http_request *req, struct api_call *call)
{
	const char	*body, *provider, *ref;
	json_t		*root;
	long long	 amount, pid, expires;
	char		*text;
	int		 ok;

	if (api_result_value(call, 2) != NULL ||
	    (body = api_result_value(call, 1)) == NULL)
		return (api_reply_result(req, call));
	if ((root = json_loads(body, 0, NULL)) == NULL)
		return (api_error(req, 500, "internal", NULL));
	provider = json_string_value(json_object_get(root, "provider"));
	ref = json_string_value(json_object_get(root, "txn_ref"));
	amount = json_integer_value(json_object_get(root, "amount_vnd"));
	pid = json_integer_value(json_object_get(root, "payment_id"));
	expires = json_integer_value(json_object_get(root, "expires_epoch"));
	json_object_del(root, "expires_epoch");
	if (provider == NULL || ref == NULL) {
		ok = 0;
	} else if (strcmp(provider, "vnpay") == 0) {
		ok = payment_vnpay(root, req, amount, ref, (time_t)expires);
	} else if (strcmp(provider, "momo") == 0) {
		ok = payment_momo(root, amount, ref);
	} else {
		ok = payment_vietqr(root, amount, ref, pid);
	}
	if (!ok) {
		/* The payment row stays pending; a retry supersedes it. */
		json_decref(root);
		kore_log(LOG_WARNING, "req %s: payment %lld: provider part "
		    "failed", call->id, pid);
		return (api_error(req, 500, "internal", NULL));
	}
	if ((text = json_dumps(root, JSON_COMPACT)) == NULL)
		fatal("payment_created: out of memory");
	json_decref(root);
	(void)api_reply(req, call, 201, text, strlen(text));
	free(text);
	return (KORE_RESULT_OK);
}

/* VNPay 2.1.0: the signed payment URL the buyer is sent to. */
static int
payment_vnpay(json_t *root, struct http_request *req, long long amount,
    const char *ref, time_t expires)
{
	struct paysign_kv	 f[13];
	char			 amt[32], created[16], expire[16], ip[64];
	char			 info[96], ret[512], *url;
	time_t			 now = time(NULL);

	if (expires <= now)
		expires = now + 15 * 60;
	(void)snprintf(amt, sizeof(amt), "%lld", amount * 100);
	vn_time(now, created, sizeof(created));
	vn_time(expires, expire, sizeof(expire));
	api_client_ip(req, ip, sizeof(ip));
	(void)snprintf(info, sizeof(info), "%s%s", ORDER_INFO, ref);
	(void)snprintf(ret, sizeof(ret), "%s%s", pay.public_url, RETURN_PATH);
	f[0] = (struct paysign_kv){ "vnp_Amount", amt };
	f[1] = (struct paysign_kv){ "vnp_Command", "pay" };
	f[2] = (struct paysign_kv){ "vnp_CreateDate", created };
	f[3] = (struct paysign_kv){ "vnp_CurrCode", "VND" };
	f[4] = (struct paysign_kv){ "vnp_ExpireDate", expire };
	f[5] = (struct paysign_kv){ "vnp_IpAddr", ip };
	f[6] = (struct paysign_kv){ "vnp_Locale", "vn" };
	f[7] = (struct paysign_kv){ "vnp_OrderInfo", info };
	f[8] = (struct paysign_kv){ "vnp_OrderType", "other" };
	f[9] = (struct paysign_kv){ "vnp_ReturnUrl", ret };
	f[10] = (struct paysign_kv){ "vnp_TmnCode", pay.vnp_tmn_code };
	f[11] = (struct paysign_kv){ "vnp_TxnRef", ref };
	f[12] = (struct paysign_kv){ "vnp_Version", "2.1.0" };
	if ((url = vnpay_payment_url(pay.vnp_pay_url, f, nitems(f),
	    pay.vnp_hash_secret)) == NULL)
		return (0);
	json_object_set_new(root, "payment_url", json_string(url));
	free(url);
	return (1);
}

/* MoMo AIO v2: the create-payment request and its signature. */
static int
payment_momo(json_t *root, long long amount, const char *ref)
{
	struct paysign_kv	 f[10];
	json_t			*m;
	char			 amt[32], info[96], ret[512], ipn[512];
	char			 sig[PAYSIGN_SHA256_HEX];

	(void)snprintf(amt, sizeof(amt), "%lld", amount);
	(void)snprintf(info, sizeof(info), "%s%s", ORDER_INFO, ref);
	(void)snprintf(ret, sizeof(ret), "%s%s", pay.public_url, RETURN_PATH);
	(void)snprintf(ipn, sizeof(ipn), "%s%s", pay.public_url,
	    MOMO_IPN_PATH);
	/* MoMo's documented order of the create signature. */
	f[0] = (struct paysign_kv){ "accessKey", pay.momo_access_key };
	f[1] = (struct paysign_kv){ "amount", amt };
	f[2] = (struct paysign_kv){ "extraData", "" };
	f[3] = (struct paysign_kv){ "ipnUrl", ipn };
	f[4] = (struct paysign_kv){ "orderId", ref };
	f[5] = (struct paysign_kv){ "orderInfo", info };
	f[6] = (struct paysign_kv){ "partnerCode", pay.momo_partner_code };
	f[7] = (struct paysign_kv){ "redirectUrl", ret };
	f[8] = (struct paysign_kv){ "requestId", ref };
	f[9] = (struct paysign_kv){ "requestType", "captureWallet" };
	momo_sign(f, nitems(f), pay.momo_secret_key, sig);
	if (sig[0] == '\0')
		return (0);
	m = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "partnerCode", pay.momo_partner_code,
	    "accessKey", pay.momo_access_key,
	    "requestId", ref, "amount", (json_int_t)amount, "orderId", ref,
	    "orderInfo", info, "redirectUrl", ret, "ipnUrl", ipn,
	    "extraData", "", "requestType", "captureWallet", "lang", "vi",
	    "signature", sig);
	if (m == NULL)
		return (0);
	json_object_set_new(root, "momo_request", m);
	json_object_set_new(root, "signature", json_string(sig));
	return (1);
}

/* VietQR: the EMVCo payload and where its picture is. */
static int
payment_vietqr(json_t *root, long long amount, const char *ref,
    long long pid)
{
	char	*payload, url[64];

	if ((payload = vietqr_payload(pay.vietqr_bin, pay.vietqr_account,
	    amount, ref)) == NULL)
		return (0);
	(void)snprintf(url, sizeof(url), "/api/v1/payments/%lld/qr.svg", pid);
	json_object_set_new(root, "qr_payload", json_string(payload));
	json_object_set_new(root, "qr_svg_url", json_string(url));
	free(payload);
	return (1);
}

/* GET /api/v1/payments/{id}/qr.svg: the buyer's own VietQR payment. */
static int
payment_qr(struct http_request *req, struct api_call *call)
{
	api_param_token(call);
	if (!api_path_id(req, call, 3, "payment_not_found"))
		return (KORE_RESULT_OK);
	if (!provider_ready("vietqr"))
		return (api_error(req, 503, "provider_unavailable", NULL));
	return (api_sql(req, call, "SELECT * FROM api.payment_qr($1, $2)",
	    qr_ready));
}

static int
qr_ready(struct http_request *req, struct api_call *call)
{
	const char	*body, *ref;
	json_t		*root;
	char		*payload, *svg;

	if (api_result_value(call, 2) != NULL ||
	    (body = api_result_value(call, 1)) == NULL)
		return (api_reply_result(req, call));
	if ((root = json_loads(body, 0, NULL)) == NULL)
		return (api_error(req, 500, "internal", NULL));
	ref = json_string_value(json_object_get(root, "txn_ref"));
	payload = ref == NULL ? NULL : vietqr_payload(pay.vietqr_bin,
	    pay.vietqr_account,
	    json_integer_value(json_object_get(root, "amount_vnd")), ref);
	json_decref(root);
	if (payload == NULL)
		return (api_error(req, 500, "internal", NULL));
	svg = qr_svg(payload);
	free(payload);
	if (svg == NULL)
		return (api_error(req, 500, "internal", NULL));
	http_response_header(req, "x-content-type-options", "nosniff");
	(void)api_send(req, call, 200, "image/svg+xml", "private, no-store",
	    svg, strlen(svg));
	free(svg);
	return (KORE_RESULT_OK);
}

/*
 * Record (and, unless reason is set, apply) one callback in one SQL call;
 * next answers the provider from its outcome.  amount < 0 and success < 0
 * are SQL NULL.
 */
static int
callback_record(struct http_request *req, struct api_call *call,
    const char *provider, const char *txn_ref, const char *provider_txn_id,
    long long amount, int success, const char *reason, api_step next)
{
	char	ip[64];

	api_client_ip(req, ip, sizeof(ip));
	api_param(call, provider);
	api_param(call, txn_ref && *txn_ref ? txn_ref : NULL);
	api_param(call, provider_txn_id && *provider_txn_id ?
	    provider_txn_id : NULL);
	api_param_opt_int(call, amount >= 0, amount);
	api_param(call, success < 0 ? NULL : success ? "true" : "false");
	api_param(call, reason);
	api_param(call, ip);
	return (api_sql(req, call, "SELECT outcome, reason FROM "
	    "api.payment_callback($1, $2, $3, $4::bigint, $5::boolean, $6, "
	    "$7::inet)", next));
}

/*
 * GET /api/v1/payments/vnpay/ipn: VNPay's server-to-server notification.
 *
 * The signature covers the query string exactly as sent, so it is
 * verified over req->query_string.  In Kore 4.1 (src/http.c,
 * http_request_new) that is a pointer into the request line just past the
 * '?', which is overwritten with NUL to end req->path; nothing decodes or
 * splits it before the handler runs: arguments are parsed only when a
 * handler calls http_populate_get/qs (which work on a kore_strdup copy),
 * and this route declares no params block, so nothing is validated or
 * dropped either.  Request lines are capped at HTTP_URI_LEN (2000) bytes.
 *
 * The answer is always HTTP 200 with VNPay's JSON: RspCode 00 confirmed
 * (a failure recorded is also confirmed), 01 order not found, 02 already
 * confirmed (replays), 04 invalid amount, 97 invalid signature, 99 other.
 */
static int
payment_vnpay_ipn(struct http_request *req, struct api_call *call)
{
	struct vnpay_ipn	 ipn;
	enum vnpay_verdict	 v;
	const char		*reason = NULL, *rsp = NULL;
	char			 claim[CLAIM_MAX];
	int			 success;

	if (!provider_ready("vnpay")) {
		reason = "not_configured";
		rsp = "99";
	} else if (req->query_string == NULL || *req->query_string == '\0') {
		reason = "no_signature";
		rsp = "97";
	} else {
		v = vnpay_verify(req->query_string, pay.vnp_hash_secret, &ipn);
		if (v == VNPAY_NO_SIGNATURE || v == VNPAY_BAD_SIGNATURE) {
			reason = v == VNPAY_NO_SIGNATURE ? "no_signature" :
			    "bad_signature";
			rsp = "97";
		} else if (v != VNPAY_OK) {
			reason = "malformed";
			rsp = "99";
		} else if (strcmp(ipn.tmn_code, pay.vnp_tmn_code) != 0) {
			reason = "wrong_merchant";
			rsp = "97";
		} else if (ipn.amount <= 0 || ipn.amount % 100 != 0) {
			reason = "amount_not_whole";
			rsp = "04";
		}
	}
	if (reason != NULL) {
		/* Recorded with the reference it claims (unverified). */
		call->verdict = rsp;
		(void)api_qs_peek(req, "vnp_TxnRef", claim, sizeof(claim));
		return (callback_record(req, call, "vnpay", claim, NULL, -1,
		    -1, reason, vnpay_done));
	}
	success = strcmp(ipn.response_code, "00") == 0 &&
	    strcmp(ipn.transaction_status, "00") == 0;
	call->on_db_error = vnpay_db_failed;
	return (callback_record(req, call, "vnpay", ipn.txn_ref,
	    ipn.transaction_no, ipn.amount / 100, success, NULL, vnpay_done));
}

/* The database is unavailable: VNPay's "99", so it retries later. */
static int
vnpay_db_failed(struct http_request *req, struct api_call *call)
{
	call->verdict = "99";
	return (vnpay_done(req, call));
}

static int
vnpay_done(struct http_request *req, struct api_call *call)
{
	static const struct {
		const char	*code, *message;
	} rsps[] = {
		{ "00", "Confirm Success" },
		{ "01", "Order not found" },
		{ "02", "Order already confirmed" },
		{ "04", "Invalid amount" },
		{ "97", "Invalid signature" },
		{ "99", "Unknown error" },
	};
	const char	*outcome, *reason, *rsp;
	char		 body[96];
	size_t		 i;

	outcome = api_result_value(call, 0);
	reason = api_result_value(call, 1);
	if (call->verdict != NULL)
		rsp = call->verdict;
	else if (outcome == NULL)
		rsp = "99";
	else if (reason == NULL)	/* applied, or a failure recorded */
		rsp = "00";
	else if (strcmp(reason, "unknown_txn_ref") == 0)
		rsp = "01";
	else if (strcmp(reason, "amount_mismatch") == 0)
		rsp = "04";
	else if (strcmp(reason, "not_final") == 0)
		rsp = "00";
	else				/* replay, settled, not payable */
		rsp = "02";
	for (i = 0; i < nitems(rsps) - 1; i++)
		if (strcmp(rsps[i].code, rsp) == 0)
			break;
	(void)snprintf(body, sizeof(body),
	    "{\"RspCode\":\"%s\",\"Message\":\"%s\"}", rsps[i].code,
	    rsps[i].message);
	return (api_reply(req, call, 200, body, strlen(body)));
}

/*
 * POST /api/v1/payments/momo/ipn: MoMo's notification (JSON).  MoMo
 * documents 204 No Content as the answer to a processed IPN
 * (developers.momo.vn, payment notification); malformed or badly signed
 * ones get 400 and are recorded as rejected.  resultCode 0 is success;
 * 1000, 7000, 7002 and 9000 are not final and change nothing.
 */
static int
payment_momo_ipn(struct http_request *req, struct api_call *call)
{
	static const struct {
		const char	*reason;	/* recorded */
		const char	*err;		/* answered */
	} refusal[] = {
		[MOMO_MALFORMED] = { "malformed", "invalid_callback" },
		[MOMO_BAD_SIGNATURE] = { "bad_signature", "bad_signature" },
		[MOMO_WRONG_MERCHANT] = { "wrong_merchant", "invalid_callback" },
	};
	struct momo_ipn		 m;
	enum momo_verdict	 v;
	json_t			*o;
	u_int8_t		*raw;
	size_t			 len;
	const char		*code, *reason = NULL, *err = NULL;
	int			 success, ret;

	if (!api_body_raw(req, call, CALLBACK_BODY_MAX, &raw, &len))
		return (KORE_RESULT_OK);
	o = jsonin_parse((const char *)raw, len, &code);
	kore_free(raw);

	v = momo_ipn_verify(o, pay.momo_access_key, pay.momo_partner_code,
	    pay.momo_secret_key, &m);
	if (!provider_ready("momo")) {
		reason = "not_configured";
		err = "provider_unavailable";
	} else if (v != MOMO_OK) {
		reason = refusal[v].reason;
		err = refusal[v].err;
	}
	if (reason != NULL) {
		call->verdict = err;
		ret = callback_record(req, call, "momo", m.order_id,
		    m.trans_id, m.amount, -1, reason, momo_done);
		json_decref(o);
		return (ret);
	}
	if (m.result_code == 0)
		success = 1;
	else if (m.result_code == 1000 || m.result_code == 7000 ||
	    m.result_code == 7002 || m.result_code == 9000)
		success = -1;
	else
		success = 0;
	ret = callback_record(req, call, "momo", m.order_id, m.trans_id,
	    m.amount, success, NULL, momo_done);
	json_decref(o);
	return (ret);
}

static int
momo_done(struct http_request *req, struct api_call *call)
{
	if (api_result_value(call, 0) == NULL)
		return (api_error(req, 500, "internal", NULL));
	if (call->verdict == NULL)
		return (api_reply(req, call, 204, NULL, 0));
	return (api_error(req, strcmp(call->verdict,
	    "provider_unavailable") == 0 ? 503 : 400, call->verdict, NULL));
}

/* What a (possibly unverified) webhook body claims, for the record. */
static void
bank_claims(const u_int8_t *raw, size_t len, char *ref, char *tid,
    long long *amount)
{
	json_t		*o, *v;
	const char	*code, *s;

	ref[0] = tid[0] = '\0';
	*amount = -1;
	if ((o = jsonin_parse((const char *)raw, len, &code)) == NULL)
		return;
	if ((s = jsonin_str(o, "reference")) != NULL)
		(void)kore_strlcpy(ref, s, CLAIM_MAX);
	v = json_object_get(o, "transaction_id");
	if (json_is_string(v))
		(void)kore_strlcpy(tid, json_string_value(v), CLAIM_MAX);
	else if (json_is_integer(v))
		(void)snprintf(tid, CLAIM_MAX, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	v = json_object_get(o, "amount_vnd");
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		*amount = json_integer_value(v);
	json_decref(o);
}

/*
 * POST /api/v1/payments/bank/webhook: the bank tells a transfer to our
 * VietQR account arrived: {"transaction_id","reference","amount_vnd",
 * "time"} signed in X-Signature (t=<unix>,v1=<HMAC-SHA256 of "t.body">)
 * over the raw body, at most 300 s old.  204 when processed (whatever the
 * outcome), 401 bad_signature for a missing, bad, stale or future
 * signature, 400 for a well-signed but malformed body; all recorded.
 */
static int
payment_bank_webhook(struct http_request *req, struct api_call *call)
{
	enum bank_verdict	 v;
	json_t			*o;
	u_int8_t		*raw;
	size_t			 len;
	const char		*hdr, *code, *reason = NULL, *err = NULL;
	const char		*ref;
	char			 cref[CLAIM_MAX], ctid[CLAIM_MAX];
	long long		 amount;

	if (!api_body_raw(req, call, CALLBACK_BODY_MAX, &raw, &len))
		return (KORE_RESULT_OK);
	bank_claims(raw, len, cref, ctid, &amount);

	if (pay.bank_secret == NULL) {
		reason = "not_configured";
		err = "provider_unavailable";
	} else if (!http_request_header(req, "x-signature", &hdr)) {
		reason = "no_signature";
		err = "bad_signature";
	} else {
		v = bank_verify(hdr, raw, len, pay.bank_secret, time(NULL),
		    BANK_TOLERANCE);
		switch (v) {
		case BANK_OK:
			break;
		case BANK_MALFORMED:
			reason = "malformed_signature";
			break;
		case BANK_STALE:
			reason = "stale_timestamp";
			break;
		case BANK_FUTURE:
			reason = "future_timestamp";
			break;
		default:
			reason = "bad_signature";
			break;
		}
		if (reason != NULL)
			err = "bad_signature";
	}
	o = NULL;
	if (reason == NULL) {
		/* Signed by the bank: now the body must be exactly right. */
		o = jsonin_parse((const char *)raw, len, &code);
		ref = o ? jsonin_str(o, "reference") : NULL;
		if (o == NULL || ref == NULL || *ref == '\0' ||
		    strlen(ref) >= CLAIM_MAX || ctid[0] == '\0' ||
		    amount < 1 || !json_is_integer(json_object_get(o,
		    "amount_vnd"))) {
			reason = "malformed";
			err = "invalid_callback";
		}
	}
	kore_free(raw);
	json_decref(o);
	call->verdict = err;
	return (callback_record(req, call, "vietqr", cref, ctid, amount,
	    reason != NULL ? -1 : 1, reason, bank_done));
}

static int
bank_done(struct http_request *req, struct api_call *call)
{
	int	status;

	if (api_result_value(call, 0) == NULL)
		return (api_error(req, 500, "internal", NULL));
	if (call->verdict == NULL)
		return (api_reply(req, call, 204, NULL, 0));
	if (strcmp(call->verdict, "provider_unavailable") == 0)
		status = 503;
	else if (strcmp(call->verdict, "bad_signature") == 0)
		status = 401;
	else
		status = 400;
	return (api_error(req, status, call->verdict, NULL));
}
