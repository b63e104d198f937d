/* The program of t3_count_sleep_order (main sleeps 1 s, its worker 2 s)
 * under --time=adversarial: a sleeping thread may also wake at any step,
 * the clock jumping to its deadline, as if the others were slow.
 *
 * Count: main = C, S0 (until 1 s), J, X; worker = S, S1 (until 2 s), E1.
 * After C, S0 and S are both candidates:
 *   S0 first (clock 1 s): main's join waits, the worker runs alone: 1.
 *   S first, then S0 or S1:
 *     S0 (clock 1 s): the worker alone again: 1;
 *     S1 (clock 2 s, so S0 is due too): S0 and E1 in either order: 2.
 * 1 + 1 + 2 = 4 executions (plain time: 1).
 *
 * weft-options: --time=adversarial
 * weft-expect: ok 4
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 4.
 * weft-expect-dpor: 4
 */
#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg)
{
	(void)arg;
	sleep(2);
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
