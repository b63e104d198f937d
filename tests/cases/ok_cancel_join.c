/* A thread blocked in pthread_join is cancelled: the request wakes it and
 * it acts on it, while the thread it was joining lives on; main joins the
 * cancelled joiner (PTHREAD_CANCELED), then lets the other thread finish
 * and joins it itself (the cancelled join did not count as a join).
 *
 * Count: main = Cw (create the waiting thread Tw), Cj (create the joiner
 * Tj), K (cancel Tj), J1 (join Tj), P (post), J2 (join Tw); Tj = S1, its
 * join, which can only end by acting on the request (A1), E1; Tw = S2, W
 * (sem_wait, enabled by P), E2. S1 goes before or after K (2 ways); S2
 * goes anywhere from after Cw to just before W (8 slots): 16 executions.
 *
 * weft-expect: ok 16
 * weft-expect-dpor: 6
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static pthread_t waited;
static sem_t go;

static void *wait_for_go(void *arg)
{
	(void)arg;
	sem_wait(&go);
	return NULL;
}

static void *joiner(void *arg)
{
	(void)arg;
	pthread_join(waited, NULL);
	return NULL;
}

int main(void)
{
	pthread_t j;
	void *result;
	sem_init(&go, 0, 0);
	pthread_create(&waited, NULL, wait_for_go, NULL);
	pthread_create(&j, NULL, joiner, NULL);
	pthread_cancel(j);
	pthread_join(j, &result);
	assert(result == PTHREAD_CANCELED);
	sem_post(&go);
	pthread_join(waited, &result);
	assert(result == NULL);
	return 0;
}
