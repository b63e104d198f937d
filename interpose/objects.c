/* The table of modelled objects, keyed by address. Ids are handed out in
 * order of first use, so they are the same in every execution that follows
 * the same schedule, whatever addresses ASLR picks. Destroying or
 * initialising an object forgets it, so a new object at the same address
 * gets a new id; the forgotten record stays in the table until then, and
 * the new object names it as its previous one in the exchange region, so
 * that the strategies see one object at one address (a destroy and a later
 * use of the address are dependent whichever comes first). */
#define _GNU_SOURCE
#include "runtime.h"

#include <stdlib.h>
#include <sys/mman.h>
/* Header-only use of xxHash: the runtime adds no library to the target. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* The table starts at one page and doubles up to TABLE_SIZE slots when
 * three quarters are taken: a program with a few objects writes one page
 * of it per execution, not pages spread over half a megabyte. */
#define TABLE_MIN_BITS 9
#define TABLE_BITS 16
#define TABLE_SIZE (1u << TABLE_BITS)
#define TOMBSTONE ((struct weft_object *)1)

static struct weft_object **table;
static uint32_t table_size; /* slots: a power of two, TABLE_SIZE at most */
WEFT_HOT static uint32_t next_id = 1;
WEFT_HOT static uint32_t used;  /* live objects */
WEFT_HOT static uint32_t stale; /* forgotten records still in the table */

static uint32_t slot_of(uintptr_t addr)
{
	return (uint32_t)XXH3_64bits(&addr, sizeof addr) & (table_size - 1);
}

static struct weft_object **map_table(uint32_t size)
{
	struct weft_object **t = mmap(NULL, size * sizeof *t, PROT_READ | PROT_WRITE,
	                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		weft__limit("the weft runtime could not map its object table: out of memory");
	return t;
}

/* The first table, in the library's zeroed data for the same reason as
 * the pool's first chunk (pool.c): not a mapping of its own. */
static struct weft_object *first_table[1u << TABLE_MIN_BITS] __attribute__((aligned(4096)));

static void table_init(void)
{
	if (!table) {
		table_size = 1u << TABLE_MIN_BITS;
		table = first_table;
	}
}

/* Twice the slots: every record, forgotten ones included (a new object at
 * their address names them as its previous), goes to its new place. */
static void grow(void)
{
	struct weft_object **old = table;
	uint32_t old_size = table_size;
	table_size *= 2;
	table = map_table(table_size);
	for (uint32_t j = 0; j < old_size; j++) {
		struct weft_object *o = old[j];
		if (!o || o == TOMBSTONE)
			continue;
		uint32_t i = slot_of(o->addr);
		while (table[i])
			i = (i + 1) & (table_size - 1);
		table[i] = o;
	}
	if (old != first_table)
		munmap(old, old_size * sizeof *old);
}

void weft__objects_prepare(void)
{
	table_init();
	/* Written once here, the page is the server's: an execution's first
	 * look-up reads it without a fault of its own. */
	*(struct weft_object *volatile *)table = NULL;
}

static uint32_t module_of(uintptr_t addr)
{
	const struct weft_shm *shm = weft__rt.shm;
	for (uint32_t i = 0; i < shm->nmodules; i++)
		if (addr >= shm->modules[i].start && addr < shm->modules[i].end)
			return i;
	return UINT32_MAX;
}

/* The table is filling up: forgotten records give their slots back (a new
 * object at one of their addresses then starts afresh, with no previous). */
static void drop_stale(void)
{
	for (uint32_t i = 0; i < table_size; i++)
		if (table[i] && table[i] != TOMBSTONE && table[i]->forgotten)
			table[i] = TOMBSTONE;
	stale = 0;
}

struct weft_object *weft__object_get(const void *addr, enum weft_object_kind kind)
{
	table_init();
	if (table_size < TABLE_SIZE && used + stale + 1 > table_size * 3 / 4)
		grow();
	uintptr_t a = (uintptr_t)addr;
	uint32_t i = slot_of(a), free_slot = UINT32_MAX, previous = 0;
	for (uint32_t n = 0; n < table_size; n++, i = (i + 1) & (table_size - 1)) {
		struct weft_object *o = table[i];
		if (!o)
			break;
		if (o == TOMBSTONE) {
			if (free_slot == UINT32_MAX)
				free_slot = i;
			continue;
		}
		if (o->addr != a)
			continue;
		if (!o->forgotten)
			return o;
		previous = o->id; /* its slot goes to the new object */
		free_slot = i;
		stale--;
		break;
	}
	if (free_slot == UINT32_MAX)
		free_slot = i;
	if (used + stale >= TABLE_SIZE * 3 / 4)
		drop_stale();
	if (used >= TABLE_SIZE * 3 / 4)
		weft__limit("the program uses more than %u synchronisation objects at once: weft's "
		            "limit is %u (TABLE_BITS in interpose/objects.c); shrink the test, or "
		            "destroy objects it no longer uses",
		            TABLE_SIZE * 3 / 4, TABLE_SIZE * 3 / 4);
	struct weft_object *o = weft__pool_alloc(sizeof *o);
	o->addr = a;
	o->kind = kind;
	o->id = next_id++;
	table[free_slot] = o;
	used++;
	struct weft_shm *shm = weft__rt.shm;
	if (o->id < WEFT_MAX_OBJECTS) {
		shm->objects[o->id].addr = a;
		shm->objects[o->id].kind = kind;
		shm->objects[o->id].module = module_of(a);
		shm->objects[o->id].previous = previous;
		shm->nobjects = o->id + 1;
	}
	return o;
}

void weft__object_forget(const void *addr)
{
	if (!table)
		return;
	uintptr_t a = (uintptr_t)addr;
	uint32_t i = slot_of(a);
	for (uint32_t n = 0; n < table_size; n++, i = (i + 1) & (table_size - 1)) {
		struct weft_object *o = table[i];
		if (!o)
			return;
		if (o != TOMBSTONE && o->addr == a) {
			/* The record stays allocated: a thread's report may still name it. */
			if (!o->forgotten) {
				o->forgotten = true;
				used--;
				stale++;
			}
			return;
		}
	}
}

uint32_t weft__object_id(const struct weft_object *o)
{
	return o ? o->id : 0;
}

struct weft_object *weft__object_find(const void *addr)
{
	if (!table)
		return NULL;
	uintptr_t a = (uintptr_t)addr;
	uint32_t i = slot_of(a);
	for (uint32_t n = 0; n < table_size; n++, i = (i + 1) & (table_size - 1)) {
		struct weft_object *o = table[i];
		if (!o)
			return NULL;
		if (o != TOMBSTONE && o->addr == a && !o->forgotten)
			return o;
	}
	return NULL;
}
