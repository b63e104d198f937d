/* Relaxed atomics ordered by fences: a release fence before the relaxed
 * store and an acquire fence after the relaxed load synchronise as a
 * release store and an acquire load would. No race.
 * weft-expect: ok 14 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static int payload;
static atomic_int ready;

static void *writer(void *arg)
{
	(void)arg;
	payload = 42;
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&ready, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&ready, memory_order_relaxed))
		;
	atomic_thread_fence(memory_order_acquire);
	assert(payload == 42);
	pthread_join(t, NULL);
	return 0;
}
