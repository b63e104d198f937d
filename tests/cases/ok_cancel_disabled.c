/* A worker disables cancellation around a wait that must complete, then
 * enables it and calls pthread_testcancel. However early the request comes,
 * the worker gets through its sem_wait and is cancelled at
 * pthread_testcancel, never after it.
 *
 * Count: main = C, K (cancel), P (post), J; the worker = S, W (sem_wait,
 * enabled by P; cancellation disabled: not acted on), T (testcancel, where
 * it acts on the request: A), E. W waits for P, which follows K; T and A
 * come after W: the choices are where S falls in K, P (3 ways), then W,
 * T... in order with main's J waiting for E: 3 executions.
 *
 * weft-expect: ok 3
 * DPOR: S commutes with P but not with K, which is ordered with everything
 * (a request may change any later step of its target): 3 executions for
 * the 2 traces.
 * weft-expect-dpor: 3 2
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static sem_t go;
static int waited, after_test;

static void *worker(void *arg)
{
	(void)arg;
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	assert(old == PTHREAD_CANCEL_ENABLE);
	sem_wait(&go);
	waited = 1;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	assert(old == PTHREAD_CANCEL_DISABLE);
	pthread_testcancel();
	after_test = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	sem_init(&go, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	sem_post(&go);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	assert(waited && !after_test);
	return 0;
}
