/* A worker destroys a barrier while main waits in it (the count, 2, is
 * never reached). The first execution already shows it: main arrives and
 * waits, then the worker destroys.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_destroy(&barrier);
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&barrier);
	pthread_join(t, NULL);
	return 0;
}
