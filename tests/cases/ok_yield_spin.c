/* A worker spin-waits with sched_yield on a flag that main sets while it
 * holds a mutex. Fairness (a thread that yielded is not a candidate until
 * another thread has taken a step) keeps the spin, and so the search,
 * finite.
 *
 * Count: main = C, L0 (flag = 1 right after it), U0, J, X; worker = S,
 * Y* (while the flag is 0), E1. After C:
 *   main locks (flag set), then
 *     main unlocks: the worker runs alone (S E1): 1;
 *     the worker starts, sees the flag: U0 and E1 in either order: 2;  [3]
 *   the worker starts, sees no flag, is about to yield, then
 *     main locks (flag set); then U0 first: 1, or Y first: the worker
 *       sees the flag but must give way, so U0, then E1: 1;          [2]
 *     the worker yields (flag still 0): it must give way, main locks,
 *       and we are in the state above again (U0 first or Y first):    [2]
 * 3 + 2 + 2 = 7 executions.
 *
 * weft-expect: ok 7
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int flag;

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&flag))
		sched_yield();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	/* release, a plain mov: not a trapped instruction (atomic_trap.c), so
	 * the count below holds */
	atomic_store_explicit(&flag, 1, memory_order_release);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
