/*
 * Product media: image upload (raw body or multipart), image serving with
 * ETag revalidation, and QR codes of product URLs for labels.  Images live
 * in PostgreSQL (stateless app nodes); their type is judged by content
 * (image.c), never by a file name or the client's Content-Type.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "san.h"
#include "image.h"
#include "thumb.h"
#include "validate.h"

static int	media_image_upload(struct http_request *, struct api_call *);
/*
 * A thumbnail job: the worker fills in, the task fills out; freed by
 * media_thumb_done, or by api_call_free when the request died first
 * (only once the task has finished).  malloc/free only: the task thread
 * must not use Kore's allocator.
 */
#define THUMB_SLOTS	2		/* thumbnail tasks per worker */
static int	thumb_busy;

struct thumb_job {
	unsigned char	*in;
	size_t		 inlen;
	unsigned char	*out;
	size_t		 outlen;
	const char	*mime;
};

static int	media_image_get(struct http_request *, struct api_call *);
static int	media_image_thumb(struct http_request *, struct api_call *);
static int	media_thumb_done(struct http_request *, struct api_call *);
static int	media_thumb_task(struct kore_task *);
static void	media_thumb_job_free(void *);
static int	media_image_got(struct http_request *, struct api_call *);
static int	qr_ready(struct http_request *, struct api_call *);
static void	backfill_run(void *, u_int64_t);
static void	backfill_claimed(struct kore_pgsql *, void *);
static void	backfill_made(struct kore_task *);
static void	backfill_stored(struct kore_pgsql *, void *);
static void	backfill_end(struct kore_pgsql *);

/* DELETE /api/v1/images/{id} (store members). */
static const struct api_op image_delete_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "image_not_found",
	.sql = "SELECT * FROM api.image_delete($1, $2)",
};

/* PATCH /api/v1/images/{id} {position} (store members): reorder. */
static const struct field_rule image_move_fields[] = {
	{ .name = "position", .kind = FIELD_INT, .required = 1,
	    .lo = 0, .hi = 7 },
};

static const struct api_op image_move_op = {
	.flags = OP_TOKEN | OP_PATH_ID, .path_seg = 3,
	.not_found = "image_not_found", OP_RULES(image_move_fields),
	.sql = "SELECT * FROM api.image_move($1, $2, $3::jsonb)",
};

/*
 * GET /api/v1/products/{id}/qr.svg: QR code of the product's web page,
 * SAN_PUBLIC_URL (default http://127.0.0.1:8888) + /san-pham/{id}, for
 * packaging labels: a phone's camera opens the listing in the web app.
 */
static const struct api_op qr_op = {
	.flags = OP_PATH_ID, .path_seg = 3, .not_found = "product_not_found",
	.sql = "SELECT * FROM api.product_qr($1)", .on_result = qr_ready,
};

/*
 * /api/v1/products/{id}/images: POST one image (store members).
 * /api/v1/images/{id}: GET the bytes (ETag, 304), DELETE, PATCH its
 * position (members).
 */
const struct api_route media_routes[] = {
	{ .path = "^/api/v1/products/([0-9]{1,18})/images$", .methods = {
		ROUTE_RUN(POST, media_image_upload, 0) } },
	{ .path = "^/api/v1/products/([0-9]{1,18})/qr\\.svg$", .methods = {
		ROUTE_OP(GET, &qr_op) } },
	{ .path = "^/api/v1/images/([0-9]{1,18})$", .methods = {
		ROUTE_RUN(GET, media_image_get, 0),
		ROUTE_RUN(HEAD, media_image_get, 0),
		ROUTE_OP(DELETE, &image_delete_op),
		ROUTE_OP(PATCH, &image_move_op) } },
	{ .path = "^/api/v1/images/([0-9]{1,18})/thumb$", .methods = {
		ROUTE_RUN(GET, media_image_thumb, 0),
		ROUTE_RUN(HEAD, media_image_thumb, 0) } },
	{ .path = NULL }
};

/* One image per request, raw (Content-Type image/...) or
 * multipart/form-data. */
static int
media_image_upload(struct http_request *req, struct api_call *call)
{
	struct http_file	*file;
	const char		*ctype, *mime;
	u_int8_t		*buf = NULL, hash[crypto_hash_sha256_BYTES];
	size_t			 len = 0;
	ssize_t			 r;
	char			 etag[crypto_hash_sha256_BYTES * 2 + 1];
	struct thumb_job	*job;

	api_param_token(call);
	if (!api_path_id(req, call, 3, "product_not_found"))
		return (KORE_RESULT_OK);
	if (!http_request_header(req, "content-type", &ctype))
		ctype = "";
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		/* Multipart framing adds a little; the file itself is
		 * checked against the image limit below. */
		if (req->content_length > IMAGE_MAX_BYTES + 64 * 1024)
			return (api_error(req, 413, "image_too_large", NULL));
		http_populate_multipart_form(req);
		if ((file = http_file_lookup(req, "image")) == NULL &&
		    (file = TAILQ_FIRST(&req->files)) == NULL)
			return (api_error(req, 400, "required", "image"));
		if (file->length > IMAGE_MAX_BYTES)
			return (api_error(req, 413, "image_too_large", NULL));
		buf = kore_malloc(file->length + 1);
		http_file_rewind(file);
		while (len < file->length) {
			r = http_file_read(file, buf + len, file->length - len);
			if (r <= 0)
				break;
			len += (size_t)r;
		}
	} else if (strncasecmp(ctype, "image/", 6) == 0 ||
	    strncasecmp(ctype, "application/octet-stream", 24) == 0) {
		if (req->content_length > IMAGE_MAX_BYTES)
			return (api_error(req, 413, "image_too_large", NULL));
		if (!api_body_raw(req, call, IMAGE_MAX_BYTES, &buf, &len))
			return (KORE_RESULT_OK);
	} else {
		return (api_error(req, 415, "unsupported_image_type", NULL));
	}

	if ((mime = image_sniff(buf, len)) == NULL) {
		kore_free(buf);
		return (api_error(req, 415, "unsupported_image_type", "image"));
	}
	crypto_hash_sha256(hash, buf, len);
	sodium_bin2hex(etag, sizeof(etag), hash, sizeof(hash));
	api_param(call, mime);
	api_param_bytes(call, buf, len);
	api_param(call, etag);
	/*
	 * The thumbnail is made in a task, at most THUMB_SLOTS at once per
	 * worker.  Without libvips, or when they are all busy, the image is
	 * stored without one (its /thumb answers the original).
	 */
	if (!thumb_init() || thumb_busy >= THUMB_SLOTS) {
		kore_free(buf);
		return (media_thumb_done(req, call));
	}
	thumb_busy++;
	job = kore_calloc(1, sizeof(*job));
	job->in = kore_malloc(len);
	memcpy(job->in, buf, len);
	job->inlen = len;
	kore_free(buf);
	call->task_arg = job;
	call->task_arg_free = media_thumb_job_free;
	return (api_task(req, call, media_thumb_task, &job, sizeof(job),
	    media_thumb_done));
}


static void
media_thumb_job_free(void *arg)
{
	struct thumb_job	*job = arg;

	if (job == NULL)
		return;
	thumb_busy--;
	kore_free(job->in);
	free(job->out);
	kore_free(job);
}

/* Task: channel in = the job's address; channel out = "1" or "0". */
static int
media_thumb_task(struct kore_task *t)
{
	struct thumb_job	*job = NULL;
	int			 ok = 0;

	if (kore_task_channel_read(t, &job, sizeof(job)) == sizeof(job) &&
	    job != NULL)
		ok = thumb_make(job->in, job->inlen, THUMB_MAX_SIDE,
		    &job->out, &job->outlen, &job->mime);
	kore_task_channel_write(t, ok ? "1" : "0", 1);
	return (KORE_RESULT_OK);
}

/* $6, $7: the thumbnail's type and bytes, or NULL; then the insert. */
static int
media_thumb_done(struct http_request *req, struct api_call *call)
{
	struct thumb_job	*job = call->task_arg;

	if (job != NULL && call->task_ok && call->task_out[0] == '1' &&
	    job->out != NULL) {
		api_param(call, job->mime);
		api_param_bytes(call, job->out, job->outlen);
	} else {
		api_param(call, NULL);
		api_param(call, NULL);
	}
	media_thumb_job_free(job);
	call->task_arg = NULL;
	return (api_sql(req, call, "SELECT * FROM api.image_add($1, $2, $3, "
	    "$4::bytea, $5, $6, $7::bytea)", NULL));
}

static int
media_image_get(struct http_request *req, struct api_call *call)
{
	api_param_token(call);
	if (!api_path_id(req, call, 3, "image_not_found"))
		return (KORE_RESULT_OK);
	/* Binary results: the bytes arrive as they are, no hex decoding. */
	call->binary_result = 1;
	return (api_sql(req, call,
	    "SELECT mime, etag, bytes, public FROM api.image_get($1, $2)",
	    media_image_got));
}

/* GET /api/v1/images/{id}/thumb: the thumbnail, else the original. */
static int
media_image_thumb(struct http_request *req, struct api_call *call)
{
	api_param_token(call);
	if (!api_path_id(req, call, 3, "image_not_found"))
		return (KORE_RESULT_OK);
	call->binary_result = 1;
	return (api_sql(req, call,
	    "SELECT mime, etag, bytes, public FROM api.image_get($1, $2, true)",
	    media_image_got));
}

static int
media_image_got(struct http_request *req, struct api_call *call)
{
	const char	*inm, *cache;
	char		 etag[80], mime[32];
	PGresult	*res = call->result;
	int		 len;

	if (res == NULL || PQntuples(res) != 1 || PQgetisnull(res, 0, 2))
		return (api_error(req, 404, "image_not_found", NULL));
	(void)snprintf(mime, sizeof(mime), "%.*s", PQgetlength(res, 0, 0),
	    PQgetvalue(res, 0, 0));
	(void)snprintf(etag, sizeof(etag), "\"%.*s\"",
	    PQgetlength(res, 0, 1), PQgetvalue(res, 0, 1));
	/* Binary bool: one byte.  Images of unlisted products are seen by
	 * members only: never cache those in shared caches. */
	cache = PQgetlength(res, 0, 3) == 1 && PQgetvalue(res, 0, 3)[0] == 1 ?
	    "public, max-age=3600" : "private, no-cache";
	http_response_header(req, "etag", etag);
	http_response_header(req, "x-content-type-options", "nosniff");
	if (http_request_header(req, "if-none-match", &inm) &&
	    etag_list_match(inm, etag))
		return (api_send(req, call, 304, NULL, cache, NULL, 0));
	len = PQgetlength(res, 0, 2);
	return (api_send(req, call, 200, mime, cache, PQgetvalue(res, 0, 2),
	    (size_t)len));
}

static int
qr_ready(struct http_request *req, struct api_call *call)
{
	const char	*base;
	char		 url[300], *svg;

	if (api_result_value(call, 2) != NULL)
		return (api_reply_result(req, call));
	if ((base = getenv("SAN_PUBLIC_URL")) == NULL || *base == '\0')
		base = "http://127.0.0.1:8888";
	if (!product_page_url(url, sizeof(url), base, call->path_id) ||
	    (svg = qr_svg(url)) == NULL)
		return (api_error(req, 500, "internal", NULL));
	(void)api_send(req, call, 200, "image/svg+xml",
	    "public, max-age=86400", svg, strlen(svg));
	free(svg);
	return (KORE_RESULT_OK);
}

/*
 * The thumbnail backfill: every BACKFILL_MS each worker with no thumbnail
 * task running claims one image without a thumbnail (api.thumb_claim:
 * advisory lock, SKIP LOCKED, the claim written first, so workers and
 * nodes never make the same one), makes it in a task like an upload's
 * (never on the event loop; it holds one of the THUMB_SLOTS, so uploads
 * find the other) and stores it (api.thumb_store).  One image per tick,
 * asynchronous on a pooled connection; a run in flight skips the ticks.
 */
#define BACKFILL_MS	3000

static struct kore_pgsql	backfill_sql;
static struct kore_task		backfill_task;
static struct thumb_job		*backfill_job;
static char			backfill_id[24];
static int			backfill_busy;

void
media_backfill_start(void)
{
	(void)kore_timer_add(backfill_run, BACKFILL_MS, NULL, 0);
}

static void
backfill_run(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	/* A connection Kore freed under the query in flight: run over. */
	if (backfill_busy && backfill_job == NULL &&
	    backfill_sql.conn == NULL &&
	    backfill_sql.state == KORE_PGSQL_STATE_ERROR)
		backfill_end(&backfill_sql);
	if (backfill_busy || thumb_busy > 0 || !thumb_init())
		return;
	kore_pgsql_init(&backfill_sql);
	kore_pgsql_bind_callback(&backfill_sql, backfill_claimed, NULL);
	if (!kore_pgsql_setup(&backfill_sql, "db", KORE_PGSQL_ASYNC)) {
		backfill_end(&backfill_sql);
		return;
	}
	backfill_busy = 1;
	db_settle(&backfill_sql);
	/* Binary results: the bytes as they are. */
	if (!kore_pgsql_query_params(&backfill_sql,
	    "SELECT id::text, bytes FROM api.thumb_claim(1)", 1, 0))
		backfill_end(&backfill_sql);
}

/* The claimed image (or none): its bytes go to a task once the query is
 * over and its connection released. */
static void
backfill_claimed(struct kore_pgsql *sql, void *arg)
{
	struct thumb_job	*job;
	int			 len;

	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_RESULT:
		len = kore_pgsql_ntuples(sql) == 1 ?
		    kore_pgsql_getlength(sql, 0, 1) : 0;
		if (backfill_job == NULL && len > 0 &&
		    kore_pgsql_getlength(sql, 0, 0) <
		    (int)sizeof(backfill_id)) {
			(void)snprintf(backfill_id, sizeof(backfill_id), "%.*s",
			    kore_pgsql_getlength(sql, 0, 0),
			    kore_pgsql_getvalue(sql, 0, 0));
			job = kore_calloc(1, sizeof(*job));
			job->in = kore_malloc((size_t)len);
			memcpy(job->in, kore_pgsql_getvalue(sql, 0, 1),
			    (size_t)len);
			job->inlen = (size_t)len;
			thumb_busy++;
			backfill_job = job;
		}
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		kore_log(LOG_WARNING, "thumbnail backfill: database error");
		media_thumb_job_free(backfill_job);
		backfill_job = NULL;
		backfill_end(sql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		sql->cb = NULL;
		db_cleanup(sql);
		if (backfill_job == NULL) {
			backfill_busy = 0;
			break;
		}
		kore_task_create(&backfill_task, media_thumb_task);
		kore_task_bind_callback(&backfill_task, backfill_made);
		kore_task_run(&backfill_task);
		kore_task_channel_write(&backfill_task, &backfill_job,
		    sizeof(backfill_job));
		break;
	default:
		kore_pgsql_continue(sql);
		break;
	}
}

/* The task is over: store the thumbnail, or leave the image (claimed: it
 * is tried again in a day). */
static void
backfill_made(struct kore_task *t)
{
	struct thumb_job	*job = backfill_job;
	char			 ok = '0';

	if (kore_task_state(t) != KORE_TASK_STATE_FINISHED)
		return;
	(void)kore_task_channel_read(t, &ok, 1);
	kore_task_destroy(t);
	backfill_job = NULL;
	if (ok != '1' || job->out == NULL || job->outlen > INT_MAX) {
		kore_log(LOG_NOTICE, "thumbnail backfill: image %s refused",
		    backfill_id);
		media_thumb_job_free(job);
		backfill_busy = 0;
		return;
	}
	kore_pgsql_init(&backfill_sql);
	kore_pgsql_bind_callback(&backfill_sql, backfill_stored, NULL);
	if (!kore_pgsql_setup(&backfill_sql, "db", KORE_PGSQL_ASYNC)) {
		media_thumb_job_free(job);
		backfill_end(&backfill_sql);
		return;
	}
	db_settle(&backfill_sql);
	if (!kore_pgsql_query_params(&backfill_sql,
	    "SELECT api.thumb_store($1::bigint, $2, $3::bytea)", 0, 3,
	    backfill_id, strlen(backfill_id), 0,
	    job->mime, strlen(job->mime), 0,
	    job->out, (int)job->outlen, 1))
		backfill_end(&backfill_sql);
	/* libpq has copied the parameters. */
	media_thumb_job_free(job);
}

static void
backfill_stored(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_ERROR:
		kore_log(LOG_WARNING, "thumbnail backfill: database error");
		backfill_end(sql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		backfill_end(sql);
		break;
	default:
		kore_pgsql_continue(sql);
		break;
	}
}

/* End a run (callback unbound first: see job_end in job.c). */
static void
backfill_end(struct kore_pgsql *sql)
{
	sql->cb = NULL;
	backfill_busy = 0;
	db_cleanup(sql);
}
