/* SV-COMP style, a bug that depends on nondet values, not on the schedule:
 * main draws two nondet ints, assumes they differ, and a thread computes
 * their sum in an atomic section;
 * reach_error() is reached only for one pair of values ({0, 1} by default:
 * a = 1, b = 0), which weft enumerates like schedule choices.
 *
 * What weft finds: an assertion (reach_error) for a = 1, b = 0.
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

static int a, b, sum;

static void *adder(void *arg)
{
	(void)arg;
	__VERIFIER_atomic_begin();
	sum = a + b;
	__VERIFIER_atomic_end();
	return 0;
}

int main(void)
{
	a = __VERIFIER_nondet_int();
	b = __VERIFIER_nondet_int();
	__VERIFIER_assume(a != b);
	pthread_t t;
	pthread_create(&t, 0, adder, 0);
	pthread_join(t, 0);
	if (sum == 1 && a > b) /* the bug: only a = 1, b = 0 gets here */
		reach_error();
	return 0;
}
