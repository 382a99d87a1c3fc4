/*
 * Pure validators and normalisers; see validate.h for the contracts.
 * C99 and libc only: no Kore, no libpq, no allocation.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static size_t		 utf8_decode(const unsigned char *, size_t, uint32_t *);
static const char	*slug_map(uint32_t, char *);
static int		 common_cmp(const void *, const void *);

/* Weights of N1..N9 in the tax code check digit. */
static const int tax_weights[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

/*
 * N10 = 10 - (sum(w[i] * N[i]) mod 11).  A sum divisible by 11 would need
 * check value 10, which no digit holds: such a code is invalid.
 */
int
validate_tax_code(const char *s)
{
	int	i, sum, check;

	if (s == NULL)
		return (0);
	for (i = 0; i < 10; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	sum = 0;
	for (i = 0; i < 9; i++)
		sum += tax_weights[i] * (s[i] - '0');
	check = 10 - sum % 11;
	if (check == 10 || s[9] - '0' != check)
		return (0);
	if (s[10] == '\0')
		return (1);
	/* Branch suffix "-NNN", 001..999. */
	if (s[10] != '-')
		return (0);
	for (i = 11; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	if (s[14] != '\0')
		return (0);
	return (s[11] != '0' || s[12] != '0' || s[13] != '0');
}

/*
 * Digits are collected ignoring the separators " .-()"; one '+' may stand
 * before the first digit.  Accepted: "+84" and 9 digits, "84" and 9 digits
 * (11 digits in all), or "0" and 9 digits; the first of the 9 is 3 5 7 8 9.
 */
int
normalize_phone(const char *in, char *out, size_t outlen)
{
	char		 d[11];
	const char	*p, *sub;
	size_t		 nd;
	int		 plus;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || outlen < PHONE_E164_MAX)
		return (0);

	nd = 0;
	plus = 0;
	for (p = in; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (nd == sizeof(d))
				return (0);
			d[nd++] = *p;
		} else if (*p == '+') {
			if (plus || nd > 0)
				return (0);
			plus = 1;
		} else if (*p != ' ' && *p != '.' && *p != '-' &&
		    *p != '(' && *p != ')')
			return (0);
	}

	if (nd == 11 && d[0] == '8' && d[1] == '4')
		sub = d + 2;
	else if (!plus && nd == 10 && d[0] == '0')
		sub = d + 1;
	else
		return (0);
	switch (sub[0]) {
	case '3':
	case '5':
	case '7':
	case '8':
	case '9':
		break;
	default:
		return (0);
	}

	memcpy(out, "+84", 3);
	memcpy(out + 3, sub, 9);
	out[12] = '\0';
	return (1);
}

/*
 * Besides the contract in validate.h, each domain label is 1..63 bytes and
 * neither starts nor ends with '-'.
 */
int
validate_email(const char *s)
{
	const char	*at, *p;
	size_t		 len, label;
	int		 dots;

	if (s == NULL)
		return (0);
	for (len = 0; s[len] != '\0'; len++)
		if (len == EMAIL_MAX)
			return (0);
	if ((at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return (0);

	for (p = s; p < at; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return (0);

	dots = 0;
	label = 0;
	for (p = at + 1; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return (0);
			if (*p == '\0')
				break;
			dots++;
			label = 0;
		} else if ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p == '-' && label > 0))
			label++;
		else
			return (0);
	}
	return (dots > 0);
}

/* Latin-1 Supplement U+00C0..U+00FF; '*' is a multi-letter case, '-' none. */
static const char slug_latin1[] =
    "aaaaaa*ceeeeiiiidnooooo-ouuuuy**"
    "aaaaaa*ceeeeiiiidnooooo-ouuuuy*y";

/* Latin Extended-A U+0100..U+017F; '*' is a multi-letter case. */
static const char slug_exta[] =
    "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii" "ii**jjkkklllllll"
    "lllnnnnnnnnnoooo" "oo**rrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

/*
 * ASCII replacement for code point cp: a string (possibly in buf, which
 * holds 2 bytes), "" for a combining mark to drop, or NULL when cp
 * separates words.
 */
static const char *
slug_map(uint32_t cp, char *buf)
{
	char	c;

	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
		c = (char)cp;
	else if (cp >= 'A' && cp <= 'Z')
		c = (char)(cp - 'A' + 'a');
	else if (cp >= 0x0300 && cp <= 0x036f)
		return ("");
	else if (cp >= 0x00c0 && cp <= 0x00ff) {
		switch (cp) {
		case 0x00c6:
		case 0x00e6:
			return ("ae");
		case 0x00de:
		case 0x00fe:
			return ("th");
		case 0x00df:
			return ("ss");
		}
		c = slug_latin1[cp - 0x00c0];
	} else if (cp >= 0x0100 && cp <= 0x017f) {
		switch (cp) {
		case 0x0132:
		case 0x0133:
			return ("ij");
		case 0x0152:
		case 0x0153:
			return ("oe");
		}
		c = slug_exta[cp - 0x0100];
	} else if (cp == 0x01a0 || cp == 0x01a1)	/* Ơ ơ */
		c = 'o';
	else if (cp == 0x01af || cp == 0x01b0)		/* Ư ư */
		c = 'u';
	else if (cp >= 0x1ea0 && cp <= 0x1eb7)		/* Ạ .. ặ */
		c = 'a';
	else if (cp >= 0x1eb8 && cp <= 0x1ec7)		/* Ẹ .. ệ */
		c = 'e';
	else if (cp >= 0x1ec8 && cp <= 0x1ecb)		/* Ỉ .. ị */
		c = 'i';
	else if (cp >= 0x1ecc && cp <= 0x1ee3)		/* Ọ .. ợ */
		c = 'o';
	else if (cp >= 0x1ee4 && cp <= 0x1ef1)		/* Ụ .. ự */
		c = 'u';
	else if (cp >= 0x1ef2 && cp <= 0x1ef9)		/* Ỳ .. ỹ */
		c = 'y';
	else
		return (NULL);

	if (c == '-')
		return (NULL);
	buf[0] = c;
	buf[1] = '\0';
	return (buf);
}

/*
 * Invalid UTF-8 bytes separate words like any other non-letter.  When a
 * word does not fit, the slug is cut at the last '-' if that keeps at least
 * half of the room, else inside the word.
 */
int
slugify(const char *in, char *out, size_t outlen)
{
	const unsigned char	*s;
	const char		*map, *dash;
	char			 buf[2];
	size_t			 n, k, len, limit;
	uint32_t		 cp;
	int			 sep;

	if (out == NULL || outlen == 0)
		return (0);
	out[0] = '\0';
	if (in == NULL)
		return (0);
	limit = outlen - 1;
	if (limit > SLUG_MAX - 1)
		limit = SLUG_MAX - 1;

	s = (const unsigned char *)in;
	n = strlen(in);
	len = 0;
	sep = 0;
	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) == 0) {
			k = 1;
			map = NULL;
		} else
			map = slug_map(cp, buf);
		s += k;
		n -= k;
		if (map == NULL) {
			sep = 1;
			continue;
		}
		for (; *map != '\0'; map++) {
			if (sep && len > 0) {
				/* Room for '-' and a letter, else stop here. */
				if (len + 2 > limit)
					goto done;
				out[len++] = '-';
			}
			sep = 0;
			if (len + 1 > limit) {
				/* Inside a word: back up to its start. */
				out[len] = '\0';
				dash = strrchr(out, '-');
				if (dash != NULL &&
				    (size_t)(dash - out) >= limit / 2)
					len = (size_t)(dash - out);
				goto done;
			}
			out[len++] = *map;
		}
	}
done:
	out[len] = '\0';
	return (len > 0);
}

int
validate_slug(const char *s)
{
	size_t	i;

	if (s == NULL)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (i == SLUG_MAX - 1)
			return (0);
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (s[i] != '-' || i == 0 || s[i - 1] == '-')
			return (0);
	}
	return (i >= 3 && s[i - 1] != '-');
}

/*
 * Decode one strict UTF-8 sequence from the n > 0 bytes at s into *cp.
 * Returns its length (1..4), or 0 when the bytes are not valid UTF-8
 * (overlong, surrogate, > U+10FFFF, truncated or stray continuation).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char	lo, hi;
	size_t		len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	lo = 0x80;
	hi = 0xbf;
	if (s[0] < 0xc2)
		return (0);
	else if (s[0] < 0xe0) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] < 0xf5) {
		len = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* > U+10FFFF */
	} else
		return (0);

	if (n < len || s[1] < lo || s[1] > hi)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return (len);
}

int
utf8_valid_text(const char *s, size_t len)
{
	const unsigned char	*p;
	uint32_t		 cp;
	size_t			 k;

	if (s == NULL)
		return (len == 0);
	p = (const unsigned char *)s;
	while (len > 0) {
		if ((k = utf8_decode(p, len, &cp)) == 0)
			return (0);
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return (0);
		if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return (0);
		p += k;
		len -= k;
	}
	return (1);
}

int
text_single_line(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			return (0);
	return (1);
}

/* Counts the bytes that start a sequence; meaningful for valid UTF-8 only. */
size_t
utf8_length(const char *s)
{
	size_t	n;

	if (s == NULL)
		return (0);
	for (n = 0; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/*
 * Common passwords of PASSWORD_MIN_CHARS or more characters, lower-case
 * ASCII, sorted by strcmp (byte order, LC_ALL=C sort) for bsearch; the unit
 * test test_password_list_sorted checks all three.  Shorter ones need no
 * entry: the length rule already rejects them.
 */
static const char *const common_passwords[] = {
	"!qaz2wsx3edc",
	"000000000000",
	"0000000000000",
	"00000000000000",
	"0000000000000000",
	"000000000001",
	"012345678901",
	"0123456789012",
	"098765432109",
	"0987654321098",
	"100200300400",
	"101010101010",
	"111111111111",
	"1111111111111",
	"11111111111111",
	"1111111111111111",
	"111111111112",
	"111222333444",
	"112233445566",
	"112358132134",
	"121212121212",
	"123123123123",
	"123321123321",
	"123412341234",
	"123412345678",
	"123456123456",
	"123456654321",
	"123456781234",
	"123456789000",
	"1234567890000",
	"123456789010",
	"123456789012",
	"1234567890123",
	"12345678901234",
	"123456789012345",
	"1234567890123456",
	"1234567890987654321",
	"1234567890abc",
	"1234567890qwe",
	"1234567891011",
	"123456789101112",
	"12345678910111213",
	"123456789111",
	"123456789123",
	"123456789123456",
	"123456789123456789",
	"123456789987654321",
	"123456789999",
	"123456789abc",
	"123456789xyz",
	"12345678abcd",
	"123456abcdef",
	"123456qwerty",
	"1234abcd1234",
	"1234qwerasdf",
	"1234qwerasdfzxcv",
	"123654789123",
	"123qweasdzxc",
	"131313131313",
	"147258369123",
	"147258369147",
	"147852369741",
	"159753159753",
	"199019901990",
	"1q2w3e4r5t6y",
	"1q2w3e4r5t6y7u8i",
	"1qaz2wsx3edc",
	"1qaz2wsx3edc4rfv",
	"1qaz@wsx3edc",
	"1qazxsw23edc",
	"200020002000",
	"201020102010",
	"222222222222",
	"2222222222222",
	"22222222222222",
	"2222222222222222",
	"258258258258",
	"314159265358",
	"3141592653589793",
	"333333333333",
	"3333333333333",
	"33333333333333",
	"3333333333333333",
	"444444444444",
	"4444444444444",
	"44444444444444",
	"4444444444444444",
	"456456456456",
	"555555555555",
	"5555555555555",
	"55555555555555",
	"5555555555555555",
	"666666666666",
	"6666666666666",
	"66666666666666",
	"6666666666666666",
	"696969696969",
	"741852963741",
	"777777777777",
	"7777777777777",
	"77777777777777",
	"7777777777777777",
	"789789789789",
	"888888888888",
	"8888888888888",
	"88888888888888",
	"8888888888888888",
	"963852741963",
	"987654321012",
	"987654321987",
	"999999999999",
	"9999999999999",
	"99999999999999",
	"9999999999999999",
	"a12345678901",
	"a1b2c3d4e5f6",
	"a1b2c3d4e5f6g7",
	"aa1234567890",
	"aaaaaa111111",
	"aaaaaaaaaaaa",
	"abc123456789",
	"abc123abc123",
	"abcabcabcabc",
	"abcd12345678",
	"abcd1234abcd",
	"abcd1234abcd1234",
	"abcdef123456",
	"abcdefghijkl",
	"abcdefghijklm",
	"abcdefghijklmnop",
	"abcdefghijklmnopqrstuvwxyz",
	"admin123456789",
	"admin@123456",
	"administrator",
	"administrator1",
	"administrator123",
	"alexander123",
	"alexander1234",
	"anhyeuem1234",
	"anhyeuem12345",
	"anhyeuem123456",
	"anhyeuem123456789",
	"anhyeuem2018",
	"anhyeuem2019",
	"anhyeuem2020",
	"anhyeuem2021",
	"anhyeuem2022",
	"anhyeuem2023",
	"anhyeuem2024",
	"anhyeuem2025",
	"anhyeuem2026",
	"anhyeuem@123",
	"anhyeuem@123456",
	"anhyeuem@2018",
	"anhyeuem@2019",
	"anhyeuem@2020",
	"anhyeuem@2021",
	"anhyeuem@2022",
	"anhyeuem@2023",
	"anhyeuem@2024",
	"anhyeuem@2025",
	"anhyeuem@2026",
	"anhyeuemmaimai",
	"anhyeuemnhieu",
	"anhyeuemnhieulam",
	"asdf1234asdf",
	"asdfghjkl123",
	"asdfghjkl1234",
	"asdfghjklqwe",
	"barcelona123",
	"baseball1234",
	"baseball12345",
	"baseball123456",
	"baseball123456789",
	"baseball@123",
	"baseball@123456",
	"basketball12",
	"basketball123",
	"batman123456",
	"batman123456789",
	"batman@123456",
	"blink182blink",
	"buonmathuot1",
	"butterfly123",
	"cantho123456",
	"changeme1234",
	"changeme12345",
	"changeme123456",
	"changeme123456789",
	"changeme@123",
	"changeme@123456",
	"chelsea12345",
	"chocolate123",
	"christopher1",
	"christopher12",
	"christopher123",
	"computer1234",
	"computer12345",
	"computer123456",
	"computer123456789",
	"computer@123",
	"computer@123456",
	"concung12345",
	"correcthorsebatterystaple",
	"dalat1234567",
	"danang123456",
	"dragon123456",
	"dragon123456789",
	"dragon@123456",
	"elizabeth123",
	"emyeuanh1234",
	"emyeuanh12345",
	"emyeuanh123456",
	"emyeuanh123456789",
	"emyeuanh@123",
	"emyeuanh@123456",
	"emyeuanhmaimai",
	"emyeuanhnhieu",
	"emyeuanhnhieulam",
	"facebook1234",
	"facebook12345",
	"facebook123456",
	"facebook123456789",
	"facebook@123",
	"facebook@123456",
	"football1234",
	"football12345",
	"football123456",
	"football123456789",
	"football@123",
	"football@123456",
	"forever12345",
	"giadinh12345",
	"goodmorning1",
	"google123456",
	"google123456789",
	"google@123456",
	"haiphong1234",
	"hanhphuc1234",
	"hanhphuc12345",
	"hanoi123456789",
	"hanoi@123456",
	"hello1234567",
	"helloworld12",
	"helloworld123",
	"hoahong12345",
	"hoang1234567",
	"hochiminh1234",
	"hochiminh12345",
	"hochiminh123456",
	"hochiminh123456789",
	"hochiminh@123",
	"hochiminh@123456",
	"huynh1234567",
	"ilovemyfamily",
	"ilovemymother",
	"iloveyou1234",
	"iloveyou12345",
	"iloveyou123456",
	"iloveyou123456789",
	"iloveyou2018",
	"iloveyou2019",
	"iloveyou2020",
	"iloveyou2021",
	"iloveyou2022",
	"iloveyou2023",
	"iloveyou2024",
	"iloveyou2025",
	"iloveyou2026",
	"iloveyou4ever",
	"iloveyou@123",
	"iloveyou@123456",
	"iloveyou@2018",
	"iloveyou@2019",
	"iloveyou@2020",
	"iloveyou@2021",
	"iloveyou@2022",
	"iloveyou@2023",
	"iloveyou@2024",
	"iloveyou@2025",
	"iloveyou@2026",
	"iloveyoubaby",
	"iloveyouforever",
	"iloveyousomuch",
	"iloveyoutoo1",
	"internet1234",
	"internet12345",
	"internet123456",
	"internet123456789",
	"internet@123",
	"internet@123456",
	"iphone123456",
	"iphone123456789",
	"iphone@123456",
	"jennifer1234",
	"jennifer12345",
	"jennifer123456",
	"jennifer123456789",
	"jennifer@123",
	"jennifer@123456",
	"jessica12345",
	"khongbiet123",
	"khongcomatkhau",
	"le1234567890",
	"letmein12345",
	"letmein123456",
	"letmein123456789",
	"letmein@123456",
	"letmeinplease",
	"liverpool123",
	"liverpool1234",
	"maimaibennhau",
	"manchester123",
	"manchesterunited",
	"master123456",
	"master123456789",
	"master@123456",
	"matkhau12345",
	"matkhau123456",
	"matkhau123456789",
	"matkhau123abc",
	"matkhau@123456",
	"matkhau@2018",
	"matkhau@2019",
	"matkhau@2020",
	"matkhau@2021",
	"matkhau@2022",
	"matkhau@2023",
	"matkhau@2024",
	"matkhau@2025",
	"matkhau@2026",
	"matkhaucuatoi",
	"matkhaula123",
	"matkhaumoi123",
	"michael12345",
	"michael123456",
	"michael123456789",
	"michael@123456",
	"minecraft123",
	"minecraft1234",
	"mnbvcxzlkjhg",
	"monkey123456",
	"monkey123456789",
	"monkey@123456",
	"muaxuan12345",
	"mypassword12",
	"mypassword123",
	"nguyen123456",
	"nguyen1234567",
	"nguyenthianh",
	"nguyenvana123",
	"nguyenvanan1",
	"nhatrang1234",
	"nopassword12",
	"p@ssw0rd1234",
	"p@ssw0rd12345",
	"p@ssw0rd123456",
	"p@ssw0rd123456789",
	"p@ssw0rd@123",
	"p@ssw0rd@123456",
	"p@ssword1234",
	"p@ssword12345",
	"p@ssword123456",
	"p@ssword123456789",
	"p@ssword@123",
	"p@ssword@123456",
	"passw0rd1234",
	"passw0rd12345",
	"passw0rd123456",
	"passw0rd123456789",
	"passw0rd@123",
	"passw0rd@123456",
	"password!123",
	"password1234",
	"password12345",
	"password123456",
	"password123456789",
	"password2018",
	"password2019",
	"password2020",
	"password2021",
	"password2022",
	"password2023",
	"password2024",
	"password2025",
	"password2026",
	"password@123",
	"password@123456",
	"password@2018",
	"password@2019",
	"password@2020",
	"password@2021",
	"password@2022",
	"password@2023",
	"password@2024",
	"password@2025",
	"password@2026",
	"passwordpassword",
	"passwordqwerty",
	"pham12345678",
	"phan12345678",
	"poiuytrewqas",
	"pokemon12345",
	"princess1234",
	"princess12345",
	"princess123456",
	"princess123456789",
	"princess@123",
	"princess@123456",
	"q12345678901",
	"q1w2e3r4t5y6",
	"q1w2e3r4t5y6u7i8",
	"qazwsxedcrfv",
	"qazwsxedcrfvtgb",
	"qqqqqqqqqqqq",
	"quangninh123",
	"qweasdzxc123",
	"qweasdzxcqwe",
	"qweqweqweqwe",
	"qwer1234qwer",
	"qwerasdfzxcv",
	"qwerty123456",
	"qwerty1234567",
	"qwerty123456789",
	"qwerty@123456",
	"qwertyqwerty",
	"qwertyuiop12",
	"qwertyuiop123",
	"qwertyuiop1234",
	"qwertyuiop[]",
	"qwertyuiopas",
	"qwertyuiopasdf",
	"qwertyuiopasdfghjkl",
	"qwertyuiopasdfghjklzxcvbnm",
	"realmadrid123",
	"saigon123456",
	"saigon123456789",
	"saigon@123456",
	"samsung12345",
	"samsung123456",
	"samsung123456789",
	"samsung@123456",
	"secretpassword",
	"shadow123456",
	"shadow123456789",
	"shadow@123456",
	"soccer123456",
	"spiderman123",
	"starwars1234",
	"starwars12345",
	"starwars123456",
	"starwars123456789",
	"starwars@123",
	"starwars@123456",
	"sunshine1234",
	"sunshine12345",
	"sunshine123456",
	"sunshine123456789",
	"sunshine@123",
	"sunshine@123456",
	"superman1234",
	"superman12345",
	"superman123456",
	"superman123456789",
	"superman@123",
	"superman@123456",
	"supersecret1",
	"supersecret123",
	"thanhcong123",
	"thanhcong1234",
	"thequickbrownfox",
	"thisismypassword",
	"tinhyeu12345",
	"tinhyeucuatoi",
	"toiyeuban123",
	"toiyeuem1234",
	"toiyeuvietnam",
	"tran12345678",
	"tranvanan123",
	"trustno11234",
	"trustno112345",
	"trustno1123456",
	"trustno1123456789",
	"trustno1@123",
	"trustno1@123456",
	"vietnam12345",
	"vietnam123456",
	"vietnam123456789",
	"vietnam19451",
	"vietnam@123456",
	"vietnam@2018",
	"vietnam@2019",
	"vietnam@2020",
	"vietnam@2021",
	"vietnam@2022",
	"vietnam@2023",
	"vietnam@2024",
	"vietnam@2025",
	"vietnam@2026",
	"vietnamquehuongtoi",
	"vietnamvodich",
	"volleyball12",
	"welcome12345",
	"welcome123456",
	"welcome123456789",
	"welcome@123456",
	"welcome@2018",
	"welcome@2019",
	"welcome@2020",
	"welcome@2021",
	"welcome@2022",
	"welcome@2023",
	"welcome@2024",
	"welcome@2025",
	"welcome@2026",
	"whatever1234",
	"whatever12345",
	"whatever123456",
	"whatever123456789",
	"whatever@123",
	"whatever@123456",
	"xinchao12345",
	"xinchao123456",
	"xxxxxxxxxxxx",
	"yeuanhnhieulam",
	"yeuemnhieulam",
	"yeumaimai123",
	"yourpassword",
	"zaq12wsxcde3",
	"zaq1xsw2cde3",
	"zxcvbnm12345",
	"zxcvbnm123456",
	"zxcvbnmasdfg",
	"zzzzzzzzzzzz",
};

static int
common_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/*
 * Invalid UTF-8 is reported as "password_too_short": its characters cannot
 * be counted.  (Bodies parsed by jsonin never reach here with it.)
 */
const char *
password_policy(const char *pw)
{
	char		 low[PASSWORD_MAX_BYTES + 1];
	const char	*key;
	size_t		 n, i, k, chars;
	uint32_t	 cp;

	if (pw == NULL)
		return ("password_too_short");
	for (n = 0; pw[n] != '\0'; n++)
		if (n == PASSWORD_MAX_BYTES)
			return ("password_too_long");

	chars = 0;
	for (i = 0; i < n; i += k) {
		if ((k = utf8_decode((const unsigned char *)pw + i, n - i,
		    &cp)) == 0)
			return ("password_too_short");
		chars++;
	}
	if (chars < PASSWORD_MIN_CHARS)
		return ("password_too_short");

	for (i = 0; i <= n; i++)
		low[i] = (pw[i] >= 'A' && pw[i] <= 'Z') ?
		    pw[i] - 'A' + 'a' : pw[i];
	key = low;
	if (bsearch(&key, common_passwords,
	    sizeof(common_passwords) / sizeof(common_passwords[0]),
	    sizeof(common_passwords[0]), common_cmp) != NULL)
		return ("password_common");
	return (NULL);
}

/* YYYY-MM-DD naming a real day between 1900 and 2999. */
int
validate_date(const char *s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return (0);
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return (0);
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return (0);
	return (1);
}

/*
 * RFC 9110 13.1.2 If-None-Match against our (strong, quoted) etag: "*",
 * or a comma-separated list of entity-tags compared weakly (a W/ prefix
 * is ignored).  A malformed list matches nothing from the first bad
 * element on, so the full representation is sent.
 */
int
etag_list_match(const char *list, const char *etag)
{
	const char	*p = list, *q;
	size_t		 elen = strlen(etag);

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return (0);
		if (*p == '*')
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"' || (q = strchr(p + 1, '"')) == NULL)
			return (0);
		q++;
		if ((size_t)(q - p) == elen && memcmp(p, etag, elen) == 0)
			return (1);
		for (p = q; *p == ' ' || *p == '\t'; p++)
			;
		if (*p != ',' && *p != '\0')
			return (0);
	}
}
