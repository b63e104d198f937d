/* Races explored to their consequences (instrumented builds, --keep-going):
 * the explorer lists the accesses that raced in earlier executions
 * (weft_shm.race_points, as module and offset, since addresses move from
 * one process to the next); when the runtime takes control it turns them
 * into addresses, and from then on each such access is a scheduling point
 * on the address it touches, and a race between two of them is not
 * reported again (it was), so the execution goes on to the assertion,
 * crash or deadlock the race leads to. */
#include "race.h"
#include "runtime.h"

static uintptr_t points[WEFT_MAX_RACE_POINTS];
uint32_t weft__race_npoints;

void weft__race_points_on_claim(const struct weft_shm *shm)
{
	/* Written only when there is something to write: the page stays the
	 * fork server's in the common case, no race points. */
	if (weft__race_npoints != 0)
		weft__race_npoints = 0;
	uint32_t n =
	    shm->nrace_points < WEFT_MAX_RACE_POINTS ? shm->nrace_points : WEFT_MAX_RACE_POINTS;
	for (uint32_t i = 0; i < n; i++) {
		const struct weft_race_point *p = &shm->race_points[i];
		if (p->module < shm->nmodules)
			points[weft__race_npoints++] =
			    (uintptr_t)(shm->modules[p->module].bias + p->offset);
	}
}

bool weft__race_point(uintptr_t pc)
{
	for (uint32_t i = 0; i < weft__race_npoints; i++)
		if (points[i] == pc)
			return true;
	return false;
}

void weft__race_point_schedule(uintptr_t addr, bool write, uintptr_t pc)
{
	if (weft__rt.exiting)
		return;
	struct weft_object *o = weft__object_get((const void *)addr, WEFT_OBJECT_ATOMIC);
	weft__sched_point(write ? WEFT_OP_RACY_WRITE : WEFT_OP_RACY_READ, o, pc);
}
