/* main creates one thread and joins it; the thread does no synchronisation.
 *
 * Count: main's steps are create, join, process exit; the thread's are
 * start, thread exit. Right after the create, main's pending join is not
 * enabled (its target has not exited), so the new thread is the only
 * candidate for both of its steps; then the join, then the exit. No step
 * ever has two candidates: 1 execution.
 *
 * weft-expect: ok 1
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 1.
 * weft-expect-dpor: 1
 */
#include <pthread.h>

static int result;

static void *worker(void *arg)
{
	(void)arg;
	result = 42;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return result == 42 ? 0 : 1;
}
