/*
 * Periodic database jobs: every interval each worker runs one query
 * without parameters on a pooled connection, asynchronously.  A run still
 * in flight skips the next tick.  The query decides whether there is work
 * and takes the locks that keep workers and app nodes from doing it twice;
 * it answers one row whose first column counts what it did ("0": nothing).
 * What it did is logged unless the job is quiet; with again_ms a run that
 * did something is followed by the next one after again_ms (a one-shot
 * timer, never from inside the callback), so a long piece of work goes at
 * the speed of the database, not of the tick.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/pgsql.h>

#include "san.h"

static void	job_run(void *, u_int64_t);
static void	job_done(struct kore_pgsql *, void *);
static void	job_end(struct db_job *);

/* Start job's timer in this worker.  job stays owned by the caller and
 * must live as long as the worker (a static). */
void
db_job_start(struct db_job *job)
{
	(void)kore_timer_add(job_run, job->interval_ms, job, 0);
}

static void
job_run(void *arg, u_int64_t now)
{
	struct db_job	*job = arg;

	(void)now;
	/* Kore frees a connection that fails under a query in flight
	 * (pgsql_conn_cleanup) without calling back: that run is over. */
	if (job->busy && job->sql.conn == NULL &&
	    job->sql.state == KORE_PGSQL_STATE_ERROR)
		job_end(job);
	if (job->busy)
		return;
	job->did = 0;
	kore_pgsql_init(&job->sql);
	kore_pgsql_bind_callback(&job->sql, job_done, job);
	if (!kore_pgsql_setup(&job->sql, "db", KORE_PGSQL_ASYNC)) {
		job_end(job);
		return;
	}
	job->busy = 1;
	db_settle(&job->sql);
	if (!kore_pgsql_query(&job->sql, job->query))
		job_end(job);
}

static void
job_done(struct kore_pgsql *sql, void *arg)
{
	struct db_job	*job = arg;

	switch (sql->state) {
	case KORE_PGSQL_STATE_RESULT:
		job->did = kore_pgsql_ntuples(sql) == 1 &&
		    strcmp(kore_pgsql_getvalue(sql, 0, 0), "0") != 0;
		if (job->did && !job->quiet)
			kore_log(LOG_NOTICE, "%s: %s", job->name,
			    kore_pgsql_getvalue(sql, 0, 0));
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		kore_log(LOG_WARNING, "%s: database error", job->name);
		job->did = 0;
		job_end(job);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		job_end(job);
		if (job->did && job->again_ms > 0)
			(void)kore_timer_add(job_run, job->again_ms, job,
			    KORE_TIMER_ONESHOT);
		break;
	default:
		kore_pgsql_continue(sql);
		break;
	}
}

/*
 * End a run: release its query and connection.  The callback is unbound
 * first: releasing a connection calls it again (state COMPLETE) from
 * inside kore_pgsql_cleanup, and a second cleanup there freed the error
 * string twice (seen: "block-32: element was not busy", both workers
 * dead, when a tick of the order expiry met a PostgreSQL outage in
 * pool.bats and crash.bats).
 */
static void
job_end(struct db_job *job)
{
	job->sql.cb = NULL;
	job->busy = 0;
	db_cleanup(&job->sql);
}

/*
 * The environment variable name as a whole number of milliseconds within
 * lo..hi; def when it is unset or empty.  Anything else stops the server
 * at start (fatal), naming the variable and the range: a mistyped
 * interval must not run silently at some other value.
 */
u_int64_t
env_ms(const char *name, u_int64_t def, u_int64_t lo, u_int64_t hi)
{
	const char		*v;
	char			*end;
	unsigned long long	 ms;

	if ((v = getenv(name)) == NULL || *v == '\0')
		return (def);
	errno = 0;
	ms = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || *v == '-' || *v == '+' ||
	    ms < lo || ms > hi)
		fatal("%s: a number of milliseconds, %llu to %llu", name,
		    (unsigned long long)lo, (unsigned long long)hi);
	return (ms);
}
