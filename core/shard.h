/* Sharding: --shard K/N (and -j, Bazel's TEST_SHARD_INDEX) splits one
 * exploration into N disjoint parts whose union is the whole run. The
 * design essay is at the top of shard.c. */
#ifndef WEFT_SHARD_H
#define WEFT_SHARD_H

#include <stdbool.h>

#include "protocol.h"
#include "strategy.h"

/* Wraps the strategy named by config->strategy; explore.c selects it when
 * config->shard_count > 1. */
extern const struct weft_strategy_ops weft_strategy_shard;

/* Whether the execution that just ran in shm belongs to this shard. Call it
 * after every execution, before judging it; an execution that does not
 * belong is neither judged nor counted (it only showed the tree's shape). */
bool weft_shard_claim(void *state, struct weft_shm *shm);

#endif
