/* The model of atomic locations (programs built with -fsanitize=thread):
 * every atomic operation is a scheduling point, and runs while its thread
 * holds the turn, so the program runs under sequential consistency; the
 * explorer's dependence table (core/dependence.c) says which of them
 * commute: loads of one location with each other, and anything on
 * different locations.
 *
 * Spin-waits: an operation that only looks (a load, a failed
 * compare-exchange, a read-modify-write that left the value as it was) and
 * finds the location unchanged since its thread last looked at it leaves
 * the thread yielded, as sched_yield does: the thread gives way to every
 * other thread at the next decision, so a spin loop waits for the thread it
 * spins on instead of running out the step bound. The event records it
 * (WEFT_EVENT_YIELDED) for the explorer. Fences are not scheduling points:
 * under sequential consistency they order nothing more, and they only
 * move the race detector's clocks. */
#define _GNU_SOURCE
#include "model_atomic.h"

#define CHUNK_BITS 12
#define CHUNKS 256 /* object ids below 2^20, as race_clock.c */

/* looked[id]: the threads that looked at the location since it last changed */
static uint64_t *looked_chunks[CHUNKS];

static uint64_t *looked_of(const struct weft_object *o)
{
	uint32_t chunk = o->id >> CHUNK_BITS;
	if (chunk >= CHUNKS)
		weft__fail(WEFT_BUG_MISUSE,
		           "the program used more than %u synchronisation objects and atomic "
		           "locations in one execution: shrink the test",
		           CHUNKS << CHUNK_BITS);
	if (!looked_chunks[chunk])
		looked_chunks[chunk] = weft__race_alloc(sizeof(uint64_t) << CHUNK_BITS);
	return &looked_chunks[chunk][o->id & ((1u << CHUNK_BITS) - 1)];
}

/* Flag the calling thread's event, which is the last one recorded: it
 * holds the turn since its scheduling point. */
static void flag_event(uint8_t flag)
{
	uint32_t n = weft__rt.shm->nsteps;
	if (n && weft__rt.events[n - 1].thread == weft__self()->id)
		weft__rt.events[n - 1].flags |= flag;
}

struct weft_object *weft__atomic_begin(const volatile void *addr, enum weft_op op, uintptr_t pc)
{
	struct weft_object *o = weft__object_get((const void *)addr, WEFT_OBJECT_ATOMIC);
	/* A futex word is an atomic location too (model_futex.c). */
	if (o->kind != WEFT_OBJECT_ATOMIC && o->kind != WEFT_OBJECT_FUTEX)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u uses object #%u, a synchronisation object, as an atomic "
		           "location",
		           weft__self()->id, o->id);
	if (!o->seeded) {
		/* forgotten with its memory when freed (race_shadow.c) */
		weft__race_note_atomic((uintptr_t)addr);
		o->seeded = true;
	}
	weft__sched_point(op, o, pc);
	return o;
}

/* The thread looked at the location without changing it. */
static void look(struct weft_object *o)
{
	struct weft_thread *me = weft__self();
	uint64_t *looked = looked_of(o), bit = 1ull << me->id;
	if (*looked & bit) {
		me->yielded = true;
		flag_event(WEFT_EVENT_YIELDED);
	}
	*looked |= bit;
}

void weft__atomic_loaded(struct weft_object *o, int order)
{
	look(o);
	weft__race_atomic_load(o, order);
}

void weft__atomic_stored(struct weft_object *o, int order)
{
	*looked_of(o) = 0;
	weft__race_atomic_store(o, order);
}

void weft__atomic_rmw_done(struct weft_object *o, int order, bool changed)
{
	if (changed)
		*looked_of(o) = 0;
	else
		look(o);
	weft__race_atomic_rmw(o, order);
}

void weft__atomic_cas_failed(struct weft_object *o, int order)
{
	flag_event(WEFT_EVENT_READ_ONLY);
	look(o);
	weft__race_atomic_load(o, order);
}
