/* The only thread that can take the alarm began to wait before any
 * handler or timer existed: the worker waits on a semaphore at once, then
 * main blocks SIGALRM, installs the handler, arms alarm(1) and joins. When
 * the clock reaches the alarm, weft must find that the worker lets
 * SIGALRM through (its mask, read where it was not noted) and run the
 * handler there, which posts the semaphore: not a deadlock. (With fibers
 * the worker's mask is that of the fiber that switched to it, so this
 * case pins kernel threads.)
 *
 * Count: main's sched_yield against the worker's start and wait (the
 * yield gives way, but either may come first): 2 executions; main's
 * sigprocmask, signal and alarm are not scheduling points.
 *
 * weft-expect: ok 2
 * weft-options: --threads=kernel
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <unistd.h>

static sem_t go;
static volatile sig_atomic_t rang;

static void on_alarm(int sig)
{
	(void)sig;
	rang = 1;
	sem_post(&go);
}

static void *worker(void *arg)
{
	(void)arg;
	while (sem_wait(&go) != 0)
		;
	return NULL;
}

int main(void)
{
	sem_init(&go, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sched_yield(); /* the worker waits first */
	sigset_t alarm_only;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alarm_only, NULL);
	signal(SIGALRM, on_alarm);
	alarm(1);
	pthread_join(t, NULL);
	assert(rang);
	return 0;
}
