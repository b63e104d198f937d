/* Signals the program handles, delivered at scheduling points. Once the
 * program installs a handler for an asynchronous signal (sigaction,
 * signal), a thread under weft takes such signals only while it runs the
 * program's code, never inside the runtime: each scheduling point blocks
 * them on entry and unblocks them on exit. Only one thread runs at a time,
 * so a signal the running thread sends to the process (raise, kill of its
 * own pid) reaches that thread at once, as it would alone; a signal sent to
 * another thread (pthread_kill) waits in that thread, which is inside the
 * runtime, until it runs again: it stays blocked through its next stretch of
 * the program's code and the signal is delivered at the entry of its next
 * scheduling point, before that call does anything. Where each signal lands
 * therefore depends on the schedule alone: explored, recorded and replayed
 * like every other choice. A signal still pending when every thread waits
 * is weft's limit (an error), not a deadlock of the program.
 *
 * Faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS), SIGABRT and
 * the real-time signals are left alone. Timers (alarm, setitimer,
 * timer_create) run on the virtual clock and raise their signals at
 * scheduling points too (timers.c). */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "restore.h"
#include "runtime.h"
#include "signals.h"

#include <signal.h>
#include <string.h>

static bool handled;                   /* the program installed a handler for a managed signal */
static __thread bool deferred;         /* blocked until the next scheduling point */
static __thread sigset_t program_mask; /* the program's own mask meanwhile */
static uint64_t sent_to;               /* threads sent a signal not yet delivered */

static bool managed(int sig)
{
	if (sig <= 0 || sig >= 32)
		return false;
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGTRAP:
	case SIGSYS:
	case SIGABRT:
		return false;
	default:
		return true;
	}
}

static void managed_set(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < 32; sig++)
		if (managed(sig))
			sigaddset(set, sig);
}

static void note_handler(int sig, bool installs)
{
	if (managed(sig) && installs)
		handled = true;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	weft__real_init();
	/* sa_handler and sa_sigaction share their storage: SIG_DFL and SIG_IGN
	 * read the same through either. */
	if (act) {
		note_handler(sig, act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN);
		weft__restore_note_sigaction();
	}
	return weft__real.sigaction(sig, act, old);
}

__sighandler_t signal(int sig, __sighandler_t handler)
{
	weft__real_init();
	note_handler(sig, handler != SIG_DFL && handler != SIG_IGN && handler != SIG_ERR);
	weft__restore_note_sigaction();
	return weft__real.signal(sig, handler);
}

int pthread_kill(pthread_t thread, int sig)
{
	/* Only a managed signal with a handler is noted: the runtime's own
	 * signals (real-time ones) pass straight through. */
	if (handled && managed(sig) && weft__controlled()) {
		struct weft_thread *target = weft__thread_by_handle(thread);
		if (target && target != weft__self() && !target->exited)
			__atomic_or_fetch(&sent_to, 1ull << (target->id & 63), __ATOMIC_RELAXED);
	}
	/* A fiber shares the one kernel thread: the signal waits for its
	 * target to run (fiber_signals.c). */
	int rc;
	if (weft__fiber_kill(thread, sig, &rc))
		return rc;
	return weft__real.pthread_kill(thread, sig);
}

bool weft__signals_handled(void)
{
	return handled;
}

void weft__signals_enter(struct weft_signal_state *s)
{
	s->active = handled;
	if (!s->active) {
		weft__fiber_signals_deliver();
		return;
	}
	struct weft_thread *me = weft__self();
	if (deferred) {
		/* The signals that waited are delivered here, before the call. */
		deferred = false;
		pthread_sigmask(SIG_SETMASK, &program_mask, NULL);
	}
	weft__fiber_signals_deliver();
	if (me)
		__atomic_and_fetch(&sent_to, ~(1ull << (me->id & 63)), __ATOMIC_RELAXED);
	sigset_t set;
	managed_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, &s->mask);
}

void weft__signals_leave(const struct weft_signal_state *s)
{
	if (!s->active)
		return;
	sigset_t pending, set;
	sigpending(&pending);
	managed_set(&set);
	for (int sig = 1; sig < 32; sig++) {
		if (sigismember(&set, sig) && sigismember(&pending, sig) &&
		    !sigismember(&s->mask, sig)) {
			/* Not in the middle of this call: at the next one. */
			deferred = true;
			program_mask = s->mask;
			return;
		}
	}
	pthread_sigmask(SIG_SETMASK, &s->mask, NULL);
}

void weft__signals_before_deadlock(void)
{
	if (!handled)
		return;
	sigset_t pending, set;
	sigpending(&pending);
	managed_set(&set);
	bool waiting = false;
	for (int sig = 1; sig < 32; sig++)
		waiting |= sigismember(&set, sig) && sigismember(&pending, sig);
	uint64_t live = 0;
	for (uint32_t i = 0; i < weft__rt.nthreads && i < 64; i++)
		if (!weft__rt.threads[i]->exited)
			live |= 1ull << i;
	if (waiting || (__atomic_load_n(&sent_to, __ATOMIC_RELAXED) & live))
		weft__unsupported(
		    "a signal handler, with a signal pending while every thread waits "
		    "in a call weft controls (weft delivers signals at scheduling points "
		    "only)");
}
