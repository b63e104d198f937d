/* A barrier sized for three threads that only two ever reach: both wait
 * for ever, a deadlock whose report names the barrier.
 *
 * weft-expect: bug deadlock
 * weft-expect-dpor: bug deadlock
 */
#include <pthread.h>

static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&barrier, NULL, 3);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&barrier);
	pthread_join(t, NULL);
	return 0;
}
