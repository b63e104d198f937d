/* For bench/stacks.sh: T threads each lock and unlock one mutex K times,
 * four calls deep, so that walking a step's stack walks a test's usual
 * depth. Every execution makes exactly 4T + 2KT + 1 steps (T creates,
 * starts, exits and joins, the locks and unlocks, the process exit); with
 * BENCH_FAIL set it exits 1, so that a report shows the count. */
#include <pthread.h>
#include <stdlib.h>

#ifndef T
#define T 3
#endif
#ifndef K
#define K 10
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int counter;

__attribute__((noinline)) static void level3(void)
{
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void level2(void)
{
	level3();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void level1(void)
{
	level2();
	__asm__ volatile("" ::: "memory");
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < K; i++)
		level1();
	return NULL;
}

int main(void)
{
	pthread_t t[T];
	for (int i = 0; i < T; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < T; i++)
		pthread_join(t[i], NULL);
	return getenv("BENCH_FAIL") ? 1 : 0;
}
