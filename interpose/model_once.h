/* Operations of the once model (pthread_once, call_once, C++ static guards). */
#ifndef WEFT_MODEL_ONCE_H
#define WEFT_MODEL_ONCE_H

#include "runtime.h"

struct weft_object *weft__once_get(pthread_once_t *once);
/* After the scheduling point: true when the caller must run the
 * initialiser, then call weft__once_finish. */
bool weft__once_begin(struct weft_object *o);
void weft__once_finish(struct weft_object *o, pthread_once_t *once);

/* The guard of a C++ function-local static: after the scheduling point,
 * weft__guard_begin is true when the caller must initialise; then
 * release (done) or abort (the constructor threw). */
struct weft_object *weft__guard_get(uint64_t *guard);
bool weft__guard_begin(struct weft_object *o);
void weft__guard_release(struct weft_object *o, uint64_t *guard);
void weft__guard_abort(struct weft_object *o);

#endif
