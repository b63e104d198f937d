/* Interceptors for clocks and sleeps. Clock reads return virtual time and
 * are not scheduling points; they never take control of a process (a
 * wrapper shell reads the clock too), and a process that weft attached to
 * reads virtual time from the start, before its first modelled call. Sleeps
 * are scheduling points that block until the virtual clock reaches their
 * deadline (clock.c). Each of these needs its own hook: glibc's sleep,
 * usleep and clock do not go through nanosleep or clock_gettime. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "hooks.h"

#define CALLER WEFT_CALLER

int clock_gettime(clockid_t c, struct timespec *ts)
{
	if (weft__time_virtual() && weft__clock_read(c, ts))
		return 0;
	return weft__real.clock_gettime(c, ts);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	if (!weft__time_virtual())
		return weft__real.gettimeofday(tv, tz);
	struct timespec ts;
	weft__clock_read(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	if (tz)
		memset(tz, 0, sizeof(struct timezone));
	return 0;
}

time_t time(time_t *t)
{
	if (!weft__time_virtual())
		return weft__real.time(t);
	struct timespec ts;
	weft__clock_read(CLOCK_REALTIME, &ts);
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int timespec_get(struct timespec *ts, int base)
{
	if (base != TIME_UTC || !weft__time_virtual())
		return weft__real.timespec_get(ts, base);
	weft__clock_read(CLOCK_REALTIME, ts);
	return base;
}

clock_t clock(void)
{
	if (!weft__time_virtual())
		return weft__real.clock();
	struct timespec ts;
	weft__clock_read(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (clock_t)(ts.tv_sec * CLOCKS_PER_SEC +
	                 ts.tv_nsec / (WEFT_NS_PER_SEC / CLOCKS_PER_SEC));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!weft__controlled())
		return weft__real.nanosleep(req, rem);
	if (!weft__timespec_valid(req) || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t deadline = weft__deadline_after(req);
	if (weft__sleep_until(deadline, CALLER)) {
		if (rem)
			weft__clock_left(deadline, rem);
		errno = EINTR;
		return -1;
	}
	return 0;
}

int clock_nanosleep(clockid_t c, int flags, const struct timespec *req, struct timespec *rem)
{
	if (!weft__controlled())
		return weft__real.clock_nanosleep(c, flags, req, rem);
	int error = weft__clock_sleepable(c);
	if (error)
		return error;
	if (!weft__timespec_valid(req) || (!(flags & TIMER_ABSTIME) && req->tv_sec < 0))
		return EINVAL;
	uint64_t deadline;
	if (flags & TIMER_ABSTIME)
		weft__deadline_at(c, req, &deadline);
	else
		deadline = weft__deadline_after(req);
	if (weft__sleep_until(deadline, CALLER)) {
		if (rem && !(flags & TIMER_ABSTIME))
			weft__clock_left(deadline, rem);
		return EINTR;
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	if (!weft__controlled())
		return weft__real.sleep(seconds);
	uint64_t deadline = weft__deadline_after_ns((uint64_t)seconds * WEFT_NS_PER_SEC);
	if (weft__sleep_until(deadline, CALLER)) {
		/* glibc rounds what is left to the nearest second. */
		struct timespec left;
		weft__clock_left(deadline, &left);
		return (unsigned)left.tv_sec + (left.tv_nsec >= 500000000);
	}
	return 0;
}

int usleep(useconds_t usec)
{
	if (!weft__controlled())
		return weft__real.usleep(usec);
	if (weft__sleep_until(weft__deadline_after_ns((uint64_t)usec * 1000), CALLER)) {
		errno = EINTR;
		return -1;
	}
	return 0;
}
