/* SV-COMP style, the bug of atomic_counter.c: the same two threads add a
 * nondeterministic amount to a shared counter, without the
 * __VERIFIER_atomic_begin/end section. The nondet call between a thread's
 * read and its write is a scheduling point: when the other thread's whole
 * update falls there, it is overwritten, and main's check reaches
 * reach_error() (assert(0)) whenever the lost amount is not 0.
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

static int counter;
static int added[2];

static void *thread(void *arg)
{
	int id = (int)(long)arg;
	/* no atomic section: the other thread may run at the nondet call */
	int t = counter;
	int d = __VERIFIER_nondet_int();
	__VERIFIER_assume(d >= 0);
	counter = t + d;
	added[id] = d;
	return 0;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_create(&t1, 0, thread, (void *)0);
	pthread_create(&t2, 0, thread, (void *)1);
	pthread_join(t1, 0);
	pthread_join(t2, 0);
	if (counter != added[0] + added[1])
		reach_error();
	return 0;
}
