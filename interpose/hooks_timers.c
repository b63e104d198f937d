/* Interceptors for timers: alarm, ualarm, setitimer and getitimer (the
 * three interval timers) and the POSIX timers (timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete). Every
 * timer runs on the virtual clock and its signal is taken at a scheduling
 * point (timers.c); the calls that wait for one are in hooks_sigwait.c. A timer whose expiry starts
 * a thread (SIGEV_THREAD) or signals one named thread (SIGEV_THREAD_ID) is not modelled: the
 * execution stops with a message naming it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "hooks.h"
#include "timers.h"

#define CALLER WEFT_CALLER

/* POSIX timers are handed out as tagged slot numbers, never confused with
 * the kernel's ids of a timer made before weft took control. */
#define TIMER_TAG 0x5745465400000000ull

static struct weft_timer *posix_timer(timer_t id)
{
	uintptr_t v = (uintptr_t)id;
	if ((v & ~0xffffull) != TIMER_TAG || (v & 0xffff) < WEFT_TIMER_FIRST_POSIX ||
	    (v & 0xffff) >= WEFT_TIMERS)
		return NULL;
	struct weft_timer *t = weft__timer((int)(v & 0xffff));
	return t->used ? t : NULL;
}

static bool tagged(timer_t id)
{
	return ((uintptr_t)id & ~0xffffull) == TIMER_TAG;
}

/* What is left before t expires next (zero when disarmed). */
static uint64_t left_ns(const struct weft_timer *t)
{
	if (!t->armed)
		return 0;
	uint64_t now = weft__rt.now;
	if (t->expiry > now)
		return t->expiry - now;
	/* Due and not fired yet: a one-shot timer has expired, a periodic one
	 * is that far into its next period. */
	return t->interval ? t->interval - (now - t->expiry) % t->interval : 0;
}

static void ns_to_timeval(uint64_t ns, struct timeval *tv)
{
	/* Rounded up, as Linux does, so an armed timer never reads zero. */
	uint64_t us = (ns + 999) / 1000;
	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / WEFT_NS_PER_SEC);
	ts->tv_nsec = (long)(ns % WEFT_NS_PER_SEC);
}

static uint64_t timeval_ns(const struct timeval *tv)
{
	uint64_t max_sec = (uint64_t)WEFT_DEADLINE_MAX_NS / WEFT_NS_PER_SEC;
	if ((uint64_t)tv->tv_sec >= max_sec)
		return (uint64_t)WEFT_DEADLINE_MAX_NS;
	return (uint64_t)tv->tv_sec * WEFT_NS_PER_SEC + (uint64_t)tv->tv_usec * 1000;
}

static uint64_t timespec_ns(const struct timespec *ts)
{
	uint64_t max_sec = (uint64_t)WEFT_DEADLINE_MAX_NS / WEFT_NS_PER_SEC;
	if ((uint64_t)ts->tv_sec >= max_sec)
		return (uint64_t)WEFT_DEADLINE_MAX_NS;
	return (uint64_t)ts->tv_sec * WEFT_NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

/* The interval timer `which` (ITIMER_REAL, _VIRTUAL, _PROF), or NULL. The
 * CPU-time clocks of a process under weft advance with the virtual clock
 * (clock.h), so the three differ only by their signal. */
static struct weft_timer *interval_timer(int which)
{
	static const int signals[] = {SIGALRM, SIGVTALRM, SIGPROF};
	if (which < 0 || which > 2)
		return NULL;
	struct weft_timer *t = weft__timer(which);
	t->used = true;
	t->signo = signals[which];
	t->code = SI_KERNEL;
	return t;
}

static void arm_after(struct weft_timer *t, uint64_t value_ns, uint64_t interval_ns)
{
	weft__timer_arm(t, value_ns ? weft__deadline_after_ns(value_ns) : 0, interval_ns);
}

int getitimer(__itimer_which_t which, struct itimerval *value)
{
	if (!weft__controlled())
		return weft__real.getitimer(which, value);
	struct weft_timer *t = interval_timer((int)which);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	ns_to_timeval(left_ns(t), &value->it_value);
	ns_to_timeval(t->interval, &value->it_interval);
	return 0;
}

static bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

int setitimer(__itimer_which_t which, const struct itimerval *value, struct itimerval *old)
{
	if (!weft__controlled())
		return weft__real.setitimer(which, value, old);
	struct weft_timer *t = interval_timer((int)which);
	if (!t ||
	    (value && (!timeval_valid(&value->it_value) || !timeval_valid(&value->it_interval)))) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		getitimer(which, old);
	/* Linux takes a null value as a zero one: the timer is disarmed. */
	if (value)
		arm_after(t, timeval_ns(&value->it_value), timeval_ns(&value->it_interval));
	else
		arm_after(t, 0, 0);
	return 0;
}

unsigned alarm(unsigned seconds)
{
	if (!weft__controlled())
		return weft__real.alarm(seconds);
	struct weft_timer *t = interval_timer(ITIMER_REAL);
	struct timeval left;
	ns_to_timeval(left_ns(t), &left);
	arm_after(t, (uint64_t)seconds * WEFT_NS_PER_SEC, 0);
	/* As Linux: rounded to the nearest second, never 0 for an armed one. */
	unsigned old = (unsigned)left.tv_sec;
	if (left.tv_usec >= 500000 || (old == 0 && left.tv_usec))
		old++;
	return old;
}

useconds_t ualarm(useconds_t value, useconds_t interval)
{
	if (!weft__controlled())
		return weft__real.ualarm(value, interval);
	struct weft_timer *t = interval_timer(ITIMER_REAL);
	struct timeval left;
	ns_to_timeval(left_ns(t), &left);
	arm_after(t, (uint64_t)value * 1000, (uint64_t)interval * 1000);
	return (useconds_t)(left.tv_sec * 1000000 + left.tv_usec);
}

int timer_create(clockid_t clock, struct sigevent *restrict event, timer_t *restrict id)
{
	if (!weft__controlled())
		return weft__real.timer_create(clock, event, id);
	if (event && event->sigev_notify == SIGEV_THREAD)
		weft__unsupported("timer_create with SIGEV_THREAD (a thread started at each "
		                  "expiry); notify with SIGEV_SIGNAL, or start a thread that "
		                  "sleeps until the expiry");
	if (event && event->sigev_notify == SIGEV_THREAD_ID)
		weft__unsupported("timer_create with SIGEV_THREAD_ID (a signal to one named "
		                  "thread); notify the process with SIGEV_SIGNAL");
	if (weft__clock_sleepable(clock) != 0 && clock != CLOCK_THREAD_CPUTIME_ID && clock >= 0) {
		errno = EINVAL;
		return -1;
	}
	if (event && event->sigev_notify != SIGEV_SIGNAL && event->sigev_notify != SIGEV_NONE) {
		errno = EINVAL;
		return -1;
	}
	if (event && event->sigev_notify == SIGEV_SIGNAL &&
	    (event->sigev_signo <= 0 || event->sigev_signo > SIGRTMAX)) {
		errno = EINVAL;
		return -1;
	}
	if (event && event->sigev_notify == SIGEV_SIGNAL && event->sigev_signo >= 64)
		weft__unsupported("timer_create with signal 64 and above");
	int slot = weft__timer_alloc();
	if (slot < 0) {
		errno = EAGAIN; /* as the kernel says when it has no timer left */
		return -1;
	}
	struct weft_timer *t = weft__timer(slot);
	t->clock = clock;
	t->code = SI_TIMER;
	*id = (timer_t)(uintptr_t)(TIMER_TAG | (uint64_t)slot);
	if (!event) { /* SIGALRM, with the timer's id as its value */
		t->signo = SIGALRM;
		t->value.sival_ptr = *id;
	} else {
		t->signo = event->sigev_notify == SIGEV_NONE ? 0 : event->sigev_signo;
		t->value = event->sigev_value;
	}
	return 0;
}

static bool timespec_ok(const struct timespec *ts)
{
	return weft__timespec_valid(ts) && ts->tv_sec >= 0;
}

int timer_gettime(timer_t id, struct itimerspec *value)
{
	if (!tagged(id) || !weft__controlled())
		return weft__real.timer_gettime(id, value);
	struct weft_timer *t = posix_timer(id);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	ns_to_timespec(left_ns(t), &value->it_value);
	ns_to_timespec(t->interval, &value->it_interval);
	return 0;
}

int timer_settime(timer_t id, int flags, const struct itimerspec *restrict value,
                  struct itimerspec *restrict old)
{
	if (!tagged(id) || !weft__controlled())
		return weft__real.timer_settime(id, flags, value, old);
	struct weft_timer *t = posix_timer(id);
	if (!t || !value || !timespec_ok(&value->it_value) || !timespec_ok(&value->it_interval)) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		timer_gettime(id, old);
	uint64_t interval = timespec_ns(&value->it_interval);
	if (value->it_value.tv_sec == 0 && value->it_value.tv_nsec == 0) {
		weft__timer_arm(t, 0, 0);
	} else if (flags & TIMER_ABSTIME) {
		uint64_t deadline = 0;
		weft__deadline_at(t->clock, &value->it_value, &deadline);
		/* A time already past expires at once (at the next decision). */
		weft__timer_arm(t, deadline ? deadline : 1, interval);
		if (deadline <= weft__rt.now)
			t->expiry = weft__rt.now;
	} else {
		arm_after(t, timespec_ns(&value->it_value), interval);
	}
	return 0;
}

int timer_getoverrun(timer_t id)
{
	if (!tagged(id) || !weft__controlled())
		return weft__real.timer_getoverrun(id);
	struct weft_timer *t = posix_timer(id);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return t->overrun;
}

int timer_delete(timer_t id)
{
	if (!tagged(id) || !weft__controlled())
		return weft__real.timer_delete(id);
	struct weft_timer *t = posix_timer(id);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	memset(t, 0, sizeof *t);
	return 0;
}
