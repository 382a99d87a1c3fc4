/* Monitoring rule parameters (modrule.c); no Kore headers. */
#ifndef SAN_MODRULE_H
#define SAN_MODRULE_H

#include <stdio.h>

#include <jansson.h>

#include "fields.h"

/*
 * Check the params of a rule of kind ("keyword", "price_anomaly",
 * "seller_signals", "same_image", "category"): on
 * success returns 1 and *out is a new normalised object (defaults filled
 * in; the caller json_decref()s it); on failure returns 0, *out is NULL
 * and err names the code and the member ("params.terms[2]").
 */
int	modrule_params(const char *kind, json_t *params,
	    struct field_error *err, json_t **out);

#endif
