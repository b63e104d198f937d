/* main spins on a plain flag until its worker is ready, so every execution
 * preempts main at least once (it spins before the worker has run at all).
 * The worker then bumps x under the mutex, and main checks x under the
 * same mutex: whether it already saw the bump depends on the order, and
 * the assertion catches the order where the worker came first. The bug's
 * token replays it though the spins in between may take a different
 * number of loop iterations: preemptions fall on the same visible steps.
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>

static volatile int ready;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int x;

static void *worker(void *arg)
{
	(void)arg;
	ready = 1;
	pthread_mutex_lock(&m);
	x = 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!ready)
		;
	pthread_mutex_lock(&m);
	int seen = x;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	assert(seen == 0);
	return 0;
}
