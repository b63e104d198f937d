/* SV-COMP style: the benchmarks' lock, an atomic section that waits with
 * __VERIFIER_assume for the lock to be free and takes it. Two threads enter
 * a critical section guarded by it; inside, a nondet call (a scheduling
 * point) sits between the entry and the check that nobody else is in;
 * reach_error() when two threads are in at once.
 *
 * What weft finds: nothing: a thread that finds the lock taken ends its
 * execution as infeasible (assume), which is not a bug.
 * Count: 245, measured with weft run and explained by its dependence on
 * the nondet domain K (WEFT_NONDET_VALUES): 69, 245 and 535 executions for
 * K = 1, 2, 3, that is 57 K^2 + 5 K + 7: 57 schedules where both
 * threads pass the lock and draw a value each (K^2 executions apiece), 5
 * where the first one draws and the other is then pruned by the assume
 * (K each), and 7 where a thread is pruned before anybody draws (1 each).
 * With K = 2: 228 + 10 + 7 = 245.
 *
 * weft-expect: ok 245
 */
#include <assert.h>
#include <pthread.h>

extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int);
extern void __VERIFIER_atomic_begin(void);
extern void __VERIFIER_atomic_end(void);
void reach_error(void) { assert(0); }

static int lock, inside;

static void acquire(void)
{
	__VERIFIER_atomic_begin();
	__VERIFIER_assume(lock == 0);
	lock = 1;
	__VERIFIER_atomic_end();
}

static void release(void)
{
	__VERIFIER_atomic_begin();
	lock = 0;
	__VERIFIER_atomic_end();
}

static void critical_section(void)
{
	acquire();
	inside++;
	(void)__VERIFIER_nondet_int();
	if (inside != 1)
		reach_error();
	inside--;
	release();
}

static void *thread(void *arg)
{
	(void)arg;
	critical_section();
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, thread, 0);
	critical_section();
	pthread_join(t, 0);
	return 0;
}
