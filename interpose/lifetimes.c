/* Where an object's model begins and ends. A call to *_init starts a new
 * object: its number is taken at the init and kept by every use until the
 * object is destroyed (or initialised again), so a report reads
 * "pthread_mutex_init mutex#1 ... pthread_mutex_lock mutex#1". What was at
 * the address before (a destroyed object, memory that held another kind of
 * object, or one initialised twice) is the new object's previous one in the
 * exchange region, one object to the strategies (protocol.h).
 *
 * Freed or unmapped memory is not watched (a range lookup at every free
 * would cost every allocation): an object is renewed by its init, by its
 * destroy followed by a use, by a named semaphore's end (named_sem.c), and
 * where the model writes its state into the real object, by a use that
 * finds the memory disagreeing with the model (a semaphore's value, a once
 * control or static guard found not done): a new object was put there
 * without an init. A mutex, condition variable or read-write lock put in
 * reused memory by a static initialiser keeps the model of the one before;
 * as the old one was unlocked and unwaited when its memory was freed (else
 * the program had a use after free), the model is the same as a new one's. */
#define _GNU_SOURCE
#include "runtime.h"

#include <string.h>

struct weft_object *weft__object_begin(const void *addr, enum weft_object_kind kind,
                                       struct weft_object **old)
{
	struct weft_object *was = weft__object_find(addr);
	if (was)
		weft__object_forget(addr);
	*old = was && was->kind == kind ? was : NULL;
	return weft__object_get(addr, kind);
}

struct weft_object *weft__object_renew(struct weft_object *o)
{
	enum weft_object_kind kind = o->kind;
	weft__object_forget((const void *)o->addr);
	return weft__object_get((const void *)o->addr, kind);
}

void weft__object_started(struct weft_object *o)
{
	/* The model restarts from the real object, which the real init is
	 * about to set: the next use seeds it afresh. */
	memset(&o->u, 0, sizeof o->u);
	o->seeded = false;
}
