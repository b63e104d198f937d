/* The default strategy: optimal DPOR, which finishes the space with one
 * execution per happens-before order when the space is small enough; if a
 * budget (--max-executions or --time-limit) is set and DPOR has used half of
 * it without finishing, PCT (depth --pct-depth, default 3) samples the rest,
 * since a bug of small depth is then more likely found by sampling than by
 * going on depth-first. Without a budget DPOR runs to the end. The summary
 * says which happened. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "strategy.h"

struct autos {
	void *dpor, *pct;
	bool sampling;
	uint64_t executions, dpor_executions, exec_budget;
	double start, time_budget;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *auto_create(const struct weft_config *config)
{
	struct autos *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->dpor = weft_strategy_dpor.create(config);
	s->pct = weft_strategy_pct.create(config);
	s->exec_budget = config->max_executions;
	s->time_budget = config->time_limit;
	s->start = now();
	if (!s->dpor || !s->pct) {
		if (s->dpor)
			weft_strategy_dpor.destroy(s->dpor);
		if (s->pct)
			weft_strategy_pct.destroy(s->pct);
		free(s);
		return NULL;
	}
	return s;
}

static bool auto_next_plan(void *state, struct weft_plan *plan)
{
	struct autos *s = state;
	if (!s->sampling) {
		bool half_executions = s->exec_budget && s->executions >= s->exec_budget / 2;
		bool half_time = s->time_budget > 0 && now() - s->start >= s->time_budget / 2;
		if (half_executions || half_time) {
			s->sampling = true;
			s->dpor_executions = s->executions;
		}
	}
	s->executions++;
	if (s->sampling)
		return weft_strategy_pct.next_plan(s->pct, plan);
	return weft_strategy_dpor.next_plan(s->dpor, plan);
}

static void auto_observe(void *state, const struct weft_trace *trace)
{
	struct autos *s = state;
	/* PCT learns n and k from every execution, DPOR only from its own. */
	weft_strategy_pct.observe(s->pct, trace);
	if (!s->sampling)
		weft_strategy_dpor.observe(s->dpor, trace);
}

static void auto_describe(void *state, char *buf, size_t len)
{
	struct autos *s = state;
	if (!s->sampling) {
		snprintf(buf, len, "optimal DPOR (one execution per happens-before order)");
		return;
	}
	char pct[200];
	weft_strategy_pct.describe(s->pct, pct, sizeof pct);
	snprintf(buf, len, "DPOR did not finish in %llu executions (half the budget); then %s",
	         (unsigned long long)s->dpor_executions, pct);
}

static void auto_destroy(void *state)
{
	struct autos *s = state;
	weft_strategy_dpor.destroy(s->dpor);
	weft_strategy_pct.destroy(s->pct);
	free(s);
}

const struct weft_strategy_ops weft_strategy_auto = {
	.name = "auto",
	.summary = "DPOR, then PCT for the second half of a budget DPOR could not finish in",
	.create = auto_create,
	.next_plan = auto_next_plan,
	.observe = auto_observe,
	.destroy = auto_destroy,
	.describe = auto_describe,
	.seeded = true,
};
