/* Unit test of the Foata levels found object by object
 * (core/dep_levels.c): on random described events (threads, objects,
 * roles of every kind, global and value events, signals that woke some
 * threads), each level must be the one the definition gives, one more
 * than the highest level of the earlier events the event depends on
 * (weft_dep_dependent), computed here pair by pair.
 * Expected: the last line is "test_dep_levels: N checks, 0 failed". */
#include "dependence.h"
#include "unit_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 88172645463325252ull;

static uint32_t next(uint32_t bound)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % bound);
}

static void random_event(struct weft_dep_event *e, uint32_t threads, uint32_t objects)
{
	memset(e, 0, sizeof *e);
	e->thread = (uint16_t)next(threads);
	uint32_t kind = next(20);
	if (kind == 0)
		e->flags |= WEFT_DEP_GLOBAL;
	else if (kind == 1)
		e->flags |= WEFT_DEP_VALUE;
	e->naccess = (uint8_t)next(WEFT_DEP_MAX_ACCESS + 1);
	for (unsigned a = 0; a < e->naccess; a++) {
		/* Few objects, so that accesses meet; object 0 is "unused". */
		e->access[a].object = next(objects + 1);
		e->access[a].role = (uint8_t)next(WEFT_ROLE_COUNT);
	}
	uint64_t all = threads >= 64 ? ~0ull : (1ull << threads) - 1;
	e->woken = ((uint64_t)next(1u << 16) << 48 | (uint64_t)next(1u << 16) << 32 |
	            (uint64_t)next(1u << 16) << 16 | next(1u << 16)) &
	           all;
}

static uint32_t by_definition(const struct weft_dep_event *events, uint32_t j,
                              const uint32_t *level)
{
	uint32_t here = 0;
	for (uint32_t i = 0; i < j; i++)
		if (weft_dep_dependent(&events[i], &events[j]) && level[i] + 1 > here)
			here = level[i] + 1;
	return here;
}

int main(void)
{
	struct weft_dep_levels *l = weft_dep_levels_new();
	CHECK(l != NULL);
	enum { MAX_EVENTS = 400 };
	static struct weft_dep_event events[MAX_EVENTS];
	static uint32_t level[MAX_EVENTS], expected[MAX_EVENTS];
	for (unsigned round = 0; round < 3000; round++) {
		uint32_t n = 1 + next(MAX_EVENTS), threads = 1 + next(12), objects = 1 + next(8);
		if (round % 100 == 0)
			threads = WEFT_MAX_THREADS; /* every thread bit of `woken` */
		for (uint32_t j = 0; j < n; j++)
			random_event(&events[j], threads, objects);
		CHECK(weft_dep_levels(l, events, n, level));
		uint32_t wrong = 0;
		for (uint32_t j = 0; j < n; j++) {
			expected[j] = by_definition(events, j, expected);
			wrong += level[j] != expected[j];
		}
		CHECK(wrong == 0);
		if (wrong)
			fprintf(stderr, "round %u: %u of %u levels differ\n", round, wrong, n);
	}
	weft_dep_levels_free(l);
	printf("test_dep_levels: %lu checks, %lu failed\n", checks, failures);
	return failures != 0;
}
