/* Bounded partial-order reduction: DPOR restricted to schedules with at
 * most b preemptions, for b = 0, 1, 2, ... until a bound prunes nothing
 * (the space is done), --max-bound is reached or a budget ends, as
 * `bounded` does for plain depth-first search, counting preemptions the
 * same way (value choices cost nothing) under the same sticky policy.
 *
 * The bound makes events depend on each other where the program does not,
 * and the reductions of optimal DPOR unsound (Coons, Musuvathi and
 * McKinley, OOPSLA 2013): a race reversed where it costs a preemption may
 * not fit the bound where reversing it at an earlier switch would; a
 * thread asleep in a branch was explored in a sibling where the bound may
 * have cut schedules this branch reaches within it; running a thread up to
 * a lock before its holder's unlock makes it block, and the switch back
 * is free. So when bounded (dpor_races.c, strategy_dpor.c): races add
 * Flanagan and Godefroid's backtrack points (the racing thread, or every
 * thread that could run) instead of wakeup sequences, each also at the last
 * switch between threads before it (BPOR's conservative point); every
 * dependent event not ordered before the thread's previous one races,
 * enabling ones too (an unlock and the acquisition it let through); a
 * thread's sleep passes down from the node where it was explored only if
 * no plan of its branch there was dropped over the bound (then that branch
 * covered every class that starts with it, as without a bound). Plans
 * are then single steps off a recorded execution, whose preemptions are
 * known exactly: one over the bound is not run. The
 * result reaches, within each bound, every class of equivalent executions
 * that `bounded` reaches (tests/unit/test_dpor.c checks it against
 * `bounded` on random programs), usually in fewer executions, but not one
 * per class. Each bound starts the exploration again, so the schedules of
 * the lower bounds are explored again. */
#include <stdio.h>
#include <stdlib.h>

#include "dpor.h"

struct bounded_dpor {
	const struct weft_config *config;
	struct dpor *dpor;
	uint32_t bound;
	bool complete; /* the bound reached covers every class */
	bool capped;   /* stopped after --max-bound with schedules left over */
};

static struct dpor *start_bound(struct bounded_dpor *s)
{
	struct dpor *d = weft_strategy_dpor.create(s->config);
	if (d)
		d->bound = s->bound;
	return d;
}

static void *bounded_dpor_create(const struct weft_config *config)
{
	struct bounded_dpor *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->config = config;
	s->dpor = start_bound(s);
	if (!s->dpor) {
		free(s);
		return NULL;
	}
	return s;
}

static bool bounded_dpor_next_plan(void *state, struct weft_plan *plan)
{
	struct bounded_dpor *s = state;
	for (;;) {
		if (weft_strategy_dpor.next_plan(s->dpor, plan))
			return true;
		if (!s->dpor->pruned) {
			s->complete = true;
			return false;
		}
		if (s->bound >= s->config->max_bound) {
			s->capped = true;
			return false;
		}
		weft_strategy_dpor.destroy(s->dpor);
		s->bound++;
		s->dpor = start_bound(s);
		if (!s->dpor)
			return false;
	}
}

static void bounded_dpor_observe(void *state, const struct weft_trace *trace)
{
	struct bounded_dpor *s = state;
	weft_strategy_dpor.observe(s->dpor, trace);
}

/* The space ended because --max-bound did, with schedules left over. */
static const char *bounded_dpor_stopped_short(void *state)
{
	const struct bounded_dpor *s = state;
	return s->capped ? "the --max-bound budget ran out" : NULL;
}

/* As for `bounded`: a run stops while bound `bound` is in progress (a bug,
 * a budget), after finishing it (--max-bound), or when it covers every
 * class. */
static void bounded_dpor_bound(void *state, struct weft_bound_reached *out)
{
	const struct bounded_dpor *s = state;
	bool finished = s->complete || s->capped;
	out->kind = "preemption";
	out->explored = finished ? (int64_t)s->bound : (int64_t)s->bound - 1;
	out->in_progress = finished ? -1 : (int64_t)s->bound;
}

static void bounded_dpor_describe(void *state, char *buf, size_t len)
{
	const struct bounded_dpor *s = state;
	if (s->complete)
		snprintf(buf, len,
		         "every happens-before order explored: preemption bound %u covers them all",
		         s->bound);
	else if (s->capped)
		snprintf(buf, len,
		         "every happens-before order of the schedules with at most %u preemption%s "
		         "explored (--max-bound %u); others need more",
		         s->bound, s->bound == 1 ? "" : "s", s->bound);
	else if (s->bound > 0)
		snprintf(buf, len,
		         "every happens-before order of the schedules with at most %u preemption%s "
		         "explored; bound %u was in progress",
		         s->bound - 1, s->bound == 2 ? "" : "s", s->bound);
	else
		snprintf(buf, len, "preemption bound 0 was in progress (not finished)");
}

static void bounded_dpor_destroy(void *state)
{
	struct bounded_dpor *s = state;
	if (s->dpor)
		weft_strategy_dpor.destroy(s->dpor);
	free(s);
}

const struct weft_strategy_ops weft_strategy_bounded_dpor = {
	.name = "bounded-dpor",
	.summary = "optimal DPOR within iterative preemption bounds (bound 0, 1, 2, ...)",
	.create = bounded_dpor_create,
	.next_plan = bounded_dpor_next_plan,
	.observe = bounded_dpor_observe,
	.destroy = bounded_dpor_destroy,
	.describe = bounded_dpor_describe,
	.stopped_short = bounded_dpor_stopped_short,
	.bound = bounded_dpor_bound,
};
