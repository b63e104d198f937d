/* Words for what an execution did: names of objects ("mutex#2 (lock_b)"),
 * of what a thread waits for, and of who holds a lock. Shared by the bug
 * messages and the reports so that both say the same thing. */
#ifndef WEFT_DESCRIBE_H
#define WEFT_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "symbolize.h"

/* The object of an event or pending operation: "T2" for thread operations,
 * "mutex#3 (queue_lock)" for objects, "" when there is none. */
void weft_describe_object(const struct weft_shm *snap, struct weft_symbolizer *sym, unsigned op,
                          uint32_t object, char *buf, size_t len);
/* The thread that holds mutex `object` at the end, or -1. */
int weft_lock_owner(const struct weft_shm *snap, uint32_t object);
/* "pthread_mutex_lock(mutex#2 (b))" for a thread's pending operation. */
void weft_describe_pending(const struct weft_shm *snap, struct weft_symbolizer *sym,
                           uint32_t thread, char *buf, size_t len);
/* The name of an operation in reports: a wrapped function's own name
 * ("spin_lock", "read (return)"; func as in weft_event), else the op's. */
void weft_describe_op(const struct weft_shm *snap, unsigned op, uint32_t func, char *buf,
                      size_t len);
/* The thread a blocked thread waits for, or -1 (e.g. waiting for a signal). */
int weft_waits_for(const struct weft_shm *snap, uint32_t thread);

#endif
