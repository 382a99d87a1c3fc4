/* Error catalogue (errors.c); no Kore headers. */
#ifndef SAN_ERRORS_H
#define SAN_ERRORS_H

/* Message for code in Vietnamese (english == 0) or English; a generic
 * message for an unknown code.  Static storage. */
const char	*errcat_message(const char *code, int english);

/* 1 when code is in the catalogue. */
int		 errcat_known(const char *code);

#endif
