/* The canonical form behind a fingerprint is the Foata normal form: each
 * event's level is one more than the highest level of the earlier events it
 * depends on (its thread's previous event included, dependence from
 * dependence.h); sorting by level, then thread, gives the same sequence for
 * every linearisation of one happens-before order. Levels rise along each
 * thread, so each other thread's events are read from its latest back, and
 * only while they could still raise the level: the first dependent one
 * found there is its highest. The cost is still quadratic at worst in
 * the steps of an execution, so beyond FOATA_MAX_STEPS events the plain
 * sequence is hashed instead (equivalent orders then count apart). The set
 * of fingerprints seen is an open-addressing table of 64-bit hashes. */
#include "fingerprint.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "dependence.h"

#define FOATA_MAX_STEPS 4000

struct weft_fingerprints {
	struct weft_dep_annotator *annotator;
	struct weft_dep_event *described;
	struct weft_dep_event pending[WEFT_MAX_THREADS];
	uint32_t *level, *order;
	int32_t *prev; /* the previous event of the same thread, or -1 */
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
	return f;
}

void weft_fingerprints_free(struct weft_fingerprints *f)
{
	if (!f)
		return;
	weft_dep_annotator_free(f->annotator);
	free(f->described);
	free(f->level);
	free(f->order);
	free(f->prev);
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
	int32_t *p = realloc(f->prev, cap * sizeof *p);
	if (p)
		f->prev = p;
	if (!d || !l || !o || !p)
		return false;
	f->cap = cap;
	return true;
}

static const uint32_t *sort_levels;
static const struct weft_event *sort_events;

static int by_level(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	if (sort_levels[i] != sort_levels[j])
		return sort_levels[i] < sort_levels[j] ? -1 : 1;
	if (sort_events[i].thread != sort_events[j].thread)
		return sort_events[i].thread < sort_events[j].thread ? -1 : 1;
	return i < j ? -1 : i > j;
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
	if (canonical) {
		int32_t last[WEFT_MAX_THREADS];
		uint32_t threads_seen = 0;
		for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++)
			last[t] = -1;
		for (uint32_t j = 0; j < n; j++) {
			const struct weft_dep_event *ej = &f->described[j];
			uint32_t t = ej->thread;
			uint32_t level = last[t] >= 0 ? f->level[last[t]] + 1 : 0;
			for (uint32_t u = 0; u < threads_seen; u++) {
				if (u == t)
					continue;
				for (int32_t i = last[u]; i >= 0 && f->level[i] + 1 > level;
				     i = f->prev[i])
					if (weft_dep_dependent(&f->described[i], ej)) {
						level = f->level[i] + 1;
						break;
					}
			}
			f->level[j] = level;
			f->order[j] = j;
			f->prev[j] = last[t];
			last[t] = (int32_t)j;
			if (t + 1 > threads_seen)
				threads_seen = t + 1;
		}
		sort_levels = f->level;
		sort_events = events;
		qsort(f->order, n, sizeof *f->order, by_level);
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
