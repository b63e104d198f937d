/* POSIX timers and sigwait on the virtual clock. main blocks SIGUSR1 and
 * SIGALRM (its worker inherits the mask), and a periodic timer_create
 * timer (100 ms, SIGEV_SIGNAL with a value) wakes the worker's
 * sigwaitinfo three times, with the timer's value and SI_TIMER. Then main
 * waits for a one-shot ITIMER_REAL with sigwait, and a sigtimedwait with
 * nothing to come times out (EAGAIN) after its 1 s. Every time read is
 * exact: the clock moves only to the next expiry or deadline.
 *
 * Count: main's steps between the create and the join against the
 * worker's start and first wait: 1 execution (main blocks in join at once,
 * and a timer's expiry comes only when no thread can run).
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static int ticks;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

static void *waiter(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int i = 0; i < 3; i++) {
		siginfo_t info;
		assert(sigwaitinfo(&set, &info) == SIGUSR1);
		assert(info.si_code == SI_TIMER && info.si_value.sival_int == 42);
		ticks++;
	}
	return NULL;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	long long start = now_ms();
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	struct sigevent ev = {0};
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 42;
	timer_t id;
	assert(timer_create(CLOCK_MONOTONIC, &ev, &id) == 0);
	struct itimerspec every = {{0, 100000000}, {0, 100000000}}, left;
	assert(timer_settime(id, 0, &every, NULL) == 0);
	assert(timer_gettime(id, &left) == 0 && left.it_value.tv_nsec == 100000000);
	pthread_join(t, NULL);
	assert(ticks == 3 && now_ms() - start == 300);
	assert(timer_delete(id) == 0);

	struct itimerval once = {{0, 0}, {0, 250000}};
	assert(setitimer(ITIMER_REAL, &once, NULL) == 0);
	sigset_t alarm_only;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	int sig = 0;
	assert(sigwait(&alarm_only, &sig) == 0 && sig == SIGALRM);
	assert(now_ms() - start == 550);
	struct timespec second = {1, 0};
	assert(sigtimedwait(&alarm_only, NULL, &second) == -1 && errno == EAGAIN);
	assert(now_ms() - start == 1550);
	return 0;
}
