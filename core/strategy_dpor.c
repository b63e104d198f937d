/* Optimal dynamic partial order reduction (Abdulla, Aronis, Jonsson,
 * Sagonas, POPL 2014; "Source sets", JACM 2017): explores one execution per
 * class of executions equivalent up to the order of independent events
 * (dependence.h), with sleep sets and wakeup trees.
 *
 * The exploration tree is kept along the current execution only: one node
 * per step, holding the step's event, the threads that could run, the sleep
 * set (threads whose continuations from there were all explored) and the
 * wakeup tree (sequences still to explore from there). After an execution,
 * its races are reversed into the wakeup trees (dpor_races.c). The next
 * plan backtracks to the deepest node with a non-empty wakeup tree, takes
 * its first branch and follows it to a leaf; the runtime's default policy
 * (lowest enabled thread) finishes the execution.
 *
 * Value choices (weft_choose, __VERIFIER_nondet_*): a node where a thread
 * chose a value is explored with every value, where the choice was first
 * reached; a wakeup sequence that passes it carries the one value its race
 * needs.
 *
 * Plans: the unchanged prefix names its choice points, as DFS does; the
 * wakeup sequence names every one of its steps, because which of a new
 * sequence's steps are choice points is not known before it runs (the
 * runtime accepts an entry at a step where the named thread is the only
 * one that can run). Only sequences the runtime can follow are planned:
 * the first thread was enabled there in a recorded execution, the other
 * events are ordered as in an execution that ran them, and no thread runs
 * right after an event that may have left it yielded (fairness, sched.c).
 * A race that cannot be reversed that way falls back to exploring every
 * thread enabled before it (dpor_races.c).
 *
 * If the program does something else than the trace predicted (behaviour
 * that depends on memory weft does not see), the execution is taken as it
 * is and what the wakeup tree expected below the difference is dropped;
 * WEFT_DPOR_DEBUG=1 counts these (=2 also prints every execution). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpor.h"

bool dpor_sleep_add(struct dpor_node *node, const struct weft_dep_event *ev)
{
	for (uint32_t i = 0; i < node->nsleep; i++)
		if (node->sleep[i].thread == ev->thread)
			return true;
	if (node->nsleep == node->sleep_cap) {
		uint32_t cap = node->sleep_cap ? 2 * node->sleep_cap : 4;
		struct weft_dep_event *sleep = realloc(node->sleep, cap * sizeof *sleep);
		if (!sleep)
			return false;
		node->sleep = sleep;
		node->sleep_cap = cap;
	}
	node->sleep[node->nsleep++] = *ev;
	return true;
}

static void *dpor_create(const struct weft_config *config)
{
	struct dpor *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->context.adversarial_time = config->adversarial_time;
	s->context.spurious_wakeups = config->spurious_wakeups > 0;
	s->annotator = weft_dep_annotator_new(&s->context);
	s->bound = UINT32_MAX;
	const char *debug = getenv("WEFT_DPOR_DEBUG");
	s->debug = debug && *debug && *debug != '0';
	if (!s->annotator) {
		free(s);
		return NULL;
	}
	return s;
}

static bool reserve_nodes(struct dpor *s, uint32_t n)
{
	if (n <= s->cap)
		return true;
	uint32_t cap = s->cap ? s->cap : 256;
	while (cap < n)
		cap *= 2;
	struct dpor_node *nodes = realloc(s->nodes, cap * sizeof *nodes);
	if (!nodes)
		return false;
	memset(nodes + s->cap, 0, (cap - s->cap) * sizeof *nodes);
	s->nodes = nodes;
	s->cap = cap;
	return true;
}

/* Node i is reused for a new state: nothing of the old one survives. */
static void reset_node(struct dpor_node *node)
{
	weft_wut_free(node->wut);
	node->wut = NULL;
	node->nsleep = 0;
	node->enabled = 0;
	node->free = false;
	node->cut = 0;
}

/* Take the first branch of node i's wakeup tree and lay its leftmost path
 * out as the nodes from i on. */
static bool follow_branch(struct dpor *s, uint32_t i)
{
	struct weft_wut *branch = s->nodes[i].wut;
	s->nodes[i].wut = branch->next;
	branch->next = NULL;
	s->nodes[i].ev = branch->ev;
	s->nodes[i].free = branch->blind;
	s->nodes[i].dropped_before = s->dropped;
	uint32_t d = i + 1;
	for (struct weft_wut *w = branch; w;) {
		struct weft_wut *child = w->child;
		free(w);
		if (!child)
			break;
		if (!reserve_nodes(s, d + 1)) {
			weft_wut_free(child);
			return false;
		}
		reset_node(&s->nodes[d]);
		s->nodes[d].wut = child->next;
		child->next = NULL;
		s->nodes[d].ev = child->ev;
		s->nodes[d].free = child->blind;
		d++;
		w = child;
	}
	for (uint32_t k = d; k < s->depth; k++)
		reset_node(&s->nodes[k]);
	s->branch = i;
	s->planned = d;
	s->depth = d;
	s->value_branch = false;
	return true;
}

/* The preemptions of the planned nodes: a step of another thread while the
 * one that ran the step before could go on. Where the plan leaves the last
 * execution, enabled sets are unknown: a switch counts only when the thread
 * left behind certainly could go on (its next planned event cannot block),
 * so a plan is never dropped for preemptions it might not have. After the
 * plan the runtime keeps the running thread (sticky policy): no more. */
static uint32_t plan_preemptions(const struct dpor *s)
{
	uint32_t count = 0;
	for (uint32_t d = 1; d < s->planned; d++) {
		const struct dpor_node *node = &s->nodes[d], *prev = &s->nodes[d - 1];
		uint32_t p = prev->ev.thread;
		if (dpor_value_node(node) || node->ev.thread == p)
			continue;
		if (d <= s->branch) {
			count += (node->enabled >> p) & 1;
			continue;
		}
		for (uint32_t e = d + 1; e < s->planned; e++)
			if (s->nodes[e].ev.thread == p && !dpor_value_node(&s->nodes[e])) {
				count += !(s->nodes[e].ev.flags & WEFT_DEP_BLOCKING);
				break;
			}
	}
	return count;
}

uint32_t dpor_conservative_point(const struct dpor *s, uint32_t k)
{
	for (uint32_t c = k; c-- > 1;)
		if (!dpor_value_node(&s->nodes[c]) && s->nodes[c].ev.thread != s->nodes[c - 1].ev.thread)
			return c;
	return DPOR_NONE;
}

/* A plan over the bound is dropped as if it had run: its nodes are
 * backtracked through like an explored execution's. */
static bool over_bound(struct dpor *s)
{
	if (s->bound == UINT32_MAX || plan_preemptions(s) <= s->bound)
		return false;
	s->pruned = true;
	s->dropped++;
	if (s->debug)
		fprintf(stderr, "dpor: plan at %u over the bound %u: dropped\n", s->branch, s->bound);
	return true;
}

static bool dpor_next_plan(void *state, struct weft_plan *plan)
{
	struct dpor *s = state;
	plan->len = 0;
	if (s->bound != UINT32_MAX)
		plan->policy = WEFT_POLICY_STICKY;
	if (!s->started) {
		s->started = true;
		s->branch = s->planned = 0;
		return true;
	}
	for (;;) {
		if (s->depth == 0)
			return false;
		struct dpor_node *node = &s->nodes[s->depth - 1];
		/* Everything after this node's event has been explored. */
		if (dpor_value_node(node)) {
			/* A value choice: every value, each explored like the first
			 * (the sleep set stays: it is about other threads). A wakeup
			 * tree here holds sequences that need other values. */
			if (node->wut) {
				node->values_left &= ~(1ull << (node->wut->ev.value & 63));
				if (!follow_branch(s, s->depth - 1))
					return false;
				if (over_bound(s))
					continue;
				break;
			}
			if (node->values_left) {
				node->ev.value = (uint32_t)__builtin_ctzll(node->values_left);
				node->values_left &= node->values_left - 1;
				s->branch = s->depth - 1;
				s->planned = s->depth;
				s->value_branch = true;
				break;
			}
		} else {
			if (!dpor_sleep_add(node, &node->ev))
				return false;
			if (s->dropped != node->dropped_before)
				node->cut |= 1ull << (node->ev.thread & 63);
			if (node->wut) {
				if (!follow_branch(s, s->depth - 1))
					return false;
				if (over_bound(s))
					continue;
				break;
			}
		}
		reset_node(node);
		s->depth--;
	}
	for (uint32_t i = 0; i < s->planned && plan->len < plan->cap; i++) {
		const struct dpor_node *node = &s->nodes[i];
		bool choice = (node->enabled & (node->enabled - 1)) != 0;
		uint32_t chosen = dpor_value_node(node) ? (uint32_t)node->ev.value : node->ev.thread;
		if (i >= s->branch || choice)
			plan->choices[plan->len++] = (struct weft_choice){i, chosen};
	}
	if (s->debug)
		fprintf(stderr, "dpor: plan: branch at %u, %u steps guided\n", s->branch,
		        s->planned - s->branch);
	return true;
}

static bool same_event(const struct weft_dep_event *a, const struct weft_dep_event *b)
{
	if (a->thread != b->thread)
		return false;
	if (a->op == WEFT_DEP_ANY_OP || b->op == WEFT_DEP_ANY_OP)
		return true;
	return a->op == b->op &&
	       (a->naccess == 0 || b->naccess == 0 || a->access[0].object == b->access[0].object);
}

static void dpor_observe(void *state, const struct weft_trace *trace)
{
	struct dpor *s = state;
	uint32_t n = trace->nevents;
	if (!reserve_nodes(s, n + 1))
		return;
	if (n > s->events_cap) {
		struct weft_dep_event *events = realloc(s->events, n * sizeof *events);
		if (!events)
			return;
		s->events = events;
		s->events_cap = n;
	}
	if (!weft_dep_annotate(s->annotator, trace->events, n, trace->threads, trace->nthreads,
	                       s->events, s->pending, &s->pending_mask))
		return;
	/* The first event that differs from what was expected. */
	uint32_t from = s->branch, expected = s->planned < n ? s->planned : n, matched = expected;
	for (uint32_t i = 0; i < expected; i++) {
		if (!same_event(&s->nodes[i].ev, &s->events[i])) {
			s->mismatches++;
			if (i < from)
				from = i;
			matched = i;
			expected = i + 1; /* node i's own tree is still right */
			break;
		}
	}
	if (s->debug) {
		fprintf(stderr, "dpor: execution of %u steps, new from %u\n", n, from);
		for (uint32_t i = 0; getenv("WEFT_DPOR_DEBUG")[0] == '2' && i < n; i++) {
			char buf[96];
			fprintf(stderr, "dpor:   %u %s%s\n", i, weft_dep_format(&s->events[i], buf, sizeof buf),
			        dpor_value_node(&s->nodes[i]) ? " (value)" : "");
		}
	}
	for (uint32_t i = from; i < n; i++) {
		struct dpor_node *node = &s->nodes[i];
		if (i >= expected) {
			weft_wut_free(node->wut);
			node->wut = NULL;
		}
		if (i > from) {
			/* Sleep sets pass on what the step does not disturb. When
			 * bounded, not a thread whose branch above had plans dropped
			 * over the bound: they may reach classes from here within
			 * it; such a thread only stays asleep where it was
			 * explored. */
			const struct dpor_node *prev = &s->nodes[i - 1];
			node->nsleep = 0;
			node->cut = 0;
			node->dropped_before = s->dropped;
			for (uint32_t k = 0; k < prev->nsleep; k++)
				if (!weft_dep_dependent(&prev->sleep[k], &prev->ev) &&
				    !((prev->cut >> (prev->sleep[k].thread & 63)) & 1))
					dpor_sleep_add(node, &prev->sleep[k]);
		}
		node->ev = s->events[i];
		node->enabled = trace->events[i].enabled;
		/* The other values of a choice are tried where it was first
		 * reached, not where a wakeup sequence brings it back for the one
		 * value its races need. */
		if (i > from || !s->value_branch)
			node->values_left = dpor_value_node(node) && (i >= matched || node->free)
			                            ? node->enabled & ~(1ull << (node->ev.value & 63))
			                            : 0;
		if (i >= s->planned) {
			for (uint32_t k = 0; k < node->nsleep; k++)
				if (node->sleep[k].thread == node->ev.thread) {
					s->redundant++;
					break;
				}
		}
	}
	for (uint32_t i = n; i < s->depth; i++)
		reset_node(&s->nodes[i]);
	s->depth = n;
	s->nevents = n;
	if (!dpor_analyse(s, from))
		fprintf(stderr, "weft: dpor: out of memory analysing an execution\n");
}

static void dpor_destroy(void *state)
{
	struct dpor *s = state;
	if (s->debug)
		fprintf(stderr,
		        "dpor: %llu races, %llu fallbacks, %llu redundant steps, %llu mismatches\n",
		        (unsigned long long)s->races, (unsigned long long)s->fallbacks,
		        (unsigned long long)s->redundant, (unsigned long long)s->mismatches);
	for (uint32_t i = 0; i < s->cap; i++) {
		weft_wut_free(s->nodes[i].wut);
		free(s->nodes[i].sleep);
	}
	for (uint32_t i = 0; i < s->nobjects; i++)
		free(s->objects[i].at);
	for (uint32_t i = 0; i <= WEFT_MAX_THREADS; i++)
		free(s->thread_objects[i].at);
	for (uint32_t i = 0; i < WEFT_MAX_THREADS; i++)
		free(s->by_thread[i].at);
	free(s->global.at);
	free(s->objects);
	free(s->nodes);
	free(s->events);
	free(s->clock);
	free(s->seq_number);
	free(s->candidates);
	free(s->scratch);
	free(s->section);
	weft_dep_annotator_free(s->annotator);
	free(s);
}

const struct weft_strategy_ops weft_strategy_dpor = {
	.name = "dpor",
	.summary = "optimal dynamic partial order reduction: one execution per class of "
	           "equivalent interleavings",
	.create = dpor_create,
	.next_plan = dpor_next_plan,
	.observe = dpor_observe,
	.destroy = dpor_destroy,
};
