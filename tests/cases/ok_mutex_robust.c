/* Robust mutexes: a worker locks a robust mutex and ends without unlocking
 * it, while another takes the mutex in turn: if it comes second it gets
 * EOWNERDEAD and makes the mutex consistent; if it came first, main is the
 * one that finds the owner dead. Then, one thing at a time: a worker dies
 * holding it, main's lock gets EOWNERDEAD, makes it consistent, and a lock
 * after that is ordinary; another worker dies holding it and main unlocks
 * without pthread_mutex_consistent: the mutex is not recoverable, every
 * later lock and trylock returns ENOTRECOVERABLE. A robust mutex whose
 * owner died is a state the program handles, not a deadlock.
 *
 * Count: the two concurrent workers' steps interleave with each other and
 * with main's creates and joins, 65 ways (the rest is sequential). Which
 * worker locks first makes the 2 happens-before orders DPOR explores.
 *
 * weft-expect: ok 65
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>

static pthread_mutex_t m;

static void *die_holding(void *arg)
{
	int rc = pthread_mutex_lock(&m);
	assert(rc == 0 || rc == EOWNERDEAD);
	return arg;
}

/* Takes the mutex in turn, repairing it when its owner died. */
static void *recover(void *arg)
{
	int rc = pthread_mutex_lock(&m);
	assert(rc == 0 || rc == EOWNERDEAD);
	if (rc == EOWNERDEAD)
		assert(pthread_mutex_consistent(&m) == 0);
	assert(pthread_mutex_unlock(&m) == 0);
	return arg;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m, &attr);
	pthread_mutexattr_destroy(&attr);

	/* One worker dies holding the mutex, another repairs it if it comes
	 * second. If it came first, main is the one that finds the owner dead. */
	pthread_t t, u;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_create(&u, NULL, recover, NULL);
	pthread_join(t, NULL);
	pthread_join(u, NULL);
	int rc = pthread_mutex_lock(&m);
	assert(rc == 0 || rc == EOWNERDEAD);
	if (rc == EOWNERDEAD)
		assert(pthread_mutex_consistent(&m) == 0);
	assert(pthread_mutex_unlock(&m) == 0);

	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	assert(pthread_mutex_lock(&m) == EOWNERDEAD);
	assert(pthread_mutex_consistent(&m) == 0);
	assert(pthread_mutex_unlock(&m) == 0);
	assert(pthread_mutex_lock(&m) == 0);
	assert(pthread_mutex_consistent(&m) == EINVAL);
	assert(pthread_mutex_unlock(&m) == 0);

	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	assert(pthread_mutex_trylock(&m) == EOWNERDEAD);
	assert(pthread_mutex_unlock(&m) == 0);
	assert(pthread_mutex_lock(&m) == ENOTRECOVERABLE);
	assert(pthread_mutex_trylock(&m) == ENOTRECOVERABLE);
	return 0;
}
