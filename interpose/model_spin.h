/* Operations of the spin lock model. */
#ifndef WEFT_MODEL_SPIN_H
#define WEFT_MODEL_SPIN_H

#include "runtime.h"

struct weft_object *weft__spin_get(pthread_spinlock_t *s);
int weft__spin_lock(struct weft_object *o);
int weft__spin_trylock(struct weft_object *o);
int weft__spin_unlock(struct weft_object *o);
/* Misuse when the lock is held; `what` is "destroys" or "initialises". */
void weft__spin_check_unused(struct weft_object *o, const char *what);

#endif
