/* A watchdog thread: main blocks SIGALRM in every thread, arms alarm(2)
 * and starts a worker that waits on a condition nobody signals, and a
 * watchdog thread that waits for the alarm with sigwait and then cancels
 * the stuck worker. When every thread waits, the virtual clock jumps to
 * the alarm, the watchdog's sigwait returns it, and the worker, cancelled
 * inside its condition wait, ends with PTHREAD_CANCELED. No real second
 * passes, and the verdict never depends on the machine.
 *
 * Count: every order of the threads' steps before they all wait (the two
 * creates and starts, the worker's lock and condition wait, the
 * watchdog's sigwait, main's join): 60 executions, in 2 happens-before
 * orders, which DPOR covers in 4.
 *
 * weft-expect: ok 60
 * weft-expect-dpor: 4 2
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_t stuck;

static void unlock(void *arg)
{
	pthread_mutex_unlock(arg);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock, &m);
	for (;;)
		pthread_cond_wait(&never, &m);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *watchdog(void *arg)
{
	(void)arg;
	sigset_t alarm_only;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	int sig = 0;
	assert(sigwait(&alarm_only, &sig) == 0 && sig == SIGALRM);
	pthread_cancel(stuck);
	return NULL;
}

int main(void)
{
	sigset_t alarm_only;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alarm_only, NULL);
	alarm(2);
	pthread_t dog;
	pthread_create(&stuck, NULL, worker, NULL);
	pthread_create(&dog, NULL, watchdog, NULL);
	void *result;
	pthread_join(stuck, &result);
	assert(result == PTHREAD_CANCELED);
	pthread_join(dog, NULL);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	assert(ts.tv_sec == 1002 && ts.tv_nsec == 0);
	return 0;
}
