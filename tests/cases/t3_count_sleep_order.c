/* main sleeps 1 s, its worker 2 s: virtual time wakes them in deadline
 * order, with no real waiting, and each sees the clock at its deadline.
 *
 * Count: main = C, S0 (sleep until 1 s), J, X; worker = S, S1 (until 2 s),
 * E1. After C main sleeps, so S is forced; then nobody can run and the
 * clock jumps to 1 s: S0 alone; main's join waits, the clock jumps to 2 s:
 * S1, E1, J, X. No step has two candidates: 1 execution.
 *
 * weft-expect: ok 1
 */
#include <assert.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static long long monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static long long start, worker_woke;

static void *worker(void *arg)
{
	(void)arg;
	sleep(2);
	worker_woke = monotonic_ns() - start;
	return NULL;
}

int main(void)
{
	start = monotonic_ns();
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sleep(1);
	assert(monotonic_ns() - start == 1000000000ll);
	pthread_join(t, NULL);
	assert(worker_woke == 2000000000ll);
	assert(monotonic_ns() - start == 2000000000ll);
	return 0;
}
