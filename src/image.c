/* Image sniffing and QR SVG; see image.h for the contracts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "image.h"

const char *
image_sniff(const unsigned char *p, size_t len)
{
	static const unsigned char	png[] = { 0x89, 'P', 'N', 'G', '\r',
					    '\n', 0x1a, '\n' };

	if (p == NULL)
		return (NULL);
	if (len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return ("image/jpeg");
	if (len >= 16 && memcmp(p, png, sizeof(png)) == 0 &&
	    memcmp(p + 12, "IHDR", 4) == 0)
		return ("image/png");
	if (len >= 16 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0 && memcmp(p + 12, "VP8", 3) == 0 &&
	    (p[15] == ' ' || p[15] == 'L' || p[15] == 'X'))
		return ("image/webp");
	return (NULL);
}

char *
qr_svg(const char *text)
{
	QRcode		*qr;
	char		*out, *w;
	size_t		 cap, used;
	int		 x, y, n, size;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return (NULL);
	size = qr->width + 8;
	/* Header, one "Mx yh1v1h-1z" (at most 24 bytes) per dark module. */
	cap = 512 + (size_t)qr->width * (size_t)qr->width * 24;
	if ((out = malloc(cap)) == NULL) {
		QRcode_free(qr);
		return (NULL);
	}
	used = (size_t)snprintf(out, cap,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, size, size);
	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x++) {
			if (!(qr->data[y * qr->width + x] & 1))
				continue;
			w = out + used;
			n = snprintf(w, cap - used, "M%d %dh1v1h-1z", x + 4,
			    y + 4);
			used += (size_t)n;
		}
	}
	(void)snprintf(out + used, cap - used, "\"/></svg>\n");
	QRcode_free(qr);
	return (out);
}

int
product_page_url(char *buf, size_t len, const char *base, long long id)
{
	size_t	blen;
	int	n;

	if (buf == NULL || len == 0)
		return (0);
	buf[0] = '\0';
	if (base == NULL || id < 1)
		return (0);
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if (blen == 0 || blen > 1024)
		return (0);
	n = snprintf(buf, len, "%.*s/san-pham/%lld", (int)blen, base, id);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return (0);
	}
	return (1);
}
