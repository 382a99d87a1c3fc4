/*
 * The request engine: request set-up (body, token, CSRF), the one
 * asynchronous database call shape, tasks off the event loop, and the one
 * response and error path.  Routing is route.c's, URL arguments args.c's;
 * the domain files only declare their routes and name their queries (see
 * san.h).
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "san.h"
#include "jsonin.h"
#include "validate.h"

#define PHASE_READY	0	/* handler still preparing */
#define PHASE_DB	1	/* waiting for a connection / sending */
#define PHASE_DB_WAIT	2	/* query in flight */
#define PHASE_TASK	3	/* task running */
#define PHASE_DONE	4	/* answered */

#define TOKEN_B64_LEN	43	/* 32 random bytes, base64url, no padding */
#define HASH_SLOTS_DEF	4

static void	api_call_free(struct http_request *);
static int	api_db_step(struct http_request *, struct api_call *);
static int	api_db_failed(struct http_request *, struct api_call *);
static void	api_params_free(struct api_call *);
static int	api_body_read(struct http_request *, struct api_call *);
static void	api_token(struct http_request *, struct api_call *);
static int	api_origin_ok(struct http_request *);
static void	api_access_log(struct http_request *, struct api_call *, int);

static int	hash_slots_used;

/*
 * Begin an API request: state, request id, language, method-independent
 * checks, token, CSRF and (with API_BODY_JSON) the parsed body.  Returns the
 * call, or NULL when it already answered with an error.
 */
struct api_call *
api_start(struct http_request *req, int flags)
{
	struct api_call		*call;
	const char		*lang;
	u_int8_t		 rnd[8];

	call = http_state_create(req, sizeof(*call), api_call_free);
	call->started = kore_time_ms();
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(call->id, sizeof(call->id), rnd, sizeof(rnd));
	if (http_request_header(req, "accept-language", &lang) &&
	    strncasecmp(lang, "en", 2) == 0)
		call->lang_en = 1;

	api_token(req, call);

	if (call->via_cookie && req->method != HTTP_METHOD_GET &&
	    req->method != HTTP_METHOD_HEAD && !api_origin_ok(req)) {
		api_error(req, 403, "csrf_origin", NULL);
		return (NULL);
	}

	if ((flags & API_BODY_JSON) && !api_body_read(req, call))
		return (NULL);

	return (call);
}

/* Kore's re-entry point for a sleeping request (api_route resumes). */
int
api_run(struct http_request *req)
{
	struct api_call		*call = http_state_get(req);
	api_step		 next;

	switch (call->phase) {
	case PHASE_DB:
	case PHASE_DB_WAIT:
		return (api_db_step(req, call));
	case PHASE_TASK:
		if (kore_task_state(&call->task) != KORE_TASK_STATE_FINISHED) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		call->task_ok = kore_task_result(&call->task) == KORE_RESULT_OK;
		call->task_outlen = kore_task_channel_read(&call->task,
		    call->task_out, sizeof(call->task_out) - 1);
		if (call->task_outlen >= sizeof(call->task_out))
			call->task_ok = 0, call->task_outlen = 0;
		call->task_out[call->task_outlen] = '\0';
		kore_task_destroy(&call->task);
		call->task_live = 0;
		if (call->hash_slot) {
			call->hash_slot = 0;
			hash_slots_used--;
		}
		call->phase = PHASE_READY;
		next = call->on_task;
		return (next(req, call));
	default:
		/* Woken after answering (late wake-up): nothing to do. */
		return (KORE_RESULT_OK);
	}
}

/* Append a text parameter (copied); NULL is SQL NULL. */
void
api_param(struct api_call *call, const char *value)
{
	if (call->nparams >= API_PARAMS_MAX)
		fatal("api_param: too many parameters");
	call->lengths[call->nparams] = 0;
	call->formats[call->nparams] = 0;
	call->params[call->nparams++] = value ? kore_strdup(value) : NULL;
}

/* An integer when present, else SQL NULL. */
void
api_param_opt_int(struct api_call *call, int present, long long v)
{
	if (present)
		api_param_int(call, v);
	else
		api_param(call, NULL);
}

/* Append a binary parameter (copied), e.g. bytea. */
void
api_param_bytes(struct api_call *call, const void *data, size_t len)
{
	if (call->nparams >= API_PARAMS_MAX || len > INT_MAX)
		fatal("api_param_bytes: bad parameter");
	call->params[call->nparams] = kore_malloc(len ? len : 1);
	memcpy(call->params[call->nparams], data, len);
	call->lengths[call->nparams] = (int)len;
	call->formats[call->nparams++] = 1;
}

void
api_param_json(struct api_call *call, json_t *value)
{
	char	*text;

	if ((text = json_dumps(value, JSON_COMPACT)) == NULL)
		fatal("api_param_json: out of memory");
	api_param(call, text);
	free(text);
}

/* The caller's session token hash, or NULL when anonymous. */
void
api_param_token(struct api_call *call)
{
	api_param(call, call->token_hash[0] ? call->token_hash : NULL);
}

void
api_param_int(struct api_call *call, long long v)
{
	char	buf[32];

	(void)snprintf(buf, sizeof(buf), "%lld", v);
	api_param(call, buf);
}

/*
 * Run the SQL query with the parameters added so far.  on_result gets the
 * call when the result is in (call->result); NULL answers with the
 * api.result row.
 */
int
api_sql(struct http_request *req, struct api_call *call, const char *query,
    api_step on_result)
{
	if (call->sql_bound)
		db_cleanup(&call->sql);
	kore_pgsql_init(&call->sql);
	kore_pgsql_bind_request(&call->sql, req);
	call->sql_bound = 1;
	if (call->result != NULL) {
		PQclear(call->result);
		call->result = NULL;
	}
	call->query = query;
	call->on_result = on_result;
	call->phase = PHASE_DB;
	return (api_db_step(req, call));
}

/* Free the parameters of the last query. */
static void
api_params_free(struct api_call *call)
{
	int	i;

	for (i = 0; i < call->nparams; i++) {
		kore_free(call->params[i]);
		call->params[i] = NULL;
	}
	call->nparams = 0;
}

/* The asynchronous query state machine; see Kore's examples/pgsql. */
static int
api_db_step(struct http_request *req, struct api_call *call)
{
	for (;;) {
		if (call->phase == PHASE_DB) {
			if (call->replica ? !db_acquire_replica(&call->sql) :
			    !db_acquire(&call->sql)) {
				/* Queued until a connection frees up (db.c). */
				if (call->sql.state == KORE_PGSQL_STATE_INIT)
					return (KORE_RESULT_RETRY);
				return (api_db_failed(req, call));
			}
			/* Repair what an earlier user left (db.c). */
			db_settle(&call->sql);
			/* Without parameters: simple protocol. */
			if (call->nparams == 0 && !call->binary_result ?
			    !kore_pgsql_query(&call->sql, call->query) :
			    !kore_pgsql_query_param_fields(&call->sql,
			    call->query, call->binary_result, call->nparams,
			    (const char **)call->params, call->lengths,
			    call->formats))
				return (api_db_failed(req, call));
			/* A replica read keeps them to retry on the primary. */
			if (!call->replica)
				api_params_free(call);
			call->phase = PHASE_DB_WAIT;
			return (KORE_RESULT_RETRY);
		}

		switch (call->sql.state) {
		case KORE_PGSQL_STATE_WAIT:
			return (KORE_RESULT_RETRY);
		case KORE_PGSQL_STATE_RESULT:
			/* Keep the first result; the engine owns it now. */
			if (call->result == NULL) {
				call->result = call->sql.result;
				call->sql.result = NULL;
			}
			kore_pgsql_continue(&call->sql);
			break;
		case KORE_PGSQL_STATE_COMPLETE:
			/* The connection is back in the pool. */
			call->phase = PHASE_READY;
			if (call->replica) {
				call->replica = 0;
				api_params_free(call);
			}
			if (call->on_result != NULL)
				return (call->on_result(req, call));
			if (call->result == NULL)
				return (api_db_failed(req, call));
			return (api_reply_result(req, call));
		case KORE_PGSQL_STATE_ERROR:
			return (api_db_failed(req, call));
		default:
			kore_pgsql_continue(&call->sql);
			break;
		}
	}
}

/*
 * A query failed.  Only the SQLSTATE is logged: PostgreSQL messages can
 * quote the values of a row (personal data).  Connection trouble answers
 * 503, anything else 500.
 */
static int
api_db_failed(struct http_request *req, struct api_call *call)
{
	const char	*state = NULL;
	int		 down;

	if (call->sql.result != NULL)
		state = PQresultErrorField(call->sql.result, PG_DIAG_SQLSTATE);
	/*
	 * The replica is down, or refused (recovery conflict): the same
	 * query on the primary, and the primary alone for a while (db.c).
	 */
	if (call->replica) {
		kore_log(LOG_NOTICE, "req %s: replica failed (sqlstate %s), "
		    "reading from the primary", call->id, state ? state : "-");
		db_replica_failed();
		db_cleanup(&call->sql);
		call->replica = 0;
		if (call->result != NULL) {
			PQclear(call->result);
			call->result = NULL;
		}
		kore_pgsql_init(&call->sql);
		kore_pgsql_bind_request(&call->sql, req);
		call->phase = PHASE_DB;
		return (api_db_step(req, call));
	}
	/* No connection could be had, or the one we had broke. */
	down = call->sql.state == KORE_PGSQL_STATE_ERROR &&
	    (call->sql.conn == NULL ||
	    PQstatus(call->sql.conn->db) != CONNECTION_OK ||
	    (state != NULL && strncmp(state, "57P", 3) == 0));
	kore_log(LOG_WARNING, "req %s: database %s (sqlstate %s)", call->id,
	    down ? "unavailable" : "error", state ? state : "-");
	db_cleanup(&call->sql);
	call->sql_bound = 0;
	/* A caller with its own protocol (a provider's callback) answers. */
	if (call->on_db_error != NULL)
		return (call->on_db_error(req, call));
	if (down) {
		http_response_header(req, "retry-after", "1");
		return (api_error(req, 503, "db_unavailable", NULL));
	}
	return (api_error(req, 500, "internal", NULL));
}

/* Column col of the first row of the result, NULL when SQL NULL. */
const char *
api_result_value(struct api_call *call, int col)
{
	if (call->result == NULL || PQntuples(call->result) < 1 ||
	    col >= PQnfields(call->result) ||
	    PQgetisnull(call->result, 0, col))
		return (NULL);
	return (PQgetvalue(call->result, 0, col));
}

/* Answer with an api.result row: (status, body, error, field). */
int
api_reply_result(struct http_request *req, struct api_call *call)
{
	const char	*status, *body, *error, *field;
	int		 code;

	status = api_result_value(call, 0);
	body = api_result_value(call, 1);
	error = api_result_value(call, 2);
	field = api_result_value(call, 3);
	code = status ? atoi(status) : 500;
	if (error != NULL)
		return (api_error_details(req, code, error, field, body));
	return (api_reply(req, call, code, body, body ? strlen(body) : 0));
}

/*
 * Answer a successful api.result's body as the CSV attachment
 * call->csv_name (static, set by api_op from the op's csv); an error row
 * answers as usual.  The body is UTF-8 text made by api.csv.
 */
int
api_reply_csv(struct http_request *req, struct api_call *call)
{
	const char	*body;
	char		 disposition[96];

	if (api_result_value(call, 2) != NULL || call->csv_name == NULL)
		return (api_reply_result(req, call));
	body = api_result_value(call, 1);
	(void)snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"%s\"", call->csv_name);
	http_response_header(req, "content-disposition", disposition);
	return (api_send(req, call, 200, "text/csv; charset=utf-8",
	    "private, no-store", body, body ? strlen(body) : 0));
}

/*
 * Run entry in a task thread with len bytes of input on its channel; then
 * on_task gets the call with task_ok and task_out set.
 */
int
api_task(struct http_request *req, struct api_call *call,
    int (*entry)(struct kore_task *), const void *in, size_t len,
    api_step on_task)
{
	kore_task_create(&call->task, entry);
	kore_task_bind_request(&call->task, req);
	call->task_live = 1;
	call->on_task = on_task;
	call->phase = PHASE_TASK;
	kore_task_run(&call->task);
	kore_task_channel_write(&call->task, (void *)in, len);
	return (KORE_RESULT_RETRY);
}

/*
 * Password hashing is bounded per worker (SAN_HASH_SLOTS, default 4) so a
 * burst of logins cannot queue unbounded 64 MiB argon2id jobs.  Returns 1
 * with a slot held (released when the task is consumed or the request
 * dies), or 0 after answering 503.
 */
int
api_hash_slot_take(struct http_request *req, struct api_call *call)
{
	static int	 slots;
	const char	*env;

	if (slots == 0) {
		env = getenv("SAN_HASH_SLOTS");
		slots = env ? atoi(env) : HASH_SLOTS_DEF;
		if (slots < 1)
			slots = HASH_SLOTS_DEF;
	}
	if (hash_slots_used >= slots) {
		http_response_header(req, "retry-after", "1");
		api_error(req, 503, "busy", NULL);
		return (0);
	}
	hash_slots_used++;
	call->hash_slot = 1;
	return (1);
}

/* JSON answer (body may be empty): api_send with the API's headers. */
int
api_reply(struct http_request *req, struct api_call *call, int status,
    const char *body, size_t len)
{
	return (api_send(req, call, status, len > 0 ?
	    "application/json; charset=utf-8" : NULL, "no-store", body, len));
}

/*
 * The one way a response leaves: headers (type and cache policy when
 * given, request id), body (none for 204/304), access log line.
 */
int
api_send(struct http_request *req, struct api_call *call, int status,
    const char *ctype, const char *cache, const void *body, size_t len)
{
	if (cache != NULL)
		http_response_header(req, "cache-control", cache);
	if (ctype != NULL)
		http_response_header(req, "content-type", ctype);
	if (call != NULL)
		http_response_header(req, "x-request-id", call->id);
	http_response(req, status, body,
	    status == 204 || status == 304 ? 0 : len);
	if (call != NULL) {
		api_access_log(req, call, status);
		call->phase = PHASE_DONE;
	}
	return (KORE_RESULT_OK);
}

/*
 * The one error path: {"error":{"code","message","field"}}.  code and field
 * are ours (catalogue codes, rule names), never raw input.  The message is
 * Vietnamese unless Accept-Language asks for English.
 */
int
api_error(struct http_request *req, int status, const char *code,
    const char *field)
{
	return (api_error_details(req, status, code, field, NULL));
}

/*
 * The error shape with "details": JSON the server built itself (an SQL
 * function's body next to its error code, e.g. which items are out of
 * stock); never raw input.
 */
int
api_error_details(struct http_request *req, int status, const char *code,
    const char *field, const char *details)
{
	struct api_call	*call = http_state_get(req);
	json_t		*root, *extra;
	char		*text;
	int		 ret;

	root = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code,
	    "message", errcat_message(code, call ? call->lang_en : 0),
	    "field", field);
	if (root != NULL && details != NULL &&
	    (extra = json_loads(details, 0, NULL)) != NULL)
		json_object_set_new(json_object_get(root, "error"),
		    "details", extra);
	if (root == NULL || (text = json_dumps(root, JSON_COMPACT)) == NULL)
		fatal("api_error: out of memory");
	json_decref(root);
	ret = api_reply(req, call, status, text, strlen(text));
	free(text);
	return (ret);
}

/* Kore frees the request: release everything the call holds.  May run
 * twice (Kore calls onfree again while a task is still running). */
static void
api_call_free(struct http_request *req)
{
	struct api_call	*call = http_state_get(req);
	int		 i;

	if (call == NULL || call->finished)
		return;
	if (call->sql_bound) {
		db_cleanup(&call->sql);
		call->sql_bound = 0;
	}
	if (call->result != NULL) {
		PQclear(call->result);
		call->result = NULL;
	}
	for (i = 0; i < call->nparams; i++)
		kore_free(call->params[i]);
	call->nparams = 0;
	if (call->body != NULL) {
		json_decref(call->body);
		call->body = NULL;
	}
	if (call->hash_slot) {
		call->hash_slot = 0;
		hash_slots_used--;
	}
	if (call->phase != PHASE_DONE)
		api_access_log(req, call, 499);
	sodium_memzero(call->task_out, sizeof(call->task_out));
	/* Still running?  Kore calls us again once the task is done. */
	if (call->task_live && !kore_task_finished(&call->task))
		return;
	if (call->task_arg != NULL && call->task_arg_free != NULL)
		call->task_arg_free(call->task_arg);
	call->task_arg = NULL;
	call->finished = 1;
}

/* Request id, method, path without query string, status, milliseconds. */
static void
api_access_log(struct http_request *req, struct api_call *call, int status)
{
	kore_log(LOG_INFO, "access id=%s %s %s %d %llums", call->id,
	    http_method_text(req->method), req->path, status,
	    (unsigned long long)(kore_time_ms() - call->started));
}

/* Read and strictly parse the JSON body into call->body. */
static int
api_body_read(struct http_request *req, struct api_call *call)
{
	const char	*ctype, *code;
	u_int8_t	*buf;
	size_t		 len;

	if (!http_request_header(req, "content-type", &ctype) ||
	    strncasecmp(ctype, "application/json", 16) != 0 ||
	    (ctype[16] != '\0' && ctype[16] != ';' && ctype[16] != ' ')) {
		api_error(req, 415, "unsupported_media_type", NULL);
		return (0);
	}
	if (!api_body_raw(req, call, API_JSON_MAX, &buf, &len))
		return (0);
	call->body = jsonin_parse((const char *)buf, len, &code);
	kore_free(buf);
	if (call->body == NULL) {
		api_error(req, 400, code, NULL);
		return (0);
	}
	return (1);
}

/*
 * Session token from "Authorization: Bearer" (preferred) or the sid
 * cookie; only its BLAKE2b-256 hash is kept.  A malformed token counts as
 * none.
 */
static void
api_token(struct http_request *req, struct api_call *call)
{
	const char	*auth, *tok = NULL;
	char		*cookie = NULL;
	u_int8_t	 hash[32];
	size_t		 i;

	if (http_request_header(req, "authorization", &auth) &&
	    strncasecmp(auth, "Bearer ", 7) == 0) {
		tok = auth + 7;
	} else {
		http_populate_cookies(req);
		if (http_request_cookie(req, "sid", &cookie)) {
			tok = cookie;
			call->via_cookie = 1;
		}
	}
	if (tok == NULL || strlen(tok) != TOKEN_B64_LEN) {
		call->via_cookie = 0;
		return;
	}
	for (i = 0; i < TOKEN_B64_LEN; i++) {
		if (!isalnum((unsigned char)tok[i]) && tok[i] != '-' &&
		    tok[i] != '_') {
			call->via_cookie = 0;
			return;
		}
	}
	crypto_generichash(hash, sizeof(hash), (const u_int8_t *)tok,
	    TOKEN_B64_LEN, NULL, 0);
	sodium_bin2hex(call->token_hash, sizeof(call->token_hash), hash,
	    sizeof(hash));
}

/*
 * CSRF defence for cookie-authenticated unsafe requests: Origin must be
 * this host (http or https) or listed in SAN_ALLOWED_ORIGINS
 * (space-separated).
 */
static int
api_origin_ok(struct http_request *req)
{
	const char	*origin, *host, *allowed, *p;
	size_t		 len;
	char		 self[300];

	if (!http_request_header(req, "origin", &origin))
		return (0);
	if (http_request_header(req, "host", &host)) {
		(void)snprintf(self, sizeof(self), "http://%s", host);
		if (strcmp(origin, self) == 0)
			return (1);
		(void)snprintf(self, sizeof(self), "https://%s", host);
		if (strcmp(origin, self) == 0)
			return (1);
	}
	if ((allowed = getenv("SAN_ALLOWED_ORIGINS")) == NULL)
		return (0);
	len = strlen(origin);
	for (p = allowed; *p != '\0'; ) {
		while (*p == ' ')
			p++;
		if (strncmp(p, origin, len) == 0 &&
		    (p[len] == ' ' || p[len] == '\0'))
			return (1);
		while (*p != ' ' && *p != '\0')
			p++;
	}
	return (0);
}

/*
 * Validate call->body against rules.  Unknown members, missing required
 * members (unless partial), null for a required member and bad values
 * answer 400 with the field named.  In an update (partial) null for an
 * optional member is kept, meaning "clear it".  On success *out is a new
 * object of normalised values (caller decrefs).
 */
int
api_fields(struct http_request *req, struct api_call *call,
    const struct field_rule *rules, size_t n, int partial, json_t **out)
{
	struct field_error	err;

	err.path[0] = '\0';
	if (!fields_check(call->body, rules, n, partial, &err, out)) {
		api_error(req, 400, err.code, err.path[0] ? err.path : NULL);
		return (0);
	}
	if (partial && json_object_size(*out) == 0) {
		json_decref(*out);
		api_error(req, 400, "empty_update", NULL);
		return (0);
	}
	return (1);
}


/*
 * Read the whole body (at most max bytes) into a buffer the caller frees
 * with kore_free.  Returns 0 after answering 413 when it is larger.
 */
int
api_body_raw(struct http_request *req, struct api_call *call, size_t max,
    u_int8_t **out, size_t *outlen)
{
	u_int8_t	*buf;
	size_t		 len = 0;
	ssize_t		 r;

	(void)call;
	if (req->content_length > max) {
		api_error(req, 413, "body_too_large", NULL);
		return (0);
	}
	buf = kore_malloc(req->content_length + 1);
	while (len < req->content_length) {
		r = http_body_read(req, buf + len, req->content_length - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	*out = buf;
	*outlen = len;
	return (1);
}

/*
 * The client's address.  With SAN_TRUST_PROXY=1 it is the X-Real-IP nginx
 * sets: only enable it where the app is reachable from the proxy alone
 * (loopback, or the compose network).
 */
void
api_client_ip(struct http_request *req, char *buf, size_t len)
{
	struct connection	*c = req->owner;
	const char		*real;
	struct in6_addr		 tmp;

	(void)kore_strlcpy(buf, "0.0.0.0", len);
	if (c->family == AF_INET) {
		(void)inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, buf, len);
	} else if (c->family == AF_INET6) {
		(void)inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, buf, len);
	}
	if (getenv("SAN_TRUST_PROXY") != NULL &&
	    strcmp(getenv("SAN_TRUST_PROXY"), "1") == 0 &&
	    http_request_header(req, "x-real-ip", &real) &&
	    (inet_pton(AF_INET, real, &tmp) == 1 ||
	    inet_pton(AF_INET6, real, &tmp) == 1))
		(void)kore_strlcpy(buf, real, len);
}
