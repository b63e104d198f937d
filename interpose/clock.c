/* The virtual clock: what each clock reads, how absolute and relative
 * timeouts become deadlines on the one virtual timeline, sleeping, and the
 * jumps of the clock the scheduler makes when every thread that could run
 * waits for a deadline. The clocks themselves are described in clock.h; the
 * hooks that expose them are in hooks_time.c. */
#define _GNU_SOURCE
#include "clock.h"

#include <errno.h>

void weft__clock_attach(const struct weft_shm *shm)
{
	struct weft_runtime *rt = &weft__rt;
	rt->now = 0;
	rt->clock_reads = 0;
	rt->realtime_start = shm->time_start_ns ? shm->time_start_ns : WEFT_TIME_EPOCH_NS;
	rt->adversarial_time = (shm->options & WEFT_OPT_TIME_ADVERSARIAL) != 0;
	rt->spurious_left = shm->spurious_wakeups;
}

/* What clock c reads at now == 0, or false when weft does not virtualise c. */
static bool clock_start(clockid_t c, int64_t *start)
{
	switch (c) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
		*start = weft__rt.realtime_start;
		return true;
	case CLOCK_TAI:
		*start = weft__rt.realtime_start + WEFT_TAI_OFFSET_NS;
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*start = WEFT_MONOTONIC_START_NS;
		return true;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*start = 0;
		return true;
	default:
		/* Negative ids are the CPU-time clocks of a process or thread
		 * (clock_getcpuclockid, pthread_getcpuclockid). */
		*start = 0;
		return c < 0;
	}
}

int weft__clock_sleepable(clockid_t c)
{
	switch (c) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID:
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_COARSE:
		return ENOTSUP; /* what Linux says for clocks without nanosleep */
	default:
		return EINVAL; /* CLOCK_THREAD_CPUTIME_ID, other CPU clocks, unknown ids */
	}
}

static void to_timespec(int64_t ns, struct timespec *ts)
{
	int64_t sec = ns / WEFT_NS_PER_SEC, rem = ns % WEFT_NS_PER_SEC;
	if (rem < 0) {
		rem += WEFT_NS_PER_SEC;
		sec--;
	}
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = (long)rem;
}

bool weft__clock_read(clockid_t c, struct timespec *ts)
{
	struct weft_runtime *rt = &weft__rt;
	int64_t start;
	if (!clock_start(c, &start))
		return false;
	if (++rt->clock_reads % WEFT_CLOCK_SPIN_READS == 0 &&
	    rt->now + WEFT_CLOCK_SPIN_STEP_NS <= (uint64_t)WEFT_DEADLINE_MAX_NS)
		rt->now += WEFT_CLOCK_SPIN_STEP_NS;
	to_timespec(start + (int64_t)rt->now, ts);
	return true;
}

bool weft__timespec_valid(const struct timespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < WEFT_NS_PER_SEC;
}

/* ts in nanoseconds, saturated to +-WEFT_DEADLINE_MAX_NS beyond any start. */
static int64_t to_ns(const struct timespec *ts)
{
	const int64_t max_sec = WEFT_DEADLINE_MAX_NS / WEFT_NS_PER_SEC * 2;
	if (ts->tv_sec > max_sec)
		return max_sec * WEFT_NS_PER_SEC;
	if (ts->tv_sec < -max_sec)
		return -max_sec * WEFT_NS_PER_SEC;
	return (int64_t)ts->tv_sec * WEFT_NS_PER_SEC + ts->tv_nsec;
}

static uint64_t clamp(int64_t ns)
{
	if (ns < 0)
		return 0;
	return ns > WEFT_DEADLINE_MAX_NS ? (uint64_t)WEFT_DEADLINE_MAX_NS : (uint64_t)ns;
}

bool weft__deadline_at(clockid_t c, const struct timespec *abs, uint64_t *deadline)
{
	int64_t start;
	if (!clock_start(c, &start))
		return false;
	*deadline = clamp(to_ns(abs) - start);
	return true;
}

uint64_t weft__deadline_after_ns(uint64_t ns)
{
	uint64_t max = (uint64_t)WEFT_DEADLINE_MAX_NS;
	return ns >= max - weft__rt.now ? max : weft__rt.now + ns;
}

uint64_t weft__deadline_after(const struct timespec *rel)
{
	return weft__deadline_after_ns(clamp(to_ns(rel)));
}

void weft__deadline_arm(uint64_t deadline)
{
	struct weft_thread *me = weft__self();
	me->has_deadline = true;
	me->due = false;
	me->deadline = deadline;
}

void weft__deadline_disarm(void)
{
	struct weft_thread *me = weft__self();
	me->has_deadline = false;
	me->due = false;
}

bool weft__sleep_until(uint64_t deadline, uintptr_t pc)
{
	struct weft_thread *me = weft__self();
	bool no_time = deadline <= weft__rt.now;
	weft__deadline_arm(deadline);
	weft__sched_point(WEFT_OP_SLEEP, NULL, pc);
	weft__deadline_disarm();
	/* A sleep of no time makes no progress: like sched_yield, it lets the
	 * others run first, so a polling loop cannot starve them. */
	if (no_time)
		me->yielded = true;
	/* A timer's signal ran its handler inside the sleep (timers.c). */
	bool interrupted = me->eintr;
	me->eintr = false;
	return interrupted;
}

void weft__clock_left(uint64_t deadline, struct timespec *left)
{
	to_timespec(deadline > weft__rt.now ? (int64_t)(deadline - weft__rt.now) : 0, left);
}
