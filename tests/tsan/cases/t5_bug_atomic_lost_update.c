/* An increment made of an atomic load and an atomic store: no data race
 * (every access is atomic), but another thread's increment can fall
 * between the two. Atomics are scheduling points, so weft finds the
 * interleaving that loses an update.
 * weft-expect: bug assertion */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int counter;

static void *worker(void *arg)
{
	(void)arg;
	atomic_store(&counter, atomic_load(&counter) + 1);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(atomic_load(&counter) == 2);
	return 0;
}
