/* Exhaustive depth-first search over every choice point: a stack with one
 * frame per choice point of the current execution (the threads that could
 * run and those already tried there). The next plan replays the stack up to
 * the deepest frame with an untried thread and takes that thread there.
 * Memory grows with the depth of an execution, never with the number of
 * executions explored. */
#include <stdlib.h>

#include "strategy.h"

struct frame {
	uint32_t step;
	uint32_t chosen;
	uint64_t enabled;
	uint64_t tried;
};

struct dfs {
	struct frame *frames;
	uint32_t depth, cap;
	uint32_t planned; /* frames forced by the last plan */
	bool started;
};

static void *dfs_create(const struct weft_config *config)
{
	(void)config;
	return calloc(1, sizeof(struct dfs));
}

static bool dfs_next_plan(void *state, struct weft_plan *plan)
{
	struct dfs *s = state;
	if (!s->started) {
		s->started = true;
		plan->len = 0;
		s->planned = 0;
		return true;
	}
	while (s->depth > 0) {
		struct frame *f = &s->frames[s->depth - 1];
		uint64_t untried = f->enabled & ~f->tried;
		if (untried) {
			f->chosen = (uint32_t)__builtin_ctzll(untried);
			f->tried |= 1ull << f->chosen;
			break;
		}
		s->depth--;
	}
	if (s->depth == 0)
		return false;
	if (s->depth > plan->cap)
		return false; /* cannot happen: frames come from traces no longer than cap */
	for (uint32_t i = 0; i < s->depth; i++) {
		plan->choices[i].step = s->frames[i].step;
		plan->choices[i].thread = s->frames[i].chosen;
	}
	plan->len = s->depth;
	s->planned = s->depth;
	return true;
}

static void dfs_observe(void *state, const struct weft_trace *trace)
{
	struct dfs *s = state;
	uint32_t seen = 0;
	for (uint32_t i = 0; i < trace->nevents; i++) {
		const struct weft_event *e = &trace->events[i];
		if (!(e->flags & WEFT_EVENT_CHOICE))
			continue;
		if (seen++ < s->planned)
			continue;
		if (s->depth == s->cap) {
			uint32_t cap = s->cap ? s->cap * 2 : 256;
			struct frame *frames = realloc(s->frames, cap * sizeof *frames);
			if (!frames)
				return; /* the search stays sound, just shallower */
			s->frames = frames;
			s->cap = cap;
		}
		s->frames[s->depth++] = (struct frame){
			.step = i,
			.chosen = weft_event_choice(e),
			.enabled = e->enabled,
			.tried = 1ull << weft_event_choice(e),
		};
	}
}

static void dfs_destroy(void *state)
{
	struct dfs *s = state;
	free(s->frames);
	free(s);
}

const struct weft_strategy_ops weft_strategy_dfs = {
	.name = "dfs",
	.summary = "exhaustive depth-first search over every choice point",
	.create = dfs_create,
	.next_plan = dfs_next_plan,
	.observe = dfs_observe,
	.destroy = dfs_destroy,
};
