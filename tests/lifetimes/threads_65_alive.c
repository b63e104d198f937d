/* 65 threads alive at once (main and 64 workers blocked on one barrier):
 * past weft's limit of 64 threads alive at once, which is an error of
 * weft's (exit 2) naming the limit, not a bug of this correct program
 * (tests/lifetimes.sh). */
#include <pthread.h>

#define WORKERS 64

static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	pthread_barrier_wait(&barrier);
	return arg;
}

int main(void)
{
	pthread_t t[WORKERS];
	pthread_barrier_init(&barrier, NULL, WORKERS);
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
