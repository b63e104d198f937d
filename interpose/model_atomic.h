/* The model of atomic locations of programs built with -fsanitize=thread
 * (model_atomic.c), used by the atomic entry points (tsan_atomics.c). */
#ifndef WEFT_MODEL_ATOMIC_H
#define WEFT_MODEL_ATOMIC_H

#include "race.h"

/* Whether weft controls the calling thread's atomics (claiming the process
 * at the first one, as any modelled call does). */
static inline bool weft__atomic_controlled(void)
{
	return weft__race_current != NULL || weft__race_attach(true) != NULL;
}

/* The scheduling point before an atomic operation on addr; returns the
 * location's object. The operation itself follows, then one of: */
struct weft_object *weft__atomic_begin(const volatile void *addr, enum weft_op op, uintptr_t pc);
void weft__atomic_loaded(struct weft_object *o, int order);
void weft__atomic_stored(struct weft_object *o, int order);
/* changed: the operation wrote a different value from the one it read */
void weft__atomic_rmw_done(struct weft_object *o, int order, bool changed);
void weft__atomic_cas_failed(struct weft_object *o, int order);

#endif
