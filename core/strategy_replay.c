/* Replay as a strategy: one execution that follows a recorded schedule. */
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

struct replay {
	const struct weft_choice *choices;
	uint32_t len;
	bool done;
};

static void *replay_create(const struct weft_config *config)
{
	struct replay *s = calloc(1, sizeof *s);
	if (s) {
		s->choices = config->replay;
		s->len = config->replay_len;
	}
	return s;
}

static bool replay_next_plan(void *state, struct weft_plan *plan)
{
	struct replay *s = state;
	if (s->done || s->len > plan->cap)
		return false;
	s->done = true;
	if (s->len)
		memcpy(plan->choices, s->choices, s->len * sizeof *s->choices);
	plan->len = s->len;
	return true;
}

static void replay_observe(void *state, const struct weft_trace *trace)
{
	(void)state;
	(void)trace;
}

static void replay_destroy(void *state)
{
	free(state);
}

const struct weft_strategy_ops weft_strategy_replay = {
	.name = "replay",
	.summary = "run one recorded schedule",
	.create = replay_create,
	.next_plan = replay_next_plan,
	.observe = replay_observe,
	.destroy = replay_destroy,
};
