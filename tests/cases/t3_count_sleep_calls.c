/* Every way to sleep, in one thread, and every clock that reads the time:
 * each sleep lasts exactly its duration of virtual time, which starts at
 * the documented epoch (CLOCK_REALTIME 2000-01-01T00:00:00Z, the monotonic
 * clocks 1000 s, CPU time 0). Bad arguments fail as in glibc.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <sys/time.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(void)
{
	assert(ns(CLOCK_REALTIME) == 946684800000000000ll);
	assert(time(NULL) == 946684800);
	assert(ns(CLOCK_MONOTONIC) == 1000000000000ll);
	assert(ns(CLOCK_MONOTONIC_RAW) == 1000000000000ll);
	assert(ns(CLOCK_PROCESS_CPUTIME_ID) == 0 && clock() == 0);

	long long start = ns(CLOCK_MONOTONIC), elapsed = 0;
#define SLEPT(d) (elapsed += (d), ns(CLOCK_MONOTONIC) - start == elapsed)
	assert(sleep(2) == 0 && SLEPT(2000000000ll));
	assert(usleep(1500) == 0 && SLEPT(1500000ll));
	struct timespec d = {1, 250};
	assert(nanosleep(&d, NULL) == 0 && SLEPT(1000000250ll));
	assert(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == 0 && SLEPT(1000000250ll));
	assert(thrd_sleep(&d, NULL) == 0 && SLEPT(1000000250ll));
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += 3;
	assert(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL) == 0 &&
	       SLEPT(3000000000ll));
	at.tv_sec -= 10; /* in the past: returns at once */
	assert(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL) == 0 && SLEPT(0));
	d.tv_sec = 0;
	d.tv_nsec = 0;
	assert(nanosleep(&d, NULL) == 0 && SLEPT(0));

	d.tv_nsec = 1000000000;
	assert(nanosleep(&d, NULL) == -1 && errno == EINVAL);
	assert(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == EINVAL);
	d.tv_nsec = 0;
	assert(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &d, NULL) == EINVAL);

	/* All clocks moved together. */
	assert(ns(CLOCK_REALTIME) - 946684800000000000ll == elapsed);
	assert(ns(CLOCK_BOOTTIME) - 1000000000000ll == elapsed);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	assert(tv.tv_sec == 946684800 + elapsed / 1000000000);
	assert(clock() == (clock_t)(elapsed / 1000));
	return 0;
}
