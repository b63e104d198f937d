/* Interceptors for barriers, pthread_once, C++ static guards and spin locks: guard,
 * scheduling point, model. The real barrier and spin lock are only
 * initialised and destroyed (glibc validates the arguments and the barrier
 * model reads its count back); the real once control is never used. */
#define _GNU_SOURCE
#include <errno.h>

#include "hooks.h"
#include "model_barrier.h"
#include "model_once.h"
#include "model_spin.h"
#include "race.h"

#define CALLER WEFT_CALLER

int pthread_barrier_init(pthread_barrier_t *restrict b, const pthread_barrierattr_t *restrict attr,
                         unsigned count)
{
	if (!weft__controlled())
		return weft__real.pthread_barrier_init(b, attr, count);
	struct weft_object *old, *o = weft__object_begin(b, WEFT_OBJECT_BARRIER, &old);
	weft__sched_point(WEFT_OP_BARRIER_INIT, o, CALLER);
	if (old)
		weft__barrier_check_unused(old, "initialises");
	weft__barrier_check_unused(o, "initialises");
	weft__object_started(o);
	weft__pshared_barrier(attr);
	return weft__real.pthread_barrier_init(b, attr, count);
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	if (!weft__controlled())
		return weft__real.pthread_barrier_destroy(b);
	struct weft_object *o = weft__barrier_get(b);
	weft__sched_point(WEFT_OP_BARRIER_DESTROY, o, CALLER);
	weft__barrier_check_unused(o, "destroys");
	weft__object_forget(b);
	return weft__real.pthread_barrier_destroy(b);
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (!weft__controlled())
		return weft__real.pthread_barrier_wait(b);
	struct weft_object *o = weft__barrier_get(b);
	weft__sched_point(WEFT_OP_BARRIER_WAIT, o, CALLER);
	if (weft__barrier_arrive(o))
		return PTHREAD_BARRIER_SERIAL_THREAD;
	weft__sched_point(WEFT_OP_BARRIER_WAKE, o, CALLER);
	weft__race_acquire(o);
	return 0;
}

/* The initialiser's thread was cancelled (or called pthread_exit) inside
 * it: as in glibc, the once control is "not run" again and the next caller
 * runs the initialiser. */
static void once_unwound(void *arg)
{
	struct weft_object *o = arg;
	weft__sched_point(WEFT_OP_ONCE_END, o, 0);
	weft__guard_abort(o);
}

int weft__hook_once(pthread_once_t *once, void (*init)(void), uintptr_t pc)
{
	struct weft_object *o = weft__once_get(once);
	weft__sched_point(WEFT_OP_ONCE, o, pc);
	if (weft__once_begin(o)) {
		uint32_t steps = weft__rt.shm->nsteps;
		pthread_cleanup_push(once_unwound, o);
		init();
		pthread_cleanup_pop(0);
		/* An initialiser that made scheduling points ends at one too: the
		 * other callers wait for that event, which partial-order reduction
		 * must see (core/dependence.h). */
		if (weft__rt.shm->nsteps != steps)
			weft__sched_point(WEFT_OP_ONCE_END, o, pc);
		weft__once_finish(o, once);
	}
	return 0;
}

int pthread_once(pthread_once_t *once, void (*init)(void))
{
	if (!weft__controlled() || weft__from_unwinder(CALLER))
		return weft__real.pthread_once(once, init);
	return weft__hook_once(once, init, CALLER);
}

/* C++ function-local statics. A thread waiting for another's initialiser
 * waits in the model; the scheduler runs the initialiser meanwhile. */
int __cxa_guard_acquire(uint64_t *guard)
{
	if (!weft__controlled()) {
		if (!weft__real.__cxa_guard_acquire)
			weft__unsupported("__cxa_guard_acquire (no C++ runtime found)");
		return weft__real.__cxa_guard_acquire(guard);
	}
	struct weft_object *o = weft__guard_get(guard);
	weft__sched_point(WEFT_OP_CXA_GUARD, o, CALLER);
	return weft__guard_begin(o);
}

void __cxa_guard_release(uint64_t *guard)
{
	if (!weft__controlled()) {
		weft__real.__cxa_guard_release(guard);
		return;
	}
	weft__guard_release(weft__guard_get(guard), guard);
}

void __cxa_guard_abort(uint64_t *guard)
{
	if (!weft__controlled()) {
		weft__real.__cxa_guard_abort(guard);
		return;
	}
	weft__guard_abort(weft__guard_get(guard));
}

int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	if (!weft__controlled())
		return weft__real.pthread_spin_init(s, pshared);
	struct weft_object *old,
	    *o = weft__object_begin((const void *)(uintptr_t)s, WEFT_OBJECT_SPIN, &old);
	weft__sched_point(WEFT_OP_SPIN_INIT, o, CALLER);
	if (old)
		weft__spin_check_unused(old, "initialises");
	weft__spin_check_unused(o, "initialises");
	weft__object_started(o);
	weft__pshared_flag(pshared == PTHREAD_PROCESS_SHARED,
	                   "a spin lock initialised with PTHREAD_PROCESS_SHARED");
	return weft__real.pthread_spin_init(s, pshared);
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
	if (!weft__controlled())
		return weft__real.pthread_spin_destroy(s);
	struct weft_object *o = weft__spin_get(s);
	weft__sched_point(WEFT_OP_SPIN_DESTROY, o, CALLER);
	weft__spin_check_unused(o, "destroys");
	weft__object_forget((const void *)(uintptr_t)s);
	return weft__real.pthread_spin_destroy(s);
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
	if (!weft__controlled())
		return weft__real.pthread_spin_lock(s);
	struct weft_object *o = weft__spin_get(s);
	weft__sched_point(WEFT_OP_SPIN_LOCK, o, CALLER);
	return weft__spin_lock(o);
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
	if (!weft__controlled())
		return weft__real.pthread_spin_trylock(s);
	struct weft_object *o = weft__spin_get(s);
	weft__sched_point(WEFT_OP_SPIN_TRYLOCK, o, CALLER);
	return weft__spin_trylock(o);
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
	if (!weft__controlled())
		return weft__real.pthread_spin_unlock(s);
	struct weft_object *o = weft__spin_get(s);
	weft__sched_point(WEFT_OP_SPIN_UNLOCK, o, CALLER);
	return weft__spin_unlock(o);
}
