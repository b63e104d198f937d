/* A condition-variable handshake: the worker sets `ready` under the mutex
 * and signals; main waits for it with the usual while loop, then joins.
 *
 * Count: main = C, L0, [W (wait) K (wake-up)], U0, J, X; worker = S, L1,
 * G (signal), U1, E1.
 *   main locks first (L0 before L1): main sees ready == 0 and waits. The
 *     worker's S goes before L0, between L0 and W, or after W: 3. After W
 *     only the worker can run: L1 G U1 (the wake-up needs the mutex). Then
 *     E1 goes before K, between K and U0, or after U0: 3. 3 * 3 = 9.
 *   the worker locks first: S L1 come before L0 (1 way); main's lock waits
 *     through G U1; then main sees ready == 1 and does not wait; E1 goes
 *     before L0, between L0 and U0, or after U0: 3.
 * 9 + 3 = 12 executions.
 *
 * weft-expect: ok 12
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	while (!ready)
		pthread_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
