/* Operations of the mutex model, shared with the condition variable model
 * (which releases and re-acquires the waiter's mutex). */
#ifndef WEFT_MODEL_MUTEX_H
#define WEFT_MODEL_MUTEX_H

#include "runtime.h"

struct weft_object *weft__mutex_get(pthread_mutex_t *m);
int weft__mutex_lock(struct weft_object *m);
/* After a timed wait: the lock if it is free, else ETIMEDOUT (EINVAL when
 * the time given was not valid). */
int weft__mutex_timedlock(struct weft_object *m, bool bad_time);
int weft__mutex_trylock(struct weft_object *m);
int weft__mutex_unlock(struct weft_object *m);
/* Misuse unless nobody holds m or waits to lock it; `what` is "destroys"
 * or "initialises". */
void weft__mutex_check_unused(struct weft_object *m, const char *what);
void weft__mutex_acquire(struct weft_thread *me, struct weft_object *m, int count);
int weft__mutex_release_all(struct weft_thread *me, struct weft_object *m);

/* Robust mutexes (model_robust.c). */
void weft__robust_read_kind(struct weft_object *o, const pthread_mutex_t *m);
/* The owner of a robust mutex ended holding it: a lock takes it over. */
bool weft__robust_owner_dead(const struct weft_object *o);
void weft__robust_take_from_dead(struct weft_thread *me, struct weft_object *o);
/* A lock or trylock that the robust rules decide: true with *rc set
 * (EOWNERDEAD with the lock taken, or ENOTRECOVERABLE). */
bool weft__robust_lock(struct weft_thread *me, struct weft_object *o, int *rc);
/* Before the owner's last unlock: inconsistent becomes not recoverable. */
void weft__robust_unlock(struct weft_object *o);
/* pthread_mutex_consistent: 0, or EINVAL. */
int weft__robust_consistent(struct weft_object *o);

#endif
