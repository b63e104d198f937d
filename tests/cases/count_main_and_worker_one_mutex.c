/* Two threads, main and one worker, each lock and unlock the same mutex
 * once; main then joins the worker.
 *
 * Count: main = create, L0, U0, join, exit; worker = start S, L1, U1, E1.
 * After the create the orders left are those of {L0 U0} and {S L1 U1 E1}
 * with the two critical sections apart and the join after E1.
 *   main's section first (U0 < L1): S goes before L0, between L0 and U0,
 *     or after U0; then L1 U1 E1 join exit are forced: 3.
 *   worker's section first (U1 < L0): S L1 U1 forced, then E1 goes before
 *     L0, between L0 and U0 or after U0: 3.
 * 3 + 3 = 6 executions.
 *
 * weft-expect: ok 6
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
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
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return counter == 2 ? 0 : 1;
}
