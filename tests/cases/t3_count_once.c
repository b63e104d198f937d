/* Two threads call pthread_once; the initialiser sleeps 1 s inside. It runs
 * exactly once, and the thread that did not run it waits until it is done.
 *
 * Count: main = C, O0, [Z N if it runs the initialiser], J, X; worker = S,
 * O1, [Z N], E1, where Z is the sleep and N the end of the initialiser (a
 * scheduling point of its own, since the initialiser made one).
 *   main runs it: S before or after O0 (2); the sleep waits until nobody
 *     else can run and the worker's O1 for the end of the initialiser, so
 *     Z, N, O1, E1, J, X: 2.
 *   the worker runs it: S O1 before O0 (1); main's O0 waits; Z N; then O0
 *     and E1 in either order: 2.
 * 2 + 2 = 4 executions.
 *
 * weft-expect: ok 4
 * DPOR: the happens-before orders are the two choices of the thread that
 * runs the initialiser (S commutes with O0; E1 with main's join is forced).
 * The initialiser's sleep is ordered with everything, so the race between
 * the two pthread_once calls hides behind it, and DPOR first explores the
 * worker's start before O0 as a thread to try (dpor_races.c), an execution
 * of the first order again: 3 executions, 2 distinct traces.
 * weft-expect-dpor: 3 2
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
