/* Vector clocks of the race detector: one per thread, one per modelled
 * object (its release clock, plus a second one for the readers of a
 * read-write lock), and the edges that pass them along. A thread's own
 * entry ticks at every release, so that what it does afterwards is not
 * ordered before the acquirer.
 *
 * Atomics follow C11's release/acquire rules: a release store replaces the
 * location's clock, a relaxed store replaces it with the clock of the
 * thread's last release fence (often nothing); read-modify-writes add to it
 * (they continue release sequences). An acquire load takes the location's
 * clock in; a relaxed load keeps it aside for the thread's next acquire
 * fence. Which value a load reads is decided by the exploration (sequential
 * consistency): it is always the last one stored. */
#define _GNU_SOURCE
#include "race.h"

#include <string.h>

bool weft__race_instrumented;

uint32_t weft__race_clocks[WEFT_MAX_THREADS][WEFT_MAX_THREADS];
/* the thread's clock at its last release fence */
static uint32_t fence_release[WEFT_MAX_THREADS][WEFT_MAX_THREADS];
/* what its relaxed loads read, for its next acquire fence */
static uint32_t pending_acquire[WEFT_MAX_THREADS][WEFT_MAX_THREADS];
/* epoch_steps[t][c]: the step after which thread t's clock became c */
static uint32_t *epoch_steps[WEFT_MAX_THREADS];
static uint32_t epoch_steps_len;

struct sync_clock {
	uint32_t clock[WEFT_MAX_THREADS];
	uint32_t shared[WEFT_MAX_THREADS]; /* readers' releases (read-write locks) */
};

#define SYNC_CHUNK_BITS 8
#define SYNC_CHUNKS 4096 /* object ids below 2^20 */
static struct sync_clock *sync_chunks[SYNC_CHUNKS];

static struct sync_clock *sync_of(const struct weft_object *o)
{
	uint32_t chunk = o->id >> SYNC_CHUNK_BITS;
	if (chunk >= SYNC_CHUNKS)
		weft__limit("the program used more than %u synchronisation objects and atomic "
		            "locations in one execution: weft's limit is %u (SYNC_CHUNKS in "
		            "interpose/race_clock.c), as the race detector keeps a clock for each; "
		            "shrink the test",
		            SYNC_CHUNKS << SYNC_CHUNK_BITS, SYNC_CHUNKS << SYNC_CHUNK_BITS);
	if (!sync_chunks[chunk])
		sync_chunks[chunk] = weft__race_alloc(sizeof(struct sync_clock) << SYNC_CHUNK_BITS);
	return &sync_chunks[chunk][o->id & ((1u << SYNC_CHUNK_BITS) - 1)];
}

uint32_t weft__race_epoch_step(uint32_t tid, uint32_t clock)
{
	if (!epoch_steps[tid] || clock >= epoch_steps_len || clock < 2)
		return UINT32_MAX;
	return epoch_steps[tid][clock];
}

static void join(uint32_t *into, const uint32_t *from)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (from[i] > into[i])
			into[i] = from[i];
}

static void copy(uint32_t *into, const uint32_t *from)
{
	memcpy(into, from, sizeof weft__race_clocks[0]);
}

/* The caller's thread id, or -1 when there is no race detection to do. */
static int caller(void)
{
	if (!weft__race_instrumented)
		return -1;
	struct weft_thread *me = weft__self();
	if (!me)
		return -1;
	if (weft__race_clocks[me->id][me->id] == 0)
		weft__race_clocks[me->id][me->id] = 1; /* the main thread, at its first edge */
	return (int)me->id;
}

/* Thread t released something: what it does from now on is a new epoch. */
static void tick(uint32_t t)
{
	uint32_t *c = &weft__race_clocks[t][t];
	if (*c >= WEFT_RACE_MAX_CLOCK)
		weft__fail(WEFT_BUG_LIVELOCK,
		           "thread %u passed %u synchronisation operations, the race detector's "
		           "bound for one execution; lower --max-steps",
		           t, WEFT_RACE_MAX_CLOCK);
	++*c;
	if (!epoch_steps_len)
		epoch_steps_len = 2 * weft__rt.shm->max_steps + 8;
	if (!epoch_steps[t])
		epoch_steps[t] = weft__race_alloc(epoch_steps_len * sizeof(uint32_t));
	if (*c < epoch_steps_len)
		epoch_steps[t][*c] = weft__rt.shm->nsteps ? weft__rt.shm->nsteps - 1 : 0;
}

void weft__race_release(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	join(sync_of(o)->clock, weft__race_clocks[t]);
	tick((uint32_t)t);
}

void weft__race_acquire(const struct weft_object *o)
{
	int t = caller();
	if (t >= 0)
		join(weft__race_clocks[t], sync_of(o)->clock);
}

void weft__race_release_shared(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	join(sync_of(o)->shared, weft__race_clocks[t]);
	tick((uint32_t)t);
}

void weft__race_acquire_exclusive(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	struct sync_clock *s = sync_of(o);
	join(weft__race_clocks[t], s->clock);
	join(weft__race_clocks[t], s->shared);
}

void weft__race_thread_create(const struct weft_thread *child)
{
	int t = caller();
	if (t < 0)
		return;
	/* A slot used again (thread_slots.c) goes on counting where its last
	 * thread stopped: the epochs of that thread's accesses stay ordered
	 * before the new one's, never mistaken for later ones. */
	uint32_t own = weft__race_clocks[child->id][child->id];
	copy(weft__race_clocks[child->id], weft__race_clocks[t]);
	weft__race_clocks[child->id][child->id] = own + 1;
	weft__race_stack_reset(child->id);
	tick((uint32_t)t);
}

void weft__race_thread_exit(void)
{
	/* The thread hands the turn on and never comes back: whatever it still
	 * runs (destructors) runs beside the others, unchecked. */
	weft__race_current = NULL;
}

void weft__race_thread_join(const struct weft_thread *target)
{
	int t = caller();
	if (t >= 0)
		join(weft__race_clocks[t], weft__race_clocks[target->id]);
}

static bool acquires(int order)
{
	return order == 1 || order == 2 || order >= 4;
}

static bool releases(int order)
{
	return order >= 3;
}

void weft__race_atomic_load(const struct weft_object *o, int order)
{
	int t = caller();
	if (t >= 0)
		join(acquires(order) ? weft__race_clocks[t] : pending_acquire[t],
		     sync_of(o)->clock);
}

void weft__race_atomic_store(const struct weft_object *o, int order)
{
	int t = caller();
	if (t < 0)
		return;
	if (releases(order)) {
		copy(sync_of(o)->clock, weft__race_clocks[t]);
		tick((uint32_t)t);
	} else {
		copy(sync_of(o)->clock, fence_release[t]);
	}
}

void weft__race_atomic_rmw(const struct weft_object *o, int order)
{
	int t = caller();
	if (t < 0)
		return;
	struct sync_clock *s = sync_of(o);
	join(acquires(order) ? weft__race_clocks[t] : pending_acquire[t], s->clock);
	if (releases(order)) {
		join(s->clock, weft__race_clocks[t]);
		tick((uint32_t)t);
	} else {
		join(s->clock, fence_release[t]);
	}
}

void weft__race_fence(int order)
{
	int t = caller();
	if (t < 0)
		return;
	if (acquires(order))
		join(weft__race_clocks[t], pending_acquire[t]);
	if (releases(order)) {
		copy(fence_release[t], weft__race_clocks[t]);
		tick((uint32_t)t);
	}
}
