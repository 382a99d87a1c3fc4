/*
 * Image type by content, and QR codes as SVG.  No Kore headers: unit tests
 * and fuzz targets link image.c directly.
 */
#ifndef SAN_IMAGE_H
#define SAN_IMAGE_H

#include <stddef.h>

#define IMAGE_MAX_BYTES	(2 * 1024 * 1024)

/*
 * The MIME type of len bytes judged by their signature, never by a name:
 * "image/jpeg" (FF D8 FF), "image/png" (the 8-byte PNG signature followed
 * by an IHDR chunk), "image/webp" (RIFF, size, "WEBP", a VP8/VP8L/VP8X
 * chunk), or NULL for anything else.  Static storage.
 */
const char	*image_sniff(const unsigned char *, size_t len);

/*
 * SVG drawing of the QR code (error correction M) of NUL-terminated text:
 * a malloc'd NUL-terminated string the caller frees, or NULL when the text
 * cannot be encoded.  One <path> of unit squares with a 4-module quiet zone.
 */
char		*qr_svg(const char *text);

/*
 * The public web page of product id under base (SAN_PUBLIC_URL; trailing
 * slashes dropped): "<base>/san-pham/<id>" written to buf.  Returns 1, or
 * 0 when base is empty, id < 1 or buf is too small (buf is then "").
 */
int		 product_page_url(char *buf, size_t len, const char *base,
		    long long id);

#endif
