/* Operations of the once model (pthread_once, call_once). */
#ifndef WEFT_MODEL_ONCE_H
#define WEFT_MODEL_ONCE_H

#include "runtime.h"

struct weft_object *weft__once_get(pthread_once_t *once);
/* After the scheduling point: true when the caller must run the
 * initialiser, then call weft__once_finish. */
bool weft__once_begin(struct weft_object *o);
void weft__once_finish(struct weft_object *o, pthread_once_t *once);

#endif
