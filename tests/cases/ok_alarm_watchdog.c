/* A watchdog: main waits on a semaphore for a worker that never finishes
 * on its own (it waits for a go that main gives only after the wait), and
 * arms alarm(3) first. When every thread waits, the virtual clock jumps to
 * the alarm; the handler, run by main inside its sem_wait (the worker
 * blocks SIGALRM, as workers often do), notes the time-out and posts the
 * semaphore, and main's wait, restarted, returns. Without timers on the
 * virtual clock this is a deadlock (or a real 3 s wait and a verdict that
 * depends on the machine).
 *
 * Count: after the create, main's next step is its sem_wait, which cannot
 * proceed, so only the worker runs until it waits too; the clock then
 * jumps to the alarm, and only main (the worker blocks SIGALRM) can take
 * it: nothing to choose, 1 execution.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static sem_t done;
static volatile sig_atomic_t timed_out;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int going;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	sem_post(&done); /* async-signal-safe */
}

static void *worker(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_mutex_lock(&m);
	while (!going)
		pthread_cond_wait(&go, &m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	sem_init(&done, 0, 0);
	signal(SIGALRM, on_alarm);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	alarm(3);
	while (sem_wait(&done) != 0)
		;
	assert(timed_out);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	assert(ts.tv_sec == 1003 && ts.tv_nsec == 0);
	pthread_mutex_lock(&m);
	going = 1;
	pthread_cond_signal(&go);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
