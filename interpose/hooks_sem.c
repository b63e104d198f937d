/* Interceptors for POSIX semaphores: guard, scheduling point, model. They
 * return -1 and set errno as POSIX says (EAGAIN from sem_trywait, ETIMEDOUT,
 * EINVAL for a bad time or clock, checked first as glibc does). Named
 * semaphores (sem_open) are modelled the same way once opened. */
#define _GNU_SOURCE
#include <errno.h>

#include "clock.h"
#include "hooks.h"
#include "model_sem.h"

#define CALLER WEFT_CALLER

static int fail_with(int error)
{
	errno = error;
	return -1;
}

int sem_init(sem_t *s, int pshared, unsigned value)
{
	if (!weft__controlled())
		return weft__real.sem_init(s, pshared, value);
	struct weft_object *old, *o = weft__object_begin(s, WEFT_OBJECT_SEM, &old);
	weft__sched_point(WEFT_OP_SEM_INIT, o, CALLER);
	if (old)
		weft__sem_check_unused(old, "initialises");
	weft__sem_check_unused(o, "initialises");
	weft__object_started(o);
	weft__pshared_flag(pshared, "a semaphore initialised with pshared set");
	return weft__real.sem_init(s, pshared, value);
}

int sem_destroy(sem_t *s)
{
	if (!weft__controlled())
		return weft__real.sem_destroy(s);
	struct weft_object *o = weft__sem_get(s);
	weft__sched_point(WEFT_OP_SEM_DESTROY, o, CALLER);
	weft__sem_check_unused(o, "destroys");
	weft__object_forget(s);
	return weft__real.sem_destroy(s);
}

int sem_wait(sem_t *s)
{
	if (!weft__controlled())
		return weft__real.sem_wait(s);
	struct weft_object *o = weft__sem_get(s);
	weft__sched_point(WEFT_OP_SEM_WAIT, o, CALLER);
	weft__sem_wait(o, s);
	return 0;
}

static int timed_wait(sem_t *s, clockid_t c, const struct timespec *abs, uintptr_t pc)
{
	uint64_t deadline;
	if ((c != CLOCK_REALTIME && c != CLOCK_MONOTONIC) || !weft__timespec_valid(abs))
		return fail_with(EINVAL);
	weft__deadline_at(c, abs, &deadline);
	struct weft_object *o = weft__sem_get(s);
	weft__deadline_arm(deadline);
	weft__sched_point(WEFT_OP_SEM_TIMEDWAIT, o, pc);
	weft__deadline_disarm();
	int rc = weft__sem_wait(o, s);
	return rc ? fail_with(rc) : 0;
}

int sem_timedwait(sem_t *s, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.sem_timedwait(s, abs);
	return timed_wait(s, CLOCK_REALTIME, abs, CALLER);
}

int sem_clockwait(sem_t *s, clockid_t c, const struct timespec *abs)
{
	if (!weft__controlled())
		return weft__real.sem_clockwait(s, c, abs);
	return timed_wait(s, c, abs, CALLER);
}

int sem_trywait(sem_t *s)
{
	if (!weft__controlled())
		return weft__real.sem_trywait(s);
	struct weft_object *o = weft__sem_get(s);
	weft__sched_point(WEFT_OP_SEM_TRYWAIT, o, CALLER);
	int rc = weft__sem_trywait(o, s);
	return rc ? fail_with(rc) : 0;
}

int sem_post(sem_t *s)
{
	if (!weft__controlled())
		return weft__real.sem_post(s);
	struct weft_object *o = weft__sem_get(s);
	weft__sched_point(WEFT_OP_SEM_POST, o, CALLER);
	weft__sem_post(o, s);
	return 0;
}

int sem_getvalue(sem_t *restrict s, int *restrict value)
{
	if (!weft__controlled())
		return weft__real.sem_getvalue(s, value);
	struct weft_object *o = weft__sem_get(s);
	weft__sched_point(WEFT_OP_SEM_GETVALUE, o, CALLER);
	*value = weft__sem_value(o);
	return 0;
}
