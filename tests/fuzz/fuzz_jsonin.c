/*
 * libFuzzer target for src/jsonin.c: parse the raw input; an accepted body
 * must be an object that survives a dump and re-parse, a rejected one must
 * carry one of the documented codes.
 *	clang -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_jsonin.c src/jsonin.c -ljansson -o fuzz_jsonin
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*root, *again;
	const char	*code, *key, *str;
	char		*dump;
	json_t		*v;

	code = "unset";
	root = jsonin_parse((const char *)data, size, &code);
	if (root == NULL) {
		CHECK(code != NULL);
		CHECK(strcmp(code, "json_invalid") == 0 ||
		    strcmp(code, "json_too_deep") == 0 ||
		    strcmp(code, "json_not_object") == 0);
		return (0);
	}
	CHECK(code == NULL);
	CHECK(json_is_object(root));

	json_object_foreach(root, key, v) {
		str = jsonin_str(root, key);
		if (json_is_null(v))
			CHECK(str == NULL);
		else if (json_is_string(v))
			CHECK(str == json_string_value(v) &&
			    strlen(str) == json_string_length(v));
		else
			CHECK(str != NULL && str[0] == '\0');
	}

	/* What was accepted dumps to JSON that is accepted again. */
	dump = json_dumps(root, JSON_COMPACT);
	CHECK(dump != NULL);
	code = "unset";
	again = jsonin_parse(dump, strlen(dump), &code);
	CHECK(again != NULL && code == NULL);
	CHECK(json_equal(root, again));
	json_decref(again);
	free(dump);
	json_decref(root);
	return (0);
}
