/*
 * The web app (assets/app/; its README), served from the module itself:
 * scripts/build-web.sh bundles it into build/web/, scripts/embed-web.sh
 * compiles that into web_files[].
 *
 *   /static/NAME	a built file; NAME carries its content hash, so it is
 *			cached for a year and never revalidated
 *   /, app URLs	index.html (the app routes in the browser), revalidated
 *			every time (no-cache) with its ETag
 *
 * Every answer carries a Content-Security-Policy without inline scripts
 * or styles, nosniff and a same-origin referrer policy.  A client that
 * accepts gzip gets the precompressed copy.
 */
#include <string.h>

#include "san.h"
#include "validate.h"
#include "web.h"

#define WEB_CSP								\
	"default-src 'self'; script-src 'self'; style-src 'self'; "	\
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; "	\
	"object-src 'none'; base-uri 'none'; form-action 'self'; "	\
	"frame-ancestors 'none'"
#define WEB_IMMUTABLE	"public, max-age=31536000, immutable"
#define WEB_NO_CACHE	"no-cache"

#define WEB_APP_URLS							\
	"^/(tim-kiem|san-pham|cua-hang|dang-nhap|dang-ky|gio-hang|"	\
	"thanh-toan|don-hang|tai-khoan|kinh-doanh|can-bo|quan-tri|"	\
	"giam-sat|ho-tro|thong-ke)(/[^/]{1,200}){0,4}/?$"

static const struct web_file	*web_lookup(const char *);
static int			 web_index(struct http_request *,
				    struct api_call *);
static int			 web_static(struct http_request *,
				    struct api_call *);
static int			 web_send(struct http_request *,
				    struct api_call *, const struct web_file *,
				    const char *);
static int			 accepts_gzip(struct http_request *);

/*
 * / and the app's own URLs (/san-pham/1, /tim-kiem?q=…; the first segments
 * of assets/app/routes.js) answer index.html; /static/NAME a built file.
 */
const struct api_route web_routes[] = {
	{ .path = "/", .methods = {
		ROUTE_RUN(GET, web_index, 0),
		ROUTE_RUN(HEAD, web_index, 0) } },
	{ .path = WEB_APP_URLS, .methods = {
		ROUTE_RUN(GET, web_index, 0),
		ROUTE_RUN(HEAD, web_index, 0) } },
	{ .path = "^/static/[A-Za-z0-9._-]{1,100}$", .methods = {
		ROUTE_RUN(GET, web_static, 0),
		ROUTE_RUN(HEAD, web_static, 0) } },
	{ .path = NULL }
};

static int
web_index(struct http_request *req, struct api_call *call)
{
	return (web_send(req, call, web_lookup("index.html"), WEB_NO_CACHE));
}

static int
web_static(struct http_request *req, struct api_call *call)
{
	const char	*name = req->path + 8;	/* after "/static/" */

	/* index.html only under its own URLs, with its own cache rule. */
	if (strcmp(name, "index.html") == 0)
		return (api_error(req, 404, "not_found", NULL));
	return (web_send(req, call, web_lookup(name), WEB_IMMUTABLE));
}

static const struct web_file *
web_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < web_nfiles; i++) {
		if (strcmp(web_files[i].name, name) == 0)
			return (&web_files[i]);
	}
	return (NULL);
}

static int
accepts_gzip(struct http_request *req)
{
	const char	*ae;

	if (http_request_header(req, "accept-encoding", &ae) != KORE_RESULT_OK)
		return (0);
	return (strstr(ae, "gzip") != NULL);
}

static int
web_send(struct http_request *req, struct api_call *call,
    const struct web_file *f, const char *cache)
{
	const char	*inm;

	if (f == NULL)
		return (api_error(req, 404, "not_found", NULL));
	http_response_header(req, "content-security-policy", WEB_CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "etag", f->etag);
	http_response_header(req, "vary", "accept-encoding");
	if (http_request_header(req, "if-none-match", &inm) &&
	    etag_list_match(inm, f->etag))
		return (api_send(req, call, 304, NULL, cache, NULL, 0));
	if (f->gz != NULL && accepts_gzip(req)) {
		http_response_header(req, "content-encoding", "gzip");
		return (api_send(req, call, 200, f->type, cache, f->gz,
		    f->gzlen));
	}
	return (api_send(req, call, 200, f->type, cache, f->data, f->len));
}
