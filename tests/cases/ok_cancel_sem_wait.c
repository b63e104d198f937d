/* A worker blocked in sem_wait on a semaphore nobody posts is cancelled:
 * the request wakes it, it acts on it, and pthread_join returns
 * PTHREAD_CANCELED. The worker never returns from sem_wait.
 *
 * Count: main = C, K (pthread_cancel), J; the worker = S, then its
 * sem_wait, which can only end by acting on the request (A), then E. S
 * goes before or after K; A, E and J follow: 2 executions.
 *
 * weft-expect: ok 2
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static sem_t never;
static int returned;

static void *worker(void *arg)
{
	(void)arg;
	sem_wait(&never);
	returned = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	sem_init(&never, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	assert(!returned);
	return 0;
}
