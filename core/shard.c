/* Sharding as a strategy that wraps the one the user picked. It holds how
 * an exploration is split, not how any strategy explores.
 *
 * Tree strategies (dfs, dpor, bounded, auto): the first choice points of an
 * execution, up to the split depth, name its subtree; the split depth is the
 * first choice point where the product of the alternatives so far reaches
 * SHARD_SUBTREES_PER_SHARD * N (or SHARD_MAX_SPLIT choice points, or the end
 * of the execution). Which choice points end a prefix depends only on the
 * prefix itself, so the prefixes are a cut of the tree: every execution has
 * exactly one. A prefix belongs to shard hash(prefix) mod N.
 *
 * The wrapper enumerates prefixes depth-first. Where a prefix is not known
 * to its end, it runs one execution that follows the known part and lets
 * the inner strategy's default policy go on ("discovery"); the execution's
 * trace completes the prefix. A discovery whose prefix belongs to another
 * shard is skipped: weft_shard_claim() says so, and explore.c neither judges
 * nor counts it. For each prefix of its own, the wrapper creates a fresh
 * inner strategy and lets it explore the subtree below the prefix: its plans
 * are prefixed with the prefix's choices, and the traces it observes show
 * the prefix's choice points as forced (one enabled thread, no choice flag),
 * so it never backtracks into them. This is exact for DFS (the subtrees are
 * disjoint and each is searched in full) and sound for DPOR: DPOR started
 * from the state after a prefix explores every trace of the executions that
 * extend it (races with events of the prefix would reverse into the prefix
 * and are left to the shards that own the other prefixes). Each trace is
 * explored at least once by the union of the shards; one whose
 * linearisations start with different prefixes may be explored in several.
 * With bounded and delay, each subtree gets its own bounds, counted after
 * the prefix; if --max-bound leaves schedules of a subtree out, the shard
 * is incomplete.
 *
 * Randomised strategies (pct, pos, random): shard K runs the executions
 * whose index i (from 0, as unsharded) has i mod N == K, with the seeds the
 * unsharded run gives them; the plans of the others are drawn and dropped
 * without running. */
#include "shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define SHARD_SUBTREES_PER_SHARD 16
#define SHARD_MAX_SPLIT 64

struct split_frame {
	uint32_t step, chosen;
	uint64_t enabled, tried;
};

struct shard {
	const struct weft_strategy_ops *inner_ops;
	const struct weft_config *config;
	uint32_t index, count;
	uint64_t threshold;
	bool randomised, started;
	uint64_t next_index; /* randomised: the index of the next plan drawn */
	struct split_frame frames[SHARD_MAX_SPLIT];
	uint32_t depth; /* frames of the current prefix that are known */
	uint32_t fixed; /* frames the current plan forces */
	void *inner;    /* the strategy exploring below the current prefix */
	bool owned;     /* the current prefix is this shard's */
	struct weft_plan sub;
	struct weft_event *masked;
	uint32_t masked_cap;
	uint64_t prefixes_seen, prefixes_owned;
	const char *stopped_short; /* why an inner strategy left part of its space out */
};

static void *shard_create(const struct weft_config *config)
{
	const struct weft_strategy_ops *inner = weft_strategy_find(config->strategy);
	if (!inner || config->shard_count == 0 || config->shard_index >= config->shard_count)
		return NULL;
	struct shard *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->inner_ops = inner;
	s->config = config;
	s->index = config->shard_index;
	s->count = config->shard_count;
	s->threshold = (uint64_t)SHARD_SUBTREES_PER_SHARD * s->count;
	s->randomised = inner->seeded;
	s->sub.cap = config->max_steps;
	s->sub.choices = calloc(s->sub.cap ? s->sub.cap : 1, sizeof *s->sub.choices);
	if (s->randomised)
		s->inner = inner->create(config);
	if (!s->sub.choices || (s->randomised && !s->inner)) {
		free(s->sub.choices);
		free(s);
		return NULL;
	}
	return s;
}

/* Frame j ends a prefix when the alternatives up to it are enough. */
static bool is_cut(const struct shard *s, uint32_t j)
{
	uint64_t product = 1;
	for (uint32_t i = 0; i <= j; i++) {
		product *= (uint64_t)__builtin_popcountll(s->frames[i].enabled);
		if (product >= s->threshold)
			return true;
	}
	return j + 1 >= SHARD_MAX_SPLIT;
}

static uint32_t owner(const struct shard *s)
{
	uint32_t path[SHARD_MAX_SPLIT];
	for (uint32_t i = 0; i < s->depth; i++)
		path[i] = s->frames[i].chosen;
	return (uint32_t)(XXH64(path, s->depth * sizeof *path, s->depth) % s->count);
}

/* The inner strategy has nothing left; did it stop short of its space? */
static void inner_done(struct shard *s)
{
	const char *why =
		s->inner_ops->stopped_short ? s->inner_ops->stopped_short(s->inner) : NULL;
	if (why)
		s->stopped_short = why;
}

static void drop_inner(struct shard *s)
{
	if (s->inner)
		s->inner_ops->destroy(s->inner);
	s->inner = NULL;
	s->owned = false;
}

static void reset_plan(struct weft_plan *plan)
{
	plan->len = 0;
	plan->policy = WEFT_POLICY_LOWEST;
	plan->seed = 0;
	plan->pct_depth = plan->pct_steps = 0;
}

/* The prefix's choices, then the inner strategy's (all after the prefix). */
static void compose(const struct shard *s, struct weft_plan *plan)
{
	plan->len = 0;
	uint32_t last = 0;
	for (uint32_t i = 0; i < s->fixed && plan->len < plan->cap; i++) {
		plan->choices[plan->len++] =
		    (struct weft_choice){.step = s->frames[i].step, .thread = s->frames[i].chosen};
		last = s->frames[i].step;
	}
	for (uint32_t i = 0; i < s->sub.len && plan->len < plan->cap; i++)
		if (s->fixed == 0 || s->sub.choices[i].step > last)
			plan->choices[plan->len++] = s->sub.choices[i];
	plan->policy = s->sub.policy;
	plan->seed = s->sub.seed;
	plan->pct_depth = s->sub.pct_depth;
	plan->pct_steps = s->sub.pct_steps;
}

/* A fresh inner strategy for the prefix frames[0..fixed), and its first plan. */
static bool begin_subtree(struct shard *s, struct weft_plan *plan, bool owned)
{
	drop_inner(s);
	s->inner = s->inner_ops->create(s->config);
	if (!s->inner)
		return false;
	s->owned = owned;
	reset_plan(&s->sub);
	if (!s->inner_ops->next_plan(s->inner, &s->sub)) {
		inner_done(s);
		return false;
	}
	compose(s, plan);
	return true;
}

static bool next_randomised(struct shard *s, struct weft_plan *plan)
{
	for (;;) {
		reset_plan(plan);
		if (!s->inner_ops->next_plan(s->inner, plan)) {
			inner_done(s);
			return false;
		}
		if (s->next_index++ % s->count == s->index)
			return true;
	}
}

static bool shard_next_plan(void *state, struct weft_plan *plan)
{
	struct shard *s = state;
	if (s->randomised)
		return next_randomised(s, plan);
	if (s->inner && s->owned) {
		reset_plan(&s->sub);
		if (s->inner_ops->next_plan(s->inner, &s->sub)) {
			compose(s, plan);
			return true;
		}
		inner_done(s);
	}
	drop_inner(s);
	if (!s->started) {
		s->started = true;
		s->depth = s->fixed = 0;
		return begin_subtree(s, plan, false);
	}
	/* The next prefix, depth-first; a complete one that belongs to another
	 * shard is passed over without running anything. */
	while (s->depth > 0) {
		struct split_frame *f = &s->frames[s->depth - 1];
		bool cut = is_cut(s, s->depth - 1);
		for (uint64_t untried = f->enabled & ~f->tried; untried; untried &= untried - 1) {
			f->chosen = (uint32_t)__builtin_ctzll(untried);
			f->tried |= 1ull << f->chosen;
			s->fixed = s->depth;
			if (!cut)
				return begin_subtree(s, plan, false);
			s->prefixes_seen++;
			if (owner(s) == s->index) {
				s->prefixes_owned++;
				return begin_subtree(s, plan, true);
			}
		}
		s->depth--;
	}
	return false;
}

bool weft_shard_claim(void *state, struct weft_shm *shm)
{
	struct shard *s = state;
	if (s->randomised || s->owned)
		return true;
	/* A discovery: its choice points complete the prefix. */
	const struct weft_event *events = weft_shm_events(shm);
	uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
	uint32_t seen = 0;
	s->depth = s->fixed;
	for (uint32_t i = 0; i < n; i++) {
		const struct weft_event *e = &events[i];
		if (!(e->flags & WEFT_EVENT_CHOICE) || seen++ < s->fixed)
			continue;
		if (s->depth > 0 && is_cut(s, s->depth - 1))
			break;
		uint32_t c = weft_event_choice(e);
		s->frames[s->depth++] = (struct split_frame){.step = i,
		                                             .chosen = c,
		                                             .enabled = e->enabled | (1ull << c),
		                                             .tried = 1ull << c};
	}
	s->prefixes_seen++;
	if (owner(s) == s->index) {
		s->prefixes_owned++;
		s->owned = true;
		s->fixed = s->depth; /* the inner strategy's plans start after the prefix */
		return true;
	}
	drop_inner(s);
	return false;
}

/* The inner strategy sees the prefix's choice points as forced. */
static void shard_observe(void *state, const struct weft_trace *trace)
{
	struct shard *s = state;
	if (!s->inner || (!s->randomised && !s->owned))
		return;
	if (s->randomised || trace->nevents == 0) {
		s->inner_ops->observe(s->inner, trace);
		return;
	}
	if (trace->nevents > s->masked_cap) {
		struct weft_event *m = realloc(s->masked, trace->nevents * sizeof *m);
		if (!m)
			return; /* the subtree is then cut short: reported as incomplete below */
		s->masked = m;
		s->masked_cap = trace->nevents;
	}
	memcpy(s->masked, trace->events, trace->nevents * sizeof *s->masked);
	uint32_t seen = 0;
	for (uint32_t i = 0; i < trace->nevents && seen < s->depth; i++) {
		struct weft_event *e = &s->masked[i];
		if (!(e->flags & WEFT_EVENT_CHOICE))
			continue;
		seen++;
		e->enabled = 1ull << weft_event_choice(e);
		e->flags &= (uint8_t)~WEFT_EVENT_CHOICE;
	}
	struct weft_trace masked = *trace;
	masked.events = s->masked;
	s->inner_ops->observe(s->inner, &masked);
}

static void shard_describe(void *state, char *buf, size_t len)
{
	struct shard *s = state;
	if (s->randomised) {
		char inner[192] = "";
		if (s->inner_ops->describe)
			s->inner_ops->describe(s->inner, inner, sizeof inner);
		snprintf(buf, len, "shard %u/%u: every %u-th execution%s%s", s->index, s->count,
		         s->count, *inner ? "; " : "", inner);
		return;
	}
	snprintf(buf, len, "shard %u/%u: %llu of the %llu subtrees seen", s->index, s->count,
	         (unsigned long long)s->prefixes_owned, (unsigned long long)s->prefixes_seen);
}

static const char *shard_stopped_short(void *state)
{
	const struct shard *s = state;
	return s->stopped_short;
}

static void shard_destroy(void *state)
{
	struct shard *s = state;
	drop_inner(s);
	free(s->sub.choices);
	free(s->masked);
	free(s);
}

const struct weft_strategy_ops weft_strategy_shard = {
    .name = "shard",
    .summary = "one shard of another strategy's exploration",
    .create = shard_create,
    .next_plan = shard_next_plan,
    .observe = shard_observe,
    .destroy = shard_destroy,
    .describe = shard_describe,
    .stopped_short = shard_stopped_short,
};
