/* The state of the Optimal DPOR strategy, shared by its two files:
 * strategy_dpor.c (the exploration tree along the current execution, plans
 * and the bookkeeping after each execution) and dpor_races.c (happens-before
 * and the races of an execution, reversed into the wakeup trees). */
#ifndef WEFT_DPOR_H
#define WEFT_DPOR_H

#include "dependence.h"
#include "strategy.h"
#include "wakeup_tree.h"

/* One state of the current execution: the state before step `i`. */
struct dpor_node {
	struct weft_dep_event ev; /* what ran from here in the current execution */
	uint64_t enabled;         /* the threads that could run (from the trace) */
	/* Sleep set: threads whose every continuation from here was explored
	 * already, each with its next event. */
	struct weft_dep_event *sleep;
	uint32_t nsleep, sleep_cap;
	struct weft_wut *wut; /* what is still to be explored from here, in order */
	uint64_t values_left; /* a value choice: the values still to be tried */
	bool free; /* reached by a blind branch: explored as if unguided */
	/* Bounded DPOR: plans dropped over the bound before the branch under
	 * exploration began, and the sleeping threads whose branches from here
	 * had some dropped (their sleep does not pass down). */
	uint64_t dropped_before, cut;
};

/* A node where a thread chose a value (weft_choose): its alternatives are
 * the other values, its `enabled` the values that were possible. */
static inline bool dpor_value_node(const struct dpor_node *node)
{
	return (node->ev.flags & WEFT_DEP_VALUE) != 0;
}

/* Events in the list of one object, in execution order. */
struct dpor_list {
	uint32_t *at;
	uint32_t len, cap;
};

struct dpor {
	struct weft_dep_context context;
	struct weft_dep_annotator *annotator;
	bool started;
	bool debug; /* WEFT_DPOR_DEBUG: print races and plans on stderr */

	struct dpor_node *nodes;
	uint32_t depth, cap; /* the current execution's nodes; capacity */
	uint32_t branch;     /* the first node the last plan changed */
	uint32_t planned;    /* nodes [branch, planned) were guided by a wakeup tree */
	bool value_branch;   /* the last plan tried another value at node `branch` */
	bool clocks_only;    /* analysing an execution explored like DFS (dpor_races.c) */

	/* The current execution, for race analysis. */
	struct weft_dep_event *events; /* nodes[i].ev, contiguous */
	struct weft_dep_event pending[WEFT_MAX_THREADS]; /* operations left at the end */
	uint64_t pending_mask;
	uint32_t nevents, events_cap;
	uint32_t *clock;      /* vector clocks: WEFT_MAX_THREADS per event */
	uint32_t *seq_number; /* 1-based position of each event in its thread */
	struct dpor_list *objects;       /* events touching each object id */
	uint32_t nobjects;
	struct dpor_list thread_objects[WEFT_MAX_THREADS + 1];
	struct dpor_list global;         /* global events */
	struct dpor_list by_thread[WEFT_MAX_THREADS];
	struct weft_dep_event *scratch;  /* a sequence being built */
	uint32_t *candidates;            /* events that may race with the one analysed */
	/* The __VERIFIER_atomic_begin whose section was running at each node
	 * (only its owner could run there unless it blocked), or DPOR_NONE. */
	uint32_t *section;

	/* Bounded DPOR (strategy_bounded_dpor.c): plans with more than `bound`
	 * preemptions are not run; UINT32_MAX: unbounded. */
	uint32_t bound;
	bool pruned; /* a plan over the bound was dropped */
	uint64_t dropped; /* how many */

	/* Statistics (printed when debugging). */
	uint64_t races, fallbacks, redundant, mismatches;
};

#define DPOR_NONE UINT32_MAX

/* dpor_hb.c: the lists of the current execution's events (by object, by
 * thread, global) and their sequence numbers in their threads. */
bool dpor_index_events(struct dpor *s);
/* The list of events touching the object of an access (NULL if absurd). */
struct dpor_list *dpor_object_list(struct dpor *s, const struct weft_dep_access *a);
/* Number of entries of l below limit. */
uint32_t dpor_below(const struct dpor_list *l, uint32_t limit);
/* Events before limit that may be dependent with j, latest first, into
 * s->candidates; returns how many. */
uint32_t dpor_candidates(struct dpor *s, const struct weft_dep_event *j, uint32_t limit);

static inline const uint32_t *dpor_clock_of(const struct dpor *s, uint32_t i)
{
	return &s->clock[(size_t)i * WEFT_MAX_THREADS];
}

/* Whether event k happens before (or is) the point whose clock is c. */
static inline bool dpor_before(const struct dpor *s, uint32_t k, const uint32_t *c)
{
	return c[s->events[k].thread % WEFT_MAX_THREADS] >= s->seq_number[k];
}

static inline void dpor_join(uint32_t *c, const uint32_t *d)
{
	for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++)
		if (d[t] > c[t])
			c[t] = d[t];
}

/* Find the races of the current execution whose later event is at index
 * `from` or after (and those of the operations left pending at its end),
 * and add their reversals to the wakeup trees. False when out of memory. */
bool dpor_analyse(struct dpor *s, uint32_t from);

/* Bounded DPOR: the latest node before k where a thread took over from
 * another (where a reversal at k may fit the bound), or DPOR_NONE. */
uint32_t dpor_conservative_point(const struct dpor *s, uint32_t k);

/* Add ev to the sleep set of node i. False when out of memory. */
bool dpor_sleep_add(struct dpor_node *node, const struct weft_dep_event *ev);

#endif
