/*
 * The web app's built files (build/web/, made by scripts/build-web.sh),
 * embedded by scripts/embed-web.sh into build/web_assets.c.
 */
#ifndef SAN_WEB_H
#define SAN_WEB_H

#include <stddef.h>

struct web_file {
	const char		*name;	/* "main-2YWEDXQK.js", "index.html" */
	const char		*type;	/* Content-Type */
	const unsigned char	*data;
	size_t			 len;
	const unsigned char	*gz;	/* gzip of data (level 9) */
	size_t			 gzlen;
	const char		*etag;	/* quoted, from the content's SHA-256 */
};

extern const struct web_file	web_files[];
extern const size_t		web_nfiles;


#endif
