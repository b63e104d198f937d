/* Operations of the semaphore model. */
#ifndef WEFT_MODEL_SEM_H
#define WEFT_MODEL_SEM_H

#include <semaphore.h>

#include "runtime.h"

struct weft_object *weft__sem_get(sem_t *s);
/* After a (timed) wait's scheduling point: 0 with the value taken, or
 * ETIMEDOUT when the thread was chosen because its deadline came. */
int weft__sem_wait(struct weft_object *o, sem_t *s);
/* 0 with the value taken, or EAGAIN. */
int weft__sem_trywait(struct weft_object *o, sem_t *s);
void weft__sem_post(struct weft_object *o, sem_t *s);
int weft__sem_value(const struct weft_object *o);
/* Whether a thread waits on the semaphore now. */
bool weft__sem_has_waiters(const struct weft_object *o);
/* Misuse when threads wait on the semaphore; `what` is "destroys" or
 * "initialises". */
void weft__sem_check_unused(struct weft_object *o, const char *what);

#endif
