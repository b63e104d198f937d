/* A worker cancels the main thread, which waits in sem_wait for ever: main
 * acts on the request and unwinds like any thread (pthread_exit from main:
 * the process lives on until the worker ends, then exits with status 0).
 * The main thread has a handle too (pthread_self), so the request is
 * modelled (it used to reach glibc, and main stayed blocked: a false
 * deadlock).
 *
 * Count: main = I (sem_init), C, then its sem_wait, which can only end by
 * acting on the request (A), and E0 (its thread exit); the worker = S, K
 * (cancel main), E1. Before K only the worker can run; after it, main's A
 * E0 and the worker's E1 interleave: 3 executions.
 *
 * weft-expect: ok 3
 * DPOR: E0 and E1 commute: 2 traces.
 * weft-expect-dpor: 2
 */
#include <pthread.h>
#include <semaphore.h>

static pthread_t main_thread;
static sem_t never;

static void *worker(void *arg)
{
	(void)arg;
	pthread_cancel(main_thread);
	return NULL;
}

int main(void)
{
	pthread_t t;
	main_thread = pthread_self();
	sem_init(&never, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&never);
	return 1; /* never reached: the process exits with status 0 */
}
