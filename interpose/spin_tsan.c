/* Spin-waits in programs built with -fsanitize=thread, where every plain
 * access reaches the runtime: a thread that keeps re-reading a location
 * that nobody wrote since its last read (no other thread ran, as it made no
 * step, and it did not write the location itself) is spinning. After
 * WEFT_SPIN_REREADS such reads of one location it gives way, as after
 * sched_yield, with the operation `spin` at the read. The count depends
 * only on what the program does, so the preemption is deterministic and no
 * signal is needed. Atomic loads have their own rule (model_atomic.c). */
#define _GNU_SOURCE
#include "spin.h"

#define SLOTS 8 /* locations followed at once: a loop may read a few */

struct rereads {
	uint32_t steps; /* shm->nsteps when the counts started */
	uintptr_t addr[SLOTS];
	uint32_t count[SLOTS];
};

static __thread struct rereads reads __attribute__((tls_model("initial-exec")));

void weft__spin_access(uintptr_t addr, bool is_write, uintptr_t pc)
{
	struct weft_runtime *rt = &weft__rt;
	struct rereads *r = &reads;
	uint32_t steps = rt->shm->nsteps;
	if (r->steps != steps) {
		for (uint32_t i = 0; i < SLOTS; i++)
			r->addr[i] = 0;
		r->steps = steps;
	}
	uint32_t slot = (uint32_t)((addr >> 2) ^ (addr >> 7)) & (SLOTS - 1);
	if (is_write) {
		if (r->addr[slot] == addr)
			r->addr[slot] = 0;
		return;
	}
	if (r->addr[slot] != addr) {
		r->addr[slot] = addr;
		r->count[slot] = 1;
		return;
	}
	/* Saturated: the hook leaves the same values in registers every time
	 * round, so that spin.c's sampling can see a loop that never ends. */
	if (r->count[slot] >= WEFT_SPIN_REREADS || ++r->count[slot] < WEFT_SPIN_REREADS)
		return;
	struct weft_thread *me = weft__self();
	/* Only a thread that holds the turn, outside the runtime's own work,
	 * may make a scheduling point here. */
	if (!me || me->exited || !rt->active || rt->exiting || rt->wrapping ||
	    rt->shm->current != me->id || rt->atomic_owner == me)
		return;
	/* With nobody else to run, giving way changes nothing; a loop that
	 * never ends is then found by spin.c's sampling. */
	if (weft__spin_others_can_run(me)) {
		r->addr[slot] = 0;
		weft__spin_yield(me, pc);
	}
}
