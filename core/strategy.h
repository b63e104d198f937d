/* The interface every exploration strategy implements, three calls as in
 * a schedule explorer's scheduler: give the plan of the next execution, take
 * the trace of the execution that ran, and release. A strategy decides only
 * which choices to force; the runtime follows the plan and then the policy
 * the plan names (by default the lowest-numbered enabled thread).
 * Strategies are picked by name from the table in strategy.c; replay is one
 * of them. */
#ifndef WEFT_STRATEGY_H
#define WEFT_STRATEGY_H

#include <stdbool.h>
#include <stdint.h>

#include "explore.h"

struct weft_plan {
	struct weft_choice *choices;
	uint32_t len, cap;
	/* how the runtime goes on once the choices are used up (reset to the
	 * lowest-enabled-thread policy before every call of next_plan) */
	uint32_t policy; /* enum weft_policy */
	uint64_t seed;
	uint32_t pct_depth, pct_steps;
};

struct weft_trace {
	const struct weft_event *events;
	uint32_t nevents;
	/* The threads' states at the end (their pending operations); may be NULL. */
	const struct weft_thread_state *threads;
	uint32_t nthreads;
	/* The execution had communication weft does not see (unseen.h). */
	bool hidden;
};

struct weft_strategy_ops {
	const char *name;
	const char *summary;
	void *(*create)(const struct weft_config *config);
	/* Fill the plan of the next execution; false when the space is done. */
	bool (*next_plan)(void *state, struct weft_plan *plan);
	/* The execution that followed the last plan. */
	void (*observe)(void *state, const struct weft_trace *trace);
	void (*destroy)(void *state);
	/* Optional: what the exploration covered, for the summary ("bound 2
	 * reached", "PCT d=3: each run finds a depth-3 bug with p >= 1/96"). */
	void (*describe)(void *state, char *buf, size_t len);
	/* Optional: once next_plan has returned false, why the strategy stopped
	 * short of the whole space (a bound of its own ran out), or NULL when
	 * it explored all of it. */
	const char *(*stopped_short)(void *state);
	/* Optional, for bounded searches: the bound reached. */
	void (*bound)(void *state, struct weft_bound_reached *out);
	bool seeded; /* draws random choices from --seed */
};

extern const struct weft_strategy_ops weft_strategy_dfs;
extern const struct weft_strategy_ops weft_strategy_dpor;
extern const struct weft_strategy_ops weft_strategy_replay;
extern const struct weft_strategy_ops weft_strategy_random;
extern const struct weft_strategy_ops weft_strategy_auto;
extern const struct weft_strategy_ops weft_strategy_pct;
extern const struct weft_strategy_ops weft_strategy_pos;
extern const struct weft_strategy_ops weft_strategy_bounded;
extern const struct weft_strategy_ops weft_strategy_delay;
extern const struct weft_strategy_ops weft_strategy_bounded_dpor;

/* The seed of execution `index` of a randomised run with seed `base`. */
uint64_t weft_execution_seed(uint64_t base, uint64_t index);

/* NULL when no strategy has that name. */
const struct weft_strategy_ops *weft_strategy_find(const char *name);
/* "dfs, ..." for messages and --help. */
const char *weft_strategy_names(void);

#endif
