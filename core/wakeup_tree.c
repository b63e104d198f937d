/* Wakeup trees: insertion up to equivalence, and orders the runtime can
 * follow. See wakeup_tree.h. */
#include "wakeup_tree.h"

#include <stdlib.h>
#include <string.h>

void weft_wut_free(struct weft_wut *list)
{
	while (list) {
		struct weft_wut *next = list->next;
		weft_wut_free(list->child);
		free(list);
		list = next;
	}
}

/* Index of thread's first event in seq, or n. */
static uint32_t first_of(uint32_t thread, const struct weft_dep_event *seq, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (seq[i].thread == thread)
			return i;
	return n;
}

bool weft_wut_weak_initial(const struct weft_dep_event *first, const struct weft_dep_event *seq,
                           uint32_t n)
{
	uint32_t at = first_of(first->thread, seq, n);
	if (at == n) {
		for (uint32_t i = 0; i < n; i++)
			if (weft_dep_dependent(first, &seq[i]))
				return false;
		return true;
	}
	/* The same thread's next event, unless it chose another value. */
	if (((first->flags | seq[at].flags) & WEFT_DEP_VALUE) &&
	    !((first->flags & seq[at].flags & WEFT_DEP_VALUE) && first->value == seq[at].value))
		return false;
	/* Any happens-before predecessor implies a direct one: a dependent
	 * event before it (its own thread's earlier events cannot be in seq
	 * before its first). */
	for (uint32_t i = 0; i < at; i++)
		if (weft_dep_dependent(&seq[i], &seq[at]))
			return false;
	return true;
}

bool weft_wut_locate(struct weft_wut **list, struct weft_dep_event *seq, uint32_t *n,
                     struct weft_wut ***attach, const struct weft_dep_event **last, bool *blind)
{
	*last = NULL;
	*blind = false;
	for (;;) {
		struct weft_wut *c = *list;
		while (c && !weft_wut_weak_initial(&c->ev, seq, *n))
			c = c->next;
		if (!c) {
			*attach = list;
			return true;
		}
		/* A leaf that begins like seq covers seq, unless it is blind (a
		 * thread to try): seq then extends it, as free as it was. */
		if (!c->child && !c->blind)
			return false;
		*blind |= c->blind;
		uint32_t at = first_of(c->ev.thread, seq, *n);
		if (at < *n) {
			memmove(&seq[at], &seq[at + 1], (*n - at - 1) * sizeof *seq);
			(*n)--;
		}
		if (*n == 0)
			return false; /* seq is a beginning of a longer branch */
		*last = &c->ev;
		list = &c->child;
	}
}

bool weft_wut_append(struct weft_wut **list, const struct weft_dep_event *seq, uint32_t n,
                     bool blind)
{
	struct weft_wut *head = NULL, **tail = &head;
	for (uint32_t i = 0; i < n; i++) {
		struct weft_wut *w = calloc(1, sizeof *w);
		if (!w) {
			weft_wut_free(head);
			return false;
		}
		w->ev = seq[i];
		w->blind = blind;
		*tail = w;
		tail = &w->child;
	}
	while (*list)
		list = &(*list)->next;
	*list = head;
	return true;
}

bool weft_wut_has_child(const struct weft_wut *list, uint32_t thread)
{
	for (; list; list = list->next)
		if (list->ev.thread == thread)
			return true;
	return false;
}

/* Whether `next` may run right after `before` (NULL: first of all). A
 * value choice is recorded right after its thread's weft_choose scheduling
 * point, the thread keeping the turn: the two stay together. */
static bool may_follow(const struct weft_dep_event *before, const struct weft_dep_event *next,
                       uint64_t first_allowed)
{
	bool glued = before && before->op == WEFT_OP_CHOOSE;
	if (next->op == WEFT_OP_CHOSEN || glued)
		return glued && next->op == WEFT_OP_CHOSEN && before->thread == next->thread;
	if (!before)
		return (first_allowed >> next->thread) & 1;
	return !(before->flags & WEFT_DEP_MAY_YIELD) || before->thread != next->thread;
}

static bool followable(const struct weft_dep_event *seq, uint32_t n,
                       const struct weft_dep_event *prev, uint64_t first_allowed)
{
	for (uint32_t i = 0; i < n; i++)
		if (!may_follow(i ? &seq[i - 1] : prev, &seq[i], first_allowed))
			return false;
	return true;
}

bool weft_wut_linearize(struct weft_dep_event *seq, uint32_t n, const struct weft_dep_event *prev,
                        uint64_t first_allowed)
{
	if (followable(seq, n, prev, first_allowed))
		return true;
	/* Greedy: at each position the earliest event whose predecessors are
	 * placed and that may follow the one placed before it. */
	struct weft_dep_event *out = malloc(n * sizeof *out);
	bool *placed = calloc(n, sizeof *placed);
	bool ok = out && placed;
	const struct weft_dep_event *before = prev;
	for (uint32_t pos = 0; ok && pos < n; pos++) {
		uint32_t pick = n;
		for (uint32_t i = 0; i < n && pick == n; i++) {
			if (placed[i] || !may_follow(before, &seq[i], first_allowed))
				continue;
			bool ready = true;
			for (uint32_t m = 0; m < i && ready; m++)
				ready = placed[m] || !weft_dep_dependent(&seq[m], &seq[i]);
			if (ready)
				pick = i;
		}
		if (pick == n) {
			ok = false;
			break;
		}
		placed[pick] = true;
		out[pos] = seq[pick];
		before = &out[pos];
	}
	if (ok)
		memcpy(seq, out, n * sizeof *seq);
	free(out);
	free(placed);
	return ok;
}
