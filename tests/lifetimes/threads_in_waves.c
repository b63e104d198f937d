/* 2,000 threads created in waves of 8: main creates eight workers, joins
 * them, and starts the next wave. Each worker writes its own cell and no
 * two workers touch a shared object, so every interleaving has one
 * happens-before order: DPOR explores 1 execution (tests/lifetimes.sh).
 * The eight slots of a wave are given back at its joins and taken again by
 * the next wave, so weft never holds more than nine threads. */
#include <assert.h>
#include <pthread.h>

#define WAVES 250
#define WAVE 8

static int ran[WAVES * WAVE];

static void *worker(void *arg)
{
	ran[(long)arg] = 1;
	return NULL;
}

int main(void)
{
	for (long w = 0; w < WAVES; w++) {
		pthread_t t[WAVE];
		for (long i = 0; i < WAVE; i++)
			pthread_create(&t[i], NULL, worker, (void *)(w * WAVE + i));
		for (int i = 0; i < WAVE; i++)
			pthread_join(t[i], NULL);
	}
	int n = 0;
	for (int i = 0; i < WAVES * WAVE; i++)
		n += ran[i];
	assert(n == WAVES * WAVE);
	return 0;
}
