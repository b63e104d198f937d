/* Asynchronous cancellation: a worker in PTHREAD_CANCEL_ASYNCHRONOUS mode
 * spins on sched_yield, which is no cancellation point; the request stops it
 * at its next scheduling point (weft runs one thread at a time, so that is
 * where an asynchronous request takes effect). In deferred mode it would
 * spin for ever.
 *
 * Count: main = C, W (sem_wait, enabled by the worker's post), K (cancel),
 * J; the worker = S, P (post), then yields Y1, Y2, ... After P, main's W
 * and K interleave with the worker's yields, a yield giving way to main at
 * the next decision: W K, W Y1 K, Y1 W K, Y1 W Y2 K; after K the worker
 * acts at its pending yield: 4 executions.
 *
 * weft-expect: ok 4
 * weft-expect-dpor: 4
 */
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>

static sem_t ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	sem_post(&ready);
	for (;;)
		sched_yield();
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	sem_init(&ready, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&ready);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	return 0;
}
