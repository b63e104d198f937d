/* A test-and-set spin lock of the program's own (atomic exchange with
 * acquire, store with release) protecting a plain counter: the lock orders
 * the counter's accesses, and a thread spinning on a held lock gives way to
 * the holder, so every execution ends.
 * weft-expect: ok 311 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int locked;
static int counter;

static void lock(void)
{
	while (atomic_exchange_explicit(&locked, 1, memory_order_acquire))
		;
}

static void unlock(void)
{
	atomic_store_explicit(&locked, 0, memory_order_release);
}

static void *worker(void *arg)
{
	(void)arg;
	lock();
	counter++;
	unlock();
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(counter == 2);
	return 0;
}
