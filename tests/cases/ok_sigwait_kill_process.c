/* A signal thread in sigwait and a kill of the whole process: main blocks
 * SIGTERM in every thread, starts the signal thread and sends SIGTERM to
 * the process, as a shutdown path does; the signal thread's sigwait
 * returns it, whether it began to wait before or after the kill (the
 * kernel holds it for the process meanwhile), with kernel threads and with
 * fibers alike.
 *
 * Count: main's sched_yield against the signal thread's start and wait
 * (the yield gives way, but either may come first): 2 executions, 2
 * happens-before orders.
 *
 * weft-expect: ok 2
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void *signal_thread(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	int sig = 0;
	assert(sigwait(&set, &sig) == 0 && sig == SIGTERM);
	return NULL;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t t;
	pthread_create(&t, NULL, signal_thread, NULL);
	sched_yield();
	kill(getpid(), SIGTERM);
	pthread_join(t, NULL);
	return 0;
}
