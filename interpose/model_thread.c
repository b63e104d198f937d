/* The model of threads: records in creation order (ids never depend on
 * addresses or timing), the start trampoline that makes a new thread wait
 * for its first turn, and the rules of join and detach. */
#define _GNU_SOURCE
#include "runtime.h"
#include "race.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

void weft__set_self(struct weft_thread *t);

struct weft_thread *weft__thread_new(uint32_t creator)
{
	struct weft_runtime *rt = &weft__rt;
	if (rt->nthreads >= WEFT_MAX_THREADS)
		weft__fail(WEFT_BUG_MISUSE,
		           "the program created more than %d threads in one execution "
		           "(WEFT_MAX_THREADS); weft explores small scenarios: shrink the test",
		           WEFT_MAX_THREADS);
	struct weft_thread *t = weft__pool_alloc(sizeof *t);
	t->id = rt->nthreads;
	t->shared = &rt->shm->threads[t->id];
	t->shared->status = WEFT_THREAD_LIVE;
	t->shared->creator = creator;
	t->op = WEFT_OP_START;
	t->shared->op = WEFT_OP_START;
	rt->threads[rt->nthreads++] = t;
	rt->shm->nthreads = rt->nthreads;
	return t;
}

struct weft_thread *weft__thread_by_handle(pthread_t handle)
{
	/* The newest record wins: glibc reuses the handles of joined threads. */
	for (uint32_t i = weft__rt.nthreads; i-- > 0;) {
		struct weft_thread *t = weft__rt.threads[i];
		if (t->has_handle && pthread_equal(t->handle, handle))
			return t;
	}
	return NULL;
}

void *weft__thread_trampoline(void *arg)
{
	struct weft_thread *me = arg;
	weft__set_self(me);
	me->shared->tid = (int32_t)syscall(SYS_gettid);
	weft__wait_first_turn(me);
	void *ret = me->start(me->start_arg);
	weft__thread_finish();
	return ret;
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
	me->shared->status = WEFT_THREAD_EXITED;
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
