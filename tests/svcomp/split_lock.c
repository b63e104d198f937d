/* SV-COMP style, the bug of assume_lock.c's lock taken apart: the test
 * (lock == 0) and the set (lock = 1) are two atomic sections, so both
 * threads (main and one worker) can see the lock free and both enter the
 * critical section, where the check reaches reach_error() (assert(0)).
 *
 * What weft finds: an assertion (reach_error), and its replay token brings
 * it back.
 *
 * weft-expect: bug assertion
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
	__VERIFIER_atomic_end();
	/* wrong: the other thread may take the lock right here */
	__VERIFIER_atomic_begin();
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
