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
/* epoch_steps[t][c]: the step after which thread t's clock became c, for
 * c below epoch_steps_cap[t]; each array starts small and doubles, so that
 * an execution writes a page or two of them, not one per thread. No clock
 * passes epoch_steps_max (twice the steps of an execution: a release per
 * step at most, and a slot used again goes on from its last thread). */
#define EPOCH_STEPS_FIRST 64
static uint32_t *epoch_steps[WEFT_MAX_THREADS];
static uint32_t epoch_steps_cap[WEFT_MAX_THREADS];
static uint32_t epoch_steps_max;
/* The first EPOCH_STEPS_FIRST of each thread, side by side: the threads of
 * a small test share a page or two. */
static uint32_t epoch_steps_first[WEFT_MAX_THREADS][EPOCH_STEPS_FIRST];

/* An object's release clock, and a second one for the readers of a
 * read-write lock, in separate tables: the clocks of the objects most
 * tests use (mutexes, atomics) lie 16 to a page. */
typedef uint32_t sync_clock[WEFT_MAX_THREADS];

#define SYNC_CHUNK_BITS 8
#define SYNC_CHUNKS 4096 /* object ids below 2^20 */
static sync_clock *sync_chunks[SYNC_CHUNKS], *shared_chunks[SYNC_CHUNKS];

static uint32_t *clock_in(sync_clock **chunks, const struct weft_object *o)
{
	uint32_t chunk = o->id >> SYNC_CHUNK_BITS;
	if (chunk >= SYNC_CHUNKS)
		weft__limit("the program used more than %u synchronisation objects and atomic "
		            "locations in one execution: weft's limit is %u (SYNC_CHUNKS in "
		            "interpose/race_clock.c), as the race detector keeps a clock for each; "
		            "shrink the test",
		            SYNC_CHUNKS << SYNC_CHUNK_BITS, SYNC_CHUNKS << SYNC_CHUNK_BITS);
	if (!chunks[chunk])
		chunks[chunk] = weft__race_alloc(sizeof(sync_clock) << SYNC_CHUNK_BITS);
	return chunks[chunk][o->id & ((1u << SYNC_CHUNK_BITS) - 1)];
}

/* The clocks are written after they are read (join): weft__race_touch
 * brings a page no execution touched yet in one fault, not two. */
static uint32_t *sync_of(const struct weft_object *o)
{
	uint32_t *c = clock_in(sync_chunks, o);
	weft__race_touch(c);
	return c;
}

static uint32_t *shared_of(const struct weft_object *o)
{
	uint32_t *c = clock_in(shared_chunks, o);
	weft__race_touch(c);
	return c;
}

uint32_t weft__race_epoch_step(uint32_t tid, uint32_t clock)
{
	if (clock >= epoch_steps_cap[tid] || clock < 2)
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

/* Room in epoch_steps[t] for clock c (below epoch_steps_max); the old
 * array is dropped, as the detector's memory is never freed. */
static void grow_epoch_steps(uint32_t t, uint32_t c)
{
	if (!epoch_steps_cap[t] && c < EPOCH_STEPS_FIRST) {
		epoch_steps[t] = epoch_steps_first[t];
		epoch_steps_cap[t] = EPOCH_STEPS_FIRST;
		return;
	}
	uint32_t cap = epoch_steps_cap[t] ? epoch_steps_cap[t] : EPOCH_STEPS_FIRST;
	while (cap <= c)
		cap = cap > epoch_steps_max / 2 ? epoch_steps_max : 2 * cap;
	uint32_t *steps = weft__race_alloc(cap * sizeof(uint32_t));
	if (epoch_steps_cap[t])
		memcpy(steps, epoch_steps[t], epoch_steps_cap[t] * sizeof(uint32_t));
	epoch_steps[t] = steps;
	epoch_steps_cap[t] = cap;
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
	if (!epoch_steps_max)
		epoch_steps_max = 2 * weft__rt.shm->max_steps + 8;
	if (*c >= epoch_steps_cap[t] && *c < epoch_steps_max)
		grow_epoch_steps(t, *c);
	if (*c < epoch_steps_cap[t])
		epoch_steps[t][*c] = weft__rt.shm->nsteps ? weft__rt.shm->nsteps - 1 : 0;
}

void weft__race_release(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	join(sync_of(o), weft__race_clocks[t]);
	tick((uint32_t)t);
}

void weft__race_acquire(const struct weft_object *o)
{
	int t = caller();
	if (t >= 0)
		join(weft__race_clocks[t], sync_of(o));
}

void weft__race_release_shared(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	join(shared_of(o), weft__race_clocks[t]);
	tick((uint32_t)t);
}

void weft__race_acquire_exclusive(const struct weft_object *o)
{
	int t = caller();
	if (t < 0)
		return;
	join(weft__race_clocks[t], sync_of(o));
	join(weft__race_clocks[t], shared_of(o));
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
		join(acquires(order) ? weft__race_clocks[t] : pending_acquire[t], sync_of(o));
}

void weft__race_atomic_store(const struct weft_object *o, int order)
{
	int t = caller();
	if (t < 0)
		return;
	if (releases(order)) {
		copy(sync_of(o), weft__race_clocks[t]);
		tick((uint32_t)t);
	} else {
		copy(sync_of(o), fence_release[t]);
	}
}

void weft__race_atomic_rmw(const struct weft_object *o, int order)
{
	int t = caller();
	if (t < 0)
		return;
	uint32_t *s = sync_of(o);
	join(acquires(order) ? weft__race_clocks[t] : pending_acquire[t], s);
	if (releases(order)) {
		join(s, weft__race_clocks[t]);
		tick((uint32_t)t);
	} else {
		join(s, fence_release[t]);
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
