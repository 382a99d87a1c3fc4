/*
 * san-hash: print the argon2id hash (libsodium interactive limits, as the
 * server uses) of the password on standard input, without its trailing
 * newline.  The password must pass the same policy as registration
 * (validate.c); otherwise the reason goes to stderr and the exit is 2.  Used by scripts/admin.sh and scripts/seed-demo.sh so no
 * password ever appears in a command line or in SQL.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "validate.h"

int
main(void)
{
	char		 pw[1024], out[crypto_pwhash_STRBYTES];
	const char	*why = "invalid_text";
	size_t		 len;

	if (sodium_init() < 0 || fgets(pw, sizeof(pw), stdin) == NULL)
		return (1);
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';
	if (!utf8_valid_text(pw, len) || (why = password_policy(pw)) != NULL) {
		fprintf(stderr, "password refused: %s\n",
		    why);
		sodium_memzero(pw, sizeof(pw));
		return (2);
	}
	if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (1);
	sodium_memzero(pw, sizeof(pw));
	puts(out);
	return (0);
}
