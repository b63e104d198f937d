/* Checking what an execution left in the exchange region before anything
 * else reads it (exchange_check.c). */
#ifndef WEFT_EXCHANGE_CHECK_H
#define WEFT_EXCHANGE_CHECK_H

#include "classify.h"

struct weft_exchange_guard;

struct weft_exchange_guard *weft_exchange_guard_new(uint32_t max_steps);
void weft_exchange_guard_free(struct weft_exchange_guard *g);

/* Before an execution, with its plan in the region: keep what the explorer
 * wrote. */
void weft_exchange_guard_arm(struct weft_exchange_guard *g, const struct weft_shm *shm);

/* After it: true when the region can be trusted (strings are terminated
 * and the program's message sanitised); false with v filled in otherwise:
 * an error naming the corruption, or a divergence from the plan. */
bool weft_exchange_guard_check(const struct weft_exchange_guard *g, struct weft_shm *shm,
                               const struct weft_run_outcome *out, struct weft_verdict_info *v);

#endif
