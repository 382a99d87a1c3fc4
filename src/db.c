/*
 * Database registration and pool hygiene.
 *
 * Kore 4.1's pgsql pool (DESIGN.md §2 fact 3) returns a connection to the
 * pool in whatever state it is in: still inside a transaction (the next
 * request, maybe another user's, would run in it), or broken after a
 * PostgreSQL restart (every later query on it fails until Kore restarts).
 * db_settle() repairs a connection as soon as a request acquires it (on
 * normal completion Kore releases the connection itself, before its
 * transaction status is final, so acquisition is the one reliable point);
 * db_cleanup() settles and releases on every other path.  The server side
 * also ends idle transactions after 30 s (idle_in_transaction_session_timeout).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "san.h"

static int	db_peer_alive(PGconn *);

/*
 * Register DATABASE_URL as "db", with GSSAPI encryption off (libpq probes
 * it with syscalls Kore's seccomp filter kills) and our application name.
 */
void
db_register(void)
{
	const char	*url;
	char		*conn;
	size_t		 len;

	if ((url = getenv("DATABASE_URL")) == NULL || *url == '\0')
		fatal("DATABASE_URL is not set");
	len = strlen(url) + 128;
	conn = kore_malloc(len);
	if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0)
		(void)snprintf(conn, len, "%s%cgssencmode=disable"
		    "&application_name=san&options=-c%%20"
		    "idle_in_transaction_session_timeout%%3D30s", url,
		    strchr(url, '?') ? '&' : '?');
	else
		(void)snprintf(conn, len, "%s gssencmode=disable "
		    "application_name=san options='-c "
		    "idle_in_transaction_session_timeout=30s'", url);
	(void)kore_pgsql_register("db", conn);
	sodium_memzero(conn, len);
	kore_free(conn);
}

/*
 * Whether the server behind an idle connection is still there.  After a
 * PostgreSQL restart a pooled connection still says CONNECTION_OK until
 * it is used, and the first request on it failed with 503 (seen in
 * tests/api/race.bats right after crash.bats restarted PostgreSQL).  An
 * idle connection's socket is readable only for a notice or the server's
 * goodbye (its last error, then end of file): read what is there, without
 * blocking, and see whether libpq still has a connection.
 */
static int
db_peer_alive(PGconn *db)
{
	struct pollfd	pfd;
	int		i;

	if (PQtransactionStatus(db) != PQTRANS_IDLE)
		return (1);
	pfd.fd = PQsocket(db);
	pfd.events = POLLIN;
	for (i = 0; i < 4 && pfd.fd >= 0; i++) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(db) || PQstatus(db) != CONNECTION_OK)
			return (0);
	}
	return (PQstatus(db) == CONNECTION_OK);
}

/*
 * Make the connection under sql fit for the next statement: reconnect a
 * broken one, roll back an open or failed transaction.  Synchronous, but
 * only does work in the rare cases it exists for.
 */
void
db_settle(struct kore_pgsql *sql)
{
	PGresult		*res;
	PGTransactionStatusType	 ts;

	if (sql->conn == NULL || sql->conn->db == NULL)
		return;
	if (PQstatus(sql->conn->db) != CONNECTION_OK ||
	    !db_peer_alive(sql->conn->db)) {
		kore_log(LOG_NOTICE, "db: connection lost, reconnecting");
		PQreset(sql->conn->db);
		return;
	}
	ts = PQtransactionStatus(sql->conn->db);
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
		kore_log(LOG_NOTICE, "db: rolling back a transaction left open");
		res = PQexec(sql->conn->db, "ROLLBACK");
		PQclear(res);
	}
}

/*
 * Release sql and its connection.  A query still in flight is cancelled
 * and drained first so the settle step sees the connection's real state.
 */
void
db_cleanup(struct kore_pgsql *sql)
{
	PGresult	*res;
	PGcancel	*cancel;
	char		 err[256];

	if (sql->conn != NULL && sql->conn->db != NULL &&
	    PQtransactionStatus(sql->conn->db) == PQTRANS_ACTIVE) {
		if ((cancel = PQgetCancel(sql->conn->db)) != NULL) {
			(void)PQcancel(cancel, err, sizeof(err));
			PQfreeCancel(cancel);
		}
		while ((res = PQgetResult(sql->conn->db)) != NULL)
			PQclear(res);
	}
	db_settle(sql);
	kore_pgsql_cleanup(sql);
}
