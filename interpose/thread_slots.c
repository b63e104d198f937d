/* Thread slots: a thread's id is the slot its record holds in the runtime's
 * table and in the exchange region, and the bit that stands for it in
 * enabled sets (64 bits wide, so at most WEFT_MAX_THREADS threads exist at
 * once). A thread that has exited and was joined or detached gives its slot
 * back, and the next thread created takes the lowest free slot, so a
 * program that creates thousands of threads in waves runs in as many slots
 * as it has threads alive at once, and the runtime's memory grows with
 * those, not with the threads created over the run.
 *
 * To the strategies a reused slot is one thread whose life goes on: the
 * join (or the detached thread's exit) that freed the slot and the create
 * that takes it touch the same thread object, so they are dependent
 * (core/dependence.c), and everything the old thread did happens before
 * what the new one does in that order. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <string.h>

bool weft__thread_slot_free(const struct weft_thread *t)
{
	/* A thread that ended holding a mutex stays its owner (the next locker
	 * of a robust one takes it over, model_robust.c): until then its slot
	 * and record are not a new thread's. */
	return t->exited && (t->joined || t->detached) && t->shared->nheld == 0;
}

uint32_t weft__thread_slot_next(void)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (weft__thread_slot_free(weft__rt.threads[i]))
			return i;
	return weft__rt.nthreads;
}

/* A record for a new thread in the lowest free slot. The record of a joined
 * thread is used again: its kernel thread is gone (the real join returned
 * before any other thread ran). A detached thread may still be tearing down
 * outside weft's control with its record in hand, so its slot gets a fresh
 * record and the old one stays as it is. */
struct weft_thread *weft__thread_slot_take(void)
{
	struct weft_runtime *rt = &weft__rt;
	uint32_t id = weft__thread_slot_next();
	if (id >= WEFT_MAX_THREADS)
		weft__limit("the program has more than %d threads alive at once (created and not "
		            "yet both exited and joined or detached): weft's limit is %d "
		            "(WEFT_MAX_THREADS in core/protocol.h, the width of its enabled sets). "
		            "Join or detach threads before creating more, or test with fewer",
		            WEFT_MAX_THREADS, WEFT_MAX_THREADS);
	struct weft_thread *t;
	if (id < rt->nthreads && rt->threads[id]->joined) {
		t = rt->threads[id];
		memset(t, 0, sizeof *t);
	} else {
		if (id < rt->nthreads)
			weft__exec_slot_reused(rt->threads[id]);
		t = weft__pool_alloc(sizeof *t);
	}
	t->id = id;
	t->shared = &rt->shm->threads[id];
	memset(t->shared, 0, sizeof *t->shared);
	rt->threads[id] = t;
	rt->live |= 1ull << id;
	if (id == rt->nthreads) {
		rt->nthreads++;
		rt->shm->nthreads = rt->nthreads;
	}
	return t;
}
