/* Foata levels object by object (see dependence.h). Two events of
 * different threads are dependent when one is global, or when they access
 * one object in roles the table says do not commute. So the highest level
 * an event depends on is the highest of: its thread's previous event; the
 * global events so far (or, for a global event, every event so far); and,
 * for each object it accesses, the highest level of the earlier accesses
 * to that object in each role that does not commute with its own. The
 * last needs a table of levels per object and role. The one pair that
 * depends on the events themselves, a signal and a waiter's wake-up
 * (dependent when the signal woke that waiter), is checked event by event
 * over the object's list of such accesses, which only condition variables
 * have. A value choice commutes with everything but its thread's events. */
#include "dependence.h"

#include <stdlib.h>
#include <string.h>

/* An object's levels: the highest level of an access in each role. */
struct object_levels {
	uint64_t key; /* object << 1 | names a thread */
	uint32_t generation;
	int32_t woken_list; /* its signals and wake-ups, latest first (-1: none) */
	int32_t top[WEFT_ROLE_COUNT];
};

/* A signal or wake-up, for the pairs that depend on who woke whom. */
struct woken_node {
	uint32_t event;
	uint8_t role;
	int32_t next;
};

struct weft_dep_levels {
	struct object_levels *objects;
	uint32_t nobjects_cap, nobjects, generation;
	struct woken_node *woken;
	uint32_t nwoken, woken_cap;
	/* For each role, the roles of earlier accesses it does not commute
	 * with: a bit each. */
	uint32_t dependent_on[WEFT_ROLE_COUNT];
};

struct weft_dep_levels *weft_dep_levels_new(void)
{
	struct weft_dep_levels *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	for (uint8_t later = 0; later < WEFT_ROLE_COUNT; later++)
		for (uint8_t earlier = 0; earlier < WEFT_ROLE_COUNT; earlier++)
			if (weft_dep_rule(earlier, later) == WEFT_DEP_RULE_DEPENDENT)
				l->dependent_on[later] |= 1u << earlier;
	return l;
}

void weft_dep_levels_free(struct weft_dep_levels *l)
{
	if (!l)
		return;
	free(l->objects);
	free(l->woken);
	free(l);
}

static uint32_t slot_of(uint64_t key, uint32_t cap)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* Room for the objects of one more event, so that looking them up does
 * not move the tables found before. */
static bool reserve(struct weft_dep_levels *l)
{
	if ((l->nobjects + WEFT_DEP_MAX_ACCESS) * 2 <= l->nobjects_cap)
		return true;
	uint32_t cap = l->nobjects_cap ? l->nobjects_cap * 2 : 64;
	struct object_levels *t = calloc(cap, sizeof *t);
	if (!t)
		return false;
	for (uint32_t i = 0; i < l->nobjects_cap; i++) {
		struct object_levels *o = &l->objects[i];
		if (o->generation != l->generation)
			continue;
		uint32_t k = slot_of(o->key, cap);
		while (t[k].generation == l->generation)
			k = (k + 1) & (cap - 1);
		t[k] = *o;
	}
	free(l->objects);
	l->objects = t;
	l->nobjects_cap = cap;
	return true;
}

/* The table of an object, made empty the first time in this call. */
static struct object_levels *object(struct weft_dep_levels *l, const struct weft_dep_access *x)
{
	uint64_t key = (uint64_t)x->object << 1 | (weft_dep_thread_role(x->role) ? 1 : 0);
	for (uint32_t k = slot_of(key, l->nobjects_cap);; k = (k + 1) & (l->nobjects_cap - 1)) {
		struct object_levels *o = &l->objects[k];
		if (o->generation != l->generation) {
			o->generation = l->generation;
			o->key = key;
			o->woken_list = -1;
			for (unsigned r = 0; r < WEFT_ROLE_COUNT; r++)
				o->top[r] = -1;
			l->nobjects++;
			return o;
		}
		if (o->key == key)
			return o;
	}
}

static bool woken_role(uint8_t role)
{
	return role == WEFT_ROLE_WAKE || role == WEFT_ROLE_SIGNAL;
}

static bool push_woken(struct weft_dep_levels *l, struct object_levels *o, uint32_t event,
                       uint8_t role)
{
	if (l->nwoken == l->woken_cap) {
		uint32_t cap = l->woken_cap ? l->woken_cap * 2 : 64;
		struct woken_node *w = realloc(l->woken, cap * sizeof *w);
		if (!w)
			return false;
		l->woken = w;
		l->woken_cap = cap;
	}
	l->woken[l->nwoken] = (struct woken_node){event, role, o->woken_list};
	o->woken_list = (int32_t)l->nwoken++;
	return true;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

bool weft_dep_levels(struct weft_dep_levels *l, const struct weft_dep_event *events, uint32_t n,
                     uint32_t *level)
{
	/* A new generation empties every object's table at once. */
	if (++l->generation == 0) {
		if (l->objects)
			memset(l->objects, 0, l->nobjects_cap * sizeof *l->objects);
		l->generation = 1;
	}
	l->nobjects = 0;
	l->nwoken = 0;
	int32_t last[WEFT_MAX_THREADS];
	for (unsigned t = 0; t < WEFT_MAX_THREADS; t++)
		last[t] = -1;
	int32_t top_any = -1, top_global = -1;
	for (uint32_t j = 0; j < n; j++) {
		const struct weft_dep_event *e = &events[j];
		int32_t below = last[e->thread];
		if (e->flags & WEFT_DEP_VALUE) {
			level[j] = (uint32_t)(below + 1);
			last[e->thread] = below + 1;
			continue;
		}
		below = max32(below, e->flags & WEFT_DEP_GLOBAL ? top_any : top_global);
		if (!reserve(l))
			return false;
		struct object_levels *objects[WEFT_DEP_MAX_ACCESS];
		for (unsigned a = 0; a < e->naccess; a++) {
			const struct weft_dep_access *x = &e->access[a];
			objects[a] = NULL;
			if (!x->object)
				continue;
			struct object_levels *o = object(l, x);
			objects[a] = o;
			for (uint32_t roles = l->dependent_on[x->role]; roles; roles &= roles - 1)
				below = max32(below, o->top[__builtin_ctz(roles)]);
			if (!woken_role(x->role))
				continue;
			for (int32_t w = o->woken_list; w >= 0; w = l->woken[w].next) {
				const struct woken_node *node = &l->woken[w];
				if (weft_dep_rule(node->role, x->role) != WEFT_DEP_RULE_WOKEN)
					continue;
				const struct weft_dep_event *earlier = &events[node->event];
				bool woke = node->role == WEFT_ROLE_SIGNAL
				                ? (earlier->woken >> e->thread) & 1
				                : (e->woken >> earlier->thread) & 1;
				if (woke)
					below = max32(below, (int32_t)level[node->event]);
			}
		}
		int32_t here = below + 1;
		level[j] = (uint32_t)here;
		last[e->thread] = here;
		top_any = max32(top_any, here);
		if (e->flags & WEFT_DEP_GLOBAL)
			top_global = max32(top_global, here);
		for (unsigned a = 0; a < e->naccess; a++) {
			struct object_levels *o = objects[a];
			if (!o)
				continue;
			uint8_t role = e->access[a].role;
			o->top[role] = max32(o->top[role], here);
			if (woken_role(role) && !push_woken(l, o, j, role))
				return false;
		}
	}
	return true;
}
