/* pthread_kill of another thread under fibers. Every fiber runs on the
 * one kernel thread of the execution, so the real call would signal
 * whichever fiber runs, the sender. Instead the signal is kept pending for
 * its target and raised on the kernel thread when the target runs again:
 * at the entry of its next scheduling point, before that call does
 * anything, which is where a kernel thread takes it too (signals.c: a
 * thread parked inside the runtime keeps it blocked until it runs, and
 * takes it at its next scheduling point). The kernel then delivers it to
 * the fiber that raised it, on that fiber's own stack, with the handler's
 * own mask and flags, so the handler runs in the target as it would. Where
 * each signal lands therefore depends on the schedule alone, and a replay
 * brings it back.
 *
 * A signal whose disposition is not a handler needs no target: ignored, it
 * is dropped; with the default action it is raised at once, which ends or
 * stops the whole process (or does nothing) as on kernel threads. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Signals sent to each thread (bit sig - 1), not yet raised. A thread
 * that is sent one is parked, so it runs, and enters a scheduling point,
 * before it is raised: the first entry after the send is the right one. */
static uint64_t pending[WEFT_MAX_THREADS];

static void raise_here(int sig)
{
	syscall(SYS_tgkill, (pid_t)syscall(SYS_getpid), (pid_t)syscall(SYS_gettid), sig);
}

bool weft__fiber_kill(pthread_t thread, int sig, int *rc)
{
	if (weft__exec_mode() != WEFT_EXEC_FIBER || !weft__controlled())
		return false;
	struct weft_thread *target = weft__thread_by_handle(thread);
	struct weft_thread *me = weft__self();
	if (!target || target == me)
		return false; /* not a fiber of this execution, or itself: the real call */
	*rc = 0;
	if (sig < 0 || sig >= _NSIG) {
		*rc = EINVAL;
		return true;
	}
	/* A thread that ended but is not joined yet still has an identity:
	 * the signal goes nowhere. */
	if (sig == 0 || target->exited)
		return true;
	struct sigaction now;
	if (weft__real.sigaction(sig, NULL, &now) != 0) {
		*rc = EINVAL;
		return true;
	}
	bool has_handler =
	    (now.sa_flags & SA_SIGINFO) || (now.sa_handler != SIG_DFL && now.sa_handler != SIG_IGN);
	if (!has_handler) {
		if (now.sa_handler == SIG_DFL)
			raise_here(sig);
		return true;
	}
	pending[target->id % WEFT_MAX_THREADS] |= 1ull << (sig - 1);
	return true;
}

void weft__fiber_signals_deliver(void)
{
	if (weft__exec_mode() != WEFT_EXEC_FIBER)
		return;
	struct weft_thread *me = weft__self();
	if (!me)
		return;
	uint64_t *mine = &pending[me->id % WEFT_MAX_THREADS];
	if (!*mine)
		return;
	/* The fiber's own mask: what it blocks stays pending for it, as it
	 * would on its own kernel thread, until it unblocks it. */
	sigset_t blocked;
	pthread_sigmask(SIG_BLOCK, NULL, &blocked);
	for (int sig = 1; sig < _NSIG && sig <= 64; sig++) {
		uint64_t bit = 1ull << (sig - 1);
		if (!(*mine & bit) || sigismember(&blocked, sig) == 1)
			continue;
		*mine &= ~bit;
		/* Delivered on the way back from the system call, on this fiber's
		 * stack; a handler that makes a scheduling point finds the bit
		 * cleared. */
		raise_here(sig);
	}
}
