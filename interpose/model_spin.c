/* The model of spin locks: mutex-like (an owner, no recursion), kept in the
 * mutex fields of the object. A thread spinning on a held lock is modelled
 * as blocked, so waiting costs no steps and a lock that is never released
 * is a deadlock rather than a livelock. Misuse: relocking (a spin lock's
 * owner spins forever), unlocking a lock one does not hold, destroying or
 * re-initialising a held lock. */
#define _GNU_SOURCE
#include "model_spin.h"
#include "race.h"

#include <errno.h>

struct weft_object *weft__spin_get(pthread_spinlock_t *s)
{
	struct weft_object *o = weft__object_get((const void *)(uintptr_t)s, WEFT_OBJECT_SPIN);
	if (o->kind != WEFT_OBJECT_SPIN)
		weft__fail(WEFT_BUG_MISUSE,
		           "object #%u is used as a spin lock and as something else", o->id);
	return o;
}

static void take(struct weft_thread *me, struct weft_object *o)
{
	o->u.mutex.owner = me;
	o->u.mutex.count = 1;
	weft__held_add(me, o);
	weft__race_acquire(o);
}

int weft__spin_lock(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	if (o->u.mutex.owner == me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u locks spin#%u, which it already holds: it would spin forever",
		           me->id, o->id);
	take(me, o);
	return 0;
}

int weft__spin_trylock(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	if (o->u.mutex.owner) {
		me->yielded = true;
		return EBUSY;
	}
	take(me, o);
	return 0;
}

int weft__spin_unlock(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	struct weft_thread *owner = o->u.mutex.owner;
	if (owner != me) {
		if (owner)
			weft__fail(WEFT_BUG_MISUSE,
			           "thread %u unlocks spin#%u, which thread %u holds", me->id,
			           o->id, owner->id);
		weft__fail(WEFT_BUG_MISUSE, "thread %u unlocks spin#%u, which is not locked",
		           me->id, o->id);
	}
	weft__race_release(o);
	o->u.mutex.owner = NULL;
	o->u.mutex.count = 0;
	weft__held_remove(me, o);
	return 0;
}

void weft__spin_check_unused(struct weft_object *o, const char *what)
{
	if (o->u.mutex.owner)
		weft__fail(WEFT_BUG_MISUSE, "thread %u %s spin#%u while thread %u holds it",
		           weft__self()->id, what, o->id, o->u.mutex.owner->id);
}
