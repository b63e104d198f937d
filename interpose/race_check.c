/* The FastTrack checks of plain accesses, byte by byte against the shadow
 * cells (race_shadow.c), and the report of the first race.
 *
 * A cell keeps the epoch of the byte's last write, and of its last read
 * while the reads are ordered one after the other; reads by threads that
 * are not ordered with each other turn the read epoch into a read set (one
 * clock and one site per thread) until the next write. An access races
 * with a recorded one of another thread when at least one of the two
 * writes and the recorded epoch is not covered by the accessing thread's
 * vector clock. The first race ends the execution with a data-race bug;
 * both accesses go into the exchange region for the report. */
#define _GNU_SOURCE
#include "race.h"

#include <string.h>

struct read_set {
	uint32_t clock[WEFT_MAX_THREADS];
	uint32_t site[WEFT_MAX_THREADS];
	uint32_t next_free;
};

#define SET_CHUNK_BITS 8
#define SET_CHUNKS 8192 /* 2 M read sets alive at once */
static struct read_set *set_chunks[SET_CHUNKS];
static uint32_t nsets = 1; /* index 0 is never used */
static uint32_t free_sets;

static struct read_set *read_set(uint32_t read)
{
	uint32_t i = read & ~WEFT_RACE_SHARED;
	return &set_chunks[i >> SET_CHUNK_BITS][i & ((1u << SET_CHUNK_BITS) - 1)];
}

static uint32_t read_set_new(void)
{
	uint32_t i = free_sets;
	if (i) {
		free_sets = read_set(i)->next_free;
		memset(read_set(i), 0, sizeof(struct read_set));
		return i | WEFT_RACE_SHARED;
	}
	if (nsets >= (uint32_t)SET_CHUNKS << SET_CHUNK_BITS)
		weft__limit("the race detector ran out of read sets (%u bytes read by several "
		            "threads at once): a limit of weft's (SET_CHUNKS in "
		            "interpose/race_check.c); shrink the test",
		            nsets);
	if (!set_chunks[nsets >> SET_CHUNK_BITS])
		set_chunks[nsets >> SET_CHUNK_BITS] =
		    weft__race_alloc(sizeof(struct read_set) << SET_CHUNK_BITS);
	return nsets++ | WEFT_RACE_SHARED;
}

void weft__race_read_set_free(uint32_t read)
{
	read_set(read)->next_free = free_sets;
	free_sets = read & ~WEFT_RACE_SHARED;
}

/* Whether epoch e happened before the present of the thread with clock vc. */
static bool before(uint32_t e, const uint32_t *vc)
{
	return weft__epoch_clock(e) <= vc[weft__epoch_tid(e)];
}

struct access {
	struct weft_race_thread *thread;
	const uint32_t *vc;
	uint32_t now;  /* the thread's epoch */
	uint32_t site; /* 0 until needed */
	uintptr_t pc;
	size_t size;
	bool write;
};

static uint32_t site_of(struct access *a)
{
	if (!a->site)
		a->site = weft__race_site(a->pc);
	return a->site;
}

static void fill(struct weft_race_access *r, uintptr_t addr, uint32_t thread, bool write,
                 uint32_t site, uint32_t step)
{
	r->addr = addr;
	r->thread = (uint16_t)thread;
	r->is_write = write;
	r->is_atomic = 0;
	r->step = step;
	r->nframes = weft__race_site_frames(site, r->frames, WEFT_RACE_FRAMES);
	/* The outermost frames are where uninstrumented code (the runtime's
	 * thread start, libc's main) called the program: leave them out. */
	while (r->nframes > 1 && !weft__race_from_instrumented(r->frames[r->nframes - 1]))
		r->nframes--;
}

/* Report the race, which ends the execution, unless both accesses are
 * ones that raced before (race_points.c): then it goes on. */
static void report(struct access *a, uintptr_t addr, uint32_t epoch, uint32_t site, bool was_write)
{
	if (weft__race_npoints && weft__race_point(a->pc)) {
		uint64_t other_pc = 0;
		if (weft__race_site_frames(site, &other_pc, 1) &&
		    weft__race_point((uintptr_t)other_pc))
			return;
	}
	struct weft_shm *shm = weft__rt.shm;
	struct weft_race *race = &shm->race;
	uint32_t other = weft__epoch_tid(epoch);
	fill(&race->access[0], addr, other, was_write, site,
	     weft__race_epoch_step(other, weft__epoch_clock(epoch)));
	fill(&race->access[1], addr, a->thread->id, a->write, site_of(a),
	     shm->nsteps ? shm->nsteps - 1 : UINT32_MAX);
	race->access[0].size = 0; /* not recorded byte by byte */
	race->access[1].size = (uint32_t)a->size;
	race->found = 1;
	weft__fail(WEFT_BUG_DATA_RACE,
	           "T%u %s %zu byte%s at %#lx, which T%u %s before, and nothing orders the two "
	           "accesses (no happens-before)",
	           a->thread->id, a->write ? "writes" : "reads", a->size, a->size == 1 ? "" : "s",
	           (unsigned long)addr, other, was_write ? "wrote" : "read");
}

static void check_read(struct access *a, struct weft_race_cell *c, uintptr_t addr)
{
	uint32_t tid = a->thread->id;
	if (c->read == a->now || c->write == a->now)
		return; /* this epoch read or wrote the byte already */
	if (c->read & WEFT_RACE_SHARED) {
		struct read_set *r = read_set(c->read);
		if (r->clock[tid] == weft__epoch_clock(a->now))
			return;
		if (c->write && !before(c->write, a->vc))
			report(a, addr, c->write, c->write_site, true);
		r->clock[tid] = weft__epoch_clock(a->now);
		r->site[tid] = site_of(a);
		return;
	}
	if (c->write && !before(c->write, a->vc))
		report(a, addr, c->write, c->write_site, true);
	if (!c->read || before(c->read, a->vc)) {
		c->read = a->now;
		c->read_site = site_of(a);
		return;
	}
	/* Two reads that are not ordered: keep both. */
	uint32_t set = read_set_new();
	struct read_set *r = read_set(set);
	r->clock[weft__epoch_tid(c->read)] = weft__epoch_clock(c->read);
	r->site[weft__epoch_tid(c->read)] = c->read_site;
	r->clock[tid] = weft__epoch_clock(a->now);
	r->site[tid] = site_of(a);
	c->read = set;
	c->read_site = 0;
}

static void check_write(struct access *a, struct weft_race_cell *c, uintptr_t addr)
{
	if (c->write == a->now)
		return;
	if (c->write && !before(c->write, a->vc))
		report(a, addr, c->write, c->write_site, true);
	if (c->read & WEFT_RACE_SHARED) {
		struct read_set *r = read_set(c->read);
		for (uint32_t u = 0; u < weft__rt.nthreads; u++)
			if (r->clock[u] > a->vc[u])
				report(a, addr, weft__epoch(u, r->clock[u]), r->site[u], false);
		weft__race_read_set_free(c->read);
		c->read = 0;
		c->read_site = 0;
	} else if (c->read && !before(c->read, a->vc)) {
		report(a, addr, c->read, c->read_site, false);
	}
	c->write = a->now;
	c->write_site = site_of(a);
}

void weft__race_access_slow(struct weft_race_thread *t, uintptr_t addr, size_t size, bool write,
                            uintptr_t pc)
{
	const uint32_t *vc = weft__race_clock(t->id);
	struct access a = {
	    .thread = t,
	    .vc = vc,
	    .now = weft__epoch(t->id, vc[t->id]),
	    .pc = pc,
	    .size = size,
	    .write = write,
	};
	const uintptr_t block = (uintptr_t)1 << WEFT_RACE_BLOCK_SHIFT;
	while (size) {
		size_t n = block - (addr & (block - 1));
		if (n > size)
			n = size;
		struct weft_race_cell *c = weft__race_cells(t, addr);
		weft__race_touch(&c[0].write);
		weft__race_touch(&c[n - 1].write);
		for (size_t i = 0; i < n; i++) {
			if (write)
				check_write(&a, &c[i], addr + i);
			else
				check_read(&a, &c[i], addr + i);
		}
		addr += n;
		size -= n;
	}
}
