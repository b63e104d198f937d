/* Wakeup trees (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial
 * order reduction", POPL 2014, section 6): at one state of the exploration,
 * the ordered set of event sequences still to be explored from it, kept as
 * a tree so that sequences that begin alike share their beginning. A child
 * is explored before its later siblings; a leaf ends the guided part of an
 * execution, which the runtime then finishes on its own.
 *
 * Sequences are compared up to reordering of independent events
 * (dependence.h): inserting a sequence that an existing branch already
 * covers changes nothing. This file knows nothing of the strategy that owns
 * the trees (strategy_dpor.c). */
#ifndef WEFT_WAKEUP_TREE_H
#define WEFT_WAKEUP_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "dependence.h"

struct weft_wut {
	struct weft_dep_event ev;
	struct weft_wut *child; /* first child: explored first */
	struct weft_wut *next;  /* next sibling: explored after this one */
	/* A thread to try, not a reversed race (or the extension of one): as a
	 * leaf it covers nothing, and what follows it is explored as freely
	 * as the runtime's own continuation (value choices included). */
	bool blind;
};

/* Free a list of siblings and everything below them. */
void weft_wut_free(struct weft_wut *list);

/* Whether the thread of `first` (whose next event is `first`) is a weak
 * initial of seq: seq, perhaps extended, is equivalent to a sequence that
 * starts with that thread. True when the thread's first event in seq has
 * no dependent event before it in seq, or when the thread does not occur in
 * seq and `first` is independent of all of seq. */
bool weft_wut_weak_initial(const struct weft_dep_event *first, const struct weft_dep_event *seq,
                           uint32_t n);

/* Where seq[0..*n) belongs in the tree `*list`: false when an existing
 * branch covers it (leave the tree alone). Otherwise true, with seq cut
 * down to what must be added (*n events), *attach the list to add it to,
 * *last the event just before it on the way down (NULL at the top) and
 * *blind whether it extends a blind branch (it must be added blind). */
bool weft_wut_locate(struct weft_wut **list, struct weft_dep_event *seq, uint32_t *n,
                     struct weft_wut ***attach, const struct weft_dep_event **last, bool *blind);

/* Add seq[0..n) as a new chain after the last sibling of *list. False
 * when out of memory (the tree is then unchanged). `blind` marks a chain
 * that only says which thread to try (weft_wut.blind). */
bool weft_wut_append(struct weft_wut **list, const struct weft_dep_event *seq, uint32_t n,
                     bool blind);

/* Whether some child at the top of `list` starts with `thread`. */
bool weft_wut_has_child(const struct weft_wut *list, uint32_t thread);

/* Reorder seq[0..n), keeping every pair of dependent events in order, so
 * that the runtime can follow it: no thread runs right after an event that
 * may leave it yielded (sched.c makes a yielded thread wait for another to
 * run), a value choice comes right after its thread's weft_choose, and the
 * first event's thread is in `first_allowed` when there is no `prev` event
 * before the sequence. False when no such order was found; seq is then
 * unchanged. */
bool weft_wut_linearize(struct weft_dep_event *seq, uint32_t n, const struct weft_dep_event *prev,
                        uint64_t first_allowed);

#endif
