/* The reference program a_mutex_counter.c (shared/reference) with N = 3:
 * three workers each lock, increment and unlock one shared mutex.
 *
 * Count: exhaustive DFS counts every interleaving of the 3 * 4 worker steps
 * and main's C2 C3 J1 J2 under the constraints C(i) < S(i), E(i) < J(i),
 * program order and mutual exclusion of the three critical sections (C1 is
 * first, J3 and the exit last). That is 143541 executions, against the
 * N! = 6 of an optimal DPOR. The number is too big to add up in a comment:
 * it was counted by an independent enumerator of exactly these rules
 * (a ~150-line script, not weft), which also gives 151 for N = 2, the count
 * derived by hand in count_mutex_counter_2.c. This case takes minutes, not
 * seconds, and is labelled "slow" in ctest (`ctest -LE slow` skips it).
 *
 * weft-expect: ok 143541
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 6.
 * weft-expect-dpor: 6
 */
#define N 3
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
