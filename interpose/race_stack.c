/* Call stacks for race reports, and the threads of the race detector.
 *
 * A call stack is a path in one tree shared by all threads: a node is a
 * return address under its caller's node, interned in a hash table, so a
 * shadow cell names the whole stack of an access with one 32-bit number
 * (its site). Threads push and pop return addresses in TLS at every
 * function entry and exit, and intern only when an access is recorded,
 * reusing the nodes of the frames that did not change since the last one.
 *
 * A thread is attached to the detector at its first hook once weft controls
 * it; a new thread then forgets what the shadow memory knew of its stack,
 * which may be that of a thread that ended before it. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "race.h"

#include <pthread.h>

__thread struct weft_race_thread *weft__race_current __attribute__((tls_model("initial-exec")));
__thread struct weft_race_stack weft__race_stack __attribute__((tls_model("initial-exec")));

static struct weft_race_thread threads[WEFT_MAX_THREADS];
static bool started[WEFT_MAX_THREADS];

/* A new thread takes the slot of one that ended (thread_slots.c): it is
 * attached afresh at its first hook. */
void weft__race_stack_reset(uint32_t id)
{
	threads[id] = (struct weft_race_thread){0};
	started[id] = false;
}

struct node {
	uintptr_t pc;
	uint32_t parent;
};

#define CHUNK_BITS 12
#define CHUNKS 4096 /* 16 M nodes */
static struct node *chunks[CHUNKS];
static uint32_t nnodes = 1;   /* node 0 is the root: the empty stack */
static uint32_t *index_table; /* node ids by hash of (parent, pc); 0 = empty */
static uint32_t index_bits;

static struct node *node(uint32_t id)
{
	return &chunks[id >> CHUNK_BITS][id & ((1u << CHUNK_BITS) - 1)];
}

static uint32_t hash(uint32_t parent, uintptr_t pc)
{
	uint64_t h = (pc ^ ((uint64_t)parent << 40)) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> (64 - index_bits));
}

static void index_put(uint32_t *table, uint32_t id)
{
	uint32_t mask = (1u << index_bits) - 1;
	uint32_t i = hash(node(id)->parent, node(id)->pc);
	while (table[i])
		i = (i + 1) & mask;
	table[i] = id;
}

static void index_grow(void)
{
	index_bits = index_bits ? index_bits + 1 : 10;
	/* The old table is dropped: the detector's memory is never freed. */
	index_table = weft__race_alloc(sizeof(uint32_t) << index_bits);
	for (uint32_t id = 1; id < nnodes; id++)
		index_put(index_table, id);
}

static uint32_t intern(uint32_t parent, uintptr_t pc)
{
	if (!index_table)
		index_grow();
	uint32_t mask = (1u << index_bits) - 1;
	for (uint32_t i = hash(parent, pc);; i = (i + 1) & mask) {
		uint32_t id = index_table[i];
		if (!id)
			break;
		if (node(id)->pc == pc && node(id)->parent == parent)
			return id;
	}
	if (nnodes >= (uint32_t)CHUNKS << CHUNK_BITS)
		return parent; /* out of room: the stack loses a frame */
	if (!chunks[nnodes >> CHUNK_BITS])
		chunks[nnodes >> CHUNK_BITS] = weft__race_alloc(sizeof(struct node) << CHUNK_BITS);
	uint32_t id = nnodes++;
	*node(id) = (struct node){pc, parent};
	if (2 * nnodes > (1u << index_bits))
		index_grow();
	else
		index_put(index_table, id);
	return id;
}

uint32_t weft__race_site(uintptr_t pc)
{
	struct weft_race_stack *s = &weft__race_stack;
	uint32_t d = s->depth < WEFT_RACE_MAX_DEPTH ? s->depth : WEFT_RACE_MAX_DEPTH;
	for (; s->interned < d; s->interned++)
		s->node[s->interned + 1] = intern(s->node[s->interned], s->pc[s->interned]);
	/* One entry per thread in front of the table: a loop repeats its site. */
	static __thread uintptr_t last_pc __attribute__((tls_model("initial-exec")));
	static __thread uint32_t last_parent __attribute__((tls_model("initial-exec")));
	static __thread uint32_t last_site __attribute__((tls_model("initial-exec")));
	if (last_site && last_pc == pc && last_parent == s->node[d] && last_site < nnodes)
		return last_site;
	last_pc = pc;
	last_parent = s->node[d];
	last_site = intern(s->node[d], pc);
	return last_site;
}

uint32_t weft__race_site_frames(uint32_t site, uint64_t *frames, uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t id = site; id && id < nnodes && n < max; id = node(id)->parent)
		frames[n++] = node(id)->pc;
	return n;
}

/* Forget what the shadow memory knew of the calling thread's stack, static
 * TLS and thread descriptor (glibc keeps all three in one block). */
static void forget_own_stack(void)
{
	weft__exec_own_memory(weft__race_forget);
}

struct weft_race_thread *weft__race_attach(bool claim)
{
	if (!weft__race_instrumented)
		return NULL;
	if (claim ? !weft__controlled() : !weft__rt.active)
		return NULL;
	struct weft_thread *me = weft__self();
	if (!me || me->exited || weft__rt.wrapping)
		return NULL;
	struct weft_race_thread *t = &threads[me->id];
	if (!started[me->id]) {
		started[me->id] = true;
		t->id = me->id;
		uint32_t *clock = weft__race_clock(me->id);
		if (clock[me->id] == 0)
			clock[me->id] = 1;
		/* The main thread's stack may already hold locals other threads
		 * used; a new thread's can only hold a dead thread's history. */
		if (me->id != 0)
			forget_own_stack();
	}
	weft__race_current = t;
	return t;
}
