/* The model of condition variables: a FIFO queue of waiters. A wait is two
 * operations: the wait itself (release the mutex, join the queue) and the
 * wake-up (enabled once signalled and the mutex is free; re-acquires it).
 * Signal wakes the oldest waiter, broadcast all of them; a signal with no
 * waiter is lost, as in POSIX, which is exactly how lost wake-ups show up.
 *
 * A wake-up without a signal (a timeout, or a spurious wake-up allowed by
 * --spurious-wakeups) leaves the queue without needing the mutex, and then
 * re-acquires it as a third operation: other threads can take the mutex
 * and signal in between, and that signal no longer reaches this thread. */
#define _GNU_SOURCE
#include "model_cond.h"

#include <errno.h>

#include "model_mutex.h"
#include "race.h"

struct weft_object *weft__cond_get(pthread_cond_t *c)
{
	struct weft_object *o = weft__object_get(c, WEFT_OBJECT_COND);
	if (o->kind != WEFT_OBJECT_COND)
		weft__fail(WEFT_BUG_MISUSE,
		           "object #%u is used as a condition variable and as something else", o->id);
	return o;
}

bool weft__cond_can_wake(const struct weft_thread *t)
{
	if (t->signalled)
		return t->wait_mutex->u.mutex.owner == NULL;
	return t->due || weft__rt.spurious_left > 0;
}

void weft__cond_wait_begin(struct weft_object *c, struct weft_object *m)
{
	struct weft_thread *me = weft__self();
	if (m->u.mutex.owner != me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u waits on cond#%u with mutex#%u, which it does not hold", me->id,
		           c->id, m->id);
	if (c->u.cond.head && c->u.cond.mutex != m)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u waits on cond#%u with mutex#%u while others wait on it with "
		           "mutex#%u",
		           me->id, c->id, m->id, c->u.cond.mutex->id);
	c->u.cond.mutex = m;
	me->saved_count = weft__mutex_release_all(me, m);
	me->wait_mutex = m;
	me->signalled = false;
	me->next_waiter = NULL;
	if (c->u.cond.tail)
		c->u.cond.tail->next_waiter = me;
	else
		c->u.cond.head = me;
	c->u.cond.tail = me;
}

static void leave_queue(struct weft_object *c, struct weft_thread *me)
{
	struct weft_thread *prev = NULL;
	for (struct weft_thread *t = c->u.cond.head; t; prev = t, t = t->next_waiter) {
		if (t != me)
			continue;
		if (prev)
			prev->next_waiter = t->next_waiter;
		else
			c->u.cond.head = t->next_waiter;
		if (c->u.cond.tail == t)
			c->u.cond.tail = prev;
		t->next_waiter = NULL;
		return;
	}
}

void weft__cond_leave(struct weft_object *c, struct weft_thread *t)
{
	leave_queue(c, t);
}

bool weft__cond_spurious_only(const struct weft_thread *t)
{
	return (t->op == WEFT_OP_COND_WAKE || t->op == WEFT_OP_COND_TIMEDWAKE) && !t->signalled &&
	       !t->due && weft__rt.spurious_left > 0;
}

int weft__cond_wake(struct weft_object *c, bool *relock)
{
	struct weft_thread *me = weft__self();
	*relock = !me->signalled;
	if (me->signalled) {
		weft__race_acquire(c);
		return 0;
	}
	leave_queue(c, me);
	if (me->due)
		return ETIMEDOUT;
	weft__rt.spurious_left--;
	return 0;
}

void weft__cond_wait_end(struct weft_object *c)
{
	(void)c;
	struct weft_thread *me = weft__self();
	weft__mutex_acquire(me, me->wait_mutex, me->saved_count);
	me->wait_mutex = NULL;
	me->signalled = false;
}

static void wake_head(struct weft_object *c)
{
	struct weft_thread *t = c->u.cond.head;
	c->u.cond.head = t->next_waiter;
	if (!c->u.cond.head)
		c->u.cond.tail = NULL;
	t->next_waiter = NULL;
	t->signalled = true;
}

void weft__cond_signal(struct weft_object *c)
{
	weft__race_release(c);
	if (c->u.cond.head)
		wake_head(c);
}

void weft__cond_broadcast(struct weft_object *c)
{
	weft__race_release(c);
	while (c->u.cond.head)
		wake_head(c);
}

void weft__cond_check_unused(struct weft_object *c, const char *what)
{
	if (c->u.cond.head)
		weft__fail(WEFT_BUG_MISUSE, "thread %u %s cond#%u while thread %u waits on it",
		           weft__self()->id, what, c->id, c->u.cond.head->id);
}
