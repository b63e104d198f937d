/* The model of barriers: the count, the threads that arrived in the current
 * round and a round number. A wait is two operations: the arrival (the
 * last thread to arrive ends the round, leaves at once and gets
 * PTHREAD_BARRIER_SERIAL_THREAD, as in glibc) and, for the others, the
 * wake-up, enabled once their round has ended. A barrier whose count is
 * never reached leaves its waiters blocked: a deadlock that names it.
 * Misuse: destroying or re-initialising a barrier threads wait in. */
#define _GNU_SOURCE
#include "model_barrier.h"
#include "race.h"

#include <string.h>

struct weft_object *weft__barrier_get(pthread_barrier_t *b)
{
	struct weft_object *o = weft__object_get(b, WEFT_OBJECT_BARRIER);
	if (o->kind != WEFT_OBJECT_BARRIER)
		weft__fail(WEFT_BUG_MISUSE, "object #%u is used as a barrier and as something else",
		           o->id);
	if (!o->seeded) {
		/* glibc's struct pthread_barrier: in, current_round, count, ... */
		uint32_t words[3];
		memcpy(words, b, sizeof words);
		o->u.barrier.count = words[2];
		o->seeded = true;
	}
	return o;
}

bool weft__barrier_arrive(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	if (o->u.barrier.count == 0)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u waits on barrier#%u, which was never initialised with "
		           "pthread_barrier_init",
		           me->id, o->id);
	me->barrier_round = o->u.barrier.round;
	weft__race_release(o);
	if (++o->u.barrier.arrived < o->u.barrier.count)
		return false;
	weft__race_acquire(o);
	o->u.barrier.arrived = 0;
	o->u.barrier.round++;
	return true;
}

bool weft__barrier_can_leave(const struct weft_thread *t)
{
	return t->barrier_round != t->obj->u.barrier.round;
}

void weft__barrier_check_unused(struct weft_object *o, const char *what)
{
	/* Threads released from an ended round may still be on their way out;
	 * glibc's pthread_barrier_destroy waits for them, so that is fine. */
	if (o->u.barrier.arrived)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u %s barrier#%u while %u thread%s wait%s in it (count %u)",
		           weft__self()->id, what, o->id, o->u.barrier.arrived,
		           o->u.barrier.arrived == 1 ? "" : "s",
		           o->u.barrier.arrived == 1 ? "s" : "", o->u.barrier.count);
}
