/*
 * Database registration, a fair wait for pooled connections, balanced
 * accepts between workers, and pool hygiene.
 *
 * Fairness: when a pooled connection frees up, Kore 4.1 (pgsql.c,
 * pgsql_queue_wakeup) only marks the first waiting request runnable; a
 * request that arrives meanwhile takes the connection (http.c puts new
 * requests at the head of the run list, woken ones at its tail), and the
 * waiter, failing again, queues at the end (pgsql_queue_add).  Under a
 * steady load the median stayed at a few milliseconds while p99 reached
 * 0.2-1.4 s (make bench).  db_acquire() keeps a FIFO of its own: while
 * anyone waits, a newcomer queues behind; a released connection is kept
 * for the oldest waiter until it runs.  Requests hold at most db_cap
 * connections per worker (pgsql_conn_max in the configuration); Kore may
 * open one more, so the order-expiry timer, which never queues, cannot
 * take a connection a waiter was promised.  At most workers x
 * (pgsql_conn_max + 1) connections per app node reach PostgreSQL.
 *
 * Hygiene (README, Kore fact 3): Kore's pool returns a connection in
 * whatever state it is in: still inside a transaction (the next request,
 * maybe another user's, would run in it), or broken after a PostgreSQL
 * restart (every later query on it fails until Kore restarts).
 * db_settle() repairs a connection as soon as a request acquires it (on
 * normal completion Kore releases the connection itself, before its
 * transaction status is final, so acquisition is the one reliable point);
 * db_cleanup() settles and releases on every other path.  The server side
 * also ends idle transactions after 30 s (idle_in_transaction_session_timeout).
 */
#include <sys/queue.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "san.h"

/* A request waiting for a connection, oldest first. */
struct db_waiter {
	struct kore_pgsql	*sql;
	int			 granted;	/* a connection is kept for it */
	TAILQ_ENTRY(db_waiter)	 list;
};

static TAILQ_HEAD(, db_waiter)	db_waiters =
				    TAILQ_HEAD_INITIALIZER(db_waiters);
static u_int32_t		db_nwaiters;
static u_int16_t		db_cap;		/* connections requests hold */
static u_int16_t		db_in_use;	/* held by requests */
static u_int16_t		db_granted;	/* kept for woken waiters */

/* The replica (db_replica_usable) and its lag check (db_lag_tick). */
#define DB_REPLICA_PAUSE_MS	5000
#define DB_REPLICA_CONNECT_S	2
#define DB_LAG_CHECK_MS		250
#define DB_LAG_STALE_MS		3000
#define DB_LAG_DEFAULT_MS	1000
static int			db_replica;	/* "db_ro" registered */
static u_int64_t		db_replica_down_until;
static u_int64_t		db_lag_max;	/* SAN_REPLICA_MAX_LAG_MS */
static u_int64_t		db_lag_ok_at;	/* last check under the bound */
static int			db_lag_behind;	/* last verdict: too far behind */
static int			db_lag_busy;
static u_int64_t		db_lag_zero_at;	/* last check said 0 */
static struct kore_pgsql	db_lag_sql;

/*
 * Accept balance (see db_balance): every worker's count of open HTTP
 * connections as it last said, by worker id.
 */
#define DB_MSG_CONNS		(KORE_MSG_APP_BASE + 17)
#define DB_BALANCE_MS		50
static u_int32_t		db_conns[KORE_WORKER_MAX + 1];
static u_int32_t		db_conns_said = UINT32_MAX;
static u_int32_t		db_max_conns;	/* worker_max_connections */

static int	db_peer_alive(PGconn *);
static void	db_balance(void);
static void	db_balance_msg(struct kore_msg *, const void *);
static void	db_balance_tick(void *, u_int64_t);
static void	db_event(struct kore_pgsql *, void *);
static void	db_release(struct kore_pgsql *);
static void	db_grant(void);
static void	db_unqueue(struct kore_pgsql *);
static void	db_register_url(const char *, const char *, int);
static void	db_lag_tick(void *, u_int64_t);
static void	db_lag_done(struct kore_pgsql *, void *);
static void	db_lag_end(struct kore_pgsql *);
static void	db_lag_verdict(const char *);

/*
 * Register url as Kore database name, with GSSAPI encryption off (libpq
 * probes it with syscalls Kore's seccomp filter kills), our application
 * name, and a bound on how long a (synchronous, README Kore fact 18)
 * connection attempt may stall the worker.
 */
static void
db_register_url(const char *name, const char *url, int timeout)
{
	char		*conn;
	size_t		 len;

	len = strlen(url) + 160;
	conn = kore_malloc(len);
	if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0)
		(void)snprintf(conn, len, "%s%cgssencmode=disable"
		    "&connect_timeout=%d&application_name=san"
		    "&options=-c%%20idle_in_transaction_session_timeout%%3D30s",
		    url, strchr(url, '?') ? '&' : '?', timeout);
	else
		(void)snprintf(conn, len, "%s gssencmode=disable "
		    "connect_timeout=%d application_name=san options='-c "
		    "idle_in_transaction_session_timeout=30s'", url, timeout);
	(void)kore_pgsql_register(name, conn);
	sodium_memzero(conn, len);
	kore_free(conn);
}

/*
 * Register DATABASE_URL (the application's role, scripts/serve.sh) as
 * "db" and, when SAN_REPLICA_URL is set, a streaming replica as "db_ro"
 * for the public reads that tolerate lag (OP_REPLICA).
 */
void
db_register(void)
{
	const char	*url;

	if ((url = getenv("DATABASE_URL")) == NULL || *url == '\0')
		fatal("DATABASE_URL is not set");
	/*
	 * May run again (init runs in every worker and on a reload): take
	 * the configured size once; Kore may open one more (see the top).
	 */
	if (db_cap == 0) {
		db_cap = pgsql_conn_max > 0 ? pgsql_conn_max : 1;
		pgsql_conn_max = db_cap + 1;
	}
	db_register_url("db", url, 10);
	if ((url = getenv("SAN_REPLICA_URL")) != NULL && *url != '\0') {
		db_register_url("db_ro", url, DB_REPLICA_CONNECT_S);
		if (worker != NULL && !db_replica) {
			db_lag_max = env_ms("SAN_REPLICA_MAX_LAG_MS",
			    DB_LAG_DEFAULT_MS, 0, 3600000);
			(void)kore_timer_add(db_lag_tick, DB_LAG_CHECK_MS,
			    NULL, 0);
		}
		db_replica = 1;
	}
	if (worker != NULL && db_max_conns == 0) {
		db_max_conns = worker_max_connections;
		(void)kore_msg_register(DB_MSG_CONNS, db_balance_msg);
		(void)kore_timer_add(db_balance_tick, DB_BALANCE_MS, NULL, 0);
	}
}

/*
 * The read replica.  Public reads (OP_REPLICA, anonymous callers) go to
 * "db_ro" through Kore's own pool and queue (at most pgsql_conn_max + 1
 * connections per worker there too) while db_replica_usable() says so:
 *   * down: when a replica query fails for any reason (connection refused
 *     or lost, a recovery conflict), api.c runs the same query on the
 *     primary and db_replica_failed() keeps this worker off the replica
 *     for DB_REPLICA_PAUSE_MS (a stale pooled connection is reset by
 *     db_settle when it is used again);
 *   * lagging: every DB_LAG_CHECK_MS each worker asks the replica for
 *     api.replica_lag_ms() (sql/api/90_replica.sql: received against
 *     replayed WAL, so an idle primary is no lag) asynchronously, off the
 *     request path, and caches the verdict.  Reads use the replica only
 *     while the last check, at most DB_LAG_STALE_MS old, found the lag
 *     within SAN_REPLICA_MAX_LAG_MS (default DB_LAG_DEFAULT_MS).  Unknown
 *     lag (no WAL receiver), a failed check or one stuck in a queue means
 *     the primary.  Until the first check answers, reads go to the primary.
 */
int
db_replica_usable(void)
{
	u_int64_t	now;

	if (!db_replica)
		return (0);
	now = kore_time_ms();
	return (now >= db_replica_down_until && db_lag_ok_at != 0 &&
	    now - db_lag_ok_at <= DB_LAG_STALE_MS);
}

void
db_replica_failed(void)
{
	if (kore_time_ms() >= db_replica_down_until)
		kore_log(LOG_NOTICE, "db: replica unavailable, reading from "
		    "the primary for %d ms", DB_REPLICA_PAUSE_MS);
	db_replica_down_until = kore_time_ms() + DB_REPLICA_PAUSE_MS;
	db_lag_zero_at = 0;
}

/* A lag check: one at a time, none while the replica is known down. */
static void
db_lag_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	/* A connection that failed under the query is freed without a
	 * callback (as for the expiry job, order.c): that check is over. */
	if (db_lag_busy && db_lag_sql.conn == NULL &&
	    db_lag_sql.state == KORE_PGSQL_STATE_ERROR) {
		db_lag_end(&db_lag_sql);
		db_replica_failed();
	}
	if (db_lag_busy || kore_time_ms() < db_replica_down_until)
		return;
	kore_pgsql_init(&db_lag_sql);
	kore_pgsql_bind_callback(&db_lag_sql, db_lag_done, NULL);
	if (!kore_pgsql_setup(&db_lag_sql, "db_ro", KORE_PGSQL_ASYNC)) {
		/* Queued behind reads (state INIT): the callback comes. */
		if (db_lag_sql.state == KORE_PGSQL_STATE_INIT) {
			db_lag_busy = 1;
			return;
		}
		db_lag_end(&db_lag_sql);
		db_replica_failed();
		return;
	}
	db_lag_busy = 1;
	db_settle(&db_lag_sql);
	if (!kore_pgsql_query(&db_lag_sql, "SELECT api.replica_lag_ms()")) {
		db_lag_end(&db_lag_sql);
		db_replica_failed();
	}
}

static void
db_lag_done(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		/* Woken from Kore's queue: a connection is free now. */
		if (!kore_pgsql_setup(sql, "db_ro", KORE_PGSQL_ASYNC)) {
			if (sql->state != KORE_PGSQL_STATE_INIT) {
				db_lag_end(sql);
				db_replica_failed();
			}
			break;
		}
		db_settle(sql);
		if (!kore_pgsql_query(sql, "SELECT api.replica_lag_ms()")) {
			db_lag_end(sql);
			db_replica_failed();
		}
		break;
	case KORE_PGSQL_STATE_RESULT:
		db_lag_verdict(kore_pgsql_ntuples(sql) == 1 &&
		    !PQgetisnull(sql->result, 0, 0) ?
		    kore_pgsql_getvalue(sql, 0, 0) : NULL);
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		db_lag_end(sql);
		db_replica_failed();
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		db_lag_end(sql);
		break;
	default:
		kore_pgsql_continue(sql);
		break;
	}
}

/* End a check (unbound first: see job_end in job.c). */
static void
db_lag_end(struct kore_pgsql *sql)
{
	sql->cb = NULL;
	db_lag_busy = 0;
	db_cleanup(sql);
}

/*
 * The replica's answer, in milliseconds, or NULL for unknown.  Right after
 * an idle spell the first new WAL record, not replayed yet, makes the
 * replica answer with the age of its last replayed commit, long ago (the
 * cluster test saw workers flip for one check whenever the idle primary
 * took a write).  Had the previous check found everything replayed, the
 * data missing now is younger than that check: the lag is at most the
 * time since, and that bound is used when it is smaller.
 */
static void
db_lag_verdict(const char *value)
{
	long long	ms, since;
	int		behind;
	u_int64_t	now;

	now = kore_time_ms();
	ms = value != NULL ? strtoll(value, NULL, 10) : -1;
	if (ms == 0)
		db_lag_zero_at = now;
	else if (ms > 0 && db_lag_zero_at != 0) {
		since = (long long)(now - db_lag_zero_at);
		if (since < ms)
			ms = since;
	} else if (ms < 0)
		db_lag_zero_at = 0;
	behind = ms < 0 || (u_int64_t)ms > db_lag_max;
	if (behind != db_lag_behind) {
		if (behind && ms < 0)
			kore_log(LOG_NOTICE, "db: replica lag unknown (no WAL "
			    "receiver), reading from the primary");
		else if (behind)
			kore_log(LOG_NOTICE, "db: replica %lld ms behind "
			    "(bound %llu), reading from the primary", ms,
			    (unsigned long long)db_lag_max);
		else
			kore_log(LOG_NOTICE, "db: replica caught up (%lld ms), "
			    "reading from it again", ms);
	}
	db_lag_behind = behind;
	db_lag_ok_at = behind ? 0 : now;
}

/*
 * Take a replica connection for sql.  KORE_RESULT_OK: it has one.
 * KORE_RESULT_ERROR in state INIT: queued by Kore (the request sleeps);
 * any other state: failed (api.c falls back to the primary).
 */
int
db_acquire_replica(struct kore_pgsql *sql)
{
	return (kore_pgsql_setup(sql, "db_ro", KORE_PGSQL_ASYNC));
}

/*
 * Take a pooled connection for sql (bound to a request) in arrival order.
 * KORE_RESULT_OK: sql has its connection.  KORE_RESULT_ERROR with sql still
 * in KORE_PGSQL_STATE_INIT: queued, the request sleeps until a connection
 * is kept for it and runs this again.  Any other state: failed.
 */
int
db_acquire(struct kore_pgsql *sql)
{
	struct db_waiter	*w;

	if (sql->req == NULL)
		return (kore_pgsql_setup(sql, "db", KORE_PGSQL_ASYNC));
	db_balance();

	TAILQ_FOREACH(w, &db_waiters, list) {
		if (w->sql == sql)
			break;
	}
	if (w != NULL && !w->granted) {
		/* Woken by something else: keep waiting in place. */
		http_request_sleep(sql->req);
		return (KORE_RESULT_ERROR);
	}
	if (w != NULL) {
		TAILQ_REMOVE(&db_waiters, w, list);
		db_nwaiters--;
		db_granted--;
		kore_free(w);
	} else if (!TAILQ_EMPTY(&db_waiters) ||
	    db_in_use + db_granted >= db_cap) {
		if (db_nwaiters >= pgsql_queue_limit) {
			sql->state = KORE_PGSQL_STATE_ERROR;
			kore_free(sql->error);
			sql->error = kore_strdup("no available connection");
			return (KORE_RESULT_ERROR);
		}
		w = kore_calloc(1, sizeof(*w));
		w->sql = sql;
		TAILQ_INSERT_TAIL(&db_waiters, w, list);
		db_nwaiters++;
		http_request_sleep(sql->req);
		return (KORE_RESULT_ERROR);
	}

	/*
	 * A connection is free for us (Kore's spare one covers the expiry
	 * job).  Should Kore still queue us, its own wake-up brings us back
	 * here as a newcomer.
	 */
	if (!kore_pgsql_setup(sql, "db", KORE_PGSQL_ASYNC)) {
		db_grant();
		return (KORE_RESULT_ERROR);
	}
	db_in_use++;
	/*
	 * Kore calls a bound callback besides waking the request; with
	 * state COMPLETE it has just put the connection back in the pool.
	 */
	sql->cb = db_event;
	sql->arg = NULL;
	return (KORE_RESULT_OK);
}

static void
db_event(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	if (sql->state == KORE_PGSQL_STATE_COMPLETE && sql->conn == NULL)
		db_release(sql);
}

/* sql no longer holds its connection: keep it for the oldest waiter. */
static void
db_release(struct kore_pgsql *sql)
{
	if (sql->cb != db_event)
		return;
	sql->cb = NULL;
	db_in_use--;
	db_grant();
}

/* Keep free connections for the oldest waiters and wake them. */
static void
db_grant(void)
{
	struct db_waiter	*w;

	TAILQ_FOREACH(w, &db_waiters, list) {
		if (db_in_use + db_granted >= db_cap)
			break;
		if (w->granted)
			continue;
		w->granted = 1;
		db_granted++;
		http_request_wakeup(w->sql->req);
	}
}

/* sql's request is going away while it waits: leave the queue. */
static void
db_unqueue(struct kore_pgsql *sql)
{
	struct db_waiter	*w;

	TAILQ_FOREACH(w, &db_waiters, list) {
		if (w->sql == sql)
			break;
	}
	if (w == NULL)
		return;
	TAILQ_REMOVE(&db_waiters, w, list);
	db_nwaiters--;
	if (w->granted) {
		db_granted--;
		db_grant();
	}
	kore_free(w);
}

/*
 * Balanced accepts.  Kore 4.1 has one listening socket and an accept lock
 * (no SO_REUSEPORT); with worker_accept_threshold 1 a worker gives the
 * lock up after each accept, but the worker that is awake anyway usually
 * takes it back first: a benchmark's 16 keep-alive connections landed
 * 16/0, 15/1, 14/2, 12/4, and the clients of the crowded worker shared its
 * pool while the others' were idle.  Each worker tells the others its
 * count (on change, and every DB_BALANCE_MS); one with two more than the
 * least loaded lowers its worker_max_connections to what it has, so Kore
 * neither takes nor keeps the accept lock there (worker.c) until the
 * others catch up.  Counts lag by at most DB_BALANCE_MS; a worker never
 * holds back because of its own count alone.
 */
static void
db_balance(void)
{
	u_int32_t	mine, least;
	u_int16_t	id, n;

	/* HTTP workers are 1..n; worker_count counts two special slots. */
	n = worker_count > KORE_WORKER_BASE ? worker_count - KORE_WORKER_BASE : 0;
	if (worker == NULL || db_max_conns == 0 || n < 2)
		return;
	mine = worker_active_connections;
	if (mine != db_conns_said) {
		db_conns_said = mine;
		kore_msg_send(KORE_MSG_WORKER_ALL, DB_MSG_CONNS, &mine,
		    sizeof(mine));
	}
	least = UINT32_MAX;
	for (id = 1; id <= n && id <= KORE_WORKER_MAX; id++) {
		if (id != worker->id && db_conns[id] < least)
			least = db_conns[id];
	}
	if (least != UINT32_MAX && mine > least + 1 && mine < db_max_conns)
		worker_max_connections = mine;
	else
		worker_max_connections = db_max_conns;
}

static void
db_balance_msg(struct kore_msg *msg, const void *data)
{
	u_int32_t	n;

	if (msg->length != sizeof(n) || msg->src > KORE_WORKER_MAX ||
	    msg->src == worker->id)
		return;
	memcpy(&n, data, sizeof(n));
	db_conns[msg->src] = n;
	db_balance();
}

static void
db_balance_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	/* Say it again now and then: a restarted worker starts from zero. */
	db_conns_said = UINT32_MAX;
	db_balance();
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
	int		 fd;

	/*
	 * Kore unregisters the socket of a scheduled query when it releases
	 * the connection (kore_platform_disable_read, fatal on failure).  The
	 * steps below may replace that socket (PQreset) or libpq may drop it
	 * (the server went away after an error, e.g. 57P01 when a replica
	 * shuts down): the worker died with "kore_platform_disable_read: No
	 * such file or directory" (tests/cluster).  Unregister it now, while
	 * it is the one Kore watches; a socket libpq already closed has left
	 * epoll by itself.
	 */
	if (sql->conn != NULL && sql->conn->db != NULL &&
	    (sql->flags & KORE_PGSQL_SCHEDULED)) {
		if ((fd = PQsocket(sql->conn->db)) >= 0)
			kore_platform_disable_read(fd);
		sql->flags &= ~KORE_PGSQL_SCHEDULED;
	}
	if (sql->conn != NULL && sql->conn->db != NULL &&
	    PQtransactionStatus(sql->conn->db) == PQTRANS_ACTIVE) {
		if ((cancel = PQgetCancel(sql->conn->db)) != NULL) {
			(void)PQcancel(cancel, err, sizeof(err));
			PQfreeCancel(cancel);
		}
		while ((res = PQgetResult(sql->conn->db)) != NULL)
			PQclear(res);
	}
	db_unqueue(sql);
	db_settle(sql);
	/*
	 * kore_pgsql_cleanup() frees these without clearing them, then calls
	 * a bound callback, which may clean up again (order.c's expiry job
	 * on COMPLETE): a double free ("block-32: element ... was not busy",
	 * the worker exits) whenever its query failed, e.g. during a
	 * PostgreSQL restart (pool.bats, crash.bats).  Clear them first.
	 */
	if (sql->result != NULL) {
		PQclear(sql->result);
		sql->result = NULL;
	}
	kore_free(sql->error);
	sql->error = NULL;
	kore_pgsql_cleanup(sql);
	/* Normally released just now (db_event); not when the link broke. */
	db_release(sql);
}
