/* Random walk: every execution chooses uniformly among the enabled threads
 * at every step, from its own seed (derived from the run's seed and the
 * execution's number), so `--seed S` reproduces the whole run. It never
 * completes: it runs until a budget or a bug stops it. */
#include <stdlib.h>

#include "strategy.h"

struct walk {
	uint64_t seed, executions;
};

static void *walk_create(const struct weft_config *config)
{
	struct walk *s = calloc(1, sizeof *s);
	if (s)
		s->seed = config->seed;
	return s;
}

static bool walk_next_plan(void *state, struct weft_plan *plan)
{
	struct walk *s = state;
	plan->len = 0;
	plan->policy = WEFT_POLICY_RANDOM;
	plan->seed = weft_execution_seed(s->seed, s->executions++);
	return true;
}

static void walk_observe(void *state, const struct weft_trace *trace)
{
	(void)state;
	(void)trace;
}

static void walk_destroy(void *state)
{
	free(state);
}

const struct weft_strategy_ops weft_strategy_random = {
	.name = "random",
	.summary = "uniform random walks, reproducible from --seed",
	.create = walk_create,
	.next_plan = walk_next_plan,
	.observe = walk_observe,
	.seeded = true,
	.destroy = walk_destroy,
};
