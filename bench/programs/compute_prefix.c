/* A program that computes for about 20 ms in main (a dependent chain of
 * multiplications the compiler cannot fold) before starting two threads
 * that take one lock; bench/threads.sh explores it (151 executions under
 * DFS) with each execution started from main (kernel threads) and from the
 * snapshot at the first branch point (fibers). */
#include <pthread.h>
#include <stdio.h>

#ifndef ROUNDS
#define ROUNDS 30000000UL
#endif

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;
static unsigned long result;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(void)
{
	unsigned long x = 1;
	for (unsigned long i = 0; i < ROUNDS; i++)
		x = x * 6364136223846793005UL + i;
	result = x;
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	if (counter != 2)
		printf("%lu\n", result);
	return counter != 2;
}
