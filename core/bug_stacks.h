/* Call stacks for the bugs an exploration reports. Walking the stack costs
 * the runtime about 2 us a step, so executions run without stacks; the
 * execution of each bug that is reported runs once more with them
 * (WEFT_OPT_STACKS), following the bug's own schedule, and a replay keeps
 * them from the start. A thread stuck in a call weft does not control is
 * walked from outside (remote_stack.c), in the execution that hung. */
#ifndef WEFT_BUG_STACKS_H
#define WEFT_BUG_STACKS_H

#include <sys/types.h>

#include "executor.h"

/* Copies the stacks of the execution in shm into the bug, when it kept some. */
void weft_bug_take_stacks(struct weft_bug *bug, struct weft_shm *shm);

/* Runs the bug's schedule again with stacks and keeps them, if the run
 * makes the same steps (a program whose steps change between runs of one
 * schedule keeps the report without stacks). Not for hangs, whose run
 * would take --hang-timeout again. */
void weft_bug_add_stacks(struct weft_executor *ex, const struct weft_config *config,
                         struct weft_bug *bug);

/* The call stack of thread tid of a live process, from outside through
 * ptrace: the innermost pc plus one (so that, like the return addresses
 * after it, it is looked up at pc - 1), then the callers, into
 * out[WEFT_STACK_DEPTH], zeros after the last. False when the thread
 * cannot be walked (no permission to trace, the thread gone). */
bool weft_remote_stack(pid_t pid, pid_t tid, uint64_t *out);

#endif
