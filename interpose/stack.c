/* Call stacks of scheduling points, for reports. The explorer asks for
 * them (WEFT_OPT_STACKS) only in executions it reports, since a walk costs
 * about 2 us a step. Programs are usually built without frame pointers, so
 * the walk uses libgcc's unwinder (.eh_frame, present in every object by
 * default on x86-64): it needs no memory and, at a scheduling point, no
 * lock another controlled thread could hold, since only one thread runs
 * and none is parked inside it. It may lock a mutex of its own when some
 * object registered its frames by hand (libffi does): that call must reach
 * glibc, not the model, which is what the `wrapping` flag does. */
#define _GNU_SOURCE
#include "runtime.h"

#include <string.h>
#include <unwind.h>

struct walk {
	uintptr_t pc; /* the call site: frames are kept from the one after it */
	bool found;
	uint32_t n, skipped;
	uint64_t *out;
};

/* Frames of the runtime itself before the call site; past this many the
 * call site is not on the stack (a caller found some other way). */
#define MAX_SKIPPED 16

static _Unwind_Reason_Code keep_frame(struct _Unwind_Context *c, void *arg)
{
	struct walk *w = arg;
	uintptr_t ip = _Unwind_GetIP(c);
	if (!w->found) {
		w->found = ip == w->pc;
		return ++w->skipped > MAX_SKIPPED ? _URC_END_OF_STACK : _URC_NO_REASON;
	}
	if (ip == 0)
		return _URC_END_OF_STACK;
	w->out[w->n++] = ip;
	return w->n == WEFT_STACK_DEPTH ? _URC_END_OF_STACK : _URC_NO_REASON;
}

void weft__stack_capture(uintptr_t pc, uint64_t *out)
{
	memset(out, 0, WEFT_STACK_DEPTH * sizeof *out);
	if (!pc || !weft__rt.shm || !(weft__rt.shm->options & WEFT_OPT_STACKS))
		return;
	struct walk w = {.pc = pc, .out = out};
	bool was_wrapping = weft__rt.wrapping;
	weft__rt.wrapping = true;
	_Unwind_Backtrace(keep_frame, &w);
	weft__rt.wrapping = was_wrapping;
}

/* The first walk in a process binds libgcc's calls into libc and ld.so
 * lazily and sets up its caches; done in the fork server, every child
 * inherits the result instead of paying for it again. */
void weft__stack_warm_up(void)
{
	uint64_t frames[WEFT_STACK_DEPTH];
	struct walk w = {.pc = 1, .out = frames};
	bool was_wrapping = weft__rt.wrapping;
	weft__rt.wrapping = true;
	_Unwind_Backtrace(keep_frame, &w);
	weft__rt.wrapping = was_wrapping;
}
