/* Operations of the condition variable model. */
#ifndef WEFT_MODEL_COND_H
#define WEFT_MODEL_COND_H

#include "runtime.h"

struct weft_object *weft__cond_get(pthread_cond_t *c);
void weft__cond_wait_begin(struct weft_object *c, struct weft_object *m);
/* The wake-up of a waiter: 0 when signalled (the mutex is free to take),
 * else it leaves the queue and returns ETIMEDOUT when its deadline came, 0
 * for a spurious wake-up; *relock then says the mutex must be waited for. */
int weft__cond_wake(struct weft_object *c, bool *relock);
/* Thread t, woken by a cancellation request, leaves c's queue (if still in
 * it: a signal may have taken it out already). */
void weft__cond_leave(struct weft_object *c, struct weft_thread *t);
void weft__cond_wait_end(struct weft_object *c);
void weft__cond_signal(struct weft_object *c);
void weft__cond_broadcast(struct weft_object *c);
/* Misuse when threads wait on c; `what` is "destroys" or "initialises". */
void weft__cond_check_unused(struct weft_object *c, const char *what);

#endif
