/* Object identities that hold across executions. The runtime numbers
 * objects in order of first use, which replays need but which changes when
 * the interleaving does: two threads that first touch two static atomics
 * (or static mutexes) in the other order swap their numbers, and a
 * strategy comparing events of different executions (DPOR's wakeup trees,
 * trace fingerprints) would take the same event for another. The explorer
 * therefore renames, for the strategies, every object that lives in a
 * loaded module's static storage after its place there (module, offset),
 * which does not depend on the interleaving; other objects (heap, stack)
 * keep their first-use numbers. An object that replaced a destroyed one at
 * the same address takes that one's number. Reports keep the runtime's
 * numbers. */
#ifndef WEFT_OBJECT_KEYS_H
#define WEFT_OBJECT_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"
#include "strategy.h"

struct weft_object_keys;

struct weft_object_keys *weft_object_keys_new(void);
void weft_object_keys_free(struct weft_object_keys *k);

/* Point the trace of the execution in shm at copies of its events and
 * threads' states with stable object numbers. Leaves it as it is when
 * out of memory (k may be NULL). The copies live until the next call. */
void weft_object_keys_trace(struct weft_object_keys *k, const struct weft_shm *shm,
                            struct weft_trace *trace);

#endif
