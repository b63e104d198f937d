/* The model of threads: records in creation order (ids never depend on
 * addresses or timing), the start trampoline that makes a new thread wait
 * for its first turn, and the rules of join and detach. */
#define _GNU_SOURCE
#include "runtime.h"
#include "race.h"
#include "spin.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

void weft__set_self(struct weft_thread *t);

struct weft_thread *weft__thread_slot_take(void);

struct weft_thread *weft__thread_new(uint32_t creator)
{
	struct weft_thread *t = weft__thread_slot_take();
	t->shared->status = WEFT_THREAD_LIVE;
	t->shared->creator = creator;
	t->op = WEFT_OP_START;
	t->shared->op = WEFT_OP_START;
	return t;
}

struct weft_thread *weft__thread_by_handle(pthread_t handle)
{
	/* glibc reuses the handles of joined threads, and slots are reused
	 * (thread_slots.c): a thread that still holds its slot wins over one
	 * that gave it back, which is found only to report a second join. */
	struct weft_thread *gone = NULL;
	for (uint32_t i = weft__rt.nthreads; i-- > 0;) {
		struct weft_thread *t = weft__rt.threads[i];
		if (!t->has_handle || !pthread_equal(t->handle, handle))
			continue;
		if (!weft__thread_slot_free(t))
			return t;
		gone = gone ? gone : t;
	}
	return gone;
}

void *weft__thread_trampoline(void *arg)
{
	struct weft_thread *me = arg;
	weft__set_self(me);
	me->shared->tid = (int32_t)syscall(SYS_gettid);
	weft__spin_thread_start(me);
	weft__wait_first_turn(me);
	return weft__thread_run(me);
}

void weft__thread_finish(void)
{
	struct weft_thread *me = weft__self();
	if (!me || me->exited)
		return;
	weft__thread_exit_step();
	weft__sched_leave();
}

void weft__thread_exit_step(void)
{
	struct weft_thread *me = weft__self();
	if (!me || me->exited)
		return;
	weft__sched_point(WEFT_OP_THREAD_EXIT, NULL, 0);
	weft__race_thread_exit();
	me->exited = true;
	weft__rt.live &= ~(1ull << me->id);
	me->shared->status = WEFT_THREAD_EXITED;
	weft__spin_thread_end(me);
}

int weft__thread_join_check(struct weft_thread *me, struct weft_thread *target)
{
	if (target == me)
		weft__fail(WEFT_BUG_MISUSE, "thread %u joins itself (pthread_join would return EDEADLK)",
		           me->id);
	if (target->joined)
		weft__fail(WEFT_BUG_MISUSE, "thread %u joins thread %u, which was already joined",
		           me->id, target->id);
	if (target->detached)
		weft__fail(WEFT_BUG_MISUSE, "thread %u joins thread %u, which is detached", me->id,
		           target->id);
	return 0;
}
