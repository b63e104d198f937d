/* Fingerprints of executions by their happens-before order: two executions
 * that differ only in the order of independent events (one Mazurkiewicz
 * trace) get the same fingerprint, so counting distinct fingerprints counts
 * the traces an exploration covered. */
#ifndef WEFT_FINGERPRINT_H
#define WEFT_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"

struct weft_fingerprints;

struct weft_fingerprints *weft_fingerprints_new(bool adversarial_time, bool spurious_wakeups);
void weft_fingerprints_free(struct weft_fingerprints *f);
/* The fingerprint of one execution (xxHash of its Foata normal form);
 * `threads` (may be NULL) are the threads' states at its end, whose pending
 * operations tell what the last events led to (dependence.h). */
uint64_t weft_fingerprint(struct weft_fingerprints *f, const struct weft_event *events, uint32_t n,
                          const struct weft_thread_state *threads, uint32_t nthreads);
/* Records an execution; returns the number of distinct fingerprints so far. */
uint64_t weft_fingerprints_add(struct weft_fingerprints *f, const struct weft_event *events,
                               uint32_t n, const struct weft_thread_state *threads,
                               uint32_t nthreads);
/* Records an execution later: its trace is copied now (it is about to be
 * overwritten by the next execution) and fingerprinted at the next
 * weft_fingerprints_settle, which the explorer calls while that execution
 * runs. Returns false when out of memory (then it is recorded now). */
bool weft_fingerprints_defer(struct weft_fingerprints *f, const struct weft_event *events,
                             uint32_t n, const struct weft_thread_state *threads,
                             uint32_t nthreads);
/* Records the deferred execution, if any; returns the number of distinct
 * fingerprints so far. */
uint64_t weft_fingerprints_settle(struct weft_fingerprints *f);
/* The distinct fingerprints recorded, sorted (malloc'd; NULL if none). */
uint64_t *weft_fingerprints_values(const struct weft_fingerprints *f, uint64_t *count);

#endif
