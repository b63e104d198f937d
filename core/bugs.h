/* The distinct bugs of an exploration (--keep-going) and their smallest
 * known reproductions. */
#ifndef WEFT_BUGS_H
#define WEFT_BUGS_H

#include "explore.h"

uint64_t weft_bug_signature(const struct weft_bug *bug);
/* Preemptions in the bug's interleaving: switches away from a thread that
 * could have gone on. */
uint32_t weft_bug_preemptions(const struct weft_bug *bug);
/* a reproduces its bug with fewer preemptions, or as many and fewer steps */
bool weft_bug_smaller(const struct weft_bug *a, const struct weft_bug *b);
void weft_bug_free(struct weft_bug *bug);
/* Takes bug: a new distinct bug (true), or merged with its twin, keeping
 * the smaller reproduction (false). */
bool weft_bugs_add(struct weft_result *r, struct weft_bug *bug);

#endif
