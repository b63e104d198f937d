/* Shadow memory of the race detector: one cell (last write, last read or
 * read set, and where each happened) per byte of application memory, in
 * blocks of 1 KiB of application memory found through a hash table keyed
 * by the block's address. Only memory that instrumented code touched has
 * blocks, so the table stays small for the tests weft explores. Each
 * thread remembers the block it used last, which serves most accesses
 * without a lookup. The table starts at one page, as every execution
 * builds it afresh and most touch a few blocks.
 *
 * Memory that is freed, or that becomes a new thread's stack, is forgotten
 * here: its cells are cleared and the atomic objects that lived in it are
 * dropped from the object table, since a new object may take the address.
 * All memory comes from mmap: the detector intercepts free and must not
 * call into malloc. */
#define _GNU_SOURCE
#include "race.h"

#include <string.h>

#define BLOCK_BYTES (1u << WEFT_RACE_BLOCK_SHIFT)

struct weft_race_block {
	struct weft_race_cell cell[BLOCK_BYTES];
	uint64_t atomics[BLOCK_BYTES / 64]; /* bytes where an atomic object lives */
	uint32_t natomics;
	struct weft_race_block *next_free;
};

struct slot {
	uintptr_t key; /* block address >> shift, plus 1; 0 = empty */
	struct weft_race_block *block;
};

static struct slot *table;
static uint32_t table_bits, table_used;
uint32_t weft__race_generation = 1;
static struct weft_race_block *free_blocks;

static uint32_t home_of(uintptr_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - table_bits));
}

static void put(struct slot *t, uintptr_t key, struct weft_race_block *b)
{
	uint32_t mask = (1u << table_bits) - 1, i = home_of(key);
	while (t[i].key)
		i = (i + 1) & mask;
	t[i] = (struct slot){key, b};
}

static void grow(void)
{
	struct slot *old = table;
	uint32_t old_size = table ? 1u << table_bits : 0;
	table_bits = table ? table_bits + 1 : 8;
	table = weft__race_alloc(sizeof *table << table_bits);
	/* The old table is dropped: the detector's memory is never freed. */
	for (uint32_t i = 0; i < old_size; i++)
		if (old[i].key)
			put(table, old[i].key, old[i].block);
}

static struct weft_race_block *block_get(uintptr_t key, bool create)
{
	if (!table) {
		if (!create)
			return NULL;
		grow();
	}
	uint32_t mask = (1u << table_bits) - 1;
	for (uint32_t i = home_of(key);; i = (i + 1) & mask) {
		if (table[i].key == key)
			return table[i].block;
		if (!table[i].key)
			break;
	}
	if (!create)
		return NULL;
	if (2 * (table_used + 1) > (1u << table_bits))
		grow();
	struct weft_race_block *b = free_blocks;
	if (b)
		free_blocks = b->next_free;
	else
		b = weft__race_alloc(sizeof *b);
	put(table, key, b);
	table_used++;
	return b;
}

struct weft_race_cell *weft__race_cells(struct weft_race_thread *t, uintptr_t addr)
{
	uintptr_t key = (addr >> WEFT_RACE_BLOCK_SHIFT) + 1;
	if (t->block_key != key || t->block_generation != weft__race_generation) {
		t->block = block_get(key, true);
		t->block_key = key;
		t->block_generation = weft__race_generation;
	}
	return &t->block->cell[addr & (BLOCK_BYTES - 1)];
}

void weft__race_note_atomic(uintptr_t addr)
{
	struct weft_race_block *b = block_get((addr >> WEFT_RACE_BLOCK_SHIFT) + 1, true);
	uint32_t i = addr & (BLOCK_BYTES - 1);
	if (!(b->atomics[i / 64] & (1ull << (i % 64)))) {
		b->atomics[i / 64] |= 1ull << (i % 64);
		b->natomics++;
	}
}

/* Clear bytes [from, to) of block b, which starts at base. */
static void clear(struct weft_race_block *b, uintptr_t base, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		if (b->cell[i].read & WEFT_RACE_SHARED)
			weft__race_read_set_free(b->cell[i].read);
		b->cell[i] = (struct weft_race_cell){0};
		if (b->natomics && (b->atomics[i / 64] & (1ull << (i % 64)))) {
			b->atomics[i / 64] &= ~(1ull << (i % 64));
			b->natomics--;
			weft__object_forget((const void *)(base + i));
		}
	}
}

/* Take the entry in slot i out of the table (linear probing: entries after
 * it move back so that every entry stays reachable from its home slot). */
static void remove_at(uint32_t i)
{
	uint32_t mask = (1u << table_bits) - 1;
	struct weft_race_block *b = table[i].block;
	uintptr_t base = (table[i].key - 1) << WEFT_RACE_BLOCK_SHIFT;
	for (uint32_t j = (i + 1) & mask; table[j].key; j = (j + 1) & mask) {
		uint32_t home = home_of(table[j].key);
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			table[i] = table[j];
			i = j;
		}
	}
	table[i] = (struct slot){0};
	table_used--;
	weft__race_generation++;
	clear(b, base, 0, BLOCK_BYTES);
	b->next_free = free_blocks;
	free_blocks = b;
}

static bool in_range(uintptr_t key, uintptr_t first, uintptr_t last)
{
	return key >= first && key <= last;
}

void weft__race_forget(uintptr_t addr, size_t size)
{
	if (!table || size == 0)
		return;
	uintptr_t end = addr + size;
	uintptr_t first = (addr >> WEFT_RACE_BLOCK_SHIFT) + 1;
	uintptr_t last = ((end - 1) >> WEFT_RACE_BLOCK_SHIFT) + 1;
	/* Partly covered blocks at either end: clear their bytes in range. */
	if (addr & (BLOCK_BYTES - 1) || first == last) {
		struct weft_race_block *b = block_get(first, false);
		uint32_t to =
		    first == last ? (uint32_t)(((end - 1) & (BLOCK_BYTES - 1)) + 1) : BLOCK_BYTES;
		if (b)
			clear(b, (first - 1) << WEFT_RACE_BLOCK_SHIFT, addr & (BLOCK_BYTES - 1),
			      to);
		if (first == last)
			return;
		first++;
	}
	if (end & (BLOCK_BYTES - 1)) {
		struct weft_race_block *b = block_get(last, false);
		if (b)
			clear(b, (last - 1) << WEFT_RACE_BLOCK_SHIFT, 0, end & (BLOCK_BYTES - 1));
		last--;
	}
	if (first > last)
		return;
	/* Whole blocks: look each up, or sweep the table when that is less work. */
	uint32_t size_slots = 1u << table_bits;
	if (last - first < size_slots) {
		for (uintptr_t key = first; key <= last; key++) {
			uint32_t mask = size_slots - 1;
			for (uint32_t i = home_of(key); table[i].key; i = (i + 1) & mask) {
				if (table[i].key == key) {
					remove_at(i);
					break;
				}
			}
		}
		return;
	}
	for (uint32_t i = 0; i < size_slots; i++)
		while (table[i].key && in_range(table[i].key, first, last))
			remove_at(i);
}
