/* Timers on the virtual clock and the signals they raise (timers.c); the
 * hooks that expose them are in hooks_timers.c. */
#ifndef WEFT_TIMERS_H
#define WEFT_TIMERS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "runtime.h"
#include "signals.h"

/* Slots 0 to 2 are the interval timers of setitimer (ITIMER_REAL, alarm
 * and ualarm; ITIMER_VIRTUAL; ITIMER_PROF); the others serve
 * timer_create. */
#define WEFT_TIMERS 32
#define WEFT_TIMER_FIRST_POSIX 3

struct weft_timer {
	bool used, armed;
	int signo; /* 0: no signal (SIGEV_NONE) */
	int code;  /* si_code of its signal: SI_KERNEL or SI_TIMER */
	union sigval value;
	clockid_t clock;
	uint64_t expiry;   /* virtual ns since the start of the execution */
	uint64_t interval; /* 0: one shot */
	int overrun;       /* expirations its last signal stood for, beyond one */
};

/* The timer in slot i (0 <= i < WEFT_TIMERS). */
struct weft_timer *weft__timer(int i);
/* A free timer_create slot, marked used, or -1. */
int weft__timer_alloc(void);
/* Arm t to expire at `expiry` (0: disarm), then every `interval` ns. */
void weft__timer_arm(struct weft_timer *t, uint64_t expiry, uint64_t interval);

/* The scheduler's side. The earliest expiry at which firing a timer
 * changes anything (UINT64_MAX when none), and the firing of every timer
 * due at the current virtual time. */
uint64_t weft__timers_next(void);
void weft__timers_fire(void);

/* At the entry of each scheduling point: note the program's mask of the
 * calling thread, and deliver the timers' signals it does not block. */
void weft__timers_at_point(struct weft_thread *me, const struct weft_signal_state *s);
/* Whether a waiting thread may be interrupted by a raised signal that has
 * a handler and that it does not block: the scheduler may then choose it
 * to run the handler inside its wait (a WEFT_OP_SIGNAL step). */
bool weft__timers_can_interrupt(struct weft_thread *t);
/* The chosen thread runs the handler of each signal it may take; true when
 * its wait goes on (restarted), false when the call returns early (EINTR:
 * sleeps, pause, sigsuspend, the sigwait family). */
bool weft__timers_take(struct weft_thread *me);

/* Whether a timer to come, or a signal raised that me does not block, may
 * end a spin-wait of me: the spin is then preempted, not a livelock. */
bool weft__timers_may_end_spin(const struct weft_thread *me);

/* sigwait and friends: whether a raised signal in t's set waits, and the
 * taking of one (0 when none) with its information. */
bool weft__timers_sigwait_ready(const struct weft_thread *t);
int weft__timers_sigwait_take(uint64_t set, siginfo_t *info);

/* What the kernel holds for a waiting kernel thread (signal_proc.c): its
 * mask (false when it cannot be read), the signals pending for it or the
 * process, and whether they end its sigwait or its pause/sigsuspend. */
bool weft__proc_mask(const struct weft_thread *t, uint64_t *mask);
uint64_t weft__proc_pending(const struct weft_thread *t);
bool weft__sigwait_ready(const struct weft_thread *t);
bool weft__pause_ready(const struct weft_thread *t);

/* Signal sets as bit masks of signals 1 to 63 (signal_proc.c), and a set
 * whose signals 1 to 63 are made to match bits, the others untouched. */
uint64_t weft__sigset_bits(const sigset_t *set);
void weft__sigset_apply_bits(sigset_t *set, uint64_t bits);

#endif
