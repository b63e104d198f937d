/* Iterative bounded search, of two kinds that share one depth-first search
 * and differ only in what a choice costs: for b = 0, 1, 2, ... every
 * schedule that costs at most b, until the space is done or a budget (or
 * --max-bound) ends. Each new bound explores the schedules of the lower
 * ones again; the summary reports the bound reached.
 *
 * Preemption bounding (Musuvathi and Qadeer, PLDI 2007): a preemption is a
 * choice that switches away from the thread that ran the step before while
 * it could still run. Once the plan ends the runtime keeps the running
 * thread (the sticky policy), so the rest of an execution adds none. Most
 * concurrency bugs need only one to three preemptions.
 *
 * Delay bounding (Emmi, Qadeer and Rakamaric, POPL 2011): a deterministic
 * round-robin scheduler runs the thread that ran the step before while it
 * can, else the next enabled one after it (protocol.h); a delay is skipping
 * the thread it would run, and running the thread after k skipped enabled
 * ones costs k. Once the plan ends the runtime goes on with that same
 * scheduler (the round-robin policy), so bound 0 is exactly one execution
 * and the rest of an execution adds no delay. Switching after a thread
 * blocks or exits is free only towards the next thread in the order, and
 * every preemption is at least one delay, so a bound admits fewer schedules
 * than the same preemption bound.
 *
 * Value choices (weft_choose) cost nothing in either kind. */
#include <stdio.h>
#include <stdlib.h>

#include "strategy.h"

struct frame {
	uint32_t step, chosen, prev; /* prev: thread of the step before, or UINT32_MAX */
	uint32_t spent;              /* preemptions or delays on the path before this frame */
	uint64_t enabled, tried;
	bool value; /* a weft_choose value: alternatives cost nothing */
};

struct bound_kind {
	const char *unit; /* "preemption", "delay" */
	enum weft_policy policy;
	/* What running t at f costs, f not being a value choice. */
	uint32_t (*cost)(const struct frame *f, uint32_t t);
};

static uint32_t preemption_cost(const struct frame *f, uint32_t t)
{
	return f->prev < 64 && (f->enabled & (1ull << f->prev)) && t != f->prev;
}

static uint32_t delay_cost(const struct frame *f, uint32_t t)
{
	return weft_round_robin_delays(f->enabled, f->prev, t);
}

static const struct bound_kind preemptions = {"preemption", WEFT_POLICY_STICKY, preemption_cost};
static const struct bound_kind delays = {"delay", WEFT_POLICY_ROUND_ROBIN, delay_cost};

struct bounded {
	const struct bound_kind *kind;
	struct frame *frames;
	uint32_t depth, cap, planned;
	uint32_t bound, max_bound;
	bool started, pruned;
	bool complete; /* the bound reached covers every schedule */
	bool capped;   /* stopped after --max-bound with schedules left over */
};

static void *create(const struct weft_config *config, const struct bound_kind *kind)
{
	struct bounded *s = calloc(1, sizeof *s);
	if (s) {
		s->kind = kind;
		s->max_bound = config->max_bound;
	}
	return s;
}

static void *preemption_create(const struct weft_config *config)
{
	return create(config, &preemptions);
}

static void *delay_create(const struct weft_config *config)
{
	return create(config, &delays);
}

/* The cost of the path up to f and then running t at f. */
static uint32_t cost(const struct bounded *s, const struct frame *f, uint32_t t)
{
	return f->spent + (f->value ? 0 : s->kind->cost(f, t));
}

static bool bounded_next_plan(void *state, struct weft_plan *plan)
{
	struct bounded *s = state;
	plan->policy = s->kind->policy;
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
				if (cost(s, f, t) <= s->bound) {
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
			for (uint32_t i = 0; i < s->depth; i++) {
				const struct frame *f = &s->frames[i];
				plan->choices[i] = (struct weft_choice){f->step, f->chosen};
			}
			plan->len = s->depth;
			s->planned = s->depth;
			return true;
		}
		/* Every schedule within the bound is done. */
		if (!s->pruned) {
			s->complete = true;
			return false;
		}
		if (s->bound >= s->max_bound) {
			s->capped = true;
			return false;
		}
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
			before = cost(s, p, p->chosen);
		}
		uint32_t choice = weft_event_choice(e);
		s->frames[s->depth++] = (struct frame){
			.step = i,
			.chosen = choice,
			.prev = i > 0 ? trace->events[i - 1].thread : UINT32_MAX,
			.spent = before,
			.enabled = e->enabled,
			.tried = 1ull << choice,
			.value = (e->flags & WEFT_EVENT_VALUE) != 0,
		};
	}
}

/* The space ended because --max-bound did, with schedules left over. */
static const char *bounded_stopped_short(void *state)
{
	const struct bounded *s = state;
	return s->capped ? "the --max-bound budget ran out" : NULL;
}

/* A run stops while bound `bound` is in progress (a bug, a budget), after
 * finishing it (--max-bound), or when it covers the whole space. */
static void bounded_bound(void *state, struct weft_bound_reached *out)
{
	const struct bounded *s = state;
	bool finished = s->complete || s->capped;
	out->kind = s->kind->unit;
	out->explored = finished ? (int64_t)s->bound : (int64_t)s->bound - 1;
	out->in_progress = finished ? -1 : (int64_t)s->bound;
}

static void bounded_describe(void *state, char *buf, size_t len)
{
	const struct bounded *s = state;
	const char *unit = s->kind->unit;
	if (s->complete)
		snprintf(buf, len, "every schedule explored: %s bound %u covers them all", unit,
		         s->bound);
	else if (s->capped)
		snprintf(buf, len,
		         "every schedule with at most %u %s%s explored (--max-bound %u); "
		         "others need more",
		         s->bound, unit, s->bound == 1 ? "" : "s", s->bound);
	else if (s->bound > 0)
		snprintf(buf, len,
		         "every schedule with at most %u %s%s explored; bound %u was in progress",
		         s->bound - 1, unit, s->bound == 2 ? "" : "s", s->bound);
	else
		snprintf(buf, len, "%s bound 0 was in progress (not finished)", unit);
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
	.create = preemption_create,
	.next_plan = bounded_next_plan,
	.observe = bounded_observe,
	.destroy = bounded_destroy,
	.describe = bounded_describe,
	.stopped_short = bounded_stopped_short,
	.bound = bounded_bound,
};

const struct weft_strategy_ops weft_strategy_delay = {
	.name = "delay",
	.summary = "iterative delay bounding over a round-robin scheduler (bound 0, 1, 2, ...)",
	.create = delay_create,
	.next_plan = bounded_next_plan,
	.observe = bounded_observe,
	.destroy = bounded_destroy,
	.describe = bounded_describe,
	.stopped_short = bounded_stopped_short,
	.bound = bounded_bound,
};
