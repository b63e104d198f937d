/* What the runtime cannot see, told to the explorer so that it never
 * claims more than it saw. A program not built with -fsanitize=thread may
 * let its threads talk through plain memory and atomic loads, which are
 * ordinary instructions; the atomic read-modify-write instructions that
 * atomic_trap.c found but could not trap are listed by address. Both are
 * written into the exchange region when the runtime takes control, in
 * every execution. The explorer counts the first only when the execution
 * had more than one thread. */
#include "race.h"
#include "runtime.h"

/* Filled before main (inherited by the fork server's children). */
static uint64_t sites[WEFT_MAX_UNSEEN_SITES];
static uint32_t nsites, ntrapped;

void weft__unseen_site(uintptr_t pc)
{
	if (nsites < WEFT_MAX_UNSEEN_SITES)
		sites[nsites] = pc;
	nsites++;
}

void weft__unseen_trapped(uint32_t n)
{
	ntrapped = n;
}

void weft__unseen_on_claim(struct weft_shm *shm)
{
	shm->unseen = weft__race_instrumented ? 0 : WEFT_UNSEEN_MEMORY;
	if (nsites)
		shm->unseen |= WEFT_UNSEEN_INSTRUCTIONS;
	shm->nunseen_sites = nsites;
	for (uint32_t i = 0; i < nsites && i < WEFT_MAX_UNSEEN_SITES; i++)
		shm->unseen_sites[i] = sites[i];
	shm->trapped = ntrapped;
}
