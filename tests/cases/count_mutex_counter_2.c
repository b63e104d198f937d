/* The reference program a_mutex_counter.c (shared/reference) with N = 2:
 * two workers each lock, increment and unlock one shared mutex; main
 * creates both, joins both and asserts the total.
 *
 * Count: weft's exhaustive DFS counts every interleaving of the steps, not
 * the N! = 2 orders of the critical sections that an optimal DPOR explores.
 * main = C1 C2 J1 J2 X, worker i = Si Li Ui Ei. C1 is first (only main
 * exists) and J2 X are last (J2 needs E2, J1 before it needs E1), so the
 * executions are the orders of the chains S1 L1 U1 E1, S2 L2 U2 E2 and
 * C2 J1 with C2 < S2, E1 < J1 and the two critical sections apart.
 *   worker 1's section first (U1 < L2): split on what happens before U1
 *     besides S1 L1 (a prefix of C2 S2):
 *       nothing: after U1 the chain C2 S2 L2 U2 E2 takes E1 < J1 with J1
 *         after C2: C(7,2) - 1 = 20;
 *       C2: 3 places for C2 among S1 L1, then C(6,2) = 15 after U1: 45;
 *       C2 S2: C(4,2) = 6 merges before U1, C(5,2) = 10 after: 60;
 *     125 in all.
 *   worker 2's section first (U2 < L1): C2 S2 L2 U2 L1 U1 E1 J1 is one
 *     chain; S1 takes one of the 5 gaps before L1, E2 one of the 5 gaps
 *     after U2; they share one gap (between U2 and L1) where both orders
 *     count: 5*5 - 1 + 2 = 26.
 * 125 + 26 = 151 executions.
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#define N 2
#include <pthread.h>
#include <assert.h>
static pthread_mutex_t m;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	pthread_mutex_init(&m, NULL);
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	assert(counter == N);
	return 0;
}
