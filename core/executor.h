/* Running one execution of the target: the exchange region, the launch with
 * the runtime preloaded, the wait with a watchdog for threads stuck in calls
 * weft does not control, and the target's captured output. This is the only
 * part of the explorer that deals with processes. */
#ifndef WEFT_EXECUTOR_H
#define WEFT_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "explore.h"

struct weft_executor;

struct weft_run_outcome {
	bool signaled;
	int exit_status;
	int signal;
	bool hang;
	char hang_call[256]; /* what the stuck thread was doing */
	bool oom_killed;     /* SIGKILL from the kernel's out-of-memory killer */
};

/* Prepares the region and the environment; on failure returns NULL with a
 * message in err. */
struct weft_executor *weft_executor_open(const struct weft_config *config, char *err,
                                         size_t errlen);
struct weft_shm *weft_executor_shm(struct weft_executor *ex);
/* Runs the target once with the plan already in the region. Returns false
 * (message in err) when the target could not be started at all. */
bool weft_executor_run(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                       size_t errlen);
/* The same, calling meanwhile(arg) once the execution is under way, before
 * waiting for its end: work of the explorer's that the next plan does not
 * wait for runs beside the execution instead of before it. */
bool weft_executor_run_beside(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                              size_t errlen, void (*meanwhile)(void *), void *arg);
/* What the target wrote to stdout and stderr during the last execution,
 * interleaved as written (tail). */
char *weft_executor_output_tail(struct weft_executor *ex, size_t max_bytes);
void weft_executor_close(struct weft_executor *ex);
/* End any execution still running at `deadline` (CLOCK_MONOTONIC seconds,
 * 0 = none): weft_executor_run then returns false with "time limit". */
void weft_executor_set_deadline(struct weft_executor *ex, double deadline);

#endif
