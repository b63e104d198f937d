/* The model of pthread_once, call_once and the guards of C++ function-local
 * statics: whether the initialiser has run, and which thread is running it. A call is one operation, enabled unless
 * another thread is inside the initialiser (callers wait for it to finish,
 * as POSIX requires); the first caller runs the initialiser. Re-entering the
 * same once from its own initialiser is misuse: glibc deadlocks there. The
 * state starts from the real once control (DONE bit, 2 in glibc) and is
 * written back when the initialiser returns.
 *
 * A guard (Itanium C++ ABI) splits the call in two: __cxa_guard_acquire
 * says whether the caller must initialise, __cxa_guard_release marks the
 * static done (byte 0 of the guard, which the compiler's inline check
 * reads), __cxa_guard_abort (the constructor threw) lets the next waiter
 * try. The real functions wait with raw futex calls weft cannot see, so
 * under weft they are never called. */
#define _GNU_SOURCE
#include "model_once.h"
#include "race.h"

#include <string.h>

#define GLIBC_ONCE_DONE 2

struct weft_object *weft__once_get(pthread_once_t *once)
{
	struct weft_object *o = weft__object_get(once, WEFT_OBJECT_ONCE);
	if (o->kind != WEFT_OBJECT_ONCE)
		weft__fail(WEFT_BUG_MISUSE,
		           "object #%u is used as a once control and as something else", o->id);
	int v;
	memcpy(&v, once, sizeof v);
	/* Done in the model, not in memory: a new once control there (the
	 * model writes DONE when the initialiser returns). */
	if (o->seeded && o->u.once.done && !(v & GLIBC_ONCE_DONE))
		o = weft__object_renew(o);
	if (!o->seeded) {
		o->u.once.done = (v & GLIBC_ONCE_DONE) != 0;
		o->seeded = true;
	}
	return o;
}

bool weft__once_can_enter(const struct weft_thread *t, const struct weft_object *o)
{
	/* The runner itself is "enabled" so that its model reports re-entry. */
	return o->u.once.runner == NULL || o->u.once.runner == t;
}

bool weft__once_begin(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	if (o->u.once.done) {
		weft__race_acquire(o);
		return false;
	}
	if (o->u.once.runner == me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u calls pthread_once on once#%u from inside that once's own "
		           "initialiser: it would wait for itself forever",
		           me->id, o->id);
	o->u.once.runner = me;
	return true;
}

void weft__once_finish(struct weft_object *o, pthread_once_t *once)
{
	int v = GLIBC_ONCE_DONE;
	weft__race_release(o);
	o->u.once.done = true;
	o->u.once.runner = NULL;
	memcpy(once, &v, sizeof v);
}

struct weft_object *weft__guard_get(uint64_t *guard)
{
	struct weft_object *o = weft__object_get(guard, WEFT_OBJECT_ONCE);
	if (o->kind != WEFT_OBJECT_ONCE)
		weft__fail(WEFT_BUG_MISUSE,
		           "object #%u is used as the guard of a static and as something else", o->id);
	if (o->seeded && o->u.once.done && *(volatile uint8_t *)guard == 0)
		o = weft__object_renew(o);
	if (!o->seeded) {
		o->u.once.done = *(volatile uint8_t *)guard != 0;
		o->seeded = true;
	}
	return o;
}

bool weft__guard_begin(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	if (o->u.once.done) {
		weft__race_acquire(o);
		return false;
	}
	if (o->u.once.runner == me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u reaches the function-local static guarded by once#%u again "
		           "from inside its own initialiser (C++ throws recursive_init_error)",
		           me->id, o->id);
	o->u.once.runner = me;
	return true;
}

void weft__guard_release(struct weft_object *o, uint64_t *guard)
{
	weft__race_release(o);
	o->u.once.done = true;
	o->u.once.runner = NULL;
	__atomic_store_n((uint8_t *)guard, 1, __ATOMIC_RELEASE);
}

void weft__guard_abort(struct weft_object *o)
{
	o->u.once.runner = NULL;
}
