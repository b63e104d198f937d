/* A worker posts a semaphore that main waits on.
 *
 * Count: main = C, P0 (sem_wait), J, X; worker = S, V1 (sem_post), E1.
 * After C the value is 0, so main's wait cannot proceed: S and V1 are
 * forced; then P0 and E1 in either order, then J X. 2 executions.
 *
 * weft-expect: ok 2
 * Optimal DPOR explores one execution per happens-before order: P0 and E1
 * commute (the wait touches the semaphore, the exit the worker's thread),
 * so both are one order: 1.
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static sem_t sem;
static int message;

static void *worker(void *arg)
{
	(void)arg;
	message = 42;
	sem_post(&sem);
	return NULL;
}

int main(void)
{
	sem_init(&sem, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&sem);
	assert(message == 42);
	pthread_join(t, NULL);
	sem_destroy(&sem);
	return 0;
}
