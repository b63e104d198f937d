/* Message passing through an atomic flag: the writer fills a plain buffer
 * and sets the flag with release; the reader spins on it with acquire,
 * then reads the buffer. The acquire load that sees the store orders the
 * buffer's accesses: no race. The spin is finite: a load that sees the
 * flag unchanged gives way to the writer (as sched_yield does).
 * weft-expect: ok 14 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static int data[4];
static atomic_int ready;

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 4; i++)
		data[i] = i * i;
	atomic_store_explicit(&ready, 1, memory_order_release);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&ready, memory_order_acquire))
		;
	assert(data[3] == 9);
	pthread_join(t, NULL);
	return 0;
}
