/* Interceptors for mutexes, condition variables and sched_yield. Each is
 * guard, scheduling point, model; the real primitive is only used to let
 * glibc record a mutex's type and a condition variable's clock at init, and
 * when weft does not control the calling thread. Initialising and
 * destroying are scheduling points too: whether another thread uses the
 * object at that moment (misuse) depends on the interleaving. */
#define _GNU_SOURCE
#include <errno.h>

#include "clock.h"
#include "hooks.h"
#include "model_cancel.h"
#include "model_cond.h"
#include "model_mutex.h"

#define CALLER WEFT_CALLER

void weft__hook_mutex_init(pthread_mutex_t *m, uintptr_t pc)
{
	struct weft_object *old, *o = weft__object_begin(m, WEFT_OBJECT_MUTEX, &old);
	weft__sched_point(WEFT_OP_MUTEX_INIT, o, pc);
	if (old)
		weft__mutex_check_unused(old, "initialises");
	weft__mutex_check_unused(o, "initialises");
	weft__object_started(o);
}

void weft__hook_mutex_destroy(pthread_mutex_t *m, uintptr_t pc)
{
	struct weft_object *o = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_MUTEX_DESTROY, o, pc);
	weft__mutex_check_unused(o, "destroys");
	weft__object_forget(m);
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_init(m, attr);
	weft__hook_mutex_init(m, CALLER);
	weft__pshared_mutex(attr);
	return weft__real.pthread_mutex_init(m, attr);
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_destroy(m);
	weft__hook_mutex_destroy(m, CALLER);
	return weft__real.pthread_mutex_destroy(m);
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_lock(m);
	struct weft_object *o = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_MUTEX_LOCK, o, CALLER);
	return weft__mutex_lock(o);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_trylock(m);
	struct weft_object *o = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_MUTEX_TRYLOCK, o, CALLER);
	return weft__mutex_trylock(o);
}

int weft__hook_mutex_timedlock(pthread_mutex_t *m, clockid_t c, const struct timespec *abs,
                               uintptr_t pc)
{
	struct weft_object *o = weft__mutex_get(m);
	bool bad_time = !weft__timespec_valid(abs);
	uint64_t deadline = weft__rt.now;
	if (!bad_time)
		weft__deadline_at(c, abs, &deadline);
	weft__deadline_arm(deadline);
	weft__sched_point(WEFT_OP_MUTEX_TIMEDLOCK, o, pc);
	weft__deadline_disarm();
	return weft__mutex_timedlock(o, bad_time);
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_timedlock(m, abs);
	return weft__hook_mutex_timedlock(m, CLOCK_REALTIME, abs, CALLER);
}

int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t c, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_clocklock(m, c, abs);
	if (c != CLOCK_REALTIME && c != CLOCK_MONOTONIC)
		return EINVAL;
	return weft__hook_mutex_timedlock(m, c, abs, CALLER);
}

int pthread_mutex_consistent(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_consistent(m);
	/* Only the owner may call it, while others wait: no scheduling point. */
	return weft__robust_consistent(weft__mutex_get(m));
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_unlock(m);
	struct weft_object *o = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_MUTEX_UNLOCK, o, CALLER);
	return weft__mutex_unlock(o);
}

void weft__hook_cond_init(pthread_cond_t *c, uintptr_t pc)
{
	struct weft_object *old, *o = weft__object_begin(c, WEFT_OBJECT_COND, &old);
	weft__sched_point(WEFT_OP_COND_INIT, o, pc);
	if (old)
		weft__cond_check_unused(old, "initialises");
	weft__cond_check_unused(o, "initialises");
	weft__object_started(o);
}

void weft__hook_cond_destroy(pthread_cond_t *c, uintptr_t pc)
{
	struct weft_object *o = weft__cond_get(c);
	weft__sched_point(WEFT_OP_COND_DESTROY, o, pc);
	weft__cond_check_unused(o, "destroys");
	weft__object_forget(c);
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_init(c, attr);
	weft__hook_cond_init(c, CALLER);
	weft__pshared_cond(attr);
	return weft__real.pthread_cond_init(c, attr);
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_destroy(c);
	weft__hook_cond_destroy(c, CALLER);
	return 0;
}

int weft__hook_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                         const struct timespec *abs, uintptr_t pc)
{
	struct weft_object *co = weft__cond_get(c), *mo = weft__mutex_get(m);
	uint64_t deadline = 0;
	if (abs) {
		if (!weft__timespec_valid(abs))
			return EINVAL;
		weft__deadline_at(clock, abs, &deadline);
	}
	weft__sched_point(abs ? WEFT_OP_COND_TIMEDWAIT : WEFT_OP_COND_WAIT, co, pc);
	weft__cond_wait_begin(co, mo);
	if (abs)
		weft__deadline_arm(deadline);
	weft__sched_point(abs ? WEFT_OP_COND_TIMEDWAKE : WEFT_OP_COND_WAKE, co, pc);
	struct weft_thread *me = weft__self();
	bool relock = true, cancelled = me->op == WEFT_OP_CANCEL_ACT;
	int rc = 0;
	if (cancelled) /* the mutex is taken back before the cleanup handlers run */
		weft__cancel_leave_wait(co);
	else
		rc = weft__cond_wake(co, &relock);
	weft__deadline_disarm();
	if (relock)
		weft__sched_point(WEFT_OP_COND_RELOCK, mo, pc);
	weft__cond_wait_end(co);
	if (cancelled)
		weft__cancel_act();
	return rc;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_wait(c, m);
	return weft__hook_cond_wait(c, m, CLOCK_REALTIME, NULL, CALLER);
}

/* The clock chosen with pthread_condattr_setclock: glibc keeps it in bit 1
 * of __wrefs, set by the real pthread_cond_init (the model never lets glibc
 * touch the condition variable after that). */
static clockid_t cond_clock(const pthread_cond_t *c)
{
	return (c->__data.__wrefs & 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_timedwait(c, m, abs);
	return weft__hook_cond_wait(c, m, cond_clock(c), abs, CALLER);
}

int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                           const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_clockwait(c, m, clock, abs);
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	return weft__hook_cond_wait(c, m, clock, abs, CALLER);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_signal(c);
	struct weft_object *o = weft__cond_get(c);
	weft__sched_point(WEFT_OP_COND_SIGNAL, o, CALLER);
	weft__cond_signal(o);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_broadcast(c);
	struct weft_object *o = weft__cond_get(c);
	weft__sched_point(WEFT_OP_COND_BROADCAST, o, CALLER);
	weft__cond_broadcast(o);
	return 0;
}

int sched_yield(void)
{
	if (!weft__controlled())
		return weft__real.sched_yield();
	weft__sched_point(WEFT_OP_YIELD, NULL, CALLER);
	weft__self()->yielded = true;
	return 0;
}
