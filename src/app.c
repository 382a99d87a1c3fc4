/*
 * Module entry: configuration from the environment, libsodium, the
 * database, the routes, and the seccomp additions Debian's Kore 4.1 needs.
 */
#include <stdlib.h>

#include <sodium.h>

#include <kore/seccomp.h>

#include "san.h"

int	init(int);
void	kore_worker_configure(void);

/*
 * Kore 4.1's filter predates syscalls that glibc 2.36, libpq and libsodium
 * use on bookworm (README, Kore fact 2): newfstatat (libpq, fstat), mlock
 * and munlock (sodium_malloc: refusing is fine, it falls back), clone3
 * (first task thread: ENOSYS makes glibc fall back to clone), rseq.
 * libvips (thumbnails, src/thumb.c): vips_init in the worker lists its
 * modules' folder (getdents64: the worker was killed) and sets/reads the
 * NUMA memory policy (set_mempolicy, get_mempolicy); its task threads
 * name themselves (prctl) and fontconfig updates its cache (umask,
 * ftruncate) -- all seen with seccomp_tracing on one upload;
 * sched_getaffinity (CPU count) and mremap (growing buffers) by reading.
 */
KORE_SECCOMP_FILTER("san",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_DENY(mlock, EPERM),
	KORE_SYSCALL_DENY(munlock, EPERM),
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(set_mempolicy),
	KORE_SYSCALL_ALLOW(get_mempolicy),
	KORE_SYSCALL_ALLOW(prctl),
	KORE_SYSCALL_ALLOW(umask),
	KORE_SYSCALL_ALLOW(ftruncate),
);

/*
 * Called by Kore on load in every worker (README, Kore fact 8), and again
 * after a module reload.  The routes are registered here: the worker is
 * where requests are routed (route.c).
 */
int
init(int state)
{
	if (state != KORE_MODULE_LOAD)
		return (KORE_RESULT_OK);
	if (sodium_init() < 0)
		fatal("libsodium failed to initialise");
	db_register();
	payment_init();
	api_routes_register();
	return (KORE_RESULT_OK);
}

/* Called by Kore in every worker once it is set up: periodic jobs. */
void
kore_worker_configure(void)
{
	order_expiry_start();
	media_backfill_start();
	monitor_rescan_start();
	stats_snapshot_start();
}
