/*
 * Pure validators and normalisers for untrusted input.
 *
 * Nothing here includes Kore or libpq: unit tests (tests/unit) and fuzz
 * targets (tests/fuzz) link validate.c directly.  Every function takes
 * NUL-terminated UTF-8 input it does not own and writes only into the
 * caller's buffer; none allocates.
 */
#ifndef SAN_VALIDATE_H
#define SAN_VALIDATE_H

#include <stddef.h>

#define TAX_CODE_MAX		14	/* "0123456789-001" */
#define PHONE_E164_MAX		16	/* "+84912345678" and NUL */
#define SLUG_MAX		64
#define EMAIL_MAX		254
#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_BYTES	256

/*
 * Vietnamese enterprise tax code (mã số thuế): 10 digits whose tenth is the
 * official check digit over the first nine (weights 31 29 23 19 17 13 7 5 3,
 * mod 11), optionally followed by "-" and a 3-digit branch number 001..999.
 * Returns 1 when valid, 0 otherwise.
 */
int	validate_tax_code(const char *);

/*
 * Vietnamese mobile number in any common spelling ("0912 345 678",
 * "+84 912.345.678", "84912345678", "(091) 234-5678") to E.164 "+84xxxxxxxxx".
 * Only the current 10-digit mobile prefixes (03x 05x 07x 08x 09x) are
 * accepted.  Returns 1 and fills out (size outlen >= PHONE_E164_MAX) when
 * valid, 0 otherwise (out is then an empty string).
 */
int	normalize_phone(const char *in, char *out, size_t outlen);

/*
 * Plausible e-mail address: one '@', non-empty local part of printable ASCII
 * without spaces, a domain with at least one dot, labels of [A-Za-z0-9-],
 * total length <= EMAIL_MAX.  Returns 1 when acceptable.
 */
int	validate_email(const char *);

/*
 * URL-safe lower-case ASCII slug from a Vietnamese name: diacritics removed
 * (precomposed NFC and decomposed NFD input alike), đ/Đ -> d, runs of any
 * other character collapse to one '-', no leading/trailing '-', truncated to
 * SLUG_MAX - 1 bytes at a word boundary when possible.  "Cà phê Buôn Ma
 * Thuột" -> "ca-phe-buon-ma-thuot".  Returns 1 when the result is non-empty.
 */
int	slugify(const char *in, char *out, size_t outlen);

/*
 * Slug given by a client: 3..SLUG_MAX-1 bytes of [a-z0-9-], no leading,
 * trailing or double '-'.  Returns 1 when acceptable.
 */
int	validate_slug(const char *);

/*
 * Password policy: at least PASSWORD_MIN_CHARS characters (UTF-8 code points),
 * at most PASSWORD_MAX_BYTES bytes, valid UTF-8, and not one of the common
 * passwords (case-insensitive, compiled-in list).  Returns NULL when
 * acceptable, else a reason code: "password_too_short", "password_too_long",
 * "password_common".
 */
const char	*password_policy(const char *);

/*
 * Strict UTF-8 check (no overlongs, no surrogates, <= U+10FFFF) of len
 * bytes; also rejects NUL, C0 control characters other than \t \n \r,
 * DEL and the C1 controls U+0080..U+009F.  Returns 1 when acceptable.
 */
int	utf8_valid_text(const char *, size_t len);

/* YYYY-MM-DD naming a real calendar day between 1900 and 2999. */
int	validate_date(const char *);

/*
 * 1 when an If-None-Match header value (RFC 9110 13.1.2: "*" or a list of
 * entity-tags, W/ ignored: weak comparison) matches etag, a quoted strong
 * entity-tag such as "\"abc\"".  Malformed lists match nothing.
 */
int	etag_list_match(const char *list, const char *etag);

/* 1 when NUL-terminated text has no tab, line feed or carriage return. */
int	text_single_line(const char *);

/* Number of code points in valid UTF-8 text. */
size_t	utf8_length(const char *);

#endif
