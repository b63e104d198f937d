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

#endif
