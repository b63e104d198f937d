/* main and its worker both sleep 1 s: their deadlines fall on the same
 * instant, so weft explores both wake-up orders.
 *
 * Count: main = C, S0 (until 1 s), J, X; worker = S, S1 (until 1 s), E1.
 * After C main sleeps, so S is forced; nobody can run, the clock jumps to
 * 1 s and both sleepers are due together. The orders of {S0} and {S1 E1}
 * with the join after E1: S0 S1 E1, S1 S0 E1, S1 E1 S0; then J X.
 * 3 executions.
 *
 * weft-expect: ok 3
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 3.
 * weft-expect-dpor: 3
 */
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg)
{
	(void)arg;
	sleep(1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sleep(1);
	pthread_join(t, NULL);
	return 0;
}
