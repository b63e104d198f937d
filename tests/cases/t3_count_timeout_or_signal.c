/* main waits up to 1 s for a signal that its worker sends after sleeping
 * 1 s: the timeout and the wake-up fall on the same instant, and weft
 * explores the timeout, the signal and the orders around them.
 *
 * Count: main = L0, C, W (wait), K (wake-up), R (relock, after a timeout
 * only), U0, J, X; worker = S, Z (sleep until 1 s), L1, G (signal), U1, E1.
 * After C, S goes before or after W: 2 ways to reach "main waits, the
 * worker sleeps". The clock jumps to 1 s; K (timeout) and Z are both due:
 *   K first: main times out and must relock; Z goes before R, between R
 *     and U0 or after U0 (then the worker's section): 3; or the worker
 *     locks first (Z L1 before R): G finds no waiter, U1, then E1 before
 *     R, between R and U0 or after U0: 3.                                [6]
 *   Z first, then
 *     K (timeout): R before L1 (then U0 L1 G U1 E1): 1; L1 before R: G
 *       is lost, U1, E1 around R U0: 3.                                  [4]
 *     L1, then K (timeout, the mutex is held): G lost, U1, E1 around R
 *       U0: 3; or G: main is signalled, wakes after U1 (K returns 0 with
 *       the mutex), E1 before K, between K and U0 or after U0: 3.        [6]
 * 2 * (6 + 4 + 6) = 32 executions.
 *
 * weft-expect: ok 32
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	sleep(1);
	pthread_mutex_lock(&m);
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1;
	pthread_mutex_lock(&m);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	int rc = pthread_cond_timedwait(&c, &m, &deadline);
	assert(rc == 0 || rc == ETIMEDOUT);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
