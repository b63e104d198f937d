/* A worker polls for a stop flag with pthread_cond_timedwait and a 10 s
 * timeout, and is cancelled instead: the request wakes it from the timed
 * wait, the wait takes the mutex back, and the cleanup handler releases it.
 * The wait never times out: virtual time moves only when no thread can
 * run, and main can run until it has sent the request.
 *
 * Count: main = C, K (cancel), J; the worker = S, L (lock), Wt (the timed
 * wait), then A (acts on the request), R (re-lock), U (the handler's
 * unlock), E. K falls before S, between S and L, between L and Wt, or after
 * Wt: 4 executions.
 *
 * weft-expect: ok 4
 * weft-expect-dpor: 4
 */
#include <assert.h>
#include <pthread.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int stop, timeouts;

static void unlock(void *arg)
{
	pthread_mutex_unlock(arg);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock, &m);
	while (!stop) {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 10;
		if (pthread_cond_timedwait(&c, &m, &deadline) != 0)
			timeouts++;
	}
	pthread_cleanup_pop(1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	pthread_mutex_lock(&m);
	assert(timeouts == 0);
	pthread_mutex_unlock(&m);
	return 0;
}
