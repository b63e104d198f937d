/* Interceptors for the calls that wait for a signal: pause, sigsuspend,
 * sigwait, sigwaitinfo and sigtimedwait. A signal already pending in the
 * kernel (raise, kill, pthread_kill) is taken by the real call at once;
 * otherwise the call is a scheduling point that waits for a timer's signal
 * (timers.c): pause and sigsuspend until a handler ran inside the wait
 * (EINTR), the sigwait family until a signal of its set is raised, or its
 * virtual timeout passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>

#include "clock.h"
#include "hooks.h"
#include "timers.h"

#define CALLER WEFT_CALLER

static bool timespec_ok(const struct timespec *ts)
{
	return weft__timespec_valid(ts) && ts->tv_sec >= 0;
}

/* Whether a signal that mask lets through already waits in the kernel
 * (sent by raise, kill or pthread_kill): the real call takes it at once. */
static bool kernel_pending(const sigset_t *mask)
{
	sigset_t pending;
	sigpending(&pending);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sigismember(&pending, sig) == 1 && sigismember(mask, sig) != 1)
			return true;
	return false;
}

/* Wait until a handler ran: sigsuspend under mask, pause (mask NULL)
 * under the program's own mask, which the scheduling point notes (a mask
 * read here may still be the runtime's while a signal waits for the
 * thread's next scheduling point, signals.c). */
static int suspend(const sigset_t *mask, uintptr_t pc)
{
	sigset_t now;
	pthread_sigmask(SIG_BLOCK, NULL, &now);
	if (kernel_pending(mask ? mask : &now))
		return weft__real.sigsuspend(mask ? mask : &now);
	struct weft_thread *me = weft__self();
	me->suspending = mask != NULL;
	if (mask)
		me->suspend_mask = weft__sigset_bits(mask);
	/* Ended by a timer signal's handler run inside the wait, or enabled
	 * by a signal another thread sent, which the real call then takes (or
	 * a cancellation request acts). */
	weft__sched_point(WEFT_OP_PAUSE, NULL, pc);
	me->suspending = false;
	bool interrupted = me->eintr;
	me->eintr = false;
	if (!interrupted) {
		if (mask)
			return weft__real.sigsuspend(mask);
		if (me->wait_mask_known)
			weft__sigset_apply_bits(&now, me->wait_mask);
		return weft__real.sigsuspend(&now);
	}
	errno = EINTR;
	return -1;
}

int pause(void)
{
	if (!weft__controlled())
		return weft__real.pause();
	return suspend(NULL, CALLER);
}

int sigsuspend(const sigset_t *mask)
{
	if (!weft__controlled())
		return weft__real.sigsuspend(mask);
	return suspend(mask, CALLER);
}

/* Wait for a signal of set: its number, or -1 with errno (EAGAIN when the
 * timeout, if any, passed first; EINTR when a handler ran inside the wait,
 * unless the caller restarts then, as sigwait does). */
static int wait_for(const sigset_t *set, siginfo_t *info, const struct timespec *timeout,
                    bool restart, uintptr_t pc)
{
	if (timeout && !timespec_ok(timeout)) {
		errno = EINVAL;
		return -1;
	}
	static const struct timespec zero = {0, 0};
	siginfo_t got;
	int sig = weft__real.sigtimedwait(set, &got, &zero);
	if (sig > 0) {
		if (info)
			*info = got;
		return sig;
	}
	uint64_t bits = weft__sigset_bits(set);
	sig = weft__timers_sigwait_take(bits, info);
	struct weft_thread *me = weft__self();
	if (!sig) {
		me->sigwait_set = bits;
		if (timeout)
			weft__deadline_arm(weft__deadline_after(timeout));
		bool interrupted = false;
		do {
			weft__sched_point(WEFT_OP_SIGWAIT, NULL, pc);
			interrupted = me->eintr;
			me->eintr = false;
			sig = weft__timers_sigwait_take(bits, info);
			if (!sig && !interrupted) /* one another thread sent */
				sig = weft__real.sigtimedwait(set, info, &zero);
			if (sig < 0)
				sig = 0;
		} while (!sig && !(timeout && me->due) && !(interrupted && !restart));
		weft__deadline_disarm();
		me->sigwait_set = 0;
		if (!sig && interrupted && !restart) {
			errno = EINTR;
			return -1;
		}
	}
	if (!sig) {
		errno = EAGAIN;
		return -1;
	}
	return sig;
}

int sigwait(const sigset_t *restrict set, int *restrict sig)
{
	if (!weft__controlled())
		return weft__real.sigwait(set, sig);
	int got = wait_for(set, NULL, NULL, true, CALLER);
	if (got < 0)
		return errno;
	*sig = got;
	return 0;
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info)
{
	if (!weft__controlled())
		return weft__real.sigwaitinfo(set, info);
	return wait_for(set, info, NULL, false, CALLER);
}

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info,
                 const struct timespec *restrict timeout)
{
	if (!weft__controlled())
		return weft__real.sigtimedwait(set, info, timeout);
	return wait_for(set, info, timeout, false, CALLER);
}
