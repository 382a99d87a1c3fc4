/*
 * Strict JSON input for request bodies (jansson).  No Kore headers: unit
 * tests and fuzz targets link jsonin.c directly.
 */
#ifndef SAN_JSONIN_H
#define SAN_JSONIN_H

#include <stddef.h>
#include <jansson.h>

#define JSONIN_MAX_DEPTH	16

/*
 * Parse len bytes as one JSON object.  Rejects duplicate keys, invalid UTF-8,
 * \u0000, trailing garbage, nesting deeper than JSONIN_MAX_DEPTH and any
 * top-level value that is not an object.  Returns a new reference the caller
 * must json_decref(), or NULL with *code set to a static error code
 * ("json_invalid", "json_too_deep", "json_not_object").
 */
json_t		*jsonin_parse(const char *buf, size_t len, const char **code);

/*
 * Optional string member: NULL when absent or JSON null, "" when the value
 * is not a string (so callers can treat it as invalid).  Never allocates; the
 * pointer lives as long as obj.
 */
const char	*jsonin_str(json_t *obj, const char *key);

#endif
