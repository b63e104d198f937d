/* The increment of t5_bug_atomic_lost_update.c as a compare-and-swap loop:
 * a failed compare-exchange retries with the value it saw, so no update is
 * lost. Exhaustive: every interleaving of the loads and exchanges.
 * weft-expect: ok 301 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int counter;

static void *worker(void *arg)
{
	(void)arg;
	int seen = atomic_load(&counter);
	while (!atomic_compare_exchange_weak(&counter, &seen, seen + 1))
		;
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
