/* The reported bugs' call stacks: taken from an execution that kept them,
 * or from one more run of the bug's schedule (see bug_stacks.h). */
#include "bug_stacks.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"

void weft_bug_take_stacks(struct weft_bug *bug, struct weft_shm *shm)
{
	if (!(shm->options & WEFT_OPT_STACKS) || bug->nevents == 0)
		return;
	size_t size = (size_t)bug->nevents * WEFT_STACK_DEPTH * sizeof(uint64_t);
	bug->stacks = malloc(size);
	if (bug->stacks)
		memcpy(bug->stacks, weft_shm_stacks(shm), size);
}

/* The run made the same steps as the bug's execution. */
static bool same_steps(const struct weft_bug *bug, struct weft_shm *shm)
{
	uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
	if (n != bug->nevents || shm->nthreads != bug->snapshot->nthreads)
		return false;
	const struct weft_event *e = weft_shm_events(shm);
	for (uint32_t i = 0; i < n; i++)
		if (e[i].thread != bug->events[i].thread || e[i].op != bug->events[i].op ||
		    e[i].object != bug->events[i].object)
			return false;
	return true;
}

void weft_bug_add_stacks(struct weft_executor *ex, const struct weft_config *config,
                         struct weft_bug *bug)
{
	if (bug->stacks || bug->kind == WEFT_BUG_HANG || bug->nevents == 0)
		return;
	struct weft_shm *shm = weft_executor_shm(ex);
	struct weft_choice *plan = weft_shm_plan(shm);
	uint32_t len = 0;
	for (uint32_t i = 0; i < bug->nevents && len < shm->max_steps; i++)
		if (bug->events[i].flags & WEFT_EVENT_CHOICE)
			plan[len++] = (struct weft_choice){i, weft_event_choice(&bug->events[i])};
	shm->plan_len = len;
	shm->policy = WEFT_POLICY_LOWEST;
	shm->seed = 0;
	shm->pct_depth = shm->pct_steps = 0;
	uint32_t options = shm->options;
	shm->options |= WEFT_OPT_STACKS;
	struct weft_run_outcome out;
	char err[256];
	bool ran = weft_executor_run(ex, &out, err, sizeof err);
	shm->options = options;
	if (!ran || out.hang)
		return;
	struct weft_verdict_info v;
	weft_classify(config, shm, &out, &v);
	if (v.error || v.kind != bug->kind || !same_steps(bug, shm))
		return;
	size_t size = (size_t)bug->nevents * WEFT_STACK_DEPTH * sizeof(uint64_t);
	bug->stacks = malloc(size);
	if (!bug->stacks)
		return;
	memcpy(bug->stacks, weft_shm_stacks(shm), size);
	/* The same execution, but a process started afresh has its libraries
	 * elsewhere: addresses are read against this run's modules. */
	memcpy(bug->snapshot, shm, sizeof *shm);
	memcpy(bug->events, weft_shm_events(shm), bug->nevents * sizeof *bug->events);
}
