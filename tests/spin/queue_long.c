/* A correct program that runs long: ITEMS (argv[1], default one million)
 * integers through a bounded queue guarded by a mutex and two condition
 * variables, from main to a consumer. Millions of steps, all progress:
 * weft must not call it a livelock (tests/spin.sh). */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

#define CAP 64

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int ring[CAP], head, count;
static long items = 1000000;

static void *consumer(void *arg)
{
	long sum = 0;
	for (long got = 0; got < items; got++) {
		pthread_mutex_lock(&m);
		while (count == 0)
			pthread_cond_wait(&not_empty, &m);
		sum += ring[head];
		head = (head + 1) % CAP;
		if (count-- == CAP)
			pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
	}
	*(long *)arg = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		items = atol(argv[1]);
	long sum = 0, expected = 0;
	pthread_t t;
	pthread_create(&t, NULL, consumer, &sum);
	for (long i = 0; i < items; i++) {
		pthread_mutex_lock(&m);
		while (count == CAP)
			pthread_cond_wait(&not_full, &m);
		ring[(head + count) % CAP] = (int)(i % 7);
		expected += i % 7;
		if (count++ == 0)
			pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
	}
	pthread_join(t, NULL);
	assert(sum == expected);
	return 0;
}
