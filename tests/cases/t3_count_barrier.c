/* Two threads meet at a barrier of count 2: exactly one of them gets
 * PTHREAD_BARRIER_SERIAL_THREAD (the last to arrive, as in glibc).
 *
 * Count: main = C, B0 (arrive), [K0 (wake-up) if first], J, X; worker = S,
 * B1, [K1], E1.
 *   main arrives first: S before or after B0 (2); then B1 ends the round,
 *     and K0 and E1 go in either order (2): 4.
 *   the worker arrives first: S B1 before B0 (1); B0 ends the round;
 *     main's join waits, so K1 E1 J X: 1.
 * 4 + 1 = 5 executions.
 *
 * weft-expect: ok 5
 * Optimal DPOR explores one execution per happens-before order. Which
 * arrival comes first decides the order; S commutes with B0, and the
 * wake-up K0 with E1. 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>

static pthread_barrier_t barrier;
static int serial[2];

static void *worker(void *arg)
{
	(void)arg;
	serial[1] = pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
	return NULL;
}

int main(void)
{
	assert(pthread_barrier_init(&barrier, NULL, 0) == EINVAL);
	assert(pthread_barrier_init(&barrier, NULL, 2) == 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	int rc = pthread_barrier_wait(&barrier);
	assert(rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD);
	serial[0] = rc == PTHREAD_BARRIER_SERIAL_THREAD;
	pthread_join(t, NULL);
	assert(serial[0] + serial[1] == 1);
	assert(pthread_barrier_destroy(&barrier) == 0);
	return 0;
}
