/* The start line of ok_spin_start_flag.c with workers that count their
 * turns round the loop (`while (!go) spins++;`): a counting loop never
 * repeats its state exactly, so it is preempted by the fallback, after
 * WEFT_SPIN_FALLBACK_NS of CPU time without a step, slower but at the same
 * visible step (the loop cannot end before main runs), so the count is as
 * fixed as the other's.
 *
 * Count: main = C1, C2, J1, J2, X (go = 1 between C2 and J1); each worker
 * = S, spins while go is 0, E (no mutex): 20 executions (DFS). DPOR sees
 * nothing the workers' steps depend on: 1.
 *
 * weft-expect: ok 20
 * weft-expect-dpor: 1
 */
#include <pthread.h>

static volatile int go;
static long spins[2];

static void *worker(void *arg)
{
	long *n = arg, k = 0;
	while (!go)
		k++;
	*n = k;
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &spins[i]);
	go = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
