/* main spin-waits with sched_yield for a flag that a sleeping worker sets.
 * When every thread that can run has just given way, the clock moves to
 * the next deadline instead of letting the spin go round until the step
 * bound: the worker wakes, sets the flag, and the spin ends.
 *
 * Count: main = C, Y (yield, as often as the flag is unset), J, X; worker
 * = S, Z (sleep 1 s), E1. After C:
 *   main yields first: it gives way, so S; main yields again (the worker
 *     sleeps); only a thread that gave way is left, so the clock jumps to
 *     1 s: Z, the flag is set, then main's next Y and E1 in either order: 2.
 *   S first: main yields (the worker sleeps), the clock jumps, Z, then Y
 *     and E1 in either order: 2.
 * 4 executions.
 *
 * weft-expect: ok 4
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 4.
 * weft-expect-dpor: 4
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int flag;

static void *worker(void *arg)
{
	(void)arg;
	sleep(1);
	/* release, a plain mov: not a trapped instruction (atomic_trap.c), so
	 * the count below holds */
	atomic_store_explicit(&flag, 1, memory_order_release);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load(&flag))
		sched_yield();
	pthread_join(t, NULL);
	return 0;
}
