/* Two threads call pthread_once; the initialiser sleeps 1 s inside. It runs
 * exactly once, and the thread that did not run it waits until it is done.
 *
 * Count: main = C, O0, [Z (the sleep) if it runs the initialiser], J, X;
 * worker = S, O1, [Z], E1.
 *   main runs it: S before or after O0 (2); the worker's O1 must wait for
 *     the end of the initialiser, so Z, O1, E1, J, X: 2.
 *   the worker runs it: S O1 before O0 (1); main's O0 waits; Z; then O0
 *     and E1 in either order: 2.
 * 2 + 2 = 4 executions.
 *
 * weft-expect: ok 4
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 4.
 * weft-expect-dpor: 4
 */
#include <assert.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int runs;
static time_t ready_at;

static void init(void)
{
	sleep(1);
	runs++;
	ready_at = time(NULL);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_once(&once, init);
	assert(runs == 1);
	return NULL;
}

int main(void)
{
	time_t start = time(NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_once(&once, init);
	assert(runs == 1 && ready_at == start + 1);
	pthread_join(t, NULL);
	pthread_once(&once, init);
	assert(runs == 1);
	return 0;
}
