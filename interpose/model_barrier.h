/* Operations of the barrier model. */
#ifndef WEFT_MODEL_BARRIER_H
#define WEFT_MODEL_BARRIER_H

#include "runtime.h"

struct weft_object *weft__barrier_get(pthread_barrier_t *b);
/* The calling thread arrives; true when it ended the round (it is the
 * serial thread and does not wait). */
bool weft__barrier_arrive(struct weft_object *o);
/* Misuse when threads wait in the barrier; `what` is "destroys" or
 * "initialises". */
void weft__barrier_check_unused(struct weft_object *o, const char *what);

#endif
