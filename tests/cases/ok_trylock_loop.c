/* A worker that spins on pthread_mutex_trylock (no yield, no sleep) until
 * it gets the mutex main holds for a moment. Without fairness the explorer
 * could run the failing trylock forever; with it, a failed trylock makes the
 * worker give way until another thread has taken a step, so the spin is
 * finite and no livelock is reported.
 *
 * Count: main = C, L0, U0, J, X; worker = S, T (trylock, repeated while it
 * fails), U1, E1. After C:
 *   main locks (L0), then
 *     main unlocks (U0): the worker runs alone (S T U1 E1): 1;
 *     the worker starts (S), then
 *       main unlocks: the worker runs alone: 1;
 *       the worker's trylock fails: it must give way, main unlocks, the
 *         worker runs alone: 1;                                   [3]
 *   the worker starts (S), then
 *     main locks: the same two branches as above after S:         [2]
 *     the worker's trylock succeeds: main's lock waits through U1, then E1
 *       goes before L0, between L0 and U0, or after U0:            [3]
 * 3 + 2 + 3 = 8 executions.
 *
 * weft-expect: ok 8
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 3.
 * weft-expect-dpor: 3
 */
#include <errno.h>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int attempts_failed, got;

static void *worker(void *arg)
{
	(void)arg;
	while (pthread_mutex_trylock(&m) == EBUSY)
		attempts_failed++;
	got = 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return got == 1 ? 0 : 1;
}
