/* Optimal DPOR, which finishes the space with one execution per
 * happens-before order when the space is small enough; if a budget
 * (--max-executions or --time-limit) is set and DPOR has used half of it
 * without finishing, the rest goes, one execution each in turn, to
 * iterative preemption bounding (every schedule with 0, 1, 2, ...
 * preemptions: most bugs need few) and to PCT (depth --pct-depth, default
 * 3: a probability guarantee for bugs of small depth), since going on
 * depth-first would keep varying the end of the schedule only. Without a
 * budget DPOR runs to the end. The summary says which happened and what the
 * second half covered; if bounding finishes its space, the exploration was
 * complete.
 *
 * DPOR's reduction is exact only for the operations weft sees. When the
 * executions had communication weft does not see (a program not built with
 * -fsanitize=thread, atomic instructions not trapped: unseen.h), orders
 * DPOR took for equivalent may not be, so once DPOR has finished, PCT
 * samples the whole space for a bounded default budget
 * (AUTO_SAMPLE_EXECUTIONS executions, at most AUTO_SAMPLE_SECONDS), short
 * enough to keep a default run of a small program within seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "strategy.h"

#define AUTO_SAMPLE_EXECUTIONS 500
#define AUTO_SAMPLE_SECONDS 2.0

struct autos {
	void *dpor, *pct, *bounded;
	bool sampling, bounded_turn; /* bounded_turn: the last plan was bounded's */
	uint64_t executions, dpor_executions, exec_budget;
	double start, time_budget;
	/* after a finished DPOR, on a program with hidden communication */
	bool hidden, after_dpor;
	uint64_t after_executions;
	double after_start;
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
	s->bounded = weft_strategy_bounded.create(config);
	s->exec_budget = config->max_executions;
	s->time_budget = config->time_limit;
	s->start = now();
	if (!s->dpor || !s->pct || !s->bounded) {
		if (s->dpor)
			weft_strategy_dpor.destroy(s->dpor);
		if (s->pct)
			weft_strategy_pct.destroy(s->pct);
		if (s->bounded)
			weft_strategy_bounded.destroy(s->bounded);
		free(s);
		return NULL;
	}
	return s;
}

static bool auto_next_plan(void *state, struct weft_plan *plan)
{
	struct autos *s = state;
	if (s->after_dpor) {
		if (s->after_executions >= AUTO_SAMPLE_EXECUTIONS ||
		    now() - s->after_start >= AUTO_SAMPLE_SECONDS)
			return false;
		s->after_executions++;
		s->executions++;
		return weft_strategy_pct.next_plan(s->pct, plan);
	}
	if (!s->sampling) {
		bool half_executions = s->exec_budget && s->executions >= s->exec_budget / 2;
		bool half_time = s->time_budget > 0 && now() - s->start >= s->time_budget / 2;
		if (half_executions || half_time) {
			s->sampling = true;
			s->dpor_executions = s->executions;
		}
	}
	if (!s->sampling) {
		if (weft_strategy_dpor.next_plan(s->dpor, plan)) {
			s->executions++;
			return true;
		}
		if (!s->hidden)
			return false;
		s->after_dpor = true;
		s->dpor_executions = s->executions;
		s->after_start = now();
		return auto_next_plan(state, plan);
	}
	s->executions++;
	s->bounded_turn = !s->bounded_turn;
	if (s->bounded_turn)
		/* Bounding that runs out has explored every schedule. */
		return weft_strategy_bounded.next_plan(s->bounded, plan);
	return weft_strategy_pct.next_plan(s->pct, plan);
}

static void auto_observe(void *state, const struct weft_trace *trace)
{
	struct autos *s = state;
	/* PCT learns n and k from every execution, DPOR only from its own. */
	weft_strategy_pct.observe(s->pct, trace);
	s->hidden |= trace->hidden;
	if (s->after_dpor)
		return;
	if (!s->sampling)
		weft_strategy_dpor.observe(s->dpor, trace);
	else if (s->bounded_turn)
		weft_strategy_bounded.observe(s->bounded, trace);
}

static void auto_describe(void *state, char *buf, size_t len)
{
	struct autos *s = state;
	if (s->after_dpor) {
		char pct[300];
		weft_strategy_pct.describe(s->pct, pct, sizeof pct);
		snprintf(buf, len,
		         "DPOR finished the operations weft sees in %llu execution%s; then %llu "
		         "executions sampled the whole program with %s",
		         (unsigned long long)s->dpor_executions, s->dpor_executions == 1 ? "" : "s",
		         (unsigned long long)s->after_executions, pct);
		return;
	}
	if (!s->sampling) {
		snprintf(buf, len, "optimal DPOR (one execution per happens-before order)");
		return;
	}
	char pct[200], bounded[200];
	weft_strategy_pct.describe(s->pct, pct, sizeof pct);
	weft_strategy_bounded.describe(s->bounded, bounded, sizeof bounded);
	snprintf(buf, len,
	         "DPOR did not finish in %llu executions (half the budget); then, in turn, "
	         "preemption bounding (%s) and %s",
	         (unsigned long long)s->dpor_executions, bounded, pct);
}

static void auto_destroy(void *state)
{
	struct autos *s = state;
	weft_strategy_dpor.destroy(s->dpor);
	weft_strategy_pct.destroy(s->pct);
	weft_strategy_bounded.destroy(s->bounded);
	free(s);
}

const struct weft_strategy_ops weft_strategy_auto = {
    .name = "auto",
    .summary = "DPOR, then preemption bounding and PCT in turn for the second half of a "
               "budget DPOR could not finish in; PCT for a short while after a finished DPOR "
               "where weft could not see everything",
    .create = auto_create,
    .next_plan = auto_next_plan,
    .observe = auto_observe,
    .destroy = auto_destroy,
    .describe = auto_describe,
    .seeded = true,
};
