/* Happens-before data-race detection for programs built with
 * -fsanitize=thread (FastTrack: Flanagan and Freund, PLDI 2009).
 *
 * Every controlled thread has a vector clock; every modelled primitive
 * passes clocks along its synchronisation edges (one call at each edge in
 * the model files: unlock -> lock, post -> wait, create -> start, exit ->
 * join, ...), and so do atomics with release and acquire orders. Plain
 * accesses, reported by the compiler's __tsan_read/write hooks, are checked
 * against shadow memory that keeps, for every byte, the epoch (thread and
 * clock) of its last write and of its last read, or the clocks of all its
 * concurrent readers. Two accesses to one byte by different threads, at
 * least one a write, with neither ordered before the other, are a data
 * race: the execution ends with a data-race bug naming both accesses with
 * their call stacks (from __tsan_func_entry/exit).
 *
 * Plain accesses are not scheduling points: only one thread runs at a
 * time, and whether two accesses race does not depend on the order they
 * ran in, only on the synchronisation between them. Nothing here runs when
 * the program is not instrumented. */
#ifndef WEFT_RACE_H
#define WEFT_RACE_H

#include <stddef.h>

#include "runtime.h"

/* Everything here stays inside libweft.so: calls between its files are
 * direct and the TLS below is a fixed offset, which the per-access hooks
 * need to stay cheap. */
#pragma GCC visibility push(hidden)

/* Set by __tsan_init: some module of the program is instrumented. */
extern bool weft__race_instrumented;

/* A controlled thread's detector state. */
struct weft_race_block;
struct weft_race_thread {
	uint32_t id;
	/* the shadow block it used last (race_shadow.c) */
	uintptr_t block_key;
	struct weft_race_block *block;
	uint32_t block_generation;
};

/* The calling thread's detector state, NULL while it has not been attached
 * (weft does not control it, or the program is not instrumented). */
extern __thread struct weft_race_thread *weft__race_current
    __attribute__((tls_model("initial-exec")));

/* Attach the calling thread, when weft controls it in an instrumented
 * program; `claim` lets this take control of the process (atomics do,
 * plain accesses do not). NULL otherwise. */
struct weft_race_thread *weft__race_attach(bool claim);
/* Slot id is taken by a new thread: forget the detector's record of the old one. */
void weft__race_stack_reset(uint32_t id);

static inline struct weft_race_thread *weft__race_thread(void)
{
	struct weft_race_thread *t = weft__race_current;
	if (__builtin_expect(t != NULL, 1))
		return t;
	return weft__rt.active ? weft__race_attach(false) : NULL;
}

/* Synchronisation edges of the modelled primitives, made by the thread
 * that holds the turn. release: the object's clock takes in the thread's;
 * acquire: the thread's clock takes in the object's. A read-write lock
 * keeps its readers' releases apart, so that readers do not order each
 * other: release_shared at a read unlock, acquire_exclusive at a write lock
 * (which follows the readers too). */
void weft__race_release(const struct weft_object *o);
void weft__race_acquire(const struct weft_object *o);
void weft__race_release_shared(const struct weft_object *o);
void weft__race_acquire_exclusive(const struct weft_object *o);
/* create -> the child's start; exit -> join. */
void weft__race_thread_create(const struct weft_thread *child);
void weft__race_thread_exit(void);
void weft__race_thread_join(const struct weft_thread *target);

/* Atomics (memory orders as the __tsan_* ABI passes them: relaxed 0,
 * consume 1, acquire 2, release 3, acq_rel 4, seq_cst 5). */
void weft__race_atomic_load(const struct weft_object *o, int order);
void weft__race_atomic_store(const struct weft_object *o, int order);
void weft__race_atomic_rmw(const struct weft_object *o, int order);
void weft__race_fence(int order);

/* A plain access of `size` bytes at addr by thread t; pc is the return
 * address into the instrumented code. Atomic accesses are not checked.
 * The inline part serves the common case, a byte the thread already
 * accessed the same way since its last release (FastTrack's "same
 * epoch"), from the thread's last shadow block; the rest is in
 * race_check.c. */
void weft__race_access_slow(struct weft_race_thread *t, uintptr_t addr, size_t size, bool write,
                            uintptr_t pc);
static inline void weft__race_access(struct weft_race_thread *t, uintptr_t addr, size_t size,
                                     bool write, uintptr_t pc);

/* Accesses that raced before (race_points.c): set up when the runtime
 * takes control; whether pc is one; the scheduling point before one. */
void weft__race_points_on_claim(const struct weft_shm *shm);
bool weft__race_point(uintptr_t pc);
extern uint32_t weft__race_npoints; /* 0: none, the common case */
void weft__race_point_schedule(uintptr_t addr, bool write, uintptr_t pc);

/* Whether pc lies in an instrumented module (one that called __tsan_init). */
bool weft__race_from_instrumented(uintptr_t pc);

/* Memory that is freed or given to a new thread: forget its history (and
 * the atomic objects that lived in it). */
void weft__race_forget(uintptr_t addr, size_t size);

/* --- between the detector's files --- */

/* Epochs: clock << 6 | thread (64 threads), 0 = none; bit 31 marks a read
 * set in a cell's read field. */
#define WEFT_RACE_TID_BITS 6
#define WEFT_RACE_SHARED (1u << 31)
#define WEFT_RACE_MAX_CLOCK ((1u << (31 - WEFT_RACE_TID_BITS)) - 1)

static inline uint32_t weft__epoch(uint32_t tid, uint32_t clock)
{
	return clock << WEFT_RACE_TID_BITS | tid;
}
static inline uint32_t weft__epoch_tid(uint32_t e)
{
	return e & ((1u << WEFT_RACE_TID_BITS) - 1);
}
static inline uint32_t weft__epoch_clock(uint32_t e)
{
	return (e & ~WEFT_RACE_SHARED) >> WEFT_RACE_TID_BITS;
}

/* The vector clocks of the threads (race_clock.c). */
extern uint32_t weft__race_clocks[WEFT_MAX_THREADS][WEFT_MAX_THREADS];
static inline uint32_t *weft__race_clock(uint32_t tid)
{
	return weft__race_clocks[tid];
}
/* The scheduling step after which thread tid's epoch `clock` began,
 * UINT32_MAX when it began with the thread. */
uint32_t weft__race_epoch_step(uint32_t tid, uint32_t clock);

/* Call stacks (race_stack.c). Every thread keeps the return addresses that
 * __tsan_func_entry passed it, in initial-exec TLS so the hooks stay cheap;
 * stacks are interned into a tree only when an access is recorded. */
#define WEFT_RACE_MAX_DEPTH 128
struct weft_race_stack {
	uint32_t depth;    /* functions entered (may pass WEFT_RACE_MAX_DEPTH) */
	uint32_t interned; /* node[0..interned] are valid */
	uintptr_t pc[WEFT_RACE_MAX_DEPTH];
	uint32_t node[WEFT_RACE_MAX_DEPTH + 1]; /* node[d]: the tree node of pc[0..d) */
};
extern __thread struct weft_race_stack weft__race_stack __attribute__((tls_model("initial-exec")));

static inline void weft__race_func_entry(uintptr_t pc)
{
	struct weft_race_stack *s = &weft__race_stack;
	uint32_t d = s->depth++;
	if (d < WEFT_RACE_MAX_DEPTH) {
		s->pc[d] = pc;
		if (s->interned > d)
			s->interned = d;
	}
}

static inline void weft__race_func_exit(void)
{
	struct weft_race_stack *s = &weft__race_stack;
	if (s->depth)
		s->depth--;
}

/* A site is the interned call stack of the calling thread ending in the
 * access at pc; 0 = unknown. */
uint32_t weft__race_site(uintptr_t pc);
/* The frames of a site, innermost (the access) first. */
uint32_t weft__race_site_frames(uint32_t site, uint64_t *frames, uint32_t max);

/* Shadow memory (race_shadow.c): one cell per byte of application memory. */
struct weft_race_cell {
	uint32_t write, read; /* epochs; read may be a read set */
	uint32_t write_site, read_site;
};
/* The cells of [addr, addr + n), n not crossing a 1 KiB boundary. */
struct weft_race_cell *weft__race_cells(struct weft_race_thread *t, uintptr_t addr);
#define WEFT_RACE_BLOCK_SHIFT 10
/* Changes whenever a block leaves the table: a thread's cached block is
 * valid while its block_generation equals it. */
extern uint32_t weft__race_generation;
/* Note that an atomic object lives at addr, to forget it with its memory. */
void weft__race_note_atomic(uintptr_t addr);
/* Memory for the detector's tables, zeroed, never freed (race_alloc.c: the
 * detector must not call malloc or free, which it intercepts). */
void *weft__race_alloc(size_t size);
/* Reserve the address space that allocations come from, once per process;
 * called before the fork server forks so that executions map nothing. */
void weft__race_reserve(void);
/* The part of the reservation not handed out yet, for a snapshot of the
 * process (resident.c): it reads as zeroes, and an execution restored in
 * place must find it so again. */
void weft__race_unused(void (*each)(uintptr_t lo, size_t size));
/* Memory the detector reads and then writes, such as a shadow cell, may
 * be on a page no execution has touched yet: reading it first maps the
 * zero page, and the write that follows faults a second time. An add of
 * zero is a write for the page fault, so the page comes in one fault
 * (only one thread runs at a time, so the add needs no lock). */
static inline void weft__race_touch(void *p)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("addl $0, %0" : "+m"(*(uint32_t *)p));
#else
	(void)p;
#endif
}
/* Read sets (race_check.c): a cell's read field with WEFT_RACE_SHARED. */
void weft__race_read_set_free(uint32_t read);

static inline void weft__race_access(struct weft_race_thread *t, uintptr_t addr, size_t size,
                                     bool write, uintptr_t pc)
{
	const uintptr_t block = (uintptr_t)1 << WEFT_RACE_BLOCK_SHIFT;
	uintptr_t offset = addr & (block - 1);
	if (size <= 16 && offset + size <= block &&
	    t->block_key == (addr >> WEFT_RACE_BLOCK_SHIFT) + 1 &&
	    t->block_generation == weft__race_generation) {
		/* the cells are the first member of a block */
		const struct weft_race_cell *c =
		    (const struct weft_race_cell *)(void *)t->block + offset;
		uint32_t now = weft__epoch(t->id, weft__race_clocks[t->id][t->id]);
		size_t i = 0;
		if (write)
			while (i < size && c[i].write == now)
				i++;
		else
			while (i < size && (c[i].read == now || c[i].write == now))
				i++;
		if (i == size)
			return;
	}
	weft__race_access_slow(t, addr, size, write, pc);
}

#pragma GCC visibility pop

#endif
