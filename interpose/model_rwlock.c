/* The model of read-write locks: the writer, the number of read locks and
 * who holds them. glibc's default prefers readers: a read lock is granted
 * whenever no thread holds the write lock, even while writers wait. With
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP (glibc's only writer-
 * preferring kind; PTHREAD_RWLOCK_PREFER_WRITER_NP behaves as the default)
 * a new read lock waits while readers hold the lock and a writer waits for
 * it, so a thread that re-reads then deadlocks, as it does in glibc.
 * Misuse: unlocking a lock not held, relocking the write lock, upgrading a
 * read lock to a write lock without a timeout (a certain self-deadlock; a
 * timed one times out), destroying a lock that is held or waited for. The
 * real rwlock is never locked. */
#define _GNU_SOURCE
#include "model_rwlock.h"
#include "race.h"

#include <errno.h>

struct weft_object *weft__rwlock_get(pthread_rwlock_t *l)
{
	struct weft_object *o = weft__object_get(l, WEFT_OBJECT_RWLOCK);
	if (o->kind != WEFT_OBJECT_RWLOCK)
		weft__fail(WEFT_BUG_MISUSE, "object #%u is used as a rwlock and as something else",
		           o->id);
	/* The kind lives in glibc's __flags, set by the initialiser or by
	 * pthread_rwlock_init from the attribute. */
	if (!o->u.rwlock.writer && o->u.rwlock.readers == 0)
		o->u.rwlock.prefer_writer =
		    l->__data.__flags == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP;
	return o;
}

static bool is_write_op(enum weft_op op)
{
	return op == WEFT_OP_RWLOCK_WRLOCK || op == WEFT_OP_RWLOCK_TIMEDWRLOCK;
}

static bool is_lock_op(enum weft_op op)
{
	return is_write_op(op) || op == WEFT_OP_RWLOCK_RDLOCK || op == WEFT_OP_RWLOCK_TIMEDRDLOCK;
}

/* A thread other than t waits to lock l for writing. */
static bool writer_waiting(const struct weft_object *l, const struct weft_thread *t)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *w = weft__rt.threads[i];
		if (w != t && !w->exited && w->obj == l && is_write_op(w->op))
			return true;
	}
	return false;
}

bool weft__rwlock_can_rdlock(const struct weft_thread *t, const struct weft_object *l)
{
	/* The writer's own read lock is "enabled" so that its model reports it. */
	if (l->u.rwlock.writer)
		return l->u.rwlock.writer == t;
	return !l->u.rwlock.prefer_writer || l->u.rwlock.readers == 0 || !writer_waiting(l, t);
}

bool weft__rwlock_can_wrlock(const struct weft_thread *t, const struct weft_object *l)
{
	if (l->u.rwlock.writer)
		return l->u.rwlock.writer == t;
	/* An upgrade is "enabled" so that its model reports it; a timed one
	 * just times out. */
	return l->u.rwlock.readers == 0 ||
	       (t->op == WEFT_OP_RWLOCK_WRLOCK && l->u.rwlock.reads[t->id] > 0);
}

static void take_read(struct weft_thread *me, struct weft_object *l)
{
	if (l->u.rwlock.reads[me->id]++ == 0)
		weft__held_add(me, l);
	l->u.rwlock.readers++;
	weft__race_acquire(l);
}

static void take_write(struct weft_thread *me, struct weft_object *l)
{
	l->u.rwlock.writer = me;
	weft__held_add(me, l);
	weft__race_acquire_exclusive(l);
}

static void check_relock(struct weft_thread *me, struct weft_object *l, const char *how)
{
	if (l->u.rwlock.writer == me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u %s rwlock#%u, which it holds for writing "
		           "(glibc returns EDEADLK)",
		           me->id, how, l->id);
}

int weft__rwlock_rdlock(struct weft_object *l)
{
	struct weft_thread *me = weft__self();
	check_relock(me, l, "read-locks");
	if (!weft__rwlock_can_rdlock(me, l))
		return ETIMEDOUT;
	take_read(me, l);
	return 0;
}

int weft__rwlock_wrlock(struct weft_object *l)
{
	struct weft_thread *me = weft__self();
	check_relock(me, l, "write-locks");
	if (l->u.rwlock.reads[me->id] > 0 && !me->has_deadline)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u write-locks rwlock#%u while it holds a read lock on it: a "
		           "read lock cannot be upgraded, the writer waits for itself forever",
		           me->id, l->id);
	if (!weft__rwlock_can_wrlock(me, l))
		return ETIMEDOUT;
	take_write(me, l);
	return 0;
}

static int failed_try(struct weft_thread *me)
{
	/* As a failed mutex trylock: let the others run first. */
	me->yielded = true;
	return EBUSY;
}

int weft__rwlock_tryrdlock(struct weft_object *l)
{
	struct weft_thread *me = weft__self();
	if (l->u.rwlock.writer || !weft__rwlock_can_rdlock(me, l))
		return failed_try(me);
	take_read(me, l);
	return 0;
}

int weft__rwlock_trywrlock(struct weft_object *l)
{
	struct weft_thread *me = weft__self();
	if (l->u.rwlock.writer || l->u.rwlock.readers > 0)
		return failed_try(me);
	take_write(me, l);
	return 0;
}

int weft__rwlock_unlock(struct weft_object *l)
{
	struct weft_thread *me = weft__self();
	if (l->u.rwlock.writer == me) {
		weft__race_release(l);
		l->u.rwlock.writer = NULL;
		weft__held_remove(me, l);
		return 0;
	}
	if (l->u.rwlock.reads[me->id] > 0) {
		weft__race_release_shared(l);
		if (--l->u.rwlock.reads[me->id] == 0)
			weft__held_remove(me, l);
		l->u.rwlock.readers--;
		return 0;
	}
	if (l->u.rwlock.writer)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u unlocks rwlock#%u, which thread %u holds for writing", me->id,
		           l->id, l->u.rwlock.writer->id);
	weft__fail(WEFT_BUG_MISUSE,
	           "thread %u unlocks rwlock#%u, which it does not hold (%u read lock%s held by "
	           "other threads)",
	           me->id, l->id, l->u.rwlock.readers, l->u.rwlock.readers == 1 ? "" : "s");
}

void weft__rwlock_check_unused(struct weft_object *l, const char *what)
{
	struct weft_thread *me = weft__self();
	if (l->u.rwlock.writer)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u %s rwlock#%u while thread %u holds it for writing", me->id,
		           what, l->id, l->u.rwlock.writer->id);
	if (l->u.rwlock.readers)
		weft__fail(WEFT_BUG_MISUSE, "thread %u %s rwlock#%u while %u read lock%s held",
		           me->id, what, l->id, l->u.rwlock.readers,
		           l->u.rwlock.readers == 1 ? " is" : "s are");
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t != me && !t->exited && t->obj == l && is_lock_op(t->op))
			weft__fail(WEFT_BUG_MISUSE,
			           "thread %u %s rwlock#%u while thread %u waits to lock it",
			           me->id, what, l->id, t->id);
	}
}
