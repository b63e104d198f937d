/* The start line of a test harness: two workers spin on a volatile flag
 * (`while (!go) ;`, no call weft sees) until main raises it, then each
 * bumps a counter under a mutex. In an uninstrumented build a worker chosen
 * before the flag is up would spin forever while main waits for its turn;
 * weft preempts it (operation `spin`: its registers and stack repeat while
 * another thread can run) and the exploration completes.
 *
 * Count: main = C1, C2, J1, J2, X (go = 1 between C2 and J1); each worker
 * = S, then spins (SP) while go is 0, L, U, E. The preemptions happen
 * exactly where a worker runs before main passed C2's decision, so the
 * count is a fixed number: 132 executions (DFS), the same in every run
 * and every replay. DPOR sees the workers' steps as ordered only by the
 * mutex (go is plain memory it cannot see): 2 executions.
 *
 * weft-expect: ok 132
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static volatile int go;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	while (!go)
		;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	go = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return counter == 2 ? 0 : 1;
}
