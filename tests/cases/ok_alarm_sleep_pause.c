/* alarm, ualarm and setitimer on the virtual clock, with one thread: an
 * alarm cuts a sleep short (sleep returns the seconds left, nanosleep
 * EINTR and the time left), pause returns EINTR once the handler ran,
 * getitimer and alarm report what is left, and every time read is exact
 * because the clock moves only to the next deadline or expiry.
 *
 * Count: one thread, nothing to choose: 1 execution.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, profs;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_prof(int sig)
{
	(void)sig;
	profs++;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_prof;
	sigaction(SIGPROF, &sa, NULL);
	long long start = now_ms();

	/* The alarm in 5 s ends a sleep of 10 s after 5 s: 5 s are left. */
	assert(alarm(5) == 0);
	assert(alarm(5) == 5); /* re-armed: the old one had 5 s left */
	assert(sleep(10) == 5);
	assert(alarms == 1 && now_ms() - start == 5000);

	/* nanosleep: EINTR and the time left. */
	assert(ualarm(250000, 0) == 0);
	struct timespec req = {1, 0}, rem;
	assert(nanosleep(&req, &rem) == -1 && errno == EINTR);
	assert(rem.tv_sec == 0 && rem.tv_nsec == 750000000);
	assert(alarms == 2 && now_ms() - start == 5250);

	/* pause returns once a handler ran; getitimer says what is left. */
	struct itimerval it = {{0, 0}, {2, 0}}, left;
	assert(setitimer(ITIMER_REAL, &it, NULL) == 0);
	assert(getitimer(ITIMER_REAL, &left) == 0 && left.it_value.tv_sec == 2);
	assert(pause() == -1 && errno == EINTR);
	assert(alarms == 3 && now_ms() - start == 7250);

	/* A periodic ITIMER_PROF: three ticks over a sleep of 3.5 s. */
	struct itimerval prof = {{1, 0}, {1, 0}};
	assert(setitimer(ITIMER_PROF, &prof, NULL) == 0);
	int slept = 0;
	struct timespec rest = {3, 500000000};
	while (nanosleep(&rest, &rest) == -1 && errno == EINTR)
		slept++;
	assert(slept == 3 && profs == 3 && now_ms() - start == 10750);
	struct itimerval off = {{0, 0}, {0, 0}};
	assert(setitimer(ITIMER_PROF, &off, NULL) == 0);

	/* An alarm cancelled in time never fires. */
	alarm(1);
	assert(alarm(0) == 1);
	sleep(2);
	assert(alarms == 3 && profs == 3);
	return 0;
}
