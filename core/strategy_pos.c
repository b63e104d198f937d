/* Partial order sampling (POS, Yuan, Yang and Gu, CAV 2018): every thread's
 * next operation has a random priority, the highest enabled one runs, and
 * when it has run the operations that race with it (same object) draw new
 * priorities. This samples partial orders far more evenly than a random
 * walk. The runtime does the sampling (interpose/policy.c); this strategy
 * hands each execution its seed. */
#include <stdlib.h>

#include "strategy.h"

struct pos {
	uint64_t seed, executions;
};

static void *pos_create(const struct weft_config *config)
{
	struct pos *s = calloc(1, sizeof *s);
	if (s)
		s->seed = config->seed;
	return s;
}

static bool pos_next_plan(void *state, struct weft_plan *plan)
{
	struct pos *s = state;
	plan->len = 0;
	plan->policy = WEFT_POLICY_POS;
	plan->seed = weft_execution_seed(s->seed, s->executions++);
	return true;
}

static void pos_observe(void *state, const struct weft_trace *trace)
{
	(void)state;
	(void)trace;
}

static void pos_destroy(void *state)
{
	free(state);
}

const struct weft_strategy_ops weft_strategy_pos = {
	.name = "pos",
	.summary = "partial order sampling, reproducible from --seed",
	.create = pos_create,
	.next_plan = pos_next_plan,
	.observe = pos_observe,
	.seeded = true,
	.destroy = pos_destroy,
};
