/* Interceptors for mutexes, condition variables and sched_yield. Each is
 * guard, scheduling point, model; the real primitive is only used to let
 * glibc record a mutex's type at init, and when weft does not control the
 * calling thread. */
#define _GNU_SOURCE
#include <errno.h>

#include "model_cond.h"
#include "model_mutex.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_init(m, attr);
	struct weft_object *o = weft__mutex_get(m);
	if (o->u.mutex.owner)
		weft__fail(WEFT_BUG_MISUSE, "thread %u initialises mutex#%u while thread %u holds it",
		           weft__self()->id, o->id, o->u.mutex.owner->id);
	weft__object_forget(m);
	return weft__real.pthread_mutex_init(m, attr);
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_destroy(m);
	weft__mutex_destroy(weft__mutex_get(m));
	weft__object_forget(m);
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

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_mutex_unlock(m);
	struct weft_object *o = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_MUTEX_UNLOCK, o, CALLER);
	return weft__mutex_unlock(o);
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_init(c, attr);
	weft__object_forget(c);
	return weft__real.pthread_cond_init(c, attr);
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_destroy(c);
	weft__cond_destroy(weft__cond_get(c));
	weft__object_forget(c);
	return 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (!weft__controlled())
		return weft__real.pthread_cond_wait(c, m);
	struct weft_object *co = weft__cond_get(c), *mo = weft__mutex_get(m);
	weft__sched_point(WEFT_OP_COND_WAIT, co, CALLER);
	weft__cond_wait_begin(co, mo);
	weft__sched_point(WEFT_OP_COND_WAKE, co, CALLER);
	weft__cond_wait_end(co);
	return 0;
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
