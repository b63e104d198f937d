/* The counter of t5_race_counter.c under a mutex: no race; every
 * synchronisation edge (create, unlock -> lock, exit -> join) orders the
 * accesses. DFS explores the same interleavings as without instrumentation.
 * weft-expect: ok 6 */
#include <assert.h>
#include <pthread.h>

static int counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	assert(counter == 2);
	return 0;
}
