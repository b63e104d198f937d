/* Call stacks in reports: which frame of a step is "the test's line", and
 * the whole stack of the steps that matter, for the text, JSON and HTML
 * reports alike. */
#ifndef WEFT_STACK_REPORT_H
#define WEFT_STACK_REPORT_H

#include <stdio.h>

#include "explore.h"
#include "symbolize.h"

/* Return addresses of one step or one thread: the call site, then its callers. */
#define WEFT_STACK_MAX (1 + WEFT_STACK_DEPTH)

/* Step i: its call site and, when the execution kept stacks, its callers. */
uint32_t weft_step_stack(const struct weft_bug *bug, uint32_t i, uint64_t *pcs);

/* Thread t's pending (or last) operation, the same way; for a thread that
 * crashed, aborted or hung, the stack of the place it stopped instead. */
uint32_t weft_thread_stack(const struct weft_bug *bug, uint32_t t, uint64_t *pcs);

/* The words for where thread t stopped ("crashed", "aborted", "stuck"),
 * or NULL when its stack is its pending operation's. */
const char *weft_thread_stopped(const struct weft_bug *bug, uint32_t t);

/* Where a stack is for a reader: the first frame in the program's own
 * code (not libc, libstdc++, weft, or a library without debug information),
 * followed by " <- " and its caller's frame when that caller, the next
 * own frame, is in another source file, so that a call through the
 * program's own wrapper names the test's line too. Without any own frame, the innermost one, and false.
 * "" when nothing is known. */
bool weft_stack_at(struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n, char *buf,
                   size_t len);

/* weft_stack_at for step i, whose stack pcs holds (n frames). A thread's
 * "start" step names its start routine only when that is the program's own
 * code (std::thread's is libstdc++'s, which says nothing). */
void weft_step_at(struct weft_symbolizer *sym, const struct weft_bug *bug, uint32_t i,
                  const uint64_t *pcs, uint32_t n, char *buf, size_t len);

/* The frames of a stack, inlined calls expanded, innermost first, up to
 * max; frames in weft's runtime are left out. */
uint32_t weft_stack_frames(struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n,
                           struct weft_frame *out, uint32_t max);

/* Prints one frame a line after `indent`, the program's own marked with '>'. */
void weft_stack_print(FILE *f, struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n,
                      const char *indent);

#endif
