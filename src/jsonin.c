/* Strict JSON input; see jsonin.h for the contract. */
#include <string.h>

#include "jsonin.h"

static int	jsonin_depth_ok(json_t *, int);

json_t *
jsonin_parse(const char *buf, size_t len, const char **code)
{
	json_t		*root;
	json_error_t	 err;

	*code = NULL;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		*code = "json_invalid";
		return (NULL);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*code = "json_not_object";
		return (NULL);
	}
	if (!jsonin_depth_ok(root, 1)) {
		json_decref(root);
		*code = "json_too_deep";
		return (NULL);
	}
	return (root);
}

/* 1 when no container below v nests deeper than JSONIN_MAX_DEPTH. */
static int
jsonin_depth_ok(json_t *v, int depth)
{
	const char	*key;
	json_t		*child;
	size_t		 i;

	if (depth > JSONIN_MAX_DEPTH)
		return (0);
	if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			if (json_is_object(child) || json_is_array(child))
				if (!jsonin_depth_ok(child, depth + 1))
					return (0);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			if (json_is_object(child) || json_is_array(child))
				if (!jsonin_depth_ok(child, depth + 1))
					return (0);
		}
	}
	return (1);
}

const char *
jsonin_str(json_t *obj, const char *key)
{
	json_t	*v;

	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v))
		return (NULL);
	if (!json_is_string(v))
		return ("");
	return (json_string_value(v));
}
