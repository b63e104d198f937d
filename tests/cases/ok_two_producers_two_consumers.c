/* Two producers and two consumers over a one-slot buffer, one mutex and
 * one condition variable, every change announced with a broadcast and
 * every wait in a while loop: correct. Each producer puts one item, each
 * consumer takes one. Depth-first search does not finish in any reasonable
 * time (it explored 3,873 executions in 10 s covering 2 happens-before
 * orders: every wake-up of every waiter is a branch, most of them
 * equivalent); the default strategy, DPOR first, finishes in one execution
 * per order.
 *
 * weft-expect: ok -
 * weft-expect-dpor: 80
 */
#include <assert.h>
#include <pthread.h>

#define ITEMS 1

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int slot, full, taken_sum;

static void *producer(void *arg)
{
	int base = (int)(long)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&lock);
		while (full)
			pthread_cond_wait(&changed, &lock);
		slot = base + i;
		full = 1;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&lock);
		while (!full)
			pthread_cond_wait(&changed, &lock);
		taken_sum += slot;
		full = 0;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t p[2], c[2];
	pthread_create(&p[0], NULL, producer, (void *)0L);
	pthread_create(&p[1], NULL, producer, (void *)10L);
	pthread_create(&c[0], NULL, consumer, NULL);
	pthread_create(&c[1], NULL, consumer, NULL);
	for (int i = 0; i < 2; i++) {
		pthread_join(p[i], NULL);
		pthread_join(c[i], NULL);
	}
	assert(taken_sum == 1 + 11);
	return 0;
}
