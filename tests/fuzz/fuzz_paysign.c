/*
 * libFuzzer target for src/paysign.c: the input goes to vnpay_verify (as a
 * query string), momo_ipn_verify (as a JSON body), bank_verify (split at
 * the first newline into X-Signature header and raw body) and
 * vietqr_parse; results are checked against the contracts in paysign.h,
 * and what the signers and builders produce from the input must verify or
 * parse back.
 *	clang -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_paysign.c src/paysign.c -lsodium -ljansson \
 *	    -o fuzz_paysign
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paysign.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

#define SECRET		"FUZZSECRETKEY0123456789ABCDEFGHI"
#define NOW		1735707600
#define ACCESS_KEY	"FUZZACCESSKEY001"
#define PARTNER		"FUZZPARTNER01"

static int
all_zero(const void *p, size_t len)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < len; i++)
		if (c[i] != 0)
			return (0);
	return (1);
}

static int
is_alnum(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

static void
fuzz_vnpay(const char *s, size_t size)
{
	struct paysign_kv	 f[5];
	struct vnpay_ipn	 ipn;
	enum vnpay_verdict	 v;
	char			*url, *enc;
	size_t			 qlen;

	v = vnpay_verify(s, SECRET, &ipn);
	CHECK(v == VNPAY_OK || v == VNPAY_MALFORMED ||
	    v == VNPAY_NO_SIGNATURE || v == VNPAY_BAD_SIGNATURE);
	if (strlen(s) > VNPAY_QUERY_MAX || strlen(s) == 0)
		CHECK(v == VNPAY_MALFORMED);
	if (v != VNPAY_OK)
		CHECK(all_zero(&ipn, sizeof(ipn)));
	/* Nobody knows SECRET but us: no input may verify. */
	CHECK(v != VNPAY_OK);

	enc = paysign_urlencode(s);
	CHECK(enc != NULL);
	CHECK(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.+%") == strlen(enc));
	free(enc);

	/* The input as vnp_OrderInfo: what we sign, we verify. */
	if (strlen(s) != size || size > VNPAY_FIELD_MAX)
		return;
	f[0].key = "vnp_TxnRef";
	f[0].value = "R1";
	f[1].key = "vnp_OrderInfo";
	f[1].value = s;
	f[2].key = "vnp_ResponseCode";
	f[2].value = "00";
	f[3].key = "vnp_TmnCode";
	f[3].value = "FUZZ0001";
	f[4].key = "vnp_Amount";
	f[4].value = "100";
	url = vnpay_payment_url("http://x/", f, 5, SECRET);
	CHECK(url != NULL);
	qlen = strlen(url) - strlen("http://x/?");
	v = vnpay_verify(url + strlen("http://x/?"), SECRET, &ipn);
	if (qlen <= VNPAY_QUERY_MAX) {
		CHECK(v == VNPAY_OK);
		CHECK(strcmp(ipn.txn_ref, "R1") == 0);
		CHECK(strcmp(ipn.tmn_code, "FUZZ0001") == 0);
		CHECK(ipn.amount == 100);
		/* Another secret never verifies it. */
		CHECK(vnpay_verify(url + strlen("http://x/?"), SECRET "x",
		    &ipn) == VNPAY_BAD_SIGNATURE);
	} else
		CHECK(v == VNPAY_MALFORMED);
	free(url);
}

/*
 * Sign o as MoMo would (its members' text rendered here, independently of
 * paysign.c) and set "signature"; 0 when a signed member cannot be.
 */
static int
momo_sign_body(json_t *o, const char *secret)
{
	struct paysign_kv	 f[MOMO_IPN_FIELDS];
	char			 num[MOMO_IPN_FIELDS][32];
	char			 sig[PAYSIGN_SHA256_HEX];
	json_t			*v;
	size_t			 i;

	f[0].key = momo_ipn_members[0];
	f[0].value = ACCESS_KEY;
	for (i = 1; i < MOMO_IPN_FIELDS; i++) {
		f[i].key = momo_ipn_members[i];
		v = json_object_get(o, f[i].key);
		if (json_is_string(v))
			f[i].value = json_string_value(v);
		else if (json_is_integer(v)) {
			snprintf(num[i], sizeof(num[i]), "%lld",
			    (long long)json_integer_value(v));
			f[i].value = num[i];
		} else
			return (0);
	}
	momo_sign(f, MOMO_IPN_FIELDS, secret, sig);
	CHECK(strlen(sig) == 64);
	json_object_set_new(o, "signature", json_string(sig));
	return (1);
}

static void
check_momo_fields(const json_t *o, const struct momo_ipn *m)
{
	const json_t	*v;

	v = json_object_get(o, "orderId");
	if (json_is_string(v))
		CHECK(m->order_id != NULL &&
		    strcmp(m->order_id, json_string_value(v)) == 0);
	else if (!json_is_integer(v))
		CHECK(m->order_id == NULL);
	v = json_object_get(o, "transId");
	if (!json_is_string(v) && !json_is_integer(v))
		CHECK(m->trans_id == NULL);
	CHECK(m->amount >= -1);
}

static void
fuzz_momo(const uint8_t *data, size_t size, const char *s)
{
	struct momo_ipn		 m;
	enum momo_verdict	 v;
	json_t			*o, *body;

	o = json_loadb((const char *)data, size, 0, NULL);
	v = momo_ipn_verify(o, ACCESS_KEY, PARTNER, SECRET, &m);
	CHECK(v == MOMO_MALFORMED || v == MOMO_BAD_SIGNATURE ||
	    v == MOMO_WRONG_MERCHANT);	/* nobody knows SECRET but us */
	if (!json_is_object(o)) {
		CHECK(v == MOMO_MALFORMED && m.order_id == NULL &&
		    m.trans_id == NULL && m.amount == -1);
		json_decref(o);
		o = NULL;
	} else {
		check_momo_fields(o, &m);
		if (v != MOMO_MALFORMED)
			CHECK(m.amount >= 0 &&
			    json_is_string(json_object_get(o, "signature")));
		/* What we sign ourselves verifies, as long as it is whole. */
		if (v != MOMO_MALFORMED && momo_sign_body(o, SECRET)) {
			v = momo_ipn_verify(o, ACCESS_KEY, PARTNER, SECRET, &m);
			CHECK(v == MOMO_OK || v == MOMO_WRONG_MERCHANT);
			CHECK((v == MOMO_OK) == (strcmp(json_string_value(
			    json_object_get(o, "partnerCode")), PARTNER) == 0));
			check_momo_fields(o, &m);
			CHECK(momo_ipn_verify(o, ACCESS_KEY, PARTNER,
			    SECRET "x", &m) == MOMO_BAD_SIGNATURE);
			CHECK(momo_ipn_verify(o, ACCESS_KEY "x", PARTNER,
			    SECRET, &m) == MOMO_BAD_SIGNATURE);
		}
	}
	json_decref(o);

	/* The input as orderInfo of a good IPN: it verifies, and a changed
	 * amount does not. */
	if (strlen(s) != size)
		return;
	body = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:I, s:i, s:s}", "partnerCode", PARTNER, "amount",
	    (json_int_t)(size * 1000), "requestId", "R1-r1", "orderType",
	    "momo_wallet", "message", "Successful.", "payType", "qr",
	    "extraData", "", "orderId", "R1", "responseTime",
	    (json_int_t)NOW * 1000, "resultCode", 0, "transId", "T1");
	CHECK(body != NULL);
	if (json_object_set_new(body, "orderInfo", json_string(s)) == 0) {
		CHECK(momo_sign_body(body, SECRET));
		CHECK(momo_ipn_verify(body, ACCESS_KEY, PARTNER, SECRET, &m) ==
		    MOMO_OK);
		CHECK(strcmp(m.order_id, "R1") == 0 &&
		    strcmp(m.trans_id, "T1") == 0 &&
		    m.amount == (long long)size * 1000 && m.result_code == 0);
		json_object_set_new(body, "amount",
		    json_integer((json_int_t)size * 1000 + 1));
		CHECK(momo_ipn_verify(body, ACCESS_KEY, PARTNER, SECRET, &m) ==
		    MOMO_BAD_SIGNATURE);
	}
	json_decref(body);
}

static void
fuzz_bank(const uint8_t *data, size_t size)
{
	const uint8_t		*nl;
	enum bank_verdict	 v;
	char			*hdr, *msg, *body;
	char			 sig[PAYSIGN_SHA256_HEX], good[128];
	size_t			 hlen, blen, i;
	long long		 t;

	if ((nl = memchr(data, '\n', size)) == NULL)
		nl = data + size;
	hlen = nl - data;
	blen = nl == data + size ? 0 : size - hlen - 1;
	/* Exact-size copies so ASan sees any overread. */
	if ((hdr = malloc(hlen + 1)) == NULL)
		return;
	memcpy(hdr, data, hlen);
	hdr[hlen] = '\0';
	body = blen > 0 ? malloc(blen) : NULL;
	if (blen > 0 && body == NULL) {
		free(hdr);
		return;
	}
	if (blen > 0)
		memcpy(body, nl + 1, blen);

	v = bank_verify(hdr, body, blen, SECRET, NOW, 300);
	CHECK(v == BANK_OK || v == BANK_MALFORMED || v == BANK_STALE ||
	    v == BANK_FUTURE || v == BANK_BAD_SIGNATURE);
	if (v != BANK_MALFORMED) {
		CHECK(strncmp(hdr, "t=", 2) == 0);
		CHECK(strlen(hdr) == strlen(strchr(hdr, ',')) +
		    strspn(hdr + 2, "0123456789") + 2);
		CHECK(strncmp(strchr(hdr, ','), ",v1=", 4) == 0);
		CHECK(strlen(strchr(hdr, ',')) == 4 + 64);
	}
	CHECK(v == BANK_MALFORMED || v == BANK_BAD_SIGNATURE);

	/* Sign the body ourselves at a time derived from the input. */
	t = NOW - (size > 0 ? (long long)(data[0] % 64) * 10 : 0) + 5;
	if ((msg = malloc(blen + 32)) == NULL)
		goto done;
	i = (size_t)snprintf(msg, 32, "%lld.", t);
	if (blen > 0)
		memcpy(msg + i, body, blen);
	paysign_hmac_sha256_hex(SECRET, msg, i + blen, sig);
	free(msg);
	snprintf(good, sizeof(good), "t=%lld,v1=%s", t, sig);
	v = bank_verify(good, body, blen, SECRET, NOW, 300);
	CHECK(v == (NOW - t > 300 ? BANK_STALE : BANK_OK));
	CHECK(bank_verify(good, body, blen, SECRET "x", NOW, 300) ==
	    BANK_BAD_SIGNATURE);
	if (blen > 0) {
		body[blen / 2] ^= 1;
		CHECK(bank_verify(good, body, blen, SECRET, NOW, 300) ==
		    BANK_BAD_SIGNATURE);
	}
done:
	free(hdr);
	free(body);
}

static void
check_qr_info(const struct vietqr_info *qi)
{
	size_t	i;

	CHECK(strlen(qi->bin) == 6);
	for (i = 0; i < 6; i++)
		CHECK(qi->bin[i] >= '0' && qi->bin[i] <= '9');
	CHECK(qi->account[0] != '\0');
	for (i = 0; qi->account[i] != '\0'; i++)
		CHECK(is_alnum((unsigned char)qi->account[i]));
	CHECK(strlen(qi->reference) <= 25);
	CHECK(qi->amount >= 0 && qi->amount <= VIETQR_AMOUNT_MAX);
}

static void
fuzz_vietqr(const char *s, const uint8_t *data, size_t size)
{
	struct vietqr_info	 qi, again;
	char			 acct[20], ref[26], *p;
	size_t			 i, na, nr, len;
	long long		 amount;
	unsigned int		 crc;

	if (vietqr_parse(s, &qi)) {
		check_qr_info(&qi);
		len = strlen(s);
		CHECK(len >= 8 && len <= VIETQR_PAYLOAD_MAX);
		CHECK(sscanf(s + len - 4, "%4x", &crc) == 1);
		CHECK(crc16_ccitt_false(s, len - 4) == crc);
	} else
		CHECK(all_zero(&qi, sizeof(qi)));

	/* Build from the input's characters and parse back. */
	na = nr = 0;
	amount = 0;
	for (i = 0; i < size; i++) {
		if (is_alnum(data[i]) && na < sizeof(acct) - 1)
			acct[na++] = (char)data[i];
		if ((is_alnum(data[i]) || data[i] == '-') &&
		    nr < sizeof(ref) - 1)
			ref[nr++] = (char)data[i];
		amount = (amount * 31 + data[i]) % VIETQR_AMOUNT_MAX;
	}
	acct[na] = ref[nr] = '\0';
	p = vietqr_payload("970436", acct, amount, ref);
	if (na == 0 || nr == 0 || amount < 1) {
		CHECK(p == NULL);
		return;
	}
	CHECK(p != NULL);
	CHECK(vietqr_parse(p, &again) == 1);
	CHECK(strcmp(again.bin, "970436") == 0);
	CHECK(strcmp(again.account, acct) == 0);
	CHECK(strcmp(again.reference, ref) == 0);
	CHECK(again.amount == amount);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	fuzz_vnpay(s, size);
	fuzz_momo(data, size, s);
	fuzz_bank(data, size);
	fuzz_vietqr(s, data, size);

	free(s);
	return (0);
}
