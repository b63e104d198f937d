/* The model of POSIX semaphores: a value and the threads waiting for it to
 * be positive. The value starts from the real semaphore (sem_init, or a
 * semaphore set up before weft took control) and is written back after
 * each change, so glibc and the model never disagree. Misuse: destroying
 * or re-initialising a semaphore that threads wait on, and posting past
 * SEM_VALUE_MAX (sem_post would fail with EOVERFLOW: a runaway producer).
 * POSIX has no owner for a semaphore, so any thread may post. */
#define _GNU_SOURCE
#include "model_sem.h"
#include "race.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* glibc (64-bit) keeps the value in the low 32 bits of the semaphore's
 * first word, the number of waiters in the high ones. */
static uint32_t real_value(const sem_t *s)
{
	uint32_t v;
	memcpy(&v, s, sizeof v);
	return v;
}

static void set_real_value(sem_t *s, uint32_t v)
{
	memcpy(s, &v, sizeof v);
}

struct weft_object *weft__sem_get(sem_t *s)
{
	struct weft_object *o = weft__object_get(s, WEFT_OBJECT_SEM);
	if (o->kind != WEFT_OBJECT_SEM)
		weft__fail(WEFT_BUG_MISUSE,
		           "object #%u is used as a semaphore and as something else", o->id);
	/* The model writes every change back to the real semaphore: a value
	 * that differs now was written behind weft's back, by a new semaphore
	 * in the same memory (reused without sem_init, or mapped again). */
	if (o->seeded && real_value(s) != o->u.sem.value && !weft__sem_has_waiters(o))
		o = weft__object_renew(o);
	if (!o->seeded) {
		o->u.sem.value = real_value(s);
		o->seeded = true;
	}
	return o;
}

bool weft__sem_has_waiters(const struct weft_object *o)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (!t->exited && t->obj == o &&
		    (t->op == WEFT_OP_SEM_WAIT || t->op == WEFT_OP_SEM_TIMEDWAIT))
			return true;
	}
	return false;
}

bool weft__sem_can_wait(const struct weft_object *o)
{
	return o->u.sem.value > 0;
}

int weft__sem_wait(struct weft_object *o, sem_t *s)
{
	if (o->u.sem.value == 0)
		return ETIMEDOUT;
	set_real_value(s, --o->u.sem.value);
	weft__race_acquire(o);
	return 0;
}

int weft__sem_trywait(struct weft_object *o, sem_t *s)
{
	if (o->u.sem.value == 0) {
		/* A failed try makes no progress: let the others run first. */
		weft__self()->yielded = true;
		return EAGAIN;
	}
	set_real_value(s, --o->u.sem.value);
	weft__race_acquire(o);
	return 0;
}

void weft__sem_post(struct weft_object *o, sem_t *s)
{
	if (o->u.sem.value >= SEM_VALUE_MAX)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u posts sem#%u, whose value is already SEM_VALUE_MAX (%d): "
		           "sem_post fails with EOVERFLOW; something posts without bound",
		           weft__self()->id, o->id, SEM_VALUE_MAX);
	set_real_value(s, ++o->u.sem.value);
	weft__race_release(o);
}

int weft__sem_value(const struct weft_object *o)
{
	return (int)o->u.sem.value;
}

void weft__sem_check_unused(struct weft_object *o, const char *what)
{
	struct weft_thread *me = weft__self();
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t != me && !t->exited && t->obj == o &&
		    (t->op == WEFT_OP_SEM_WAIT || t->op == WEFT_OP_SEM_TIMEDWAIT))
			weft__fail(WEFT_BUG_MISUSE,
			           "thread %u %s sem#%u while thread %u waits on it", me->id, what,
			           o->id, t->id);
	}
}
