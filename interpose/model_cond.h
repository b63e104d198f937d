/* Operations of the condition variable model. */
#ifndef WEFT_MODEL_COND_H
#define WEFT_MODEL_COND_H

#include "runtime.h"

struct weft_object *weft__cond_get(pthread_cond_t *c);
void weft__cond_wait_begin(struct weft_object *c, struct weft_object *m);
void weft__cond_wait_end(struct weft_object *c);
void weft__cond_signal(struct weft_object *c);
void weft__cond_broadcast(struct weft_object *c);
void weft__cond_destroy(struct weft_object *c);

#endif
