/*
 * libFuzzer target for src/modrule.c: the params of a monitoring rule, as
 * an official sends them.  The first byte picks the kind (known and
 * unknown ones), the rest is parsed as JSON.  A pass yields an object; a
 * refusal yields no object and names a code.
 *	clang -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_modrule.c src/modrule.c src/validate.c -ljansson
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modrule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char *const kinds[] = {
	"keyword", "price_anomaly", "seller_signals", "same_image", "category",
	"", "KEYWORD",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field_error	 err;
	json_error_t		 jerr;
	json_t			*params, *out;
	const char		*kind;

	if (size < 1)
		return (0);
	kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
	params = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (params == NULL)
		return (0);
	memset(&err, 0, sizeof(err));
	out = (json_t *)0x1;
	if (modrule_params(kind, params, &err, &out)) {
		CHECK(out != NULL && json_is_object(out));
		/* Normalised params are accepted again, unchanged. */
		{
			json_t	*again = NULL;

			memset(&err, 0, sizeof(err));
			CHECK(modrule_params(kind, out, &err, &again) == 1);
			CHECK(json_equal(out, again));
			json_decref(again);
		}
		json_decref(out);
	} else {
		CHECK(out == NULL);
		CHECK(err.code != NULL && err.code[0] != '\0');
		CHECK(memchr(err.path, '\0', sizeof(err.path)) != NULL);
	}
	json_decref(params);
	return (0);
}
