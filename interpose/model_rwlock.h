/* Operations of the read-write lock model. The lock functions run after
 * the scheduling point: they take the lock, or return ETIMEDOUT when the
 * thread was chosen because its deadline came. */
#ifndef WEFT_MODEL_RWLOCK_H
#define WEFT_MODEL_RWLOCK_H

#include "runtime.h"

struct weft_object *weft__rwlock_get(pthread_rwlock_t *l);
int weft__rwlock_rdlock(struct weft_object *l);
int weft__rwlock_wrlock(struct weft_object *l);
int weft__rwlock_tryrdlock(struct weft_object *l);
int weft__rwlock_trywrlock(struct weft_object *l);
int weft__rwlock_unlock(struct weft_object *l);
/* Misuse unless nobody holds or waits for l; `what` is "destroys" or
 * "initialises". */
void weft__rwlock_check_unused(struct weft_object *l, const char *what);

#endif
