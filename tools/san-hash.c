/*
 * san-hash: print the argon2id hash (libsodium interactive limits, as the
 * server uses) of the password on standard input, without its trailing
 * newline.  Used by scripts/admin.sh and scripts/seed-demo.sh so no
 * password ever appears in a command line or in SQL.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

int
main(void)
{
	char	pw[1024], out[crypto_pwhash_STRBYTES];
	size_t	len;

	if (sodium_init() < 0 || fgets(pw, sizeof(pw), stdin) == NULL)
		return (1);
	len = strcspn(pw, "\r\n");
	if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (1);
	sodium_memzero(pw, sizeof(pw));
	puts(out);
	return (0);
}
