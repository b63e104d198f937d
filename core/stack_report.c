/* Call stacks in reports (see stack_report.h). */
#include "stack_report.h"

#include <string.h>

uint32_t weft_step_stack(const struct weft_bug *bug, uint32_t i, uint64_t *pcs)
{
	uint32_t n = 0;
	if (i >= bug->nevents)
		return 0;
	if (bug->events[i].pc)
		pcs[n++] = bug->events[i].pc;
	if (bug->stacks && n)
		for (uint32_t k = 0;
		     k < WEFT_STACK_DEPTH && bug->stacks[(size_t)i * WEFT_STACK_DEPTH + k]; k++)
			pcs[n++] = bug->stacks[(size_t)i * WEFT_STACK_DEPTH + k];
	return n;
}

uint32_t weft_thread_stack(const struct weft_bug *bug, uint32_t t, uint64_t *pcs)
{
	const struct weft_shm *snap = bug->snapshot;
	if (t >= snap->nthreads || t >= WEFT_MAX_THREADS)
		return 0;
	const struct weft_thread_state *s = &snap->threads[t];
	uint32_t n = 0;
	/* A thread that crashed, aborted or hung was walked where it stopped. */
	bool stuck = s->stopped_here && s->stack[0];
	if (s->pc && !stuck)
		pcs[n++] = s->pc;
	if (n || stuck)
		for (uint32_t k = 0; k < WEFT_STACK_DEPTH && s->stack[k]; k++)
			pcs[n++] = s->stack[k];
	return n;
}

const char *weft_thread_stopped(const struct weft_bug *bug, uint32_t t)
{
	const struct weft_shm *snap = bug->snapshot;
	if (t >= snap->nthreads || t >= WEFT_MAX_THREADS || !snap->threads[t].stopped_here ||
	    !snap->threads[t].stack[0])
		return NULL;
	switch (bug->kind) {
	case WEFT_BUG_HANG:
		return "stuck";
	case WEFT_BUG_ASSERTION:
		return "aborted";
	default:
		return "crashed";
	}
}

uint32_t weft_stack_frames(struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n,
                           struct weft_frame *out, uint32_t max)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n && k < max; i++) {
		uint32_t got = weft_symbolize_frames(sym, pcs[i], out + k, max - k);
		/* weft's own frames (the thread trampoline, main's wrapper) say
		 * nothing about the program: left out */
		if (got == 1 && out[k].weft)
			continue;
		k += got;
	}
	return k;
}

#define MAX_FRAMES 48

bool weft_stack_at(struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n, char *buf,
                   size_t len)
{
	buf[0] = '\0';
	struct weft_frame frames[MAX_FRAMES];
	uint32_t k = weft_stack_frames(sym, pcs, n, frames, MAX_FRAMES);
	int first = -1;
	for (uint32_t i = 0; i < k && first < 0; i++)
		if (frames[i].own)
			first = (int)i;
	if (first < 0) {
		if (k > 0)
			snprintf(buf, len, "%s", frames[0].where);
		return false;
	}
	snprintf(buf, len, "%s", frames[first].where);
	/* A caller in another file: the first frame is a wrapper of the
	 * program's own, and the caller says which line of the test it serves.
	 * A caller in the same file is the test's own structure: left out. */
	for (uint32_t i = (uint32_t)first + 1; i < k; i++)
		if (frames[i].own) {
			if (strcmp(frames[i].path, frames[first].path) != 0) {
				size_t used = strlen(buf);
				snprintf(buf + used, len - used, " <- %s", frames[i].where);
			}
			break;
		}
	return true;
}

void weft_step_at(struct weft_symbolizer *sym, const struct weft_bug *bug, uint32_t i,
                  const uint64_t *pcs, uint32_t n, char *buf, size_t len)
{
	if (!weft_stack_at(sym, pcs, n, buf, len) && bug->events[i].op == WEFT_OP_START)
		buf[0] = '\0';
}

void weft_stack_print(FILE *f, struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n,
                      const char *indent)
{
	struct weft_frame frames[MAX_FRAMES];
	uint32_t k = weft_stack_frames(sym, pcs, n, frames, MAX_FRAMES);
	for (uint32_t i = 0; i < k; i++)
		fprintf(f, "%s%c %s\n", indent, frames[i].own ? '>' : ' ', frames[i].where);
}
