/* Two threads increment a counter under a spin lock. A thread spinning on
 * a held lock is modelled as blocked, so the count is that of a mutex.
 *
 * Count: main = C, L0, U0, J, X; worker = S, L1, U1, E1.
 *   main's section first: S before L0, between L0 and U0 or after U0: 3.
 *   the worker's first: S L1 U1, then E1 before L0, between L0 and U0 or
 *     after U0: 3.
 * 6 executions.
 *
 * weft-expect: ok 6
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>

static pthread_spinlock_t lock;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	pthread_spin_lock(&lock);
	counter++;
	pthread_spin_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_spin_init(&lock, PTHREAD_PROCESS_PRIVATE);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_spin_lock(&lock);
	counter++;
	pthread_spin_unlock(&lock);
	pthread_join(t, NULL);
	assert(counter == 2);
	assert(pthread_spin_trylock(&lock) == 0);
	assert(pthread_spin_trylock(&lock) == EBUSY);
	pthread_spin_unlock(&lock);
	pthread_spin_destroy(&lock);
	return 0;
}
