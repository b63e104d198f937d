/* SV-COMP style: two threads add a nondeterministic amount to a shared
 * counter, each reading and writing it inside one
 * __VERIFIER_atomic_begin/end section; main checks that no update was
 * lost and calls reach_error() otherwise. The nondet call between the read
 * and the write is a scheduling point, but the atomic section keeps the
 * other thread out of it.
 *
 * What weft finds: nothing, over a complete exploration.
 * Count: 1004 = 251 * 2 * 2, measured with weft run and explained this
 * far: each thread draws one nondet value (2 by default) in every
 * schedule, and the values change no later step (the assume always holds,
 * no branch depends on d), so every schedule is explored once per pair of
 * values. The 251 schedules (main = C1 C2 J1 J2 X, thread i = S, atomic
 * begin, nondet, atomic end, E, a section excluding the other thread) were
 * measured, not derived: WEFT_NONDET_VALUES=1 gives 251 executions and
 * WEFT_NONDET_VALUES=3 gives 2259 = 251 * 3 * 3, as the factoring predicts.
 *
 * weft-expect: ok 1004
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
	__VERIFIER_atomic_begin();
	int t = counter;
	int d = __VERIFIER_nondet_int();
	__VERIFIER_assume(d >= 0);
	counter = t + d;
	added[id] = d;
	__VERIFIER_atomic_end();
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
