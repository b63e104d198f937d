/* Robust mutexes (PTHREAD_MUTEX_ROBUST): when the owner of a robust mutex
 * ends while holding it, the next thread to lock it gets the lock with
 * EOWNERDEAD and the mutex is inconsistent; pthread_mutex_consistent makes
 * it usable again, and an unlock without it makes the mutex unrecoverable:
 * every later lock returns ENOTRECOVERABLE. The mutex model (model_mutex.c)
 * asks here first at each lock, trylock and unlock.
 *
 * Not modelled: a condition wait that re-takes a robust mutex whose owner
 * died returns 0 instead of EOWNERDEAD (the mutex is still marked
 * inconsistent, so the next unlock without pthread_mutex_consistent makes
 * it unrecoverable, as glibc does). */
#define _GNU_SOURCE
#include "model_mutex.h"

#include <errno.h>

/* glibc marks a robust mutex in __kind (PTHREAD_MUTEX_ROBUST_NORMAL_NP). */
#define GLIBC_MUTEX_ROBUST 16

enum { CONSISTENT = 0, INCONSISTENT, NOT_RECOVERABLE };

void weft__robust_read_kind(struct weft_object *o, const pthread_mutex_t *m)
{
	o->u.mutex.robust = (m->__data.__kind & GLIBC_MUTEX_ROBUST) != 0;
}

bool weft__robust_owner_dead(const struct weft_object *o)
{
	return o->u.mutex.robust && o->u.mutex.owner && o->u.mutex.owner->exited;
}

/* The dead owner's hold passes to `me`: the mutex is inconsistent. */
void weft__robust_take_from_dead(struct weft_thread *me, struct weft_object *o)
{
	(void)me;
	struct weft_thread *dead = o->u.mutex.owner;
	weft__held_remove(dead, o);
	o->u.mutex.owner = NULL;
	o->u.mutex.count = 0;
	o->u.mutex.robust_state = INCONSISTENT;
}

bool weft__robust_lock(struct weft_thread *me, struct weft_object *o, int *rc)
{
	if (!o->u.mutex.robust)
		return false;
	if (o->u.mutex.robust_state == NOT_RECOVERABLE) {
		*rc = ENOTRECOVERABLE;
		return true;
	}
	if (!weft__robust_owner_dead(o))
		return false;
	weft__robust_take_from_dead(me, o);
	weft__mutex_acquire(me, o, 1);
	*rc = EOWNERDEAD;
	return true;
}

void weft__robust_unlock(struct weft_object *o)
{
	if (o->u.mutex.robust && o->u.mutex.robust_state == INCONSISTENT && o->u.mutex.count == 1)
		o->u.mutex.robust_state = NOT_RECOVERABLE;
}

int weft__robust_consistent(struct weft_object *o)
{
	if (!o->u.mutex.robust || o->u.mutex.robust_state != INCONSISTENT ||
	    o->u.mutex.owner != weft__self())
		return EINVAL;
	o->u.mutex.robust_state = CONSISTENT;
	return 0;
}
