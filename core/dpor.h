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

	/* Statistics (printed when debugging). */
	uint64_t races, fallbacks, redundant, mismatches;
};

/* Find the races of the current execution whose later event is at index
 * `from` or after (and those of the operations left pending at its end),
 * and add their reversals to the wakeup trees. False when out of memory. */
bool dpor_analyse(struct dpor *s, uint32_t from);

/* Add ev to the sleep set of node i. False when out of memory. */
bool dpor_sleep_add(struct dpor_node *node, const struct weft_dep_event *ev);

#endif
