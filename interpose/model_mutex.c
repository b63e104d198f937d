/* The model of pthread mutexes: owner, recursion count and type (normal,
 * recursive, errorcheck, read from glibc's own field so static initialisers
 * and pthread_mutex_init with attributes both work). The real mutex is never
 * locked. Misuse that POSIX leaves undefined or reports as an error is a
 * bug: unlocking a mutex one does not hold, relocking a non-recursive mutex,
 * destroying or initialising a mutex that is held or waited for. */
#define _GNU_SOURCE
#include "runtime.h"
#include "model_mutex.h"
#include "race.h"

#include <errno.h>

static enum weft_mutex_type type_of(const pthread_mutex_t *m)
{
	/* glibc keeps the type in the low bits of __kind (PTHREAD_MUTEX_KIND_MASK_NP). */
	switch (m->__data.__kind & 3) {
	case PTHREAD_MUTEX_RECURSIVE:
		return WEFT_MUTEX_RECURSIVE;
	case PTHREAD_MUTEX_ERRORCHECK:
		return WEFT_MUTEX_ERRORCHECK;
	default:
		return WEFT_MUTEX_NORMAL;
	}
}

struct weft_object *weft__mutex_get(pthread_mutex_t *m)
{
	struct weft_object *o = weft__object_get(m, WEFT_OBJECT_MUTEX);
	if (o->kind != WEFT_OBJECT_MUTEX)
		weft__fail(WEFT_BUG_MISUSE, "object #%u is used as a mutex and as something else",
		           o->id);
	if (o->u.mutex.count == 0) {
		o->u.mutex.type = type_of(m);
		weft__robust_read_kind(o, m);
	}
	return o;
}

bool weft__mutex_can_lock(const struct weft_thread *t, const struct weft_object *m)
{
	/* Relocking by the owner is "enabled" so that its model reports it. */
	return m->u.mutex.owner == NULL || m->u.mutex.owner == t || weft__robust_owner_dead(m);
}

void weft__held_add(struct weft_thread *t, struct weft_object *m)
{
	struct weft_thread_state *s = t->shared;
	if (s->nheld < WEFT_MAX_HELD)
		s->held[s->nheld] = m->id;
	s->nheld++;
}

void weft__held_remove(struct weft_thread *t, struct weft_object *m)
{
	struct weft_thread_state *s = t->shared;
	uint32_t n = s->nheld < WEFT_MAX_HELD ? s->nheld : WEFT_MAX_HELD;
	for (uint32_t i = n; i-- > 0;) {
		if (s->held[i] == m->id) {
			for (uint32_t j = i; j + 1 < n; j++)
				s->held[j] = s->held[j + 1];
			break;
		}
	}
	if (s->nheld)
		s->nheld--;
}

void weft__mutex_acquire(struct weft_thread *me, struct weft_object *m, int count)
{
	if (weft__robust_owner_dead(m)) /* a condition wait re-taking it */
		weft__robust_take_from_dead(me, m);
	m->u.mutex.owner = me;
	m->u.mutex.count = count;
	weft__held_add(me, m);
	weft__race_acquire(m);
}

int weft__mutex_release_all(struct weft_thread *me, struct weft_object *m)
{
	int count = m->u.mutex.count;
	weft__race_release(m);
	m->u.mutex.owner = NULL;
	m->u.mutex.count = 0;
	weft__held_remove(me, m);
	return count;
}

int weft__mutex_lock(struct weft_object *m)
{
	struct weft_thread *me = weft__self();
	int rc;
	if (weft__robust_lock(me, m, &rc))
		return rc;
	if (m->u.mutex.owner == me) {
		if (m->u.mutex.type == WEFT_MUTEX_RECURSIVE) {
			m->u.mutex.count++;
			return 0;
		}
		weft__fail(WEFT_BUG_MISUSE,
		           m->u.mutex.type == WEFT_MUTEX_ERRORCHECK
		                   ? "thread %u locks mutex#%u, which it already holds "
		                     "(pthread_mutex_lock returns EDEADLK)"
		                   : "thread %u locks mutex#%u, which it already holds: "
		                     "a non-recursive mutex deadlocks its owner",
		           me->id, m->id);
	}
	weft__mutex_acquire(me, m, 1);
	return 0;
}

int weft__mutex_timedlock(struct weft_object *m, bool bad_time)
{
	/* POSIX: the time need not be valid when the mutex is free. */
	if (weft__mutex_can_lock(weft__self(), m))
		return weft__mutex_lock(m);
	return bad_time ? EINVAL : ETIMEDOUT;
}

int weft__mutex_trylock(struct weft_object *m)
{
	struct weft_thread *me = weft__self();
	int rc;
	if (weft__robust_lock(me, m, &rc))
		return rc;
	if (m->u.mutex.owner == NULL) {
		weft__mutex_acquire(me, m, 1);
		return 0;
	}
	if (m->u.mutex.owner == me && m->u.mutex.type == WEFT_MUTEX_RECURSIVE) {
		m->u.mutex.count++;
		return 0;
	}
	/* A failed trylock makes no progress: let the others run first, so a
	 * trylock loop cannot starve the holder. */
	me->yielded = true;
	return EBUSY;
}

int weft__mutex_unlock(struct weft_object *m)
{
	struct weft_thread *me = weft__self();
	struct weft_thread *owner = m->u.mutex.owner;
	if (owner != me) {
		if (owner)
			weft__fail(WEFT_BUG_MISUSE,
			           "thread %u unlocks mutex#%u, which thread %u holds", me->id, m->id,
			           owner->id);
		weft__fail(WEFT_BUG_MISUSE, "thread %u unlocks mutex#%u, which is not locked",
		           me->id, m->id);
	}
	weft__robust_unlock(m);
	if (--m->u.mutex.count == 0) {
		weft__race_release(m);
		m->u.mutex.owner = NULL;
		weft__held_remove(me, m);
	}
	return 0;
}

static bool has_lock_waiters(const struct weft_object *m)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t->exited || t == weft__self())
			continue;
		/* About to lock it, or waiting on a condition to re-acquire it. */
		if ((t->op == WEFT_OP_MUTEX_LOCK && t->obj == m) || t->wait_mutex == m)
			return true;
	}
	return false;
}

void weft__mutex_check_unused(struct weft_object *m, const char *what)
{
	struct weft_thread *me = weft__self();
	if (m->u.mutex.owner)
		weft__fail(WEFT_BUG_MISUSE, "thread %u %s mutex#%u while thread %u holds it",
		           me->id, what, m->id, m->u.mutex.owner->id);
	if (has_lock_waiters(m))
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u %s mutex#%u while another thread is about to lock it "
		           "or waits on a condition to re-acquire it",
		           me->id, what, m->id);
}
