/* Happens-before for Optimal DPOR: the events of the current execution
 * listed by object, by thread and when global, the candidates for a race
 * with an event (those that may be dependent with it), and one vector
 * clock per event. The races themselves are in dpor_races.c. */
#include <stdlib.h>
#include <string.h>

#include "dpor.h"

#define T WEFT_MAX_THREADS

static bool dpor_list_push(struct dpor_list *l, uint32_t i)
{
	if (l->len == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 16;
		uint32_t *at = realloc(l->at, cap * sizeof *at);
		if (!at)
			return false;
		l->at = at;
		l->cap = cap;
	}
	l->at[l->len++] = i;
	return true;
}

struct dpor_list *dpor_object_list(struct dpor *s, const struct weft_dep_access *a)
{
	if (a->role >= WEFT_ROLE_START && a->role <= WEFT_ROLE_DETACH)
		return a->object <= T ? &s->thread_objects[a->object] : NULL;
	if (a->object >= s->nobjects) {
		uint32_t n = s->nobjects ? s->nobjects : 64;
		while (n <= a->object)
			n *= 2;
		struct dpor_list *o = realloc(s->objects, n * sizeof *o);
		if (!o)
			return NULL;
		memset(o + s->nobjects, 0, (n - s->nobjects) * sizeof *o);
		s->objects = o;
		s->nobjects = n;
	}
	return &s->objects[a->object];
}

/* The lists of events per object, per thread and of global events. */
bool dpor_index_events(struct dpor *s)
{
	for (uint32_t i = 0; i < s->nobjects; i++)
		s->objects[i].len = 0;
	for (uint32_t i = 0; i <= T; i++)
		s->thread_objects[i].len = 0;
	for (uint32_t i = 0; i < T; i++)
		s->by_thread[i].len = 0;
	s->global.len = 0;
	for (uint32_t i = 0; i < s->nevents; i++) {
		const struct weft_dep_event *e = &s->events[i];
		for (unsigned a = 0; a < e->naccess; a++) {
			struct dpor_list *l = dpor_object_list(s, &e->access[a]);
			if (!l || !dpor_list_push(l, i))
				return false;
		}
		if ((e->flags & WEFT_DEP_GLOBAL) && !dpor_list_push(&s->global, i))
			return false;
		if (!dpor_list_push(&s->by_thread[e->thread % T], i))
			return false;
		s->seq_number[i] = s->by_thread[e->thread % T].len;
	}
	return true;
}

/* Number of entries of l below limit. */
uint32_t dpor_below(const struct dpor_list *l, uint32_t limit)
{
	uint32_t lo = 0, hi = l->len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->at[mid] < limit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Events before limit that may be dependent with j, latest first. */
uint32_t dpor_candidates(struct dpor *s, const struct weft_dep_event *j, uint32_t limit)
{
	uint32_t n = 0;
	if (j->flags & WEFT_DEP_GLOBAL) {
		for (uint32_t i = limit; i-- > 0;)
			s->candidates[n++] = i;
		return n;
	}
	const struct dpor_list *lists[WEFT_DEP_MAX_ACCESS + 1];
	uint32_t left[WEFT_DEP_MAX_ACCESS + 1], nlists = 0;
	for (unsigned a = 0; a < j->naccess; a++) {
		const struct dpor_list *l = dpor_object_list(s, &j->access[a]);
		if (l)
			lists[nlists++] = l;
	}
	lists[nlists++] = &s->global;
	for (uint32_t l = 0; l < nlists; l++)
		left[l] = dpor_below(lists[l], limit);
	for (;;) {
		uint32_t best = DPOR_NONE, from = 0;
		for (uint32_t l = 0; l < nlists; l++) {
			uint32_t at = left[l] ? lists[l]->at[left[l] - 1] : DPOR_NONE;
			if (at != DPOR_NONE && (best == DPOR_NONE || at > best)) {
				best = at;
				from = l;
			}
		}
		if (best == DPOR_NONE)
			return n;
		left[from]--;
		if (n == 0 || s->candidates[n - 1] != best)
			s->candidates[n++] = best;
	}
}
