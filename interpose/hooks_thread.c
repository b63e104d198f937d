/* Interceptors for thread creation, joining, detaching and exit. Each is
 * guard, scheduling point, model, real call. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "hooks.h"
#include "race.h"

#include <errno.h>

int weft__thread_join_check(struct weft_thread *me, struct weft_thread *target);

#define CALLER WEFT_CALLER

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg)
{
	if (!weft__controlled_create())
		return weft__real.pthread_create(thread, attr, start, arg);
	return weft__hook_create(thread, attr, start, arg, CALLER);
}

int weft__hook_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                      void *arg, uintptr_t pc)
{
	struct weft_thread *me = weft__self();
	weft__sched_point_thread(WEFT_OP_CREATE, weft__thread_slot_next(), pc);
	struct weft_thread *child = weft__thread_new(me->id);
	weft__race_thread_create(child);
	child->start = start;
	child->start_arg = arg;
	/* The thread's "start" step is at its start routine (reports name it;
	 * plus one, since call sites are return addresses looked up at pc - 1). */
	child->shared->pc = (uintptr_t)start + 1;
	int detached = 0;
	if (attr)
		pthread_attr_getdetachstate(attr, &detached);
	child->detached = detached == PTHREAD_CREATE_DETACHED;
	int rc = weft__exec_create(child, attr, thread);
	if (rc != 0) {
		child->exited = true;
		weft__rt.live &= ~(1ull << child->id);
		child->shared->status = WEFT_THREAD_EXITED;
		return rc;
	}
	child->handle = *thread;
	child->has_handle = true;
	return 0;
}

int pthread_join(pthread_t thread, void **ret)
{
	struct weft_thread *target;
	if (!weft__controlled() || !(target = weft__thread_by_handle(thread)))
		return weft__real.pthread_join(thread, ret);
	return weft__hook_join(target, thread, ret, CALLER);
}

int weft__hook_join(struct weft_thread *target, pthread_t thread, void **ret, uintptr_t pc)
{
	struct weft_thread *me = weft__self();
	weft__thread_join_check(me, target);
	me->target = target;
	weft__sched_point_thread(WEFT_OP_JOIN, target->id, pc);
	weft__race_thread_join(target);
	me->target = NULL;
	target->joined = true;
	return weft__exec_join(target, thread, ret);
}

int pthread_detach(pthread_t thread)
{
	struct weft_thread *target;
	if (!weft__controlled() || !(target = weft__thread_by_handle(thread)))
		return weft__real.pthread_detach(thread);
	return weft__hook_detach(target, thread, CALLER);
}

int weft__hook_detach(struct weft_thread *target, pthread_t thread, uintptr_t pc)
{
	weft__sched_point_thread(WEFT_OP_DETACH, target->id, pc);
	if (target->detached || target->joined)
		weft__fail(WEFT_BUG_MISUSE, "thread %u detaches thread %u, which is already %s",
		           weft__self()->id, target->id, target->detached ? "detached" : "joined");
	target->detached = true;
	return weft__exec_detach(target, thread);
}

void pthread_exit(void *ret)
{
	/* The thread stays under control while glibc unwinds it through its
	 * cleanup handlers; it ends at the end of that (thread_end.c). */
	if (weft__controlled()) {
		/* A fiber's joiner takes the value from the layer (exec_fiber.c). */
		weft__exec_set_result(weft__self(), ret);
		weft__self()->unwinding = true;
	}
	weft__real.pthread_exit(ret);
	__builtin_unreachable();
}
