/* Iterative preemption bounding (Musuvathi and Qadeer, PLDI 2007): depth-
 * first search over the schedules with at most b preemptions, for b = 0,
 * 1, 2, ... until the space is done or a budget ends. A preemption is a
 * choice that switches away from the thread that ran the step before while
 * it could still run; once the plan ends the runtime keeps the running
 * thread (the sticky policy), so the rest of an execution adds none. Most
 * concurrency bugs need only one to three preemptions, so small bounds
 * find them early. Each new bound explores the schedules of the lower ones
 * again; the summary reports the bound reached. */
#include <stdio.h>
#include <stdlib.h>

#include "strategy.h"

struct frame {
	uint32_t step, chosen, prev; /* prev: thread of the step before, or UINT32_MAX */
	uint32_t preemptions;        /* on the path before this frame */
	uint64_t enabled, tried;
	bool value; /* a weft_choose value: alternatives are not preemptions */
};

struct bounded {
	struct frame *frames;
	uint32_t depth, cap, planned;
	uint32_t bound, max_bound;
	bool started, pruned, complete;
};

static void *bounded_create(const struct weft_config *config)
{
	struct bounded *s = calloc(1, sizeof *s);
	if (s)
		s->max_bound = config->max_bound;
	return s;
}

static uint32_t cost(const struct frame *f, uint32_t t)
{
	bool preempts = !f->value && f->prev < 64 && (f->enabled & (1ull << f->prev)) && t != f->prev;
	return f->preemptions + preempts;
}

static bool bounded_next_plan(void *state, struct weft_plan *plan)
{
	struct bounded *s = state;
	plan->policy = WEFT_POLICY_STICKY;
	for (;;) {
		if (!s->started) {
			s->started = true;
			s->planned = 0;
			plan->len = 0;
			return true;
		}
		while (s->depth > 0) {
			struct frame *f = &s->frames[s->depth - 1];
			uint64_t untried = f->enabled & ~f->tried;
			bool found = false;
			while (untried) {
				uint32_t t = (uint32_t)__builtin_ctzll(untried);
				untried &= untried - 1;
				f->tried |= 1ull << t;
				if (cost(f, t) <= s->bound) {
					f->chosen = t;
					found = true;
					break;
				}
				s->pruned = true;
			}
			if (found)
				break;
			s->depth--;
		}
		if (s->depth > 0) {
			for (uint32_t i = 0; i < s->depth; i++)
				plan->choices[i] = (struct weft_choice){s->frames[i].step, s->frames[i].chosen};
			plan->len = s->depth;
			s->planned = s->depth;
			return true;
		}
		/* Every schedule within the bound is done. */
		if (!s->pruned) {
			s->complete = true;
			return false;
		}
		if (s->max_bound && s->bound >= s->max_bound)
			return false;
		s->bound++;
		s->pruned = false;
		s->started = false;
	}
}

static void bounded_observe(void *state, const struct weft_trace *trace)
{
	struct bounded *s = state;
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
				return;
			s->frames = frames;
			s->cap = cap;
		}
		uint32_t before = 0;
		if (s->depth) {
			const struct frame *p = &s->frames[s->depth - 1];
			before = cost(p, p->chosen);
		}
		uint32_t choice = weft_event_choice(e);
		s->frames[s->depth++] = (struct frame){
			.step = i,
			.chosen = choice,
			.prev = i > 0 ? trace->events[i - 1].thread : UINT32_MAX,
			.preemptions = before,
			.enabled = e->enabled,
			.tried = 1ull << choice,
			.value = (e->flags & WEFT_EVENT_VALUE) != 0,
		};
	}
}

static void bounded_describe(void *state, char *buf, size_t len)
{
	const struct bounded *s = state;
	if (s->complete)
		snprintf(buf, len, "every schedule explored: preemption bound %u covers them all",
		         s->bound);
	else if (s->bound > 0)
		snprintf(buf, len,
		         "every schedule with at most %u preemption%s explored; bound %u was in progress",
		         s->bound - 1, s->bound == 2 ? "" : "s", s->bound);
	else
		snprintf(buf, len, "preemption bound 0 was in progress (not finished)");
}

static void bounded_destroy(void *state)
{
	struct bounded *s = state;
	free(s->frames);
	free(s);
}

const struct weft_strategy_ops weft_strategy_bounded = {
	.name = "bounded",
	.summary = "iterative preemption bounding (bound 0, 1, 2, ...)",
	.create = bounded_create,
	.next_plan = bounded_next_plan,
	.observe = bounded_observe,
	.destroy = bounded_destroy,
	.describe = bounded_describe,
};
