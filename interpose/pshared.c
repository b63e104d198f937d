/* Process-shared objects and fork. weft models the threads of one process:
 * a child the program forks runs outside its control (runtime.c), so an
 * object the two processes share (PTHREAD_PROCESS_SHARED, a sem_init with
 * pshared set, a named semaphore) would be modelled on one side and real on
 * the other, and the verdicts would be wrong (the parent's model never sees
 * the child's post: a false deadlock). Rather than give a false verdict,
 * weft refuses the combination with an error (exit 2): at the fork when
 * such an object exists, or at the first such object after a fork.
 * posix_spawn runs no fork handlers and is never refused. A fork before the
 * program's first call that weft controls is not seen (weft takes control
 * of the process at that call). */
#define _GNU_SOURCE
#include "runtime.h"

#include <semaphore.h>

static bool forked;
static const char *shared_what; /* the first process-shared object, NULL = none */

static _Noreturn void refuse(void)
{
	weft__limit("the program forks a child process and uses a process-shared object (%s): "
	            "weft models the threads of one process, not objects shared with another; "
	            "test the threads of one process, start the child with posix_spawn if it "
	            "only runs another program, or run this test without weft",
	            shared_what);
}

static void note(const char *what)
{
	if (!shared_what)
		shared_what = what;
	if (forked)
		refuse();
}

static void before_fork(void)
{
	if (!weft__rt.active || !weft__self() || weft__rt.exiting)
		return;
	forked = true;
	if (shared_what)
		refuse();
}

__attribute__((constructor)) static void install(void)
{
	pthread_atfork(before_fork, NULL, NULL);
}

void weft__pshared_mutex(const pthread_mutexattr_t *attr)
{
	int v;
	if (attr && pthread_mutexattr_getpshared(attr, &v) == 0 && v == PTHREAD_PROCESS_SHARED)
		note("a mutex initialised with PTHREAD_PROCESS_SHARED");
}

void weft__pshared_cond(const pthread_condattr_t *attr)
{
	int v;
	if (attr && pthread_condattr_getpshared(attr, &v) == 0 && v == PTHREAD_PROCESS_SHARED)
		note("a condition variable initialised with PTHREAD_PROCESS_SHARED");
}

void weft__pshared_rwlock(const pthread_rwlockattr_t *attr)
{
	int v;
	if (attr && pthread_rwlockattr_getpshared(attr, &v) == 0 && v == PTHREAD_PROCESS_SHARED)
		note("a read-write lock initialised with PTHREAD_PROCESS_SHARED");
}

void weft__pshared_barrier(const pthread_barrierattr_t *attr)
{
	int v;
	if (attr && pthread_barrierattr_getpshared(attr, &v) == 0 && v == PTHREAD_PROCESS_SHARED)
		note("a barrier initialised with PTHREAD_PROCESS_SHARED");
}

void weft__pshared_flag(int pshared, const char *what)
{
	if (pshared)
		note(what);
}
