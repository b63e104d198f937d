/* main starts a worker, detaches it and ends with pthread_exit instead of
 * returning: the process lives on until the worker finishes, and exits with
 * status 0 then. That is legal and not a leak (nothing is blocked).
 *
 * Count: main = C, D (detach), then its thread exit E0 (pthread_exit is a
 * thread exit, not a process exit); worker = S, L, U, E1. After C, main's
 * D E0 merge freely with the worker's 4 steps: C(6,2) = 15 executions.
 *
 * weft-expect: ok 15
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int done;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	done = 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	pthread_exit(NULL);
}
