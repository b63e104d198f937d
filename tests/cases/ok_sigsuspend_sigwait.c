/* sigsuspend and the sigwait family on the virtual clock. sigsuspend with
 * a mask that lets SIGALRM through returns EINTR once the alarm's handler
 * ran (the classic block, arm, suspend pattern); a sigtimedwait for
 * SIGUSR1 that a handled alarm interrupts returns EINTR at the alarm's
 * moment, before its timeout; sigwait, which glibc restarts, waits on
 * through a handled alarm until its own signal comes from a POSIX timer.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	long long start = now_ms();

	/* Blocked while armed, let through by sigsuspend only. */
	alarm(1);
	sleep(2); /* the alarm fires meanwhile but stays blocked */
	assert(alarms == 0 && now_ms() - start == 2000);
	assert(sigsuspend(&old) == -1 && errno == EINTR);
	assert(alarms == 1 && now_ms() - start == 2000);

	/* Let SIGALRM through from now on: a handled alarm interrupts
	 * sigtimedwait (EINTR) before its 5 s timeout. */
	sigset_t alarm_only, usr1;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alarm_only, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	alarm(1);
	struct timespec five = {5, 0};
	assert(sigtimedwait(&usr1, NULL, &five) == -1 && errno == EINTR);
	assert(alarms == 2 && now_ms() - start == 3000);

	/* sigwait waits on through the alarm at 1 s for the timer at 2 s. */
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	timer_t id;
	assert(timer_create(CLOCK_REALTIME, &ev, &id) == 0);
	struct itimerspec two = {{0, 0}, {2, 0}};
	assert(timer_settime(id, 0, &two, NULL) == 0);
	alarm(1);
	int sig = 0;
	assert(sigwait(&usr1, &sig) == 0 && sig == SIGUSR1);
	assert(alarms == 3 && now_ms() - start == 5000);
	assert(timer_getoverrun(id) == 0);
	timer_delete(id);
	return 0;
}
