/* Interceptors for read-write locks: guard, scheduling point, model. The
 * timed variants check their clock and time first, as glibc does, and then
 * wait with a deadline. The real rwlock is only initialised (so that glibc
 * records the kind) and destroyed. */
#define _GNU_SOURCE
#include <errno.h>

#include "clock.h"
#include "hooks.h"
#include "model_rwlock.h"

#define CALLER WEFT_CALLER

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *attr)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_init(l, attr);
	struct weft_object *old, *o = weft__object_begin(l, WEFT_OBJECT_RWLOCK, &old);
	weft__sched_point(WEFT_OP_RWLOCK_INIT, o, CALLER);
	if (old)
		weft__rwlock_check_unused(old, "initialises");
	weft__rwlock_check_unused(o, "initialises");
	weft__object_started(o);
	weft__pshared_rwlock(attr);
	return weft__real.pthread_rwlock_init(l, attr);
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_destroy(l);
	struct weft_object *o = weft__rwlock_get(l);
	weft__sched_point(WEFT_OP_RWLOCK_DESTROY, o, CALLER);
	weft__rwlock_check_unused(o, "destroys");
	weft__object_forget(l);
	return weft__real.pthread_rwlock_destroy(l);
}

static int lock(pthread_rwlock_t *l, enum weft_op op, uintptr_t pc)
{
	struct weft_object *o = weft__rwlock_get(l);
	weft__sched_point(op, o, pc);
	return op == WEFT_OP_RWLOCK_RDLOCK ? weft__rwlock_rdlock(o) : weft__rwlock_wrlock(o);
}

static int timed_lock(pthread_rwlock_t *l, enum weft_op op, clockid_t c, const struct timespec *abs,
                      uintptr_t pc)
{
	uint64_t deadline;
	if ((c != CLOCK_REALTIME && c != CLOCK_MONOTONIC) || !weft__timespec_valid(abs))
		return EINVAL;
	weft__deadline_at(c, abs, &deadline);
	struct weft_object *o = weft__rwlock_get(l);
	weft__deadline_arm(deadline);
	weft__sched_point(op, o, pc);
	int rc = op == WEFT_OP_RWLOCK_TIMEDRDLOCK ? weft__rwlock_rdlock(o) : weft__rwlock_wrlock(o);
	weft__deadline_disarm();
	return rc;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_rdlock(l);
	return lock(l, WEFT_OP_RWLOCK_RDLOCK, CALLER);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_wrlock(l);
	return lock(l, WEFT_OP_RWLOCK_WRLOCK, CALLER);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_timedrdlock(l, abs);
	return timed_lock(l, WEFT_OP_RWLOCK_TIMEDRDLOCK, CLOCK_REALTIME, abs, CALLER);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_timedwrlock(l, abs);
	return timed_lock(l, WEFT_OP_RWLOCK_TIMEDWRLOCK, CLOCK_REALTIME, abs, CALLER);
}

int pthread_rwlock_clockrdlock(pthread_rwlock_t *l, clockid_t c, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_clockrdlock(l, c, abs);
	return timed_lock(l, WEFT_OP_RWLOCK_TIMEDRDLOCK, c, abs, CALLER);
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t *l, clockid_t c, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_clockwrlock(l, c, abs);
	return timed_lock(l, WEFT_OP_RWLOCK_TIMEDWRLOCK, c, abs, CALLER);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_tryrdlock(l);
	struct weft_object *o = weft__rwlock_get(l);
	weft__sched_point(WEFT_OP_RWLOCK_TRYRDLOCK, o, CALLER);
	return weft__rwlock_tryrdlock(o);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_trywrlock(l);
	struct weft_object *o = weft__rwlock_get(l);
	weft__sched_point(WEFT_OP_RWLOCK_TRYWRLOCK, o, CALLER);
	return weft__rwlock_trywrlock(o);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (!weft__controlled())
		return weft__real.pthread_rwlock_unlock(l);
	struct weft_object *o = weft__rwlock_get(l);
	weft__sched_point(WEFT_OP_RWLOCK_UNLOCK, o, CALLER);
	return weft__rwlock_unlock(o);
}
