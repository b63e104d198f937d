/* The model of thread cancellation. pthread_cancel is a scheduling point
 * that marks its target's request pending; the target acts on it at a
 * cancellation point weft controls, in deferred mode (condition waits, timed
 * too, pthread_join, sem_wait and sem_timedwait, the sleeps, pause,
 * sigsuspend and the sigwait family, pthread_testcancel, and the blocking
 * calls named with --yield-at, at
 * their entry), and at its very next scheduling point in asynchronous mode
 * (only one thread runs at a time, so a thread can be stopped nowhere
 * else). A target blocked at such a point is woken by the request.
 *
 * The step at which a thread acts on a request is recorded as
 * WEFT_OP_CANCEL_ACT on the object of the operation it replaces; from then
 * on it unwinds through glibc's own pthread_exit(PTHREAD_CANCELED), so the
 * cleanup handlers (pthread_cleanup_push) and C++ destructors run exactly
 * as glibc runs them, each of their calls modelled as usual, and joining the
 * thread returns PTHREAD_CANCELED. A condition wait takes its mutex back
 * first, as POSIX requires: that re-lock is a scheduling point of its own
 * and may wait. A waiter woken by the request leaves the condition's queue
 * at once, so it consumes no later signal; the request's event names that
 * condition in object2 for partial-order reduction (core/dpor_annotate.c).
 * A waiter whose request was pending when it began to wait leaves the queue
 * at its own step; a signal that reached it first is passed on to the next
 * waiter then (glibc wakes the others), and its step names the condition in
 * object2.
 *
 * No real cancellation request is ever made: glibc's own cancellation
 * points (read, write, ...) do not act on a request weft models; the thread
 * acts at the next point weft controls. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "model_cancel.h"

#include <errno.h>

#include "hooks.h"
#include "model_cond.h"

#define CALLER WEFT_CALLER

/* Whether a request pending for t would be acted on in operation op. */
static bool acts_in(const struct weft_thread *t, enum weft_op op)
{
	if (!t->cancel_pending || t->cancel_disabled || t->unwinding || t->exited || t->frozen)
		return false;
	switch (op) {
	case WEFT_OP_COND_WAKE:
	case WEFT_OP_COND_TIMEDWAKE:
		/* A waiter already signalled returns normally and acts at its
		 * next cancellation point: the signal is not lost. */
		return !t->signalled;
	case WEFT_OP_SEM_WAIT:
	case WEFT_OP_SEM_TIMEDWAIT:
	case WEFT_OP_SLEEP:
	case WEFT_OP_TESTCANCEL:
	case WEFT_OP_CALL_BLOCKING:
	case WEFT_OP_FD_WAIT: /* read, poll, ...: glibc's cancellation points */
	case WEFT_OP_PAUSE:   /* pause, sigsuspend (timers.c) */
	case WEFT_OP_SIGWAIT: /* sigwait, sigwaitinfo, sigtimedwait */
		return true;
	case WEFT_OP_JOIN:
		/* glibc does not look at requests when the thread joined has
		 * already ended. */
		return t->target && !t->target->exited;
	case WEFT_OP_START:
	case WEFT_OP_THREAD_EXIT:
	case WEFT_OP_PROCESS_EXIT:
	case WEFT_OP_COND_RELOCK: /* glibc re-locks with cancellation deferred */
	case WEFT_OP_ONCE_END:
	case WEFT_OP_CALL_RETURN:
	case WEFT_OP_CANCEL_ACT:
		return false;
	default:
		return t->cancel_async;
	}
}

static void replace_op(struct weft_thread *t)
{
	t->cancel_op = t->op;
	t->op = WEFT_OP_CANCEL_ACT;
	t->shared->op = WEFT_OP_CANCEL_ACT;
	t->shared->flags = 0;
}

void weft__cancel_announce(struct weft_thread *me)
{
	if (acts_in(me, me->op))
		replace_op(me);
}

static bool in_cond_wait(enum weft_op op)
{
	return op == WEFT_OP_COND_WAKE || op == WEFT_OP_COND_TIMEDWAKE;
}

void weft__cancel_after_point(struct weft_thread *me)
{
	if (me->op == WEFT_OP_CANCEL_ACT && !in_cond_wait(me->cancel_op))
		weft__cancel_act();
}

void weft__cancel_leave_wait(struct weft_object *c)
{
	struct weft_thread *me = weft__self();
	if (!me->signalled) {
		weft__cond_leave(c, me);
		return;
	}
	if (!c->u.cond.head)
		return;
	weft__cond_signal(c);
	/* This step's event (the last one recorded) says so to the annotator. */
	struct weft_event *e = &weft__rt.events[weft__rt.shm->nsteps - 1];
	if (e->thread == me->id && e->op == WEFT_OP_CANCEL_ACT)
		e->object2 = weft__object_id(c);
}

void weft__cancel_act(void)
{
	struct weft_thread *me = weft__self();
	me->cancel_pending = false;
	me->unwinding = true;
	/* Whatever the replaced operation waited for, it waits no more. */
	me->has_deadline = false;
	me->due = false;
	me->target = NULL;
	weft__exec_set_result(me, PTHREAD_CANCELED);
	weft__real.pthread_exit(PTHREAD_CANCELED);
	__builtin_unreachable();
}

/* The calling thread's own request becomes actionable now (it enabled
 * cancellation or switched to asynchronous mode): glibc acts at once in
 * asynchronous mode. */
static void act_if_async(struct weft_thread *me)
{
	if (me->cancel_pending && me->cancel_async && !me->cancel_disabled && !me->unwinding)
		weft__cancel_act();
}

int pthread_cancel(pthread_t thread)
{
	struct weft_thread *target;
	if (!weft__controlled() || weft__rt.exiting || !(target = weft__thread_by_handle(thread)))
		return weft__real.pthread_cancel(thread);
	struct weft_thread *me = weft__self();
	weft__sched_point_thread(WEFT_OP_CANCEL, target->id, CALLER);
	if (target->joined)
		return ESRCH;
	if (target->exited || target->unwinding)
		return 0;
	if (target->op == WEFT_OP_CALL_RETURN)
		weft__unsupported("pthread_cancel of a thread inside a call named with --yield-at "
		                  "...=blocking (the call runs outside weft's control)");
	target->cancel_pending = true;
	if (target == me) {
		act_if_async(me);
		return 0;
	}
	if (!acts_in(target, target->op))
		return 0;
	if (in_cond_wait(target->op)) {
		/* Woken by the request: out of the queue now. The event of this
		 * step (the last one recorded, this thread's) names the
		 * condition for the annotator. */
		weft__cond_leave(target->obj, target);
		struct weft_event *e = &weft__rt.events[weft__rt.shm->nsteps - 1];
		if (e->thread == me->id && e->op == WEFT_OP_CANCEL)
			e->object2 = weft__object_id(target->obj);
	}
	replace_op(target);
	return 0;
}

int pthread_setcancelstate(int state, int *old)
{
	if (!weft__controlled() || weft__rt.exiting)
		return weft__real.pthread_setcancelstate(state, old);
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	struct weft_thread *me = weft__self();
	if (old)
		*old = me->cancel_disabled ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
	me->cancel_disabled = state == PTHREAD_CANCEL_DISABLE;
	act_if_async(me);
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	if (!weft__controlled() || weft__rt.exiting)
		return weft__real.pthread_setcanceltype(type, old);
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	struct weft_thread *me = weft__self();
	if (old)
		*old = me->cancel_async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
	me->cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
	act_if_async(me);
	return 0;
}

void pthread_testcancel(void)
{
	if (!weft__controlled() || weft__rt.exiting) {
		weft__real.pthread_testcancel();
		return;
	}
	/* A scheduling point: whether a request came before it is explored. */
	weft__sched_point(WEFT_OP_TESTCANCEL, NULL, CALLER);
}
