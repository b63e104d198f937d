/* PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi
 * and Nagarakatte, ASPLOS 2010): threads get random distinct priorities,
 * the highest enabled one runs, and at d - 1 random steps the running
 * thread drops below all others. A bug of depth d in a program with n
 * threads and k steps is found by each execution with probability at least
 * 1 / (n * k^(d-1)); the summary reports that bound from the largest n and
 * k observed. k for the change points is the longest execution seen so far. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "strategy.h"

struct pct {
	uint64_t seed, executions;
	uint32_t depth, max_threads, max_steps;
};

static void *pct_create(const struct weft_config *config)
{
	struct pct *s = calloc(1, sizeof *s);
	if (s) {
		s->seed = config->seed;
		s->depth = config->pct_depth ? config->pct_depth : 3;
		s->max_steps = 1;
	}
	return s;
}

static bool pct_next_plan(void *state, struct weft_plan *plan)
{
	struct pct *s = state;
	plan->len = 0;
	plan->policy = WEFT_POLICY_PCT;
	plan->seed = weft_execution_seed(s->seed, s->executions++);
	plan->pct_depth = s->depth;
	plan->pct_steps = s->max_steps;
	return true;
}

static void pct_observe(void *state, const struct weft_trace *trace)
{
	struct pct *s = state;
	if (trace->nevents > s->max_steps)
		s->max_steps = trace->nevents;
	if (trace->nthreads > s->max_threads)
		s->max_threads = trace->nthreads;
}

static void pct_describe(void *state, char *buf, size_t len)
{
	const struct pct *s = state;
	double n = s->max_threads ? s->max_threads : 1, k = s->max_steps;
	double p = 1.0 / (n * pow(k, (double)s->depth - 1));
	snprintf(buf, len,
	         "PCT depth %u: each execution finds a bug of depth <= %u with probability >= "
	         "1/(n*k^(d-1)) = %.3g (n = %.0f threads, k = %.0f steps)",
	         s->depth, s->depth, p, n, k);
}

static void pct_destroy(void *state)
{
	free(state);
}

const struct weft_strategy_ops weft_strategy_pct = {
	.name = "pct",
	.summary = "probabilistic concurrency testing with depth --pct-depth",
	.create = pct_create,
	.next_plan = pct_next_plan,
	.observe = pct_observe,
	.seeded = true,
	.destroy = pct_destroy,
	.describe = pct_describe,
};
