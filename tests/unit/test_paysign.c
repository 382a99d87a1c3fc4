/*
 * Unit tests for src/paysign.c (cmocka).  Links paysign.c alone:
 *	cc -std=c99 -Wall -Wextra -Werror -Isrc tests/unit/test_paysign.c \
 *	    src/paysign.c -lcmocka -lsodium
 * Every expected HMAC below was computed outside this code with the
 * openssl(1) command quoted next to it; every expected VietQR payload
 * either comes from a published generator or had its CRC computed by a
 * separate implementation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paysign.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Replace the first occurrence of from in s by to; a fresh string. */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char	*at;
	char		*r;
	size_t		 len;

	at = strstr(s, from);
	assert_non_null(at);
	len = strlen(s) - strlen(from) + strlen(to);
	r = malloc(len + 1);
	assert_non_null(r);
	memcpy(r, s, at - s);
	memcpy(r + (at - s), to, strlen(to));
	strcpy(r + (at - s) + strlen(to), at + strlen(from));
	return (r);
}

static char *
concat(const char *a, const char *b)
{
	char	*r;

	r = malloc(strlen(a) + strlen(b) + 1);
	assert_non_null(r);
	strcpy(r, a);
	strcat(r, b);
	return (r);
}

/* HMAC basics: RFC-style "quick brown fox" vectors. */
static void
test_hmac_hex(void **state)
{
	static const char msg[] = "The quick brown fox jumps over the lazy dog";
	char	h256[PAYSIGN_SHA256_HEX], h512[PAYSIGN_SHA512_HEX];

	(void)state;
	/* printf %s "$msg" | openssl dgst -sha256 -hmac key */
	paysign_hmac_sha256_hex("key", msg, strlen(msg), h256);
	assert_string_equal(h256, "f7bc83f430538424b13298e6aa6fb143"
	    "ef4d59a14946175997479dbc2d1a3cd8");
	/* printf %s "$msg" | openssl dgst -sha512 -hmac key */
	paysign_hmac_sha512_hex("key", msg, strlen(msg), h512);
	assert_string_equal(h512, "b42af09057bac1e2d41708e48a902e09"
	    "b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3"
	    "935357e4e2317250d0372afa2ebeeb3a");
}

static void
test_hex_equal(void **state)
{
	(void)state;
	assert_int_equal(paysign_hex_equal("00ff", "00ff"), 1);
	assert_int_equal(paysign_hex_equal("00ff", "00FF"), 1);
	assert_int_equal(paysign_hex_equal("ABCDEF0123456789",
	    "abcdef0123456789"), 1);
	assert_int_equal(paysign_hex_equal("00ff", "00fe"), 0);
	assert_int_equal(paysign_hex_equal("00ff", "00ff0"), 0);
	assert_int_equal(paysign_hex_equal("00ff0", "00ff"), 0);
	assert_int_equal(paysign_hex_equal("", ""), 0);
	assert_int_equal(paysign_hex_equal(NULL, "00"), 0);
	assert_int_equal(paysign_hex_equal("00", NULL), 0);
	/* Case folding must not make non-hex characters equal. */
	assert_int_equal(paysign_hex_equal("0g", "0G"), 0);
	assert_int_equal(paysign_hex_equal("@0", "`0"), 0);
	assert_int_equal(paysign_hex_equal("zz", "zz"), 0);
	assert_int_equal(paysign_hex_equal("a\x01", "a!"), 0);
}

static void
test_urlencode(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} v[] = {
		{ "", "" },
		{ "AZaz09-_.", "AZaz09-_." },
		{ "a b", "a+b" },
		/* PHP urlencode encodes ~ * ' ( ) ! unlike rawurlencode. */
		{ "~*'()!", "%7E%2A%27%28%29%21" },
		{ "https://x.vn/r?a=1&b=2", "https%3A%2F%2Fx.vn%2Fr%3Fa%3D1%26b%3D2" },
		{ "+%#", "%2B%25%23" },
		/* "Thanh toán" in UTF-8, upper-case hex. */
		{ "Thanh to\303\241n", "Thanh+to%C3%A1n" },
		{ "\304\221\306\241n", "%C4%91%C6%A1n" },
		{ "\x7f\x01", "%7F%01" },
	};
	char	*r;
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(v); i++) {
		r = paysign_urlencode(v[i].in);
		assert_non_null(r);
		assert_string_equal(r, v[i].out);
		free(r);
	}
	assert_null(paysign_urlencode(NULL));
}

/*
 * VNPay payment URL.  The hash input is written out by hand (sorted keys,
 * PHP urlencode), and its HMAC computed with:
 *	printf %s "$H" | openssl dgst -sha512 \
 *	    -hmac SANTESTSECRETKEY0123456789ABCDEF
 */
#define VNP_SECRET	"SANTESTSECRETKEY0123456789ABCDEF"
#define VNP_URL_H \
	"vnp_Amount=15000000&vnp_Command=pay&vnp_CreateDate=20250101120000" \
	"&vnp_CurrCode=VND&vnp_ExpireDate=20250101121500" \
	"&vnp_IpAddr=127.0.0.1&vnp_Locale=vn" \
	"&vnp_OrderInfo=Thanh+toan+don+hang+SAN-0001&vnp_OrderType=other" \
	"&vnp_ReturnUrl=https%3A%2F%2Fsan.example%2Fpayment%2Freturn" \
	"%3Fx%3D1%26y%3D%7Ez" \
	"&vnp_TmnCode=SANTEST1&vnp_TxnRef=SAN-0001&vnp_Version=2.1.0"
#define VNP_URL_HASH \
	"922a2d56ede1ffe6683eb4d3041a563a2dd6bb5f24a4bc41835fb06f0422d446" \
	"5ff67d19755ce8a83d1d8ad3681a4502ed20c1d73c534ebd01ed008ac9fe22db"

static const struct paysign_kv vnp_pay_fields[] = {
	{ "vnp_Version", "2.1.0" },
	{ "vnp_Command", "pay" },
	{ "vnp_TmnCode", "SANTEST1" },
	{ "vnp_Amount", "15000000" },
	{ "vnp_CreateDate", "20250101120000" },
	{ "vnp_CurrCode", "VND" },
	{ "vnp_IpAddr", "127.0.0.1" },
	{ "vnp_Locale", "vn" },
	{ "vnp_OrderInfo", "Thanh toan don hang SAN-0001" },
	{ "vnp_OrderType", "other" },
	{ "vnp_ReturnUrl", "https://san.example/payment/return?x=1&y=~z" },
	{ "vnp_TxnRef", "SAN-0001" },
	{ "vnp_ExpireDate", "20250101121500" },
};

static void
test_vnpay_payment_url(void **state)
{
	struct paysign_kv	 dup[2] = {
		{ "vnp_TxnRef", "1" }, { "vnp_TxnRef", "2" } };
	struct paysign_kv	 hash[1] = { { "vnp_SecureHash", "00" } };
	char			*url;

	(void)state;
	url = vnpay_payment_url("https://sandbox.vnpayment.vn/paymentv2/"
	    "vpcpay.html", vnp_pay_fields, NITEMS(vnp_pay_fields),
	    VNP_SECRET);
	assert_non_null(url);
	assert_string_equal(url, "https://sandbox.vnpayment.vn/paymentv2/"
	    "vpcpay.html?" VNP_URL_H "&vnp_SecureHash=" VNP_URL_HASH);
	free(url);

	/* A different secret gives a different hash. */
	url = vnpay_payment_url("x", vnp_pay_fields, NITEMS(vnp_pay_fields),
	    VNP_SECRET "x");
	assert_non_null(url);
	assert_null(strstr(url, VNP_URL_HASH));
	free(url);

	assert_null(vnpay_payment_url("x", dup, 2, VNP_SECRET));
	assert_null(vnpay_payment_url("x", hash, 1, VNP_SECRET));
	assert_null(vnpay_payment_url("x", vnp_pay_fields, 0, VNP_SECRET));
	assert_null(vnpay_payment_url("x", vnp_pay_fields, 2, ""));
	assert_null(vnpay_payment_url("x", vnp_pay_fields, 2, NULL));
	assert_null(vnpay_payment_url(NULL, vnp_pay_fields, 2, VNP_SECRET));
}

/*
 * A real VNPay sandbox IPN, published with its merchant's sandbox secret
 * in a public GitHub debugging script (found through the code search
 * index, file id 65887068789: "DEBUG VNPay Signature", TmnCode L8M3EKX2).
 * Re-checked here with:
 *	printf %s "$PUB_IPN_H" | openssl dgst -sha512 \
 *	    -hmac 6HEKW2H6YES2FSOKLKKRQ0JS3QF1M4H6
 * vnp_OrderInfo is "Thanh toán đơn hàng #6834803ff5166e338d7103a8".
 */
#define PUB_SECRET	"6HEKW2H6YES2FSOKLKKRQ0JS3QF1M4H6"
#define PUB_IPN_H \
	"vnp_Amount=14108000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14980726" \
	"&vnp_CardType=ATM&vnp_OrderInfo=Thanh+to%C3%A1n+%C4%91%C6%A1n+h" \
	"%C3%A0ng+%236834803ff5166e338d7103a8&vnp_PayDate=20250526215346" \
	"&vnp_ResponseCode=00&vnp_TmnCode=L8M3EKX2&vnp_TransactionNo=14980726" \
	"&vnp_TransactionStatus=00&vnp_TxnRef=6834803ff5166e338d7103a8"
#define PUB_IPN_HASH \
	"3264dbf4850cb57d0cd597716260bf0722810f49b7abb144254f7f77adf08a1a" \
	"6f496ab19e18c16266153c8caee87497fea7fa3507e61bcf9786dcff0d71b532"
#define PUB_IPN		PUB_IPN_H "&vnp_SecureHash=" PUB_IPN_HASH

static void
test_vnpay_verify_published(void **state)
{
	struct vnpay_ipn	ipn;

	(void)state;
	assert_int_equal(vnpay_verify(PUB_IPN, PUB_SECRET, &ipn), VNPAY_OK);
	assert_string_equal(ipn.txn_ref, "6834803ff5166e338d7103a8");
	assert_string_equal(ipn.transaction_no, "14980726");
	assert_string_equal(ipn.response_code, "00");
	assert_string_equal(ipn.transaction_status, "00");
	assert_string_equal(ipn.tmn_code, "L8M3EKX2");
	assert_string_equal(ipn.pay_date, "20250526215346");
	assert_string_equal(ipn.bank_code, "NCB");
	assert_int_equal(ipn.amount, 14108000);

	/* Wrong secret. */
	assert_int_equal(vnpay_verify(PUB_IPN, VNP_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	assert_string_equal(ipn.txn_ref, "");
	assert_int_equal(ipn.amount, 0);
	assert_int_equal(vnpay_verify(PUB_IPN, "", &ipn), VNPAY_BAD_SIGNATURE);
	assert_int_equal(vnpay_verify(PUB_IPN, NULL, &ipn),
	    VNPAY_BAD_SIGNATURE);
}

/*
 * Our own IPN with the characters where PHP urlencode differs from other
 * encoders (~ * ( ) %), and Vietnamese: vnp_OrderInfo is
 * "Đơn hàng ~ *SAN-0002* (50%)".
 *	printf %s "$OWN_IPN_H" | openssl dgst -sha512 \
 *	    -hmac SANTESTSECRETKEY0123456789ABCDEF
 */
#define OWN_IPN_H \
	"vnp_Amount=5000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112" \
	"&vnp_CardType=ATM&vnp_OrderInfo=%C4%90%C6%A1n+h%C3%A0ng+%7E+" \
	"%2ASAN-0002%2A+%2850%25%29&vnp_PayDate=20250101120500" \
	"&vnp_ResponseCode=00&vnp_TmnCode=SANTEST1&vnp_TransactionNo=14226112" \
	"&vnp_TransactionStatus=00&vnp_TxnRef=SAN-0002"
#define OWN_IPN_HASH \
	"e7520af59fa8938300c968e96f815fff91466115761dbe3c59272f5e11af96c9" \
	"c8dc13a8563c9f0bcbcada9e63f69fba81197ffd3b886144eb02b09335debdac"
#define OWN_IPN		OWN_IPN_H "&vnp_SecureHash=" OWN_IPN_HASH

static void
test_vnpay_verify_own(void **state)
{
	struct vnpay_ipn	 ipn;
	char			*q;

	(void)state;
	assert_int_equal(vnpay_verify(OWN_IPN, VNP_SECRET, &ipn), VNPAY_OK);
	assert_string_equal(ipn.txn_ref, "SAN-0002");
	assert_int_equal(ipn.amount, 5000000);

	/* The same pairs, encoded differently on the wire: still good. */
	q = replace(OWN_IPN, "h%C3%A0ng+", "h%c3%a0ng%20");
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn), VNPAY_OK);
	free(q);
	q = replace(OWN_IPN, "vnp_Amount=", "vnp%5FAmount=");
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn), VNPAY_OK);
	free(q);
	q = replace(OWN_IPN, "%7E", "~");
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn), VNPAY_OK);
	free(q);

	q = replace(OWN_IPN, "%2ASAN-0002%2A", "*SAN-0002*");
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn), VNPAY_OK);
	free(q);
	/* A value changed by one trailing space is another value. */
	q = replace(OWN_IPN, "%2850%25%29", "%2850%25%29%20");
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
}

static void
test_vnpay_verify_tampered(void **state)
{
	struct vnpay_ipn	 ipn;
	char			*q;

	(void)state;
	q = replace(PUB_IPN, "vnp_Amount=14108000", "vnp_Amount=14108001");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
	q = replace(PUB_IPN, "vnp_ResponseCode=00", "vnp_ResponseCode=24");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
	/* Last hex digit of the signature changed. */
	q = replace(PUB_IPN, "0d71b532", "0d71b533");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
	/* Truncated signature. */
	q = replace(PUB_IPN, "0d71b532", "0d71b5");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
	/* Signature in upper case is the same signature. */
	q = replace(PUB_IPN, "3264dbf4850cb57d", "3264DBF4850CB57D");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_OK);
	free(q);
	/* A field added that was not signed. */
	q = concat(PUB_IPN, "&vnp_Extra=1");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
	/* A field dropped. */
	q = replace(PUB_IPN, "vnp_BankCode=NCB&", "");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_BAD_SIGNATURE);
	free(q);
}

static void
test_vnpay_verify_signature_fields(void **state)
{
	struct vnpay_ipn	 ipn;
	char			*q;

	(void)state;
	/* No signature at all, or an empty one. */
	assert_int_equal(vnpay_verify(PUB_IPN_H, PUB_SECRET, &ipn),
	    VNPAY_NO_SIGNATURE);
	assert_int_equal(vnpay_verify(PUB_IPN_H "&vnp_SecureHash=",
	    PUB_SECRET, &ipn), VNPAY_NO_SIGNATURE);
	/* vnp_SecureHashType and non-vnp_ pairs are not signed. */
	q = concat(PUB_IPN, "&vnp_SecureHashType=HmacSHA512");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_OK);
	free(q);
	q = concat("utm_source=x&", PUB_IPN);
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_OK);
	free(q);
	/* Signature first. */
	assert_int_equal(vnpay_verify("vnp_SecureHash=" PUB_IPN_HASH "&"
	    PUB_IPN_H, PUB_SECRET, &ipn), VNPAY_OK);
}

/* The same pairs in another order verify: the hash is over sorted keys. */
static void
test_vnpay_verify_reordered(void **state)
{
	static const char	*q =
	    "vnp_TxnRef=6834803ff5166e338d7103a8"
	    "&vnp_SecureHash=" PUB_IPN_HASH
	    "&vnp_TransactionStatus=00&vnp_TransactionNo=14980726"
	    "&vnp_TmnCode=L8M3EKX2&vnp_ResponseCode=00"
	    "&vnp_PayDate=20250526215346"
	    "&vnp_OrderInfo=Thanh+to%C3%A1n+%C4%91%C6%A1n+h"
	    "%C3%A0ng+%236834803ff5166e338d7103a8"
	    "&vnp_CardType=ATM&vnp_BankTranNo=VNP14980726"
	    "&vnp_BankCode=NCB&vnp_Amount=14108000";
	struct vnpay_ipn	 ipn;

	(void)state;
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_OK);
	assert_int_equal(ipn.amount, 14108000);
}

static void
test_vnpay_verify_malformed(void **state)
{
	static const char *bad[] = {
		"",
		"&",
		"=",
		"vnp_TxnRef",				/* no '=' */
		"=1&vnp_TxnRef=2",			/* empty key */
		"vnp_TxnRef=1&&vnp_Amount=2",		/* empty piece */
		"vnp_TxnRef=1&",			/* trailing '&' */
		"&vnp_TxnRef=1",
		"vnp_TxnRef=1&vnp_TxnRef=1",		/* duplicate key */
		"vnp_TxnRef=1&vnp%5FTxnRef=2",		/* same key decoded */
		"vnp_OrderInfo=%",
		"vnp_OrderInfo=%4",
		"vnp_OrderInfo=%G1",
		"vnp_OrderInfo=%1G",
		"vnp_OrderInfo=a%00b",			/* NUL */
		"vnp_OrderInfo=a%",
		"vnp_Order%",
		"vnp_OrderInfo=a b",			/* raw space */
		"vnp_OrderInfo=a\tb",
		"vnp_OrderInfo=\303\241",		/* raw UTF-8 */
		"vnp_OrderInfo=a\x7f",
	};
	struct vnpay_ipn	 ipn;
	char			*q;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		memset(&ipn, 'x', sizeof(ipn));
		if (vnpay_verify(bad[i], PUB_SECRET, &ipn) != VNPAY_MALFORMED)
			fail_msg("accepted query \"%s\"", bad[i]);
		assert_string_equal(ipn.txn_ref, "");
	}
	/* Duplicate vnp_SecureHash, even with the good value twice. */
	q = concat(PUB_IPN, "&vnp_SecureHash=" PUB_IPN_HASH);
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_MALFORMED);
	free(q);
	q = concat(PUB_IPN, "&vnp_Amount=14108000");
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_MALFORMED);
	free(q);
	assert_int_equal(vnpay_verify(NULL, PUB_SECRET, &ipn),
	    VNPAY_MALFORMED);
	assert_int_equal(vnpay_verify(PUB_IPN, PUB_SECRET, NULL),
	    VNPAY_MALFORMED);
}

static void
test_vnpay_verify_limits(void **state)
{
	struct vnpay_ipn	 ipn;
	char			*q, *p;
	size_t			 i, len;

	(void)state;
	/* 64 pairs pass the parser (then fail the signature); 65 do not. */
	q = malloc(65 * 16 + 1);
	assert_non_null(q);
	for (i = 0, p = q; i < 65; i++)
		p += sprintf(p, "%sk%02zu=v", i ? "&" : "", i);
	len = strlen(q);
	/* Cut after the 64th pair. */
	p = q;
	for (i = 0; i < 64; i++)
		p = strchr(p + 1, '&');
	*p = '\0';
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_NO_SIGNATURE);
	*p = '&';
	assert_int_equal(strlen(q), len);
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_MALFORMED);
	free(q);

	/* 4096 bytes parse; 4097 do not. */
	q = malloc(VNPAY_QUERY_MAX + 2);
	assert_non_null(q);
	memcpy(q, "vnp_OrderInfo=", 14);
	memset(q + 14, 'a', VNPAY_QUERY_MAX - 14);
	q[VNPAY_QUERY_MAX] = '\0';
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn),
	    VNPAY_NO_SIGNATURE);
	q[VNPAY_QUERY_MAX] = 'a';
	q[VNPAY_QUERY_MAX + 1] = '\0';
	assert_int_equal(vnpay_verify(q, PUB_SECRET, &ipn), VNPAY_MALFORMED);
	free(q);
}

/* Round trip: what vnpay_payment_url signs, vnpay_verify accepts. */
static void
test_vnpay_round_trip(void **state)
{
	char			 longref[VNPAY_FIELD_MAX + 1];
	struct paysign_kv	 f[] = {
		{ "vnp_Amount", "5000000" },
		{ "vnp_ResponseCode", "00" },
		{ "vnp_TmnCode", "SANTEST1" },
		{ "vnp_TxnRef", "SAN-0003" },
		{ "vnp_OrderInfo", "\304\220\306\241n h\303\240ng ~*'()! 100%" },
		{ "vnp_TransactionStatus", "00" },
	};
	struct vnpay_ipn	 ipn;
	char			*url, *q;

	(void)state;
	url = vnpay_payment_url("http://x/ipn", f, NITEMS(f), VNP_SECRET);
	assert_non_null(url);
	q = strchr(url, '?') + 1;
	assert_int_equal(vnpay_verify(q, VNP_SECRET, &ipn), VNPAY_OK);
	assert_string_equal(ipn.txn_ref, "SAN-0003");
	assert_string_equal(ipn.transaction_no, "");
	assert_string_equal(ipn.transaction_status, "00");
	assert_int_equal(ipn.amount, 5000000);
	free(url);

	/* Signed, but vnp_TxnRef does not fit: malformed. */
	memset(longref, 'R', sizeof(longref) - 1);
	longref[sizeof(longref) - 1] = '\0';
	f[3].value = longref;
	url = vnpay_payment_url("http://x/ipn", f, NITEMS(f), VNP_SECRET);
	assert_non_null(url);
	assert_int_equal(vnpay_verify(strchr(url, '?') + 1, VNP_SECRET, &ipn),
	    VNPAY_MALFORMED);
	assert_string_equal(ipn.txn_ref, "");
	free(url);

	/* Signed, but vnp_Amount is not a number, or missing. */
	f[3].value = "SAN-0003";
	f[0].value = "50000.00";
	url = vnpay_payment_url("http://x/ipn", f, NITEMS(f), VNP_SECRET);
	assert_int_equal(vnpay_verify(strchr(url, '?') + 1, VNP_SECRET, &ipn),
	    VNPAY_MALFORMED);
	free(url);
	f[0].value = "5000000";
	url = vnpay_payment_url("http://x/ipn", f + 3, 3, VNP_SECRET);
	assert_int_equal(vnpay_verify(strchr(url, '?') + 1, VNP_SECRET, &ipn),
	    VNPAY_MALFORMED);
	free(url);
}

/*
 * MoMo v2 captureWallet create and IPN raw signatures, in the field order
 * of MoMo's documentation and its own PHP sample (momo-wallet/payment,
 * php/PayMoMo/init_payment.php and ipn_momo.php).
 *	printf %s "$RAW" | openssl dgst -sha256 \
 *	    -hmac SANMOMOSECRETKEY0123456789abcdef
 */
#define MOMO_SECRET	"SANMOMOSECRETKEY0123456789abcdef"
#define MOMO_INFO	"Thanh to\303\241n \304\221\306\241n h\303\240ng SAN-0001"

static void
test_momo_create(void **state)
{
	static const struct paysign_kv f[] = {
		{ "accessKey", "SANACCESSKEY0001" },
		{ "amount", "150000" },
		{ "extraData", "" },
		{ "ipnUrl", "https://san.example/api/v1/payments/momo/ipn" },
		{ "orderId", "SAN-0001-1" },
		{ "orderInfo", MOMO_INFO },
		{ "partnerCode", "MOMOSAN2025" },
		{ "redirectUrl", "https://san.example/payment/return" },
		{ "requestId", "SAN-0001-1-r1" },
		{ "requestType", "captureWallet" },
	};
	char	*raw, sig[PAYSIGN_SHA256_HEX];

	(void)state;
	raw = momo_raw_signature(f, NITEMS(f));
	assert_non_null(raw);
	assert_string_equal(raw, "accessKey=SANACCESSKEY0001&amount=150000"
	    "&extraData=&ipnUrl=https://san.example/api/v1/payments/momo/ipn"
	    "&orderId=SAN-0001-1&orderInfo=" MOMO_INFO
	    "&partnerCode=MOMOSAN2025"
	    "&redirectUrl=https://san.example/payment/return"
	    "&requestId=SAN-0001-1-r1&requestType=captureWallet");
	free(raw);
	momo_sign(f, NITEMS(f), MOMO_SECRET, sig);
	assert_string_equal(sig, "5dad72de7079026a987286e1d50e6b8b"
	    "6244af22ef9c059250df4a327bfaab2f");
	momo_sign(f, NITEMS(f), MOMO_SECRET "x", sig);
	assert_string_not_equal(sig, "5dad72de7079026a987286e1d50e6b8b"
	    "6244af22ef9c059250df4a327bfaab2f");
	momo_sign(f, NITEMS(f), "", sig);
	assert_string_equal(sig, "");
}

static void
test_momo_ipn(void **state)
{
	struct paysign_kv f[] = {
		{ "accessKey", "SANACCESSKEY0001" },
		{ "amount", "150000" },
		{ "extraData", "" },
		{ "message", "Successful." },
		{ "orderId", "SAN-0001-1" },
		{ "orderInfo", MOMO_INFO },
		{ "orderType", "momo_wallet" },
		{ "partnerCode", "MOMOSAN2025" },
		{ "payType", "qr" },
		{ "requestId", "SAN-0001-1-r1" },
		{ "responseTime", "1721720663942" },
		{ "resultCode", "0" },
		{ "transId", "4088878653" },
	};
	char	sig[PAYSIGN_SHA256_HEX], *raw;

	(void)state;
	momo_sign(f, NITEMS(f), MOMO_SECRET, sig);
	assert_string_equal(sig, "e57597978af86c4beb07dd550ad099e2"
	    "232e3a05b300bc3d15f7741d35750ef8");
	assert_int_equal(paysign_hex_equal(sig, "E57597978AF86C4BEB07DD550AD0"
	    "99E2232E3A05B300BC3D15F7741D35750EF8"), 1);
	/* Tampered amount. */
	f[1].value = "1500000";
	momo_sign(f, NITEMS(f), MOMO_SECRET, sig);
	assert_int_equal(paysign_hex_equal(sig, "e57597978af86c4beb07dd550ad0"
	    "99e2232e3a05b300bc3d15f7741d35750ef8"), 0);

	raw = momo_raw_signature(f, 0);
	assert_non_null(raw);
	assert_string_equal(raw, "");
	free(raw);
	f[2].value = NULL;
	assert_null(momo_raw_signature(f, NITEMS(f)));
}

/*
 * The same IPN as JSON, as MoMo posts it: amount, responseTime, resultCode
 * and transId are numbers, signed in their decimal form.
 */
static json_t *
momo_ipn_body(void)
{
	return (json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:I, s:i, s:I, s:s}",
	    "partnerCode", "MOMOSAN2025", "amount", (json_int_t)150000,
	    "requestId", "SAN-0001-1-r1", "orderInfo", MOMO_INFO,
	    "orderType", "momo_wallet", "message", "Successful.",
	    "payType", "qr", "extraData", "", "orderId", "SAN-0001-1",
	    "responseTime", (json_int_t)1721720663942LL, "resultCode", 0,
	    "transId", (json_int_t)4088878653LL, "signature",
	    "e57597978af86c4beb07dd550ad099e2232e3a05b300bc3d15f7741d35750ef8"));
}

static void
test_momo_ipn_verify(void **state)
{
	struct momo_ipn	 m;
	json_t		*o;

	(void)state;
	o = momo_ipn_body();
	assert_non_null(o);
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_OK);
	assert_string_equal(m.order_id, "SAN-0001-1");
	assert_string_equal(m.trans_id, "4088878653");
	assert_int_equal(m.amount, 150000);
	assert_int_equal(m.result_code, 0);

	/* Another merchant's, another secret or access key, no secret. */
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001", "OTHER",
	    MOMO_SECRET, &m), MOMO_WRONG_MERCHANT);
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET "x", &m), MOMO_BAD_SIGNATURE);
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0002",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_BAD_SIGNATURE);
	assert_int_equal(momo_ipn_verify(o, NULL, "MOMOSAN2025",
	    MOMO_SECRET, &m), MOMO_BAD_SIGNATURE);
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", "", &m), MOMO_BAD_SIGNATURE);

	/* The amount as a string is signed the same; tampered, it is not. */
	json_object_set_new(o, "amount", json_string("150000"));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_OK);
	json_object_set_new(o, "amount", json_integer(1500000));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_BAD_SIGNATURE);
	assert_int_equal(m.amount, 1500000);

	/* Malformed: what is known is still filled in, for the record. */
	json_object_set_new(o, "amount", json_real(150000.0));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	assert_int_equal(m.amount, -1);
	assert_string_equal(m.order_id, "SAN-0001-1");
	json_object_set_new(o, "amount", json_string("-1"));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	assert_int_equal(m.amount, -1);
	json_object_set_new(o, "amount", json_string("99999999999999999999"));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	json_object_set_new(o, "amount", json_integer(150000));
	json_object_set_new(o, "resultCode", json_string("0x"));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	json_object_set_new(o, "resultCode", json_integer(0));
	json_object_set_new(o, "signature", json_integer(1));
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	json_object_del(o, "signature");
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	json_object_del(o, "message");
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	assert_string_equal(m.trans_id, "4088878653");
	json_decref(o);

	o = json_array();
	assert_int_equal(momo_ipn_verify(o, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
	assert_null(m.order_id);
	assert_int_equal(m.amount, -1);
	json_decref(o);
	assert_int_equal(momo_ipn_verify(NULL, "SANACCESSKEY0001",
	    "MOMOSAN2025", MOMO_SECRET, &m), MOMO_MALFORMED);
}

/*
 * Bank webhook.
 *	printf %s "1735707600.$BODY" | openssl dgst -sha256 \
 *	    -hmac SANBANKWEBHOOKSECRET
 */
#define BANK_SECRET	"SANBANKWEBHOOKSECRET"
#define BANK_T		1735707600
#define BANK_BODY	"{\"transaction_id\":\"FT25001ABC\"," \
	"\"reference\":\"SAN-0001\",\"amount_vnd\":150000," \
	"\"time\":\"2025-01-01T12:00:00+07:00\"}"
#define BANK_SIG	"17c7d9c9c52252128ce6170516cb8c3f" \
	"415333e48f7666a07b2f9dd522aca62d"
#define BANK_HDR	"t=1735707600,v1=" BANK_SIG

static enum bank_verdict
bank(const char *hdr, const char *body, time_t now)
{
	return (bank_verify(hdr, body, strlen(body), BANK_SECRET, now, 300));
}

static void
test_bank_good(void **state)
{
	(void)state;
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T), BANK_OK);
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T + 300), BANK_OK);
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T - 5), BANK_OK);
	assert_int_equal(bank("t=1735707600,v1=17C7D9C9C52252128CE6170516CB8C3F"
	    "415333E48F7666A07B2F9DD522ACA62D", BANK_BODY, BANK_T), BANK_OK);
	/* Empty body: printf %s "1735707600." | openssl dgst ... */
	assert_int_equal(bank_verify("t=1735707600,v1=40b08a551354ff8ac1832a77"
	    "01f6b83f8d9f607c2636a9bb2d58fcc4b3e7458d", NULL, 0, BANK_SECRET,
	    BANK_T, 300), BANK_OK);
}

static void
test_bank_time(void **state)
{
	(void)state;
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T + 301), BANK_STALE);
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T + 86400),
	    BANK_STALE);
	assert_int_equal(bank(BANK_HDR, BANK_BODY, BANK_T - 6), BANK_FUTURE);
	assert_int_equal(bank(BANK_HDR, BANK_BODY, 0), BANK_FUTURE);
	assert_int_equal(bank_verify(BANK_HDR, BANK_BODY, strlen(BANK_BODY),
	    BANK_SECRET, BANK_T + 60, 30), BANK_STALE);
}

static void
test_bank_malformed(void **state)
{
	static const char *bad[] = {
		"",
		"t=1735707600",				/* missing v1 */
		"t=1735707600,",
		"t=1735707600,v1=",
		"v1=" BANK_SIG,				/* missing t */
		"v1=" BANK_SIG ",t=1735707600",		/* order */
		"t=,v1=" BANK_SIG,
		"t=17357076x0,v1=" BANK_SIG,
		"t=1735707600000,v1=" BANK_SIG,		/* 13 digits */
		"t=-1735707600,v1=" BANK_SIG,
		"t=1735707600,v1=" BANK_SIG "0",	/* 65 hex */
		"t=1735707600,v1=17c7d9c9c52252128ce6170516cb8c3f"
		    "415333e48f7666a07b2f9dd522aca62",	/* 63 hex */
		"t=1735707600,v1=17c7d9c9c52252128ce6170516cb8c3f"
		    "415333e48f7666a07b2f9dd522aca6zz",	/* non-hex */
		BANK_HDR ",v0=abc",			/* extra junk */
		BANK_HDR " ",
		" " BANK_HDR,
		"t=1735707600, v1=" BANK_SIG,
		"T=1735707600,v1=" BANK_SIG,
		"t=1735707600,V1=" BANK_SIG,
		"t=1735707600;v1=" BANK_SIG,
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++)
		if (bank(bad[i], BANK_BODY, BANK_T) != BANK_MALFORMED)
			fail_msg("accepted header \"%s\"", bad[i]);
	assert_int_equal(bank_verify(NULL, BANK_BODY, 1, BANK_SECRET, BANK_T,
	    300), BANK_MALFORMED);
	assert_int_equal(bank_verify(BANK_HDR, NULL, 1, BANK_SECRET, BANK_T,
	    300), BANK_MALFORMED);
}

static void
test_bank_bad_signature(void **state)
{
	char	*body;

	(void)state;
	assert_int_equal(bank_verify(BANK_HDR, BANK_BODY, strlen(BANK_BODY),
	    BANK_SECRET "x", BANK_T, 300), BANK_BAD_SIGNATURE);
	assert_int_equal(bank_verify(BANK_HDR, BANK_BODY, strlen(BANK_BODY),
	    "", BANK_T, 300), BANK_BAD_SIGNATURE);
	assert_int_equal(bank_verify(BANK_HDR, BANK_BODY, strlen(BANK_BODY),
	    NULL, BANK_T, 300), BANK_BAD_SIGNATURE);
	body = replace(BANK_BODY, "150000", "1500000");
	assert_int_equal(bank(BANK_HDR, body, BANK_T), BANK_BAD_SIGNATURE);
	free(body);
	/* Body one byte short. */
	assert_int_equal(bank_verify(BANK_HDR, BANK_BODY,
	    strlen(BANK_BODY) - 1, BANK_SECRET, BANK_T, 300),
	    BANK_BAD_SIGNATURE);
	/* The timestamp is signed: another t with the same v1 fails. */
	assert_int_equal(bank("t=1735707601,v1=" BANK_SIG, BANK_BODY, BANK_T),
	    BANK_BAD_SIGNATURE);
	/* A stale forgery is a forgery first. */
	assert_int_equal(bank("t=1,v1=" BANK_SIG, BANK_BODY, BANK_T),
	    BANK_BAD_SIGNATURE);
}

static void
test_crc16(void **state)
{
	(void)state;
	/* The catalogued check value of CRC-16/CCITT-FALSE. */
	assert_int_equal(crc16_ccitt_false("123456789", 9), 0x29b1);
	assert_int_equal(crc16_ccitt_false("", 0), 0xffff);
	assert_int_equal(crc16_ccitt_false("A", 1), 0xb915);
}

/*
 * Published VietQR payloads (their CRCs re-checked with a separate
 * CRC-16/CCITT-FALSE implementation):
 *  - github.com/subiz/vietqr README: 120,000 VND to 0011001932418 at BIN
 *    970415 (VietinBank), purpose "ung ho lu lut";
 *  - github.com/duyquoc1508/napas-qr README: 10,000 VND to 224528479 at
 *    BIN 970416, 62/01 bill "NPS6869", 62/08 "TRANSFER TO SOMEONE".
 */
#define SUBIZ_QR	"00020101021238570010A000000727012700069704150113" \
	"00110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu " \
	"lut6304C15C"
#define NAPASQR_QR	"00020101021238530010A000000727012300069704160109" \
	"2245284790208QRIBFTTA53037045405100005802VN62340107NPS68690819" \
	"TRANSFER TO SOMEONE6304AC13"

static void
test_vietqr_published(void **state)
{
	struct vietqr_info	qi;

	(void)state;
	assert_int_equal(crc16_ccitt_false(SUBIZ_QR, strlen(SUBIZ_QR) - 4),
	    0xc15c);
	assert_int_equal(vietqr_parse(SUBIZ_QR, &qi), 1);
	assert_string_equal(qi.bin, "970415");
	assert_string_equal(qi.account, "0011001932418");
	assert_string_equal(qi.reference, "ung ho lu lut");
	assert_int_equal(qi.amount, 120000);

	assert_int_equal(vietqr_parse(NAPASQR_QR, &qi), 1);
	assert_string_equal(qi.bin, "970416");
	assert_string_equal(qi.account, "224528479");
	assert_string_equal(qi.reference, "TRANSFER TO SOMEONE");
	assert_int_equal(qi.amount, 10000);
}

/*
 * Ours: the same transfer as the subiz example with reference SAN-0001.
 * Everything up to tag 62 is byte-for-byte the published payload; the CRC
 * 6EC5 comes from a separate implementation.
 */
#define OWN_QR		"00020101021238570010A000000727012700069704150113" \
	"00110019324180208QRIBFTTA530370454061200005802VN62120808SAN-0001" \
	"63046EC5"

static void
test_vietqr_payload(void **state)
{
	struct vietqr_info	 qi;
	char			*p;

	(void)state;
	p = vietqr_payload("970415", "0011001932418", 120000, "SAN-0001");
	assert_non_null(p);
	assert_string_equal(p, OWN_QR);
	assert_memory_equal(p, SUBIZ_QR, strstr(SUBIZ_QR, "6217") - SUBIZ_QR);
	assert_int_equal(vietqr_parse(p, &qi), 1);
	assert_string_equal(qi.bin, "970415");
	assert_string_equal(qi.account, "0011001932418");
	assert_string_equal(qi.reference, "SAN-0001");
	assert_int_equal(qi.amount, 120000);
	free(p);

	/* Limits: 19-character account, 25-character reference, 13 digits. */
	p = vietqr_payload("970436", "ABCDEFGHIJ123456789", 9999999999999LL,
	    "SAN-0123456789-ABCDEFGHIJ");
	assert_non_null(p);
	assert_int_equal(vietqr_parse(p, &qi), 1);
	assert_string_equal(qi.account, "ABCDEFGHIJ123456789");
	assert_string_equal(qi.reference, "SAN-0123456789-ABCDEFGHIJ");
	assert_int_equal(qi.amount, 9999999999999LL);
	free(p);

	assert_null(vietqr_payload("97041", "1", 1, "R"));
	assert_null(vietqr_payload("9704150", "1", 1, "R"));
	assert_null(vietqr_payload("97041a", "1", 1, "R"));
	assert_null(vietqr_payload("970415", "", 1, "R"));
	assert_null(vietqr_payload("970415", "01234567890123456789", 1, "R"));
	assert_null(vietqr_payload("970415", "0123 45", 1, "R"));
	assert_null(vietqr_payload("970415", "1", 0, "R"));
	assert_null(vietqr_payload("970415", "1", -5, "R"));
	assert_null(vietqr_payload("970415", "1", 10000000000000LL, "R"));
	assert_null(vietqr_payload("970415", "1", 1, ""));
	assert_null(vietqr_payload("970415", "1", 1, "SAN 0001"));
	assert_null(vietqr_payload("970415", "1", 1, "SAN_0001"));
	assert_null(vietqr_payload("970415", "1", 1,
	    "SAN-0123456789-ABCDEFGHIJK"));
	assert_null(vietqr_payload(NULL, "1", 1, "R"));
}

/* Build "<body>6304<crc>" with a correct CRC. */
static char *
with_crc(const char *body)
{
	char	*p;
	size_t	 len;

	len = strlen(body);
	p = malloc(len + 9);
	assert_non_null(p);
	memcpy(p, body, len);
	memcpy(p + len, "6304", 5);
	snprintf(p + len + 4, 5, "%04X", crc16_ccitt_false(p, len + 4));
	return (p);
}

/* A valid payload of exactly total characters, padded with IDs 80-99. */
static char *
long_payload(size_t total)
{
	char	*p, *r;
	size_t	 pos, left, n;
	int	 id;

	p = malloc(total + 1);
	assert_non_null(p);
	strcpy(p, "000201010212" "38570010A00000072701270006970415011300110019"
	    "324180208QRIBFTTA" "53037045802VN");
	pos = strlen(p);
	left = total - pos - 8;
	for (id = 80; left > 0; id++) {
		assert_true(id < 100 && left >= 5);
		n = left - 4 > 99 ? 99 : left - 4;
		if (left - 4 - n > 0 && left - 4 - n < 5)
			n -= 5;
		pos += sprintf(p + pos, "%02d%02zu", id, n);
		memset(p + pos, 'x', n);
		pos += n;
		p[pos] = '\0';
		left -= 4 + n;
	}
	r = with_crc(p);
	free(p);
	return (r);
}

static void
test_vietqr_parse_bad(void **state)
{
	static const char *bodies[] = {
		/* 00 not first. */
		"010212000201" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* 00 not "01". */
		"000202" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* 01 neither 11 nor 12. */
		"000201010213" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* No 38. */
		"000201010212" "53037045802VN",
		/* Wrong GUID. */
		"000201010212" "38570010A00000072801270006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* Card service code. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTC" "53037045802VN",
		/* 5-digit BIN. */
		"000201010212" "38560010A0000007270126000597041011300110019324180208QRIBFTTA" "53037045802VN",
		/* No account. */
		"000201010212" "38400010A0000007270110000697041502" "08QRIBFTTA" "53037045802VN",
		/* Currency not VND. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53038405802VN",
		/* Country missing. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "5303704",
		/* Decimal amount. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "530370454091200.00005802VN",
		/* Duplicate root ID. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN5802VN",
		/* Length runs past the end of a template. */
		"000201010212" "38570010A00000072701290006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* Length 00. */
		"000201010212" "3800" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN",
		/* 62/08 longer than 25. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN" "62300826SAN-0123456789-ABCDEFGHIJK",
		/* Non-digit ID. */
		"000201010212" "38570010A00000072701270006970415011300110019324180208QRIBFTTA" "53037045802VN" "A1020X",
	};
	struct vietqr_info	 qi;
	char			*p, *q;
	size_t			 i;

	(void)state;
	/* The builder's own output with a good CRC parses. */
	p = with_crc("000201010212" "38570010A00000072701270006970415011300"
	    "110019324180208QRIBFTTA" "53037045802VN");
	assert_int_equal(vietqr_parse(p, &qi), 1);
	assert_int_equal(qi.amount, 0);		/* static: no 54 */
	assert_string_equal(qi.reference, "");
	free(p);

	for (i = 0; i < NITEMS(bodies); i++) {
		p = with_crc(bodies[i]);
		memset(&qi, 'x', sizeof(qi));
		if (vietqr_parse(p, &qi) != 0)
			fail_msg("accepted %s", p);
		assert_string_equal(qi.bin, "");
		free(p);
	}

	/* CRC: wrong, lower case, missing, not last. */
	q = replace(OWN_QR, "6EC5", "6EC6");
	assert_int_equal(vietqr_parse(q, &qi), 0);
	free(q);
	q = replace(OWN_QR, "6EC5", "6ec5");
	assert_int_equal(vietqr_parse(q, &qi), 1);
	free(q);
	q = replace(OWN_QR, "SAN-0001", "SAN-0002");
	assert_int_equal(vietqr_parse(q, &qi), 0);
	free(q);
	assert_int_equal(vietqr_parse("6304FFFF", &qi), 0);
	assert_int_equal(vietqr_parse("", &qi), 0);
	assert_int_equal(vietqr_parse(NULL, &qi), 0);
	assert_int_equal(vietqr_parse(OWN_QR, NULL), 0);

	/* Exactly VIETQR_PAYLOAD_MAX parses; one more does not. */
	p = long_payload(VIETQR_PAYLOAD_MAX);
	assert_int_equal(strlen(p), VIETQR_PAYLOAD_MAX);
	assert_int_equal(vietqr_parse(p, &qi), 1);
	free(p);
	p = long_payload(VIETQR_PAYLOAD_MAX + 1);
	assert_int_equal(strlen(p), VIETQR_PAYLOAD_MAX + 1);
	assert_int_equal(vietqr_parse(p, &qi), 0);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_hex),
		cmocka_unit_test(test_hex_equal),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_vnpay_payment_url),
		cmocka_unit_test(test_vnpay_verify_published),
		cmocka_unit_test(test_vnpay_verify_own),
		cmocka_unit_test(test_vnpay_verify_tampered),
		cmocka_unit_test(test_vnpay_verify_signature_fields),
		cmocka_unit_test(test_vnpay_verify_reordered),
		cmocka_unit_test(test_vnpay_verify_malformed),
		cmocka_unit_test(test_vnpay_verify_limits),
		cmocka_unit_test(test_vnpay_round_trip),
		cmocka_unit_test(test_momo_create),
		cmocka_unit_test(test_momo_ipn),
		cmocka_unit_test(test_momo_ipn_verify),
		cmocka_unit_test(test_bank_good),
		cmocka_unit_test(test_bank_time),
		cmocka_unit_test(test_bank_malformed),
		cmocka_unit_test(test_bank_bad_signature),
		cmocka_unit_test(test_crc16),
		cmocka_unit_test(test_vietqr_published),
		cmocka_unit_test(test_vietqr_payload),
		cmocka_unit_test(test_vietqr_parse_bad),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
