/* The end of the process, in two beats. It begins at exit() or the return
 * from main: a scheduling point (recorded as the process exit), after which
 * glibc runs the atexit handlers, the destructors of C++ statics (global and
 * function-local) and of the exiting thread's thread_local objects, while
 * every other thread is still scheduled as before: a handler may signal a
 * background thread and join it. It is finished when the last of those has
 * run: the loader's destructor pass, registered first with atexit so that
 * it runs last, is wrapped for that (weft__exit_wrap_rtld_fini). Then the
 * other threads are frozen, and only the exiting thread runs on, through
 * stdio's flush to the real exit.
 *
 * A leak is a thread blocked forever when the process finishes its exit
 * after a return from main (or from a weft_check body): the program forgot
 * it. exit() and _exit() called by any thread end the process on purpose,
 * whatever the others are doing, so threads blocked then are not a leak.
 * _exit() begins and finishes at once: it runs no handlers. */
#define _GNU_SOURCE
#include "resident.h"
#include "runtime.h"

void weft__exit_begin(int status, uintptr_t pc, bool leak_check)
{
	struct weft_thread *me = weft__self();
	/* Never take control here: a wrapper shell that exits must not claim
	 * the region its child is meant to use. */
	if (!weft__rt.active || !me || me->exited || weft__rt.exit_begun || weft__rt.exiting)
		return;
	weft__sched_point(WEFT_OP_PROCESS_EXIT, NULL, pc);
	/* glibc's exit does not expect to be unwound by a cancellation. */
	me->unwinding = true;
	weft__rt.exit_begun = true;
	weft__rt.exit_leak_check = leak_check;
	weft__rt.exit_status = status;
}

void weft__exit_finish(int status)
{
	struct weft_thread *me = weft__self();
	if (!weft__rt.active || !me || !weft__rt.exit_begun || weft__rt.exiting)
		return;
	struct weft_shm *shm = weft__rt.shm;
	uint32_t blocked = 0;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		struct weft_thread *t = weft__rt.threads[i];
		if (t == me || t->exited)
			continue;
		/* A sleeping thread would have woken: only one waiting for
		 * another thread is stuck for good. */
		if (weft__rt.exit_leak_check && weft__blocked_forever(t) && !weft__rt.pruned) {
			t->shared->status = WEFT_THREAD_BLOCKED;
			blocked++;
		}
		t->frozen = true;
		weft__rt.live &= ~(1ull << t->id);
	}
	weft__rt.exiting = true;
	shm->blocked_at_exit = blocked;
	shm->exit_status = status;
	shm->exited = 1;
}

static void (*real_rtld_fini)(void);

static void rtld_fini(void)
{
	if (real_rtld_fini)
		real_rtld_fini();
	weft__exit_finish(weft__rt.exit_status);
	/* A resident process restores itself here instead of exiting. */
	weft__execution_end_normal(weft__rt.exit_status);
}

void (*weft__exit_wrap_rtld_fini(void (*real)(void)))(void)
{
	real_rtld_fini = real;
	return rtld_fini;
}
