/*
 * Payment-provider signatures and payloads, as the providers document
 * them.  Pure code: no Kore headers, so unit tests and fuzzers link
 * src/paysign.c directly (libsodium for HMAC and constant-time compare,
 * jansson for MoMo's JSON).
 *
 *   VNPay API 2.1.0   payment URL and IPN: HMAC-SHA512 over the vnp_*
 *                     fields sorted by name, each key and value
 *                     URL-encoded as PHP urlencode() does (space -> '+').
 *   MoMo v2 (AIO)     create-payment and IPN: HMAC-SHA256 over
 *                     "k1=v1&k2=v2..." in MoMo's documented field order;
 *                     the IPN's JSON members checked (jansson).
 *   Bank webhook      X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 *                     "<t>.<raw body>">, at most 300 s old, not in the future.
 *   VietQR (NAPAS)    EMVCo merchant-presented QR payload with CRC-16/
 *                     CCITT-FALSE.
 *
 * Ownership: functions returning char * return malloc(3)ed strings the
 * caller frees; NULL means out of memory or invalid input.  Secrets are
 * never copied into returned strings except where the provider's protocol
 * requires it (never: only signatures are).
 */
#ifndef PAYSIGN_H
#define PAYSIGN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define PAYSIGN_SHA256_HEX	65	/* 64 hex digits + NUL */
#define PAYSIGN_SHA512_HEX	129

/* Lower-case hex HMACs of msg under key (any key length). */
void	paysign_hmac_sha256_hex(const char *key, const void *msg, size_t len,
	    char out[PAYSIGN_SHA256_HEX]);
void	paysign_hmac_sha512_hex(const char *key, const void *msg, size_t len,
	    char out[PAYSIGN_SHA512_HEX]);

/* 1 when the two hex strings are equal ignoring case, in constant time for
 * strings of equal length; 0 otherwise (also when lengths differ, either
 * is empty or NULL, or either holds a non-hex character). */
int	paysign_hex_equal(const char *a, const char *b);

/* A key/value pair (both NUL-terminated, decoded form). */
struct paysign_kv {
	const char	*key;
	const char	*value;
};

/*
 * PHP urlencode() of s appended to a freshly allocated string: ALNUM and
 * "-_." stay, space becomes '+', every other byte %XX upper-case.
 */
char	*paysign_urlencode(const char *s);

/*
 * VNPay 2.1.0 payment URL: base + "?" + the fields sorted by key, each
 * urlencoded, joined with '&', then "&vnp_SecureHash=<hex HMAC-SHA512 of
 * that same string under secret>".  NULL also for an empty secret, no
 * fields or more than VNPAY_PAIRS_MAX - 1, an empty or duplicate key, or
 * a vnp_SecureHash / vnp_SecureHashType field.
 */
char	*vnpay_payment_url(const char *base, const struct paysign_kv *fields,
	    size_t nfields, const char *secret);

/* What an IPN carried, decoded; filled only when the signature is good. */
#define VNPAY_FIELD_MAX	256
#define VNPAY_QUERY_MAX	4096	/* raw query bytes */
#define VNPAY_PAIRS_MAX	64	/* key=value pairs, vnp_SecureHash included */
struct vnpay_ipn {
	char		txn_ref[VNPAY_FIELD_MAX];	/* vnp_TxnRef */
	char		transaction_no[VNPAY_FIELD_MAX];/* vnp_TransactionNo */
	char		response_code[16];		/* vnp_ResponseCode */
	char		transaction_status[16];		/* vnp_TransactionStatus */
	char		tmn_code[64];			/* vnp_TmnCode */
	char		pay_date[32];			/* vnp_PayDate */
	char		bank_code[64];			/* vnp_BankCode */
	long long	amount;				/* vnp_Amount (VND x 100) */
};

enum vnpay_verdict {
	VNPAY_OK = 0,
	VNPAY_MALFORMED,	/* bad encoding, duplicate key, too long... */
	VNPAY_NO_SIGNATURE,
	VNPAY_BAD_SIGNATURE
};

/*
 * Verify an IPN's raw query string (without the leading '?'): decode every
 * pair, drop vnp_SecureHash and vnp_SecureHashType, keep the other vnp_*
 * fields, sort by key, re-encode as vnpay_payment_url() does, HMAC-SHA512
 * under secret, compare with vnp_SecureHash in constant time.
 * VNPAY_MALFORMED: empty or over VNPAY_QUERY_MAX bytes, a raw byte outside
 * '!'..'~', an empty piece or key, a piece without '=', more than
 * VNPAY_PAIRS_MAX pairs, a bad %-escape or %00, a key twice (after
 * decoding); also, after a good signature, vnp_TxnRef, vnp_Amount (1..15
 * digits), vnp_ResponseCode or vnp_TmnCode missing, or a field longer than
 * its slot in *out.  Pairs not named vnp_* are ignored, as VNPay's sample
 * does.  A NULL or empty secret never verifies.  *out is zeroed unless
 * VNPAY_OK; absent optional fields are "".
 */
enum vnpay_verdict vnpay_verify(const char *raw_query, const char *secret,
	    struct vnpay_ipn *out);

/*
 * MoMo raw signature string of the given fields in the order given
 * ("k1=v1&k2=v2", values verbatim, not URL-encoded) and its HMAC-SHA256.
 * The caller passes MoMo's documented order (create: accessKey, amount,
 * extraData, ipnUrl, orderId, orderInfo, partnerCode, redirectUrl,
 * requestId, requestType; IPN: accessKey, amount, extraData, message,
 * orderId, orderInfo, orderType, partnerCode, payType, requestId,
 * responseTime, resultCode, transId).
 */
char	*momo_raw_signature(const struct paysign_kv *fields, size_t nfields);
/* out is "" when secret is NULL or empty or a key or value is NULL. */
void	 momo_sign(const struct paysign_kv *fields, size_t nfields,
	    const char *secret, char out[PAYSIGN_SHA256_HEX]);

/*
 * A MoMo IPN (developers.momo.vn, payment notification), its body already
 * parsed as JSON.  The signature covers accessKey (ours, never sent) and
 * the other twelve members of MoMo's documented order as sent: strings
 * verbatim, integers in decimal.  momo_ipn_verify fills *out as far as
 * the body allows, also for a refused one (to record it), and answers in
 * this order of checks:
 *   MOMO_MALFORMED        o is not an object; a signed member is absent or
 *                         neither string nor integer; "signature" is not a
 *                         string; amount is not a decimal integer >= 0;
 *                         resultCode is not a decimal integer
 *   MOMO_BAD_SIGNATURE    the HMAC-SHA256 under secret differs (always for
 *                         a NULL or empty secret or access key)
 *   MOMO_WRONG_MERCHANT   partnerCode is not partner_code
 *   MOMO_OK
 * out->order_id and out->trans_id are NULL when absent; otherwise they
 * point into o or into out->num, so they live as long as both do.
 * out->amount is -1 unless a valid amount; out->result_code is 0 unless
 * resultCode is a decimal integer.
 */
#define MOMO_IPN_FIELDS	13
enum momo_verdict {
	MOMO_OK = 0,
	MOMO_MALFORMED,
	MOMO_BAD_SIGNATURE,
	MOMO_WRONG_MERCHANT
};
struct momo_ipn {
	const char	*order_id;		/* orderId */
	const char	*trans_id;		/* transId */
	long long	 amount;		/* VND */
	long long	 result_code;
	char		 num[MOMO_IPN_FIELDS][24];	/* integers as text */
};
/* MoMo's documented order of the IPN's signed members, accessKey first. */
extern const char *const momo_ipn_members[MOMO_IPN_FIELDS];
enum momo_verdict momo_ipn_verify(const json_t *o, const char *access_key,
	    const char *partner_code, const char *secret,
	    struct momo_ipn *out);

#define BANK_CLOCK_SKEW	5	/* seconds a timestamp may be ahead */

enum bank_verdict {
	BANK_OK = 0,
	BANK_MALFORMED,		/* header not "t=<1..12 digits>,v1=<64 hex>" */
	BANK_STALE,		/* t older than tolerance seconds */
	BANK_FUTURE,		/* t later than now (plus 5 s of clock skew) */
	BANK_BAD_SIGNATURE
};

/*
 * Check an X-Signature header against the raw body: the header exactly as
 * above (no spaces, no other fields), then the HMAC (BANK_BAD_SIGNATURE,
 * also for a NULL or empty secret), then the time: BANK_FUTURE when t >
 * now + BANK_CLOCK_SKEW, BANK_STALE when now - t > tolerance.
 */
enum bank_verdict bank_verify(const char *header, const void *body,
	    size_t len, const char *secret, time_t now, long tolerance);

/*
 * Dynamic VietQR (NAPAS 247, EMVCo) payload for a transfer of amount VND
 * (1..VIETQR_AMOUNT_MAX) to account ([A-Za-z0-9], 1..19 characters) at the
 * bank with the 6-digit BIN, with reference (the order code, [A-Za-z0-9-],
 * 1..25 characters) as the purpose of transaction (tag 62, sub-tag 08).
 * Objects 00 01 38 53 54 58 62 63 in that order, CRC upper-case hex.  NULL
 * if an argument is out of range.
 */
#define VIETQR_PAYLOAD_MAX	512
#define VIETQR_AMOUNT_MAX	9999999999999LL	/* 13 digits, EMVCo tag 54 */
char	*vietqr_payload(const char *bin, const char *account, long long amount,
	    const char *reference);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout). */
uint16_t crc16_ccitt_false(const void *data, size_t len);

/*
 * What a VietQR payload says; vietqr_parse returns 0 (and *out zeroed)
 * unless the CRC and the TLV structure are good: at most
 * VIETQR_PAYLOAD_MAX printable ASCII characters, 00 "01" first, 63 (4 hex
 * digits, either case) last, no root ID twice, 01 "11" or "12" if present,
 * 38 with 00 "A000000727", 01 (00 six-digit BIN, 01 alphanumeric account)
 * and 02 "QRIBFTTA", 53 "704", 58 "VN", 54 digits only if present (amount
 * 0 when absent: a static QR).  reference is 62/08 if present ("" if not),
 * any printable ASCII.
 */
struct vietqr_info {
	char		bin[7];
	char		account[20];
	char		reference[26];
	long long	amount;
};
int	vietqr_parse(const char *payload, struct vietqr_info *out);

#endif
