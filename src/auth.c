/*
 * Accounts and sessions: register, login, logout, me, and admin role
 * changes.  Passwords are argon2id (libsodium, interactive limits), hashed
 * and verified in a Kore task so the event loop never stalls; tokens are
 * 256-bit random, only their hash reaches the database (api.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "san.h"
#include "validate.h"

#define TOKEN_BYTES	32
#define SID_MAX_AGE	(7 * 24 * 3600)

static int	auth_register(struct http_request *, struct api_call *);
static int	auth_login(struct http_request *, struct api_call *);
static int	register_hashed(struct http_request *, struct api_call *);
static int	login_begun(struct http_request *, struct api_call *);
static int	login_verified(struct http_request *, struct api_call *);
static int	login_finished(struct http_request *, struct api_call *);
static int	logout_done(struct http_request *, struct api_call *);
static int	task_hash_password(struct kore_task *);
static int	task_verify_password(struct kore_task *);
static void	sid_cookie(struct http_request *, const char *, int);

static const struct field_rule register_fields[] = {
	{ .name = "email", .kind = FIELD_EMAIL, .required = 1 },
	{ .name = "password", .kind = FIELD_TEXT, .required = 1, .max = 1024 },
	{ .name = "full_name", .kind = FIELD_TEXT, .required = 1, .max = 200 },
	{ .name = "phone", .kind = FIELD_PHONE },
};

static const struct field_rule login_fields[] = {
	{ .name = "email", .kind = FIELD_TEXT, .required = 1, .max = EMAIL_MAX },
	{ .name = "password", .kind = FIELD_TEXT, .required = 1, .max = PASSWORD_MAX_BYTES },
};

static const char *const role_choices[] = { "official", "admin", NULL };
static const char *const action_choices[] = { "grant", "revoke", NULL };
static const struct field_rule role_fields[] = {
	{ .name = "role", .kind = FIELD_ENUM, .required = 1, .choices = role_choices },
	{ .name = "action", .kind = FIELD_ENUM, .required = 1, .choices = action_choices },
};

/* POST /api/v1/auth/logout: the token dies at once. */
static const struct api_op logout_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.logout($1)",
	.on_result = logout_done,
};

/* GET /api/v1/me: account, roles, businesses. */
static const struct api_op me_op = {
	.flags = OP_TOKEN, .sql = "SELECT * FROM api.me($1)",
};

/* POST /api/v1/admin/accounts/{id}/roles {role, action} (admins) */
static const struct api_op roles_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 4,
	.not_found = "account_not_found", OP_RULES(role_fields),
	.sql = "SELECT * FROM api.role_change($1, $2, $3::jsonb->>'role', "
	    "$3::jsonb->>'action')",
};

static const struct qs_rule accounts_args[] = {
	{ .name = "q", .kind = QS_TEXT, .max = 254 },
	QS_PAGE,
};

/*
 * GET /api/v1/admin/accounts?q=&after=&limit= (admins): accounts by id,
 * those whose e-mail or name starts with q (any case, with or without
 * diacritics), with their roles.
 */
static const struct api_op accounts_op = {
	.flags = OP_TOKEN, OP_ARGS(accounts_args),
	.sql = "SELECT * FROM api.admin_accounts($1, $2, $3, $4)",
};

const struct api_route auth_routes[] = {
	{ .path = "/api/v1/auth/register", .methods = {
		ROUTE_RUN(POST, auth_register, API_BODY_JSON) } },
	{ .path = "/api/v1/auth/login", .methods = {
		ROUTE_RUN(POST, auth_login, API_BODY_JSON) } },
	{ .path = "/api/v1/auth/logout", .methods = {
		ROUTE_OP(POST, &logout_op) } },
	{ .path = "/api/v1/me", .methods = { ROUTE_OP(GET, &me_op) } },
	{ .path = "/api/v1/admin/accounts", .methods = {
		ROUTE_OP(GET, &accounts_op) } },
	{ .path = "^/api/v1/admin/accounts/([0-9]{1,18})/roles$", .methods = {
		ROUTE_OP(POST, &roles_op) } },
	{ .path = NULL }
};

/*
 * A hash a login of an unknown email is verified against, so such logins
 * cost the same time as real ones.  Made once per worker.
 */
static char	dummy_hash[crypto_pwhash_STRBYTES];

/*
 * The password as the client sent it (no trimming: spaces are part of a
 * password).  Validated as text by api_fields().
 */
static const char *
raw_password(struct api_call *call)
{
	return (json_string_value(json_object_get(call->body, "password")));
}

/* POST /api/v1/auth/register {email, password, full_name, phone?} */
static int
auth_register(struct http_request *req, struct api_call *call)
{
	json_t		*clean;
	const char	*why, *pw;
	int		 ret;

	if (!api_fields(req, call, register_fields, nitems(register_fields),
	    0, &clean))
		return (KORE_RESULT_OK);
	pw = raw_password(call);
	if ((why = password_policy(pw)) != NULL) {
		json_decref(clean);
		return (api_error(req, 400, why, "password"));
	}
	if (!api_hash_slot_take(req, call)) {
		json_decref(clean);
		return (KORE_RESULT_OK);
	}
	/* The task copies the password; keep only the normalised fields. */
	ret = api_task(req, call, task_hash_password, pw, strlen(pw),
	    register_hashed);
	json_decref(call->body);
	call->body = clean;
	return (ret);
}

static int
register_hashed(struct http_request *req, struct api_call *call)
{
	if (!call->task_ok)
		return (api_error(req, 500, "internal", NULL));
	api_param(call, json_string_value(json_object_get(call->body,
	    "email")));
	api_param(call, call->task_out);
	api_param(call, json_string_value(json_object_get(call->body,
	    "full_name")));
	api_param(call, json_string_value(json_object_get(call->body,
	    "phone")));
	return (api_sql(req, call,
	    "SELECT * FROM api.register($1, $2, $3, $4)", NULL));
}

/* POST /api/v1/auth/login {email, password} */
static int
auth_login(struct http_request *req, struct api_call *call)
{
	json_t		*clean;

	if (!api_fields(req, call, login_fields, nitems(login_fields), 0,
	    &clean))
		return (KORE_RESULT_OK);
	/* The address is recorded again by login_finish. */
	api_client_ip(req, call->client_addr, sizeof(call->client_addr));
	api_param(call, json_string_value(json_object_get(clean, "email")));
	api_param(call, call->client_addr);
	json_decref(clean);
	return (api_sql(req, call, "SELECT retry_after, account_id, "
	    "password_hash FROM api.login_begin($1, $2)", login_begun));
}

static int
login_begun(struct http_request *req, struct api_call *call)
{
	const char	*retry, *account, *hash, *pw;
	char		*in;
	size_t		 pwlen, hlen;
	int		 ret, err;

	retry = api_result_value(call, 0);
	account = api_result_value(call, 1);
	hash = api_result_value(call, 2);
	if (retry != NULL && strcmp(retry, "0") != 0) {
		http_response_header(req, "retry-after", retry);
		return (api_error(req, 429, "too_many_attempts", NULL));
	}
	if (dummy_hash[0] == '\0' && crypto_pwhash_str(dummy_hash,
	    "san-dummy-password", 18, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (api_error(req, 500, "internal", NULL));
	if (account != NULL) {
		call->account_id = kore_strtonum(account, 10, 1, LLONG_MAX,
		    &err);
		if (err != KORE_RESULT_OK)
			call->account_id = 0;
	}
	if (account == NULL || hash == NULL)
		hash = dummy_hash;

	if (!api_hash_slot_take(req, call))
		return (KORE_RESULT_OK);
	/* Task input: hash, NUL, password. */
	pw = raw_password(call);
	pwlen = strlen(pw);
	hlen = strlen(hash) + 1;
	in = kore_malloc(hlen + pwlen);
	memcpy(in, hash, hlen);
	memcpy(in + hlen, pw, pwlen);
	ret = api_task(req, call, task_verify_password, in, hlen + pwlen,
	    login_verified);
	sodium_memzero(in, hlen + pwlen);
	kore_free(in);
	return (ret);
}

static int
login_verified(struct http_request *req, struct api_call *call)
{
	u_int8_t	 raw[TOKEN_BYTES], hash[32];
	char		*token;
	int		 ok;

	ok = call->task_ok && call->task_out[0] == '1' && call->account_id > 0;
	api_param_opt_int(call, call->account_id > 0, call->account_id);
	api_param(call, call->client_addr);
	api_param(call, ok ? "true" : "false");
	if (!ok) {
		api_param(call, NULL);
		return (api_sql(req, call,
		    "SELECT * FROM api.login_finish($1, $2, $3, $4)", NULL));
	}

	randombytes_buf(raw, sizeof(raw));
	if (!kore_base64url_encode(raw, sizeof(raw), &token,
	    KORE_BASE64_RAW))
		fatal("base64url_encode failed");
	sodium_memzero(raw, sizeof(raw));
	crypto_generichash(hash, sizeof(hash), (u_int8_t *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(call->token_hash, sizeof(call->token_hash), hash,
	    sizeof(hash));
	api_param(call, call->token_hash);
	/* The token waits in task_out until the session row exists. */
	(void)kore_strlcpy(call->task_out, token, sizeof(call->task_out));
	sodium_memzero(token, strlen(token));
	kore_free(token);
	return (api_sql(req, call,
	    "SELECT * FROM api.login_finish($1, $2, $3, $4)",
	    login_finished));
}

static int
login_finished(struct http_request *req, struct api_call *call)
{
	const char	*error, *body;
	char		*out;
	size_t		 len;
	int		 ret;

	if ((error = api_result_value(call, 2)) != NULL ||
	    (body = api_result_value(call, 1)) == NULL)
		return (api_reply_result(req, call));
	/* The token is base64url: safe to place in JSON as is. */
	len = strlen(body) + strlen(call->task_out) + 32;
	out = kore_malloc(len);
	(void)snprintf(out, len, "{\"token\":\"%s\",\"account\":%s}",
	    call->task_out, body);
	sid_cookie(req, call->task_out, SID_MAX_AGE);
	ret = api_reply(req, call, 200, out, strlen(out));
	sodium_memzero(out, len);
	kore_free(out);
	return (ret);
}

static int
logout_done(struct http_request *req, struct api_call *call)
{
	sid_cookie(req, "", 0);
	return (api_reply_result(req, call));
}

/*
 * Session cookie: HttpOnly, SameSite=Lax, Secure when SAN_SECURE_COOKIES=1
 * (behind TLS); max_age 0 deletes it.  Written as a raw header because
 * Kore 4.1's http_response_cookie() knows no SameSite, always adds Secure
 * and cannot emit Max-Age=0.
 */
static void
sid_cookie(struct http_request *req, const char *value, int max_age)
{
	const char	*secure = getenv("SAN_SECURE_COOKIES");
	char		 buf[192];

	(void)snprintf(buf, sizeof(buf),
	    "sid=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", value,
	    max_age, secure != NULL && strcmp(secure, "1") == 0 ?
	    "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
	sodium_memzero(buf, sizeof(buf));
}

/* Task: channel in = password; channel out = argon2id string. */
static int
task_hash_password(struct kore_task *t)
{
	char		pw[PASSWORD_MAX_BYTES * 4 + 1];
	char		out[crypto_pwhash_STRBYTES];
	u_int32_t	len;
	int		ret = KORE_RESULT_ERROR;

	len = kore_task_channel_read(t, pw, sizeof(pw) - 1);
	if (len < sizeof(pw) && crypto_pwhash_str(out, pw, len,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0) {
		kore_task_channel_write(t, out, strlen(out));
		ret = KORE_RESULT_OK;
	}
	sodium_memzero(pw, sizeof(pw));
	return (ret);
}

/* Task: channel in = hash NUL password; channel out = "1" or "0". */
static int
task_verify_password(struct kore_task *t)
{
	char		in[crypto_pwhash_STRBYTES + PASSWORD_MAX_BYTES * 4 + 2];
	u_int32_t	len;
	size_t		hlen;
	int		ok = 0;

	len = kore_task_channel_read(t, in, sizeof(in) - 1);
	if (len < sizeof(in)) {
		in[len] = '\0';
		hlen = strnlen(in, len);
		if (hlen < len)
			ok = crypto_pwhash_str_verify(in, in + hlen + 1,
			    len - hlen - 1) == 0;
	}
	sodium_memzero(in, sizeof(in));
	kore_task_channel_write(t, ok ? "1" : "0", 1);
	return (KORE_RESULT_OK);
}
