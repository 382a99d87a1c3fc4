/*
 * The web app (assets/app/, DESIGN.md §9), served from the module itself:
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
#include "san.h"
#include "web.h"

#define WEB_CSP								\
	"default-src 'self'; script-src 'self'; style-src 'self'; "	\
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; "	\
	"object-src 'none'; base-uri 'none'; form-action 'self'; "	\
	"frame-ancestors 'none'"
#define WEB_IMMUTABLE	"public, max-age=31536000, immutable"
#define WEB_NO_CACHE	"no-cache"

static const struct web_file	*web_lookup(const char *);
static int			 web_send(struct http_request *,
				    const struct web_file *, const char *);
static int			 accepts_gzip(struct http_request *);

/* GET / */
int
web_index(struct http_request *req)
{
	return (web_send(req, web_lookup("index.html"), WEB_NO_CACHE));
}

/* The app's own URLs (/san-pham/1, /tim-kiem?q=…): the same page. */
int
web_app(struct http_request *req)
{
	return (web_index(req));
}

/* GET /static/NAME */
int
web_static(struct http_request *req)
{
	const struct web_file	*f;
	const char		*name;

	if (strncmp(req->path, "/static/", 8) != 0)
		return (api_not_found(req));
	name = req->path + 8;
	/* index.html only under its own URLs, with its own cache rule. */
	if (strcmp(name, "index.html") == 0 ||
	    (f = web_lookup(name)) == NULL)
		return (api_not_found(req));
	return (web_send(req, f, WEB_IMMUTABLE));
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
web_send(struct http_request *req, const struct web_file *f,
    const char *cache)
{
	const char	*inm;

	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD)
		return (api_method_not_allowed(req, "GET, HEAD"));
	if (f == NULL)
		return (api_not_found(req));
	http_response_header(req, "content-security-policy", WEB_CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "etag", f->etag);
	http_response_header(req, "vary", "accept-encoding");
	if (http_request_header(req, "if-none-match", &inm) == KORE_RESULT_OK &&
	    strcmp(inm, f->etag) == 0)
		return (api_send(req, NULL, 304, NULL, cache, NULL, 0));
	if (f->gz != NULL && accepts_gzip(req)) {
		http_response_header(req, "content-encoding", "gzip");
		return (api_send(req, NULL, 200, f->type, cache, f->gz,
		    f->gzlen));
	}
	return (api_send(req, NULL, 200, f->type, cache, f->data, f->len));
}
