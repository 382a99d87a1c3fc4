/* libFuzzer target: image_sniff() on arbitrary bytes, qr_svg() on text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*type;
	char		*text, *svg;

	type = image_sniff(data, len);
	if (type != NULL && strncmp(type, "image/", 6) != 0)
		abort();
	if (len < 256) {
		text = malloc(len + 1);
		memcpy(text, data, len);
		text[len] = '\0';
		if ((svg = qr_svg(text)) != NULL &&
		    strstr(svg, "</svg>") == NULL)
			abort();
		free(svg);
		free(text);
	}
	return (0);
}
