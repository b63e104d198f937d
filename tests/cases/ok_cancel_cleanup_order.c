/* Cleanup handlers run in the reverse order of their pushes when a thread
 * acts on a cancellation request, and a handler popped with
 * pthread_cleanup_pop(0) does not run; the innermost handler of a
 * cancelled condition wait finds the mutex held again (an error-checking
 * mutex: unlocking it otherwise would be misuse), as POSIX requires.
 *
 * Count: main = C, K (cancel), J; the worker = S, L (lock), Wt (the wait,
 * which releases the mutex), then the wake-up, which can only be acting on
 * the request (A), R (re-lock), U (the handler's unlock), E. K falls
 * before S, between S and L, between L and Wt, or after Wt (4 ways); the
 * rest follows: 4 executions.
 *
 * weft-expect: ok 4
 * weft-expect-dpor: 4
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>

static pthread_mutex_t m;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static char order[8];

static void record(void *arg)
{
	strcat(order, arg);
}

static void unlock(void *arg)
{
	record("u");
	assert(pthread_mutex_unlock(arg) == 0);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_cleanup_push(record, "a");
	pthread_cleanup_push(record, "b");
	pthread_cleanup_pop(0);
	pthread_cleanup_push(record, "c");
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock, &m);
	for (;;)
		pthread_cond_wait(&c, &m);
	pthread_cleanup_pop(1);
	pthread_cleanup_pop(1);
	pthread_cleanup_pop(1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &attr);
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	assert(strcmp(order, "uca") == 0);
	return 0;
}
