/* The condition-variable handshake of count_cond_handshake (a `while`
 * loop around the wait) with --spurious-wakeups=1: main's wait may return
 * once without a signal, beside any step the worker could take, and the
 * loop copes with it.
 *
 * Count: main = C, L0, W, K (wake-up), [R (relock) after a spurious K],
 * [W' K' when it must wait again], U0, J, X; worker = S, L1, G, U1, E1.
 *   The worker locks first: S L1 G U1, E1 around L0 U0: 3 (as without).
 *   main locks first and waits. From "main waits, the worker is about to
 *   do q", q in S, L1, G: either the worker does q, or main wakes
 *   spuriously (K) and then:
 *     q = S: R before L1: main waits again (W'), S around R W' (3), then
 *       the worker's L1 G U1 and E1 around K' U0 (3): 9; L1 before R: G
 *       finds no waiter, E1 around R U0: 3.                           [12]
 *     q = L1: R first: W', then L1 G U1 and E1 around K' U0: 3; L1
 *       first: G lost, E1 around R U0: 3.                              [6]
 *     q = G (the worker holds the mutex): G lost, U1, E1 around R U0: 3.
 *   and with no spurious wake-up the ending is as without the option: 3.
 *   So from q = G: 3 + 3 = 6; from L1: 6 + 6 = 12; from S: 12 + 12 = 24.
 *   S goes before L0 or between L0 and W (then q = L1: 12 each), or after
 *   W (q = S: 24): 48.
 * 3 + 48 = 51 executions (12 without the option).
 *
 * weft-options: --spurious-wakeups=1
 * weft-expect: ok 51
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 10.
 * weft-expect-dpor: 10
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
	int seen = ready;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return seen ? 0 : 1;
}
