/* pthread_kill of another thread: the handler runs in the target, never in
 * the sender. With kernel threads the target, parked inside the runtime,
 * takes the signal at the entry of its next scheduling point; with fibers
 * (every thread on one kernel thread) weft keeps the signal pending for
 * its target and raises it there, at the same step, so both modes explore
 * the same executions with the same outcomes.
 *
 * main = C, L, U, K (pthread_kill, not a scheduling point), J, X; the
 * worker = S, L, U, L, U, E, and the handler (which takes a mutex of its
 * own, so where it runs shows in the count) runs at the worker's first
 * scheduling point after main's pthread_kill, or never when the worker
 * ended first (a signal to a thread that ended is lost). The handler checks
 * it runs in the worker; main checks the count is 0 or 1. DFS: 7
 * executions in both modes, 4 distinct traces. DPOR does not see the
 * pthread_kill as an event, so it does not tell apart where the handler
 * lands: 3 executions, 3 traces.
 *
 * weft-expect: ok 7
 * weft-expect-dpor: 3
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, h = PTHREAD_MUTEX_INITIALIZER;
static pthread_t worker_handle;
static volatile sig_atomic_t hits, wrong_thread;

static void on_signal(int sig)
{
	(void)sig;
	if (!pthread_equal(pthread_self(), worker_handle))
		wrong_thread = 1;
	/* Steps of the handler's own: where it runs shows in the count. */
	pthread_mutex_lock(&h);
	hits++;
	pthread_mutex_unlock(&h);
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&worker_handle, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	int rc = pthread_kill(worker_handle, SIGUSR1);
	pthread_join(worker_handle, NULL);
	assert(rc == 0);
	assert(!wrong_thread);
	assert(hits <= 1);
	return 0;
}
