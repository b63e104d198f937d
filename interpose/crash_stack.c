/* Where a thread crashed or aborted, for the report: the process ends on
 * the signal and the explorer sees only its status, so the thread walks
 * its own stack in a handler and writes it into its record in the exchange
 * region (stack[], stopped_here), then lets the signal do what it would
 * have done. The handler is installed before main only in a process run
 * under weft, with SA_RESETHAND: it runs once, then sends the signal again,
 * which takes the default action. A program that installs its own handler replaces
 * this one, as it would replace the default. A stack overflow, which needs
 * an alternate stack to run any handler, still ends the process as before,
 * without the stack. */
#define _GNU_SOURCE
#include "runtime.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

struct walk {
	bool past_signal;
	uint32_t n;
	uint64_t *out;
};

static _Unwind_Reason_Code keep_frame(struct _Unwind_Context *c, void *arg)
{
	struct walk *w = arg;
	int before = 0;
	uintptr_t ip = _Unwind_GetIPInfo(c, &before);
	/* The frame the signal interrupted is the first whose ip is the exact
	 * instruction (before = 1); the handler's own frames come before it. */
	if (!w->past_signal) {
		if (!before)
			return _URC_NO_REASON;
		w->past_signal = true;
		ip += 1; /* every entry is looked up at entry - 1 */
	}
	if (ip <= 1)
		return _URC_END_OF_STACK;
	w->out[w->n++] = ip;
	return w->n == WEFT_STACK_DEPTH ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static void record_stack(void)
{
	struct weft_thread *me = weft__self();
	if (!me || !weft__rt.shm || !weft__rt.active)
		return;
	uint64_t frames[WEFT_STACK_DEPTH] = {0};
	struct walk w = {.out = frames};
	bool was_wrapping = weft__rt.wrapping;
	weft__rt.wrapping = true; /* the unwinder's own locks are not the program's */
	_Unwind_Backtrace(keep_frame, &w);
	weft__rt.wrapping = was_wrapping;
	if (w.n == 0)
		return;
	memcpy(me->shared->stack, frames, sizeof frames);
	me->shared->stopped_here = 1;
}

static void on_fatal_signal(int sig)
{
	record_stack();
	/* SA_RESETHAND made the action the default again, and SA_NODEFER
	 * leaves the signal unblocked: sent again, it ends the process now,
	 * as it would have, even when it came from kill() rather than from a
	 * fault that returning would repeat. */
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), sig);
}

/* Reads the environment given: with -z initfirst, environ is not set up
 * yet when the runtime's constructors run. */
__attribute__((constructor(103))) static void install(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	bool under_weft = false;
	for (char **e = envp; e && *e && !under_weft; e++)
		under_weft = strncmp(*e, "WEFT_SHM_FD=", 12) == 0;
	if (!under_weft)
		return;
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
		struct sigaction old, sa;
		if (sigaction(fatal[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
			continue; /* inherited as ignored or handled: leave it */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(fatal[i], &sa, NULL);
	}
}
