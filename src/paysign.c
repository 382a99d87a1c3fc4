/*
 * Payment-provider signatures and payloads; see paysign.h for the
 * contracts and the documents each one follows.  No Kore: libc,
 * libsodium, and jansson to read MoMo's JSON.  Verifiers never allocate;
 * everything they read is bounded by the limits in paysign.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "paysign.h"

/* A string being built; err is set once an allocation failed. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

/* A decoded query pair: pointers into the caller's scratch buffer. */
struct qpair {
	const char	*key;
	const char	*value;
};

static void		 sbuf_add(struct sbuf *, const char *, size_t);
static void		 sbuf_str(struct sbuf *, const char *);
static void		 sbuf_urlencode(struct sbuf *, const char *);
static char		*sbuf_finish(struct sbuf *);
static int		 urlenc_keep(unsigned char);
static void		 hmac512_urlencoded(crypto_auth_hmacsha512_state *,
			    const char *);
static unsigned int	 hex_nibble(unsigned int, unsigned int *);
static int		 hex_digit(int);
static int		 kv_cmp(const void *, const void *);
static int		 qpair_cmp(const void *, const void *);
static int		 query_decode(const char *, size_t, char *);
static const char	*qpair_get(const struct qpair *, size_t, const char *);
static int		 copy_field(char *, size_t, const char *);
static int		 parse_digits(const char *, size_t, long long *);
static int		 is_alnum(int);
static size_t		 bounded_len(const char *, size_t);
static void		 tlv_add(struct sbuf *, const char *, const char *);
static int		 tlv_next(const char *, size_t, size_t *, int *,
			    const char **, size_t *);
static int		 vietqr_account_info(const char *, size_t,
			    struct vietqr_info *);
static int		 vietqr_merchant(const char *, size_t,
			    struct vietqr_info *);
static int		 vietqr_additional(const char *, size_t,
			    struct vietqr_info *);

void
paysign_hmac_sha256_hex(const char *key, const void *msg, size_t len,
    char out[PAYSIGN_SHA256_HEX])
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];

	if (key == NULL)
		key = "";
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
	    strlen(key));
	if (len > 0)
		crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, PAYSIGN_SHA256_HEX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

void
paysign_hmac_sha512_hex(const char *key, const void *msg, size_t len,
    char out[PAYSIGN_SHA512_HEX])
{
	crypto_auth_hmacsha512_state	st;
	unsigned char			mac[crypto_auth_hmacsha512_BYTES];

	if (key == NULL)
		key = "";
	crypto_auth_hmacsha512_init(&st, (const unsigned char *)key,
	    strlen(key));
	if (len > 0)
		crypto_auth_hmacsha512_update(&st, msg, len);
	crypto_auth_hmacsha512_final(&st, mac);
	sodium_bin2hex(out, PAYSIGN_SHA512_HEX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

/*
 * Value of hex digit c, or garbage with *bad set; no branches on c (the
 * masks are libsodium's sodium_hex2bin ones).
 */
static unsigned int
hex_nibble(unsigned int c, unsigned int *bad)
{
	unsigned int	num, num0, alpha, alpha0;

	num = c ^ 48U;
	num0 = (num - 10U) >> 8;
	alpha = (c & ~32U) - 55U;
	alpha0 = ((alpha - 10U) ^ (alpha - 16U)) >> 8;
	*bad |= ~(num0 | alpha0) & 1U;
	return (((num0 & num) | (alpha0 & alpha)) & 0xfU);
}

int
paysign_hex_equal(const char *a, const char *b)
{
	size_t		i, len;
	unsigned int	diff, bad;

	if (a == NULL || b == NULL)
		return (0);
	len = strlen(a);
	if (len == 0 || strlen(b) != len)
		return (0);
	diff = 0;
	bad = 0;
	for (i = 0; i < len; i++)
		diff |= hex_nibble((unsigned char)a[i], &bad) ^
		    hex_nibble((unsigned char)b[i], &bad);
	return ((diff | bad) == 0);
}

static void
sbuf_add(struct sbuf *sb, const char *s, size_t n)
{
	size_t	 ncap;
	char	*np;

	if (sb->err)
		return;
	if (n >= SIZE_MAX / 2 - sb->len) {
		sb->err = 1;
		return;
	}
	if (sb->len + n + 1 > sb->cap) {
		ncap = sb->cap == 0 ? 256 : sb->cap;
		while (ncap < sb->len + n + 1)
			ncap *= 2;
		if ((np = realloc(sb->p, ncap)) == NULL) {
			sb->err = 1;
			return;
		}
		sb->p = np;
		sb->cap = ncap;
	}
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

static void
sbuf_str(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

/* PHP urlencode(): ALNUM and "-_." kept, ' ' -> '+', others %XX. */
static int
urlenc_keep(unsigned char c)
{
	return (is_alnum(c) || c == '-' || c == '_' || c == '.');
}

static void
sbuf_urlencode(struct sbuf *sb, const char *s)
{
	static const char	 up[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 enc[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (urlenc_keep(*p))
			sbuf_add(sb, (const char *)p, 1);
		else if (*p == ' ')
			sbuf_add(sb, "+", 1);
		else {
			enc[0] = '%';
			enc[1] = up[*p >> 4];
			enc[2] = up[*p & 0xf];
			sbuf_add(sb, enc, 3);
		}
	}
}

/* The built string, or NULL (and nothing left allocated) on failure. */
static char *
sbuf_finish(struct sbuf *sb)
{
	if (sb->err) {
		free(sb->p);
		return (NULL);
	}
	if (sb->p == NULL)
		return (calloc(1, 1));
	return (sb->p);
}

char *
paysign_urlencode(const char *s)
{
	struct sbuf	sb;

	if (s == NULL)
		return (NULL);
	memset(&sb, 0, sizeof(sb));
	sbuf_urlencode(&sb, s);
	return (sbuf_finish(&sb));
}

/* Feed urlencode(s) to an HMAC-SHA512 state without allocating. */
static void
hmac512_urlencoded(crypto_auth_hmacsha512_state *st, const char *s)
{
	static const char	 up[] = "0123456789ABCDEF";
	const unsigned char	*p;
	unsigned char		 chunk[192];
	size_t			 n;

	n = 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (n > sizeof(chunk) - 3) {
			crypto_auth_hmacsha512_update(st, chunk, n);
			n = 0;
		}
		if (urlenc_keep(*p))
			chunk[n++] = *p;
		else if (*p == ' ')
			chunk[n++] = '+';
		else {
			chunk[n++] = '%';
			chunk[n++] = up[*p >> 4];
			chunk[n++] = up[*p & 0xf];
		}
	}
	if (n > 0)
		crypto_auth_hmacsha512_update(st, chunk, n);
}

static int
kv_cmp(const void *a, const void *b)
{
	const struct paysign_kv	*const *x = a, *const *y = b;

	return (strcmp((*x)->key, (*y)->key));
}

char *
vnpay_payment_url(const char *base, const struct paysign_kv *fields,
    size_t nfields, const char *secret)
{
	const struct paysign_kv	*sorted[VNPAY_PAIRS_MAX];
	struct sbuf		 sb;
	size_t			 i, qstart;
	char			 hex[PAYSIGN_SHA512_HEX];

	if (base == NULL || secret == NULL || *secret == '\0' ||
	    (fields == NULL && nfields > 0) || nfields == 0 ||
	    nfields >= VNPAY_PAIRS_MAX)
		return (NULL);
	for (i = 0; i < nfields; i++) {
		if (fields[i].key == NULL || fields[i].value == NULL ||
		    fields[i].key[0] == '\0' ||
		    strcmp(fields[i].key, "vnp_SecureHash") == 0 ||
		    strcmp(fields[i].key, "vnp_SecureHashType") == 0)
			return (NULL);
		sorted[i] = &fields[i];
	}
	qsort(sorted, nfields, sizeof(sorted[0]), kv_cmp);
	for (i = 1; i < nfields; i++)
		if (strcmp(sorted[i - 1]->key, sorted[i]->key) == 0)
			return (NULL);

	memset(&sb, 0, sizeof(sb));
	sbuf_str(&sb, base);
	sbuf_add(&sb, "?", 1);
	qstart = sb.len;
	for (i = 0; i < nfields; i++) {
		if (i > 0)
			sbuf_add(&sb, "&", 1);
		sbuf_urlencode(&sb, sorted[i]->key);
		sbuf_add(&sb, "=", 1);
		sbuf_urlencode(&sb, sorted[i]->value);
	}
	if (sb.err)
		return (sbuf_finish(&sb));
	paysign_hmac_sha512_hex(secret, sb.p + qstart, sb.len - qstart, hex);
	sbuf_str(&sb, "&vnp_SecureHash=");
	sbuf_str(&sb, hex);
	return (sbuf_finish(&sb));
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode len bytes of application/x-www-form-urlencoded text into out
 * (at least len + 1 bytes): '+' is a space, %XX a byte.  -1 on a bad or
 * truncated escape or an escaped NUL, else the decoded length.
 */
static int
query_decode(const char *in, size_t len, char *out)
{
	size_t	i, n;
	int	hi, lo;

	for (i = 0, n = 0; i < len; i++) {
		if (in[i] == '+')
			out[n++] = ' ';
		else if (in[i] == '%') {
			if (len - i < 3)
				return (-1);
			hi = hex_digit((unsigned char)in[i + 1]);
			lo = hex_digit((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return (-1);
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[n++] = in[i];
	}
	out[n] = '\0';
	return ((int)n);
}

static int
qpair_cmp(const void *a, const void *b)
{
	const struct qpair	*x = a, *y = b;

	return (strcmp(x->key, y->key));
}

static const char *
qpair_get(const struct qpair *p, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].key, key) == 0)
			return (p[i].value);
	return (NULL);
}

/* Copy src into dst[size]; 0 (dst emptied) if it does not fit. */
static int
copy_field(char *dst, size_t size, const char *src)
{
	if (src == NULL)
		src = "";
	if (strlen(src) >= size) {
		dst[0] = '\0';
		return (0);
	}
	memcpy(dst, src, strlen(src) + 1);
	return (1);
}

/* 1..15 ASCII digits to *v; 0 otherwise. */
static int
parse_digits(const char *s, size_t len, long long *v)
{
	size_t	i;

	if (len == 0 || len > 15)
		return (0);
	*v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		*v = *v * 10 + (s[i] - '0');
	}
	return (1);
}

/* strlen(s), or max + 1 if s is longer than max. */
static size_t
bounded_len(const char *s, size_t max)
{
	size_t	n;

	for (n = 0; n <= max && s[n] != '\0'; n++)
		;
	return (n);
}

static int
is_alnum(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

enum vnpay_verdict
vnpay_verify(const char *raw_query, const char *secret, struct vnpay_ipn *out)
{
	struct qpair			 pairs[VNPAY_PAIRS_MAX];
	char				 scratch[VNPAY_QUERY_MAX + 2];
	char				 hex[PAYSIGN_SHA512_HEX];
	unsigned char			 mac[crypto_auth_hmacsha512_BYTES];
	crypto_auth_hmacsha512_state	 st;
	const char			*p, *end, *amp, *eq, *given, *v;
	size_t				 len, npairs, i, used, nsigned;
	int				 n, ok;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (raw_query == NULL || out == NULL)
		return (VNPAY_MALFORMED);
	len = bounded_len(raw_query, VNPAY_QUERY_MAX);
	if (len == 0 || len > VNPAY_QUERY_MAX)
		return (VNPAY_MALFORMED);
	for (i = 0; i < len; i++)
		if ((unsigned char)raw_query[i] <= ' ' ||
		    (unsigned char)raw_query[i] >= 0x7f)
			return (VNPAY_MALFORMED);

	/* Split on '&', each piece "key=value" with a non-empty key. */
	npairs = 0;
	used = 0;
	end = raw_query + len;
	for (p = raw_query; p <= end; p = amp + 1) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', amp - p)) == NULL || eq == p)
			return (VNPAY_MALFORMED);
		if (npairs == VNPAY_PAIRS_MAX)
			return (VNPAY_MALFORMED);
		/* Decoded key + NUL + value + NUL <= raw piece + 1. */
		if ((n = query_decode(p, eq - p, scratch + used)) <= 0)
			return (VNPAY_MALFORMED);
		pairs[npairs].key = scratch + used;
		used += n + 1;
		if ((n = query_decode(eq + 1, amp - eq - 1,
		    scratch + used)) < 0)
			return (VNPAY_MALFORMED);
		pairs[npairs].value = scratch + used;
		used += n + 1;
		npairs++;
	}

	qsort(pairs, npairs, sizeof(pairs[0]), qpair_cmp);
	for (i = 1; i < npairs; i++)
		if (strcmp(pairs[i - 1].key, pairs[i].key) == 0)
			return (VNPAY_MALFORMED);

	given = qpair_get(pairs, npairs, "vnp_SecureHash");
	if (given == NULL || *given == '\0')
		return (VNPAY_NO_SIGNATURE);
	if (secret == NULL || *secret == '\0')
		return (VNPAY_BAD_SIGNATURE);

	/* VNPay's sample: vnp_* only, sorted, urlencode(k)=urlencode(v). */
	crypto_auth_hmacsha512_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	nsigned = 0;
	for (i = 0; i < npairs; i++) {
		if (strncmp(pairs[i].key, "vnp_", 4) != 0 ||
		    strcmp(pairs[i].key, "vnp_SecureHash") == 0 ||
		    strcmp(pairs[i].key, "vnp_SecureHashType") == 0)
			continue;
		if (nsigned++ > 0)
			crypto_auth_hmacsha512_update(&st,
			    (const unsigned char *)"&", 1);
		hmac512_urlencoded(&st, pairs[i].key);
		crypto_auth_hmacsha512_update(&st,
		    (const unsigned char *)"=", 1);
		hmac512_urlencoded(&st, pairs[i].value);
	}
	crypto_auth_hmacsha512_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	ok = paysign_hex_equal(hex, given);
	sodium_memzero(mac, sizeof(mac));
	if (!ok)
		return (VNPAY_BAD_SIGNATURE);

	/* Signed; now the fields we act on must be present and fit. */
	ok = 1;
	if ((v = qpair_get(pairs, npairs, "vnp_TxnRef")) == NULL || *v == '\0')
		ok = 0;
	ok &= copy_field(out->txn_ref, sizeof(out->txn_ref), v);
	if ((v = qpair_get(pairs, npairs, "vnp_Amount")) == NULL ||
	    !parse_digits(v, strlen(v), &out->amount))
		ok = 0;
	if ((v = qpair_get(pairs, npairs, "vnp_ResponseCode")) == NULL ||
	    *v == '\0')
		ok = 0;
	ok &= copy_field(out->response_code, sizeof(out->response_code), v);
	if ((v = qpair_get(pairs, npairs, "vnp_TmnCode")) == NULL || *v == '\0')
		ok = 0;
	ok &= copy_field(out->tmn_code, sizeof(out->tmn_code), v);
	ok &= copy_field(out->transaction_no, sizeof(out->transaction_no),
	    qpair_get(pairs, npairs, "vnp_TransactionNo"));
	ok &= copy_field(out->transaction_status,
	    sizeof(out->transaction_status),
	    qpair_get(pairs, npairs, "vnp_TransactionStatus"));
	ok &= copy_field(out->pay_date, sizeof(out->pay_date),
	    qpair_get(pairs, npairs, "vnp_PayDate"));
	ok &= copy_field(out->bank_code, sizeof(out->bank_code),
	    qpair_get(pairs, npairs, "vnp_BankCode"));
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return (VNPAY_MALFORMED);
	}
	return (VNPAY_OK);
}

char *
momo_raw_signature(const struct paysign_kv *fields, size_t nfields)
{
	struct sbuf	sb;
	size_t		i;

	if (fields == NULL && nfields > 0)
		return (NULL);
	for (i = 0; i < nfields; i++)
		if (fields[i].key == NULL || fields[i].value == NULL)
			return (NULL);
	memset(&sb, 0, sizeof(sb));
	for (i = 0; i < nfields; i++) {
		if (i > 0)
			sbuf_add(&sb, "&", 1);
		sbuf_str(&sb, fields[i].key);
		sbuf_add(&sb, "=", 1);
		sbuf_str(&sb, fields[i].value);
	}
	return (sbuf_finish(&sb));
}

void
momo_sign(const struct paysign_kv *fields, size_t nfields,
    const char *secret, char out[PAYSIGN_SHA256_HEX])
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	size_t				i;

	out[0] = '\0';
	if (secret == NULL || *secret == '\0' ||
	    (fields == NULL && nfields > 0))
		return;
	for (i = 0; i < nfields; i++)
		if (fields[i].key == NULL || fields[i].value == NULL)
			return;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	for (i = 0; i < nfields; i++) {
		if (i > 0)
			crypto_auth_hmacsha256_update(&st,
			    (const unsigned char *)"&", 1);
		crypto_auth_hmacsha256_update(&st,
		    (const unsigned char *)fields[i].key,
		    strlen(fields[i].key));
		crypto_auth_hmacsha256_update(&st,
		    (const unsigned char *)"=", 1);
		crypto_auth_hmacsha256_update(&st,
		    (const unsigned char *)fields[i].value,
		    strlen(fields[i].value));
	}
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, PAYSIGN_SHA256_HEX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

const char *const momo_ipn_members[MOMO_IPN_FIELDS] = {
	"accessKey", "amount", "extraData", "message", "orderId",
	"orderInfo", "orderType", "partnerCode", "payType", "requestId",
	"responseTime", "resultCode", "transId"
};
enum {
	MOMO_AMOUNT = 1, MOMO_ORDER_ID = 4, MOMO_PARTNER_CODE = 7,
	MOMO_RESULT_CODE = 11, MOMO_TRANS_ID = 12
};

/*
 * A member as the text MoMo signs: a string verbatim, an integer in
 * decimal (written into buf, len >= 21).  NULL when absent or of another
 * type.
 */
static const char *
momo_member_text(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t	*v = json_object_get(o, key);

	if (json_is_string(v))
		return (json_string_value(v));
	if (json_is_integer(v)) {
		(void)snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (buf);
	}
	return (NULL);
}

/* 1 when s is 1..15 decimal digits, optionally after one '-'. */
static int
decimal_ll(const char *s, long long *v)
{
	int	neg;

	if (s == NULL)
		return (0);
	neg = (*s == '-');
	if (!parse_digits(s + neg, strlen(s + neg), v))
		return (0);
	if (neg)
		*v = -*v;
	return (1);
}

enum momo_verdict
momo_ipn_verify(const json_t *o, const char *access_key,
    const char *partner_code, const char *secret, struct momo_ipn *out)
{
	struct paysign_kv	 f[MOMO_IPN_FIELDS];
	const json_t		*sig;
	char			 mine[PAYSIGN_SHA256_HEX];
	size_t			 i;
	int			 whole = 1, good;

	memset(out, 0, sizeof(*out));
	out->amount = -1;
	if (!json_is_object(o))
		return (MOMO_MALFORMED);
	f[0] = (struct paysign_kv){ momo_ipn_members[0], access_key };
	for (i = 1; i < MOMO_IPN_FIELDS; i++) {
		f[i] = (struct paysign_kv){ momo_ipn_members[i],
		    momo_member_text(o, momo_ipn_members[i], out->num[i],
		    sizeof(out->num[i])) };
		whole &= f[i].value != NULL;
	}
	out->order_id = f[MOMO_ORDER_ID].value;
	out->trans_id = f[MOMO_TRANS_ID].value;
	if (!decimal_ll(f[MOMO_AMOUNT].value, &out->amount) || out->amount < 0)
		out->amount = -1;
	sig = json_object_get(o, "signature");
	if (!whole || !json_is_string(sig) || out->amount < 0 ||
	    !decimal_ll(f[MOMO_RESULT_CODE].value, &out->result_code))
		return (MOMO_MALFORMED);
	if (access_key == NULL || *access_key == '\0')
		return (MOMO_BAD_SIGNATURE);
	momo_sign(f, MOMO_IPN_FIELDS, secret, mine);
	good = paysign_hex_equal(mine, json_string_value(sig));
	sodium_memzero(mine, sizeof(mine));
	if (!good)
		return (MOMO_BAD_SIGNATURE);
	if (partner_code == NULL ||
	    strcmp(f[MOMO_PARTNER_CODE].value, partner_code) != 0)
		return (MOMO_WRONG_MERCHANT);
	return (MOMO_OK);
}

enum bank_verdict
bank_verify(const char *header, const void *body, size_t len,
    const char *secret, time_t now, long tolerance)
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	char				 hex[PAYSIGN_SHA256_HEX];
	const char			*sig;
	long long			 t;
	size_t				 tlen, i;
	int				 ok;

	if (header == NULL || (body == NULL && len > 0))
		return (BANK_MALFORMED);
	/* Exactly "t=<1..12 digits>,v1=<64 hex>". */
	if (strncmp(header, "t=", 2) != 0)
		return (BANK_MALFORMED);
	for (tlen = 0; tlen <= 12 && header[2 + tlen] >= '0' &&
	    header[2 + tlen] <= '9'; tlen++)
		;
	if (tlen == 0 || tlen > 12 || !parse_digits(header + 2, tlen, &t))
		return (BANK_MALFORMED);
	if (strncmp(header + 2 + tlen, ",v1=", 4) != 0)
		return (BANK_MALFORMED);
	sig = header + 2 + tlen + 4;
	for (i = 0; i < 64; i++)
		if (hex_digit((unsigned char)sig[i]) < 0)
			return (BANK_MALFORMED);
	if (sig[64] != '\0')
		return (BANK_MALFORMED);

	if (secret == NULL || *secret == '\0')
		return (BANK_BAD_SIGNATURE);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)header + 2,
	    tlen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	if (len > 0)
		crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	ok = paysign_hex_equal(hex, sig);
	sodium_memzero(mac, sizeof(mac));
	if (!ok)
		return (BANK_BAD_SIGNATURE);

	if (t > (long long)now + BANK_CLOCK_SKEW)
		return (BANK_FUTURE);
	if ((long long)now - t > (long long)tolerance)
		return (BANK_STALE);
	return (BANK_OK);
}

uint16_t
crc16_ccitt_false(const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint16_t		 crc;
	size_t			 i;
	int			 bit;

	crc = 0xffff;
	for (i = 0; i < len; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (bit = 0; bit < 8; bit++)
			crc = (crc & 0x8000) ?
			    (uint16_t)((crc << 1) ^ 0x1021) :
			    (uint16_t)(crc << 1);
	}
	return (crc);
}

/* Append EMVCo "IDLLvalue" (value 1..99 characters). */
static void
tlv_add(struct sbuf *sb, const char *id, const char *value)
{
	char	ll[3];
	size_t	len;

	len = strlen(value);
	if (len == 0 || len > 99) {
		sb->err = 1;
		return;
	}
	ll[0] = '0' + len / 10;
	ll[1] = '0' + len % 10;
	ll[2] = '\0';
	sbuf_str(sb, id);
	sbuf_str(sb, ll);
	sbuf_str(sb, value);
}

char *
vietqr_payload(const char *bin, const char *account, long long amount,
    const char *reference)
{
	struct sbuf	 sb, acct, mai, add;
	char		 num[24], crc[5];
	size_t		 i, len;

	if (bin == NULL || account == NULL || reference == NULL)
		return (NULL);
	if (strlen(bin) != 6)
		return (NULL);
	for (i = 0; i < 6; i++)
		if (bin[i] < '0' || bin[i] > '9')
			return (NULL);
	len = strlen(account);
	if (len == 0 || len >= sizeof(((struct vietqr_info *)0)->account))
		return (NULL);
	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)account[i]))
			return (NULL);
	len = strlen(reference);
	if (len == 0 || len >= sizeof(((struct vietqr_info *)0)->reference))
		return (NULL);
	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)reference[i]) &&
		    reference[i] != '-')
			return (NULL);
	if (amount < 1 || amount > VIETQR_AMOUNT_MAX)
		return (NULL);

	memset(&sb, 0, sizeof(sb));
	memset(&acct, 0, sizeof(acct));
	memset(&mai, 0, sizeof(mai));
	memset(&add, 0, sizeof(add));

	/* 38: GUID, beneficiary (00 BIN, 01 account), service code. */
	tlv_add(&acct, "00", bin);
	tlv_add(&acct, "01", account);
	tlv_add(&mai, "00", "A000000727");
	tlv_add(&mai, "01", acct.err ? "" : acct.p);
	tlv_add(&mai, "02", "QRIBFTTA");
	tlv_add(&add, "08", reference);
	(void)snprintf(num, sizeof(num), "%lld", amount);

	tlv_add(&sb, "00", "01");
	tlv_add(&sb, "01", "12");
	tlv_add(&sb, "38", mai.err ? "" : mai.p);
	tlv_add(&sb, "53", "704");
	tlv_add(&sb, "54", num);
	tlv_add(&sb, "58", "VN");
	tlv_add(&sb, "62", add.err ? "" : add.p);
	sbuf_str(&sb, "6304");
	if (!sb.err) {
		(void)snprintf(crc, sizeof(crc), "%04X",
		    crc16_ccitt_false(sb.p, sb.len));
		sbuf_str(&sb, crc);
	}
	free(acct.p);
	free(mai.p);
	free(add.p);
	return (sbuf_finish(&sb));
}

/*
 * Next EMVCo data object of s[0..len) at *off: 2-digit ID, 2-digit length
 * 01..99, value.  1 with *id, *val, *vlen set and *off advanced; 0 at the
 * end; -1 if malformed.
 */
static int
tlv_next(const char *s, size_t len, size_t *off, int *id, const char **val,
    size_t *vlen)
{
	size_t	o = *off, l;

	if (o == len)
		return (0);
	if (len - o < 4)
		return (-1);
	for (l = 0; l < 4; l++)
		if (s[o + l] < '0' || s[o + l] > '9')
			return (-1);
	*id = (s[o] - '0') * 10 + (s[o + 1] - '0');
	l = (size_t)((s[o + 2] - '0') * 10 + (s[o + 3] - '0'));
	if (l == 0 || l > len - o - 4)
		return (-1);
	*val = s + o + 4;
	*vlen = l;
	*off = o + 4 + l;
	return (1);
}

/* Tag 38 sub-tag 01: 00 BIN (6 digits), 01 account ([A-Za-z0-9]). */
static int
vietqr_account_info(const char *s, size_t len, struct vietqr_info *out)
{
	const char	*v;
	size_t		 off, vlen, i;
	int		 id, r, seen;

	off = 0;
	seen = 0;
	while ((r = tlv_next(s, len, &off, &id, &v, &vlen)) == 1) {
		if (id == 0) {
			if ((seen & 1) || vlen != 6)
				return (0);
			for (i = 0; i < 6; i++)
				if (v[i] < '0' || v[i] > '9')
					return (0);
			memcpy(out->bin, v, 6);
			out->bin[6] = '\0';
			seen |= 1;
		} else if (id == 1) {
			if ((seen & 2) || vlen >= sizeof(out->account))
				return (0);
			for (i = 0; i < vlen; i++)
				if (!is_alnum((unsigned char)v[i]))
					return (0);
			memcpy(out->account, v, vlen);
			out->account[vlen] = '\0';
			seen |= 2;
		}
	}
	return (r == 0 && seen == 3);
}

/* Tag 38: 00 "A000000727", 01 beneficiary, 02 "QRIBFTTA". */
static int
vietqr_merchant(const char *s, size_t len, struct vietqr_info *out)
{
	const char	*v;
	size_t		 off, vlen;
	int		 id, r, seen;

	off = 0;
	seen = 0;
	while ((r = tlv_next(s, len, &off, &id, &v, &vlen)) == 1) {
		if (id <= 2 && (seen & (1 << id)))
			return (0);
		if (id == 0 && (vlen != 10 || memcmp(v, "A000000727", 10) != 0))
			return (0);
		if (id == 1 && !vietqr_account_info(v, vlen, out))
			return (0);
		if (id == 2 && (vlen != 8 || memcmp(v, "QRIBFTTA", 8) != 0))
			return (0);
		if (id <= 2)
			seen |= 1 << id;
	}
	return (r == 0 && seen == 7);
}

/* Tag 62: sub-tag 08 (purpose of transaction) is the reference. */
static int
vietqr_additional(const char *s, size_t len, struct vietqr_info *out)
{
	const char	*v;
	size_t		 off, vlen;
	int		 id, r, seen;

	off = 0;
	seen = 0;
	while ((r = tlv_next(s, len, &off, &id, &v, &vlen)) == 1) {
		if (id != 8)
			continue;
		if (seen || vlen >= sizeof(out->reference))
			return (0);
		memcpy(out->reference, v, vlen);
		out->reference[vlen] = '\0';
		seen = 1;
	}
	return (r == 0);
}

int
vietqr_parse(const char *payload, struct vietqr_info *out)
{
	const char	*v;
	size_t		 len, off, vlen, i;
	unsigned int	 crc;
	int		 id, r, h, nobj;
	char		 seen[100];

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (payload == NULL || out == NULL)
		return (0);
	len = bounded_len(payload, VIETQR_PAYLOAD_MAX);
	if (len < 8 || len > VIETQR_PAYLOAD_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)payload[i] < ' ' ||
		    (unsigned char)payload[i] > '~')
			return (0);

	/* CRC: last object "6304XXXX", over everything before XXXX. */
	if (memcmp(payload + len - 8, "6304", 4) != 0)
		return (0);
	crc = 0;
	for (i = len - 4; i < len; i++) {
		if ((h = hex_digit((unsigned char)payload[i])) < 0)
			return (0);
		crc = crc << 4 | (unsigned int)h;
	}
	if (crc16_ccitt_false(payload, len - 4) != crc)
		goto bad;

	off = 0;
	nobj = 0;
	memset(seen, 0, sizeof(seen));
	while ((r = tlv_next(payload, len, &off, &id, &v, &vlen)) == 1) {
		if (seen[id])
			goto bad;
		/* 00 comes first and 63 last. */
		if ((nobj++ == 0) != (id == 0) || (id == 63) != (off == len))
			goto bad;
		seen[id] = 1;
		switch (id) {
		case 0:
			if (vlen != 2 || memcmp(v, "01", 2) != 0)
				goto bad;
			break;
		case 1:
			if (vlen != 2 || (memcmp(v, "11", 2) != 0 &&
			    memcmp(v, "12", 2) != 0))
				goto bad;
			break;
		case 38:
			if (!vietqr_merchant(v, vlen, out))
				goto bad;
			break;
		case 53:
			if (vlen != 3 || memcmp(v, "704", 3) != 0)
				goto bad;
			break;
		case 54:
			if (vlen > 13 || !parse_digits(v, vlen, &out->amount))
				goto bad;
			break;
		case 58:
			if (vlen != 2 || memcmp(v, "VN", 2) != 0)
				goto bad;
			break;
		case 62:
			if (!vietqr_additional(v, vlen, out))
				goto bad;
			break;
		case 63:
			if (vlen != 4)
				goto bad;
			break;
		default:
			break;
		}
	}
	if (r != 0 || !seen[38] || !seen[53] || !seen[58] || !seen[63])
		goto bad;
	return (1);
bad:
	memset(out, 0, sizeof(*out));
	return (0);
}
