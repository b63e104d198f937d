/* The canonical form behind a fingerprint is the Foata normal form: each
 * event's level is one more than the highest level of the earlier events it
 * depends on (its thread's previous event included, dependence from
 * dependence.h); sorting by level, then thread, gives the same sequence for
 * every linearisation of one happens-before order. The levels are found
 * object by object (dep_levels.c), in time linear in the steps; beyond
 * FOATA_MAX_STEPS events the plain sequence is hashed instead (equivalent
 * orders then count apart). The set of fingerprints seen is an
 * open-addressing table of 64-bit hashes. */
#include "fingerprint.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "dependence.h"

#define FOATA_MAX_STEPS 4000

struct weft_fingerprints {
	struct weft_dep_annotator *annotator;
	struct weft_dep_levels *levels;
	struct weft_dep_event *described;
	struct weft_dep_event pending[WEFT_MAX_THREADS];
	uint32_t *level, *order;
	uint32_t *by_thread, *per_level; /* sort_by_level's */
	uint32_t cap;
	uint64_t *set; /* 0 = empty slot */
	uint64_t size, slots;
	/* The execution deferred (weft_fingerprints_defer), copied. */
	bool deferred;
	struct weft_event *events;
	uint32_t nevents, events_cap, nthreads;
	struct weft_thread_state threads[WEFT_MAX_THREADS];
};

struct weft_fingerprints *weft_fingerprints_new(bool adversarial_time, bool spurious_wakeups)
{
	struct weft_fingerprints *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	struct weft_dep_context context = {adversarial_time, spurious_wakeups};
	f->annotator = weft_dep_annotator_new(&context);
	f->levels = weft_dep_levels_new();
	return f;
}

void weft_fingerprints_free(struct weft_fingerprints *f)
{
	if (!f)
		return;
	weft_dep_annotator_free(f->annotator);
	weft_dep_levels_free(f->levels);
	free(f->described);
	free(f->level);
	free(f->order);
	free(f->by_thread);
	free(f->per_level);
	free(f->set);
	free(f->events);
	free(f);
}

static bool reserve(struct weft_fingerprints *f, uint32_t n)
{
	if (n <= f->cap)
		return true;
	uint32_t cap = n * 2;
	struct weft_dep_event *d = realloc(f->described, cap * sizeof *d);
	if (d)
		f->described = d;
	uint32_t *l = realloc(f->level, cap * sizeof *l);
	if (l)
		f->level = l;
	uint32_t *o = realloc(f->order, cap * sizeof *o);
	if (o)
		f->order = o;
	uint32_t *t = realloc(f->by_thread, cap * sizeof *t);
	if (t)
		f->by_thread = t;
	uint32_t *c = realloc(f->per_level, (cap + 1) * sizeof *c);
	if (c)
		f->per_level = c;
	if (!d || !l || !o || !t || !c)
		return false;
	f->cap = cap;
	return true;
}

/* f->order: the events by level, then thread, then index (the Foata
 * normal form), with two stable counting passes: by thread, then by
 * level. */
static void sort_by_level(struct weft_fingerprints *f, uint32_t n)
{
	if (n == 0)
		return; /* nothing reserved */
	uint32_t per_thread[WEFT_MAX_THREADS + 1] = {0};
	for (uint32_t j = 0; j < n; j++)
		per_thread[f->described[j].thread + 1]++;
	for (uint32_t t = 1; t <= WEFT_MAX_THREADS; t++)
		per_thread[t] += per_thread[t - 1];
	for (uint32_t j = 0; j < n; j++)
		f->by_thread[per_thread[f->described[j].thread]++] = j;
	/* Levels are below n: one more than an earlier event's at most. */
	memset(f->per_level, 0, (n + 1) * sizeof *f->per_level);
	for (uint32_t j = 0; j < n; j++)
		f->per_level[f->level[j] + 1]++;
	for (uint32_t l = 1; l <= n; l++)
		f->per_level[l] += f->per_level[l - 1];
	for (uint32_t k = 0; k < n; k++) {
		uint32_t j = f->by_thread[k];
		f->order[f->per_level[f->level[j]]++] = j;
	}
}

static void hash_event(XXH64_state_t *h, const struct weft_event *e)
{
	uint32_t words[4] = {e->thread, e->op, e->object, e->object2};
	XXH64_update(h, words, sizeof words);
}

uint64_t weft_fingerprint(struct weft_fingerprints *f, const struct weft_event *events, uint32_t n,
                          const struct weft_thread_state *threads, uint32_t nthreads)
{
	XXH64_state_t *h = XXH64_createState();
	XXH64_reset(h, n);
	uint64_t pending_mask = 0;
	bool canonical = n <= FOATA_MAX_STEPS && f->annotator && reserve(f, n) &&
	                 weft_dep_annotate(f->annotator, events, n, threads, nthreads, f->described,
	                                   f->pending, &pending_mask);
	for (uint32_t j = 0; canonical && j < n; j++)
		canonical = f->described[j].thread < WEFT_MAX_THREADS;
	if (canonical)
		canonical = weft_dep_levels(f->levels, f->described, n, f->level);
	if (canonical) {
		sort_by_level(f, n);
		for (uint32_t k = 0; k < n; k++)
			hash_event(h, &events[f->order[k]]);
	} else {
		for (uint32_t k = 0; k < n; k++)
			hash_event(h, &events[k]);
	}
	uint64_t fp = XXH64_digest(h);
	XXH64_freeState(h);
	return fp ? fp : 1;
}

static bool insert(struct weft_fingerprints *f, uint64_t fp)
{
	if ((f->size + 1) * 2 > f->slots) {
		uint64_t slots = f->slots ? f->slots * 2 : 1024;
		uint64_t *set = calloc(slots, sizeof *set);
		if (!set)
			return false;
		for (uint64_t i = 0; i < f->slots; i++) {
			uint64_t v = f->set[i];
			if (!v)
				continue;
			uint64_t k = v & (slots - 1);
			while (set[k])
				k = (k + 1) & (slots - 1);
			set[k] = v;
		}
		free(f->set);
		f->set = set;
		f->slots = slots;
	}
	uint64_t k = fp & (f->slots - 1);
	while (f->set[k]) {
		if (f->set[k] == fp)
			return false;
		k = (k + 1) & (f->slots - 1);
	}
	f->set[k] = fp;
	f->size++;
	return true;
}

uint64_t weft_fingerprints_add(struct weft_fingerprints *f, const struct weft_event *events,
                               uint32_t n, const struct weft_thread_state *threads,
                               uint32_t nthreads)
{
	insert(f, weft_fingerprint(f, events, n, threads, nthreads));
	return f->size;
}

bool weft_fingerprints_defer(struct weft_fingerprints *f, const struct weft_event *events,
                             uint32_t n, const struct weft_thread_state *threads, uint32_t nthreads)
{
	weft_fingerprints_settle(f);
	if (n > f->events_cap) {
		struct weft_event *e = realloc(f->events, (size_t)n * 2 * sizeof *e);
		if (!e) {
			weft_fingerprints_add(f, events, n, threads, nthreads);
			return false;
		}
		f->events = e;
		f->events_cap = n * 2;
	}
	if (nthreads > WEFT_MAX_THREADS)
		nthreads = WEFT_MAX_THREADS;
	memcpy(f->events, events, (size_t)n * sizeof *events);
	if (threads)
		memcpy(f->threads, threads, (size_t)nthreads * sizeof *threads);
	f->nevents = n;
	f->nthreads = threads ? nthreads : 0;
	f->deferred = true;
	return true;
}

uint64_t weft_fingerprints_settle(struct weft_fingerprints *f)
{
	if (f->deferred) {
		f->deferred = false;
		weft_fingerprints_add(f, f->events, f->nevents, f->nthreads ? f->threads : NULL,
		                      f->nthreads);
	}
	return f->size;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t *weft_fingerprints_values(const struct weft_fingerprints *f, uint64_t *count)
{
	*count = 0;
	uint64_t *values = f && f->size ? malloc(f->size * sizeof *values) : NULL;
	if (!values)
		return NULL;
	for (uint64_t i = 0; i < f->slots; i++)
		if (f->set[i])
			values[(*count)++] = f->set[i];
	qsort(values, *count, sizeof *values, by_value);
	return values;
}
