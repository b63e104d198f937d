/* Distinct bugs and smaller reproductions. Two bugs are the same when they
 * have the same kind, the same call sites (the calls the stuck threads wait
 * in for a deadlock or a leak, the last call of the failing thread for the
 * rest) and the same message once numbers are left out; of two instances
 * the shorter one is kept. */
#include "bugs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t weft_bug_signature(const struct weft_bug *bug)
{
	const struct weft_shm *snap = bug->snapshot;
	uint64_t sites[WEFT_MAX_THREADS + 1];
	uint32_t n = 0;
	if (bug->kind == WEFT_BUG_DEADLOCK || bug->kind == WEFT_BUG_LEAK) {
		for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++)
			if (snap->threads[t].status == WEFT_THREAD_BLOCKED)
				sites[n++] = snap->threads[t].pc;
	} else {
		uint32_t current = snap->current;
		for (uint32_t i = bug->nevents; i-- > 0;)
			if (bug->events[i].thread == current) {
				sites[n++] = bug->events[i].pc;
				break;
			}
	}
	qsort(sites, n, sizeof sites[0], compare_u64);
	XXH64_state_t *h = XXH64_createState();
	XXH64_reset(h, bug->kind);
	XXH64_update(h, sites, n * sizeof sites[0]);
	for (const char *p = bug->message; *p; p++)
		if (!isdigit((unsigned char)*p))
			XXH64_update(h, p, 1);
	uint64_t sig = XXH64_digest(h);
	XXH64_freeState(h);
	return sig;
}

uint32_t weft_bug_preemptions(const struct weft_bug *bug)
{
	uint32_t count = 0;
	for (uint32_t i = 1; i < bug->nevents; i++) {
		const struct weft_event *e = &bug->events[i];
		uint32_t prev = bug->events[i - 1].thread;
		if (!(e->flags & WEFT_EVENT_VALUE) && prev < 64 && (e->enabled & (1ull << prev)) &&
		    e->thread != prev)
			count++;
	}
	return count;
}

bool weft_bug_smaller(const struct weft_bug *a, const struct weft_bug *b)
{
	uint32_t pa = weft_bug_preemptions(a), pb = weft_bug_preemptions(b);
	return pa < pb || (pa == pb && a->nevents < b->nevents);
}

void weft_bug_free(struct weft_bug *bug)
{
	if (!bug)
		return;
	free(bug->token);
	free(bug->snapshot);
	free(bug->events);
	free(bug->stacks);
	free(bug->output);
	free(bug->race_points);
	free(bug);
}

bool weft_bugs_add(struct weft_result *r, struct weft_bug *bug)
{
	bug->signature = weft_bug_signature(bug);
	bug->occurrences = 1;
	for (uint32_t i = 0; i < r->nbugs; i++) {
		struct weft_bug *old = r->bugs[i];
		if (old->signature != bug->signature)
			continue;
		bug->occurrences += old->occurrences;
		if (weft_bug_smaller(bug, old)) {
			bug->execution = old->execution; /* first found in */
			r->bugs[i] = bug;
			weft_bug_free(old);
		} else {
			old->occurrences = bug->occurrences;
			weft_bug_free(bug);
		}
		r->bug = r->bugs[0];
		return false;
	}
	if (r->nbugs == WEFT_MAX_DISTINCT_BUGS) {
		weft_bug_free(bug);
		return false;
	}
	r->bugs[r->nbugs++] = bug;
	r->bug = r->bugs[0];
	return true;
}
