/* hit_counter.c with the fix: an atomic read-modify-write (relaxed is
 * enough for a counter read after join). Atomics are scheduling points, so
 * weft explores every order of the four increments: none is lost.
 * weft-expect: ok 251 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int hits;

static void *handler(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++)
		atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, handler, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(atomic_load_explicit(&hits, memory_order_relaxed) == 4);
	return 0;
}
