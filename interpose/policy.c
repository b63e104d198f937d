/* The runtime's choices once the plan is used up, by the policy the
 * strategy asked for: the lowest enabled thread (DFS, DPOR), the running
 * thread while it can run, else the lowest enabled one (preemption
 * bounding), the running thread while it can run, else the next enabled one
 * in round-robin order (delay bounding), uniform random (random walk),
 * PCT's priorities with d - 1 change points (Burckhardt et al., ASPLOS
 * 2010) or POS's priorities re-drawn for the threads whose next operation
 * races with the one that ran (Yuan et al., CAV 2018). Random choices come
 * from the execution's seed only, so a seed reproduces its execution. */
#define _GNU_SOURCE
#include "runtime.h"

WEFT_HOT static uint64_t rng_state;
WEFT_HOT static bool seeded;
static uint64_t priority[WEFT_MAX_THREADS]; /* 0 = not drawn yet */
static uint32_t change_points[16];
WEFT_HOT static uint32_t nchange;
/* The thread chosen at the last step, still when it has since blocked or
 * exited: round-robin order goes on from it. UINT32_MAX before the first. */
WEFT_HOT static uint32_t last_thread = UINT32_MAX;

static uint64_t next_random(void)
{
	/* splitmix64: small, fast, and good enough to sample schedules */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void seed_once(void)
{
	if (seeded)
		return;
	const struct weft_shm *shm = weft__rt.shm;
	rng_state = shm->seed;
	seeded = true;
	if (shm->policy == WEFT_POLICY_PCT && shm->pct_depth > 1) {
		uint32_t k = shm->pct_steps ? shm->pct_steps : 1;
		nchange = shm->pct_depth - 1;
		if (nchange > 16)
			nchange = 16;
		for (uint32_t i = 0; i < nchange; i++)
			change_points[i] = 1 + (uint32_t)(next_random() % k);
	}
}

static uint32_t uniform(uint64_t set)
{
	uint32_t n = (uint32_t)__builtin_popcountll(set);
	uint32_t k = (uint32_t)(next_random() % n);
	while (k--)
		set &= set - 1;
	return (uint32_t)__builtin_ctzll(set);
}

/* The highest-priority enabled thread; priorities are drawn on first
 * sight, above every change-point priority (1..d-1). */
static uint32_t highest(uint64_t enabled)
{
	uint32_t best = UINT32_MAX;
	for (uint64_t set = enabled; set; set &= set - 1) {
		uint32_t t = (uint32_t)__builtin_ctzll(set);
		if (!priority[t])
			priority[t] = 64 + (next_random() >> 8);
		if (best == UINT32_MAX || priority[t] > priority[best])
			best = t;
	}
	return best;
}

uint32_t weft__policy_choose(uint64_t enabled, uint32_t step, bool value)
{
	const struct weft_shm *shm = weft__rt.shm;
	seed_once();
	switch (shm->policy) {
	case WEFT_POLICY_STICKY:
		if (!value && last_thread < 64 && (enabled & (1ull << last_thread)))
			return last_thread;
		break;
	case WEFT_POLICY_ROUND_ROBIN:
		/* A value is not a delay: the lowest, as the sticky policy takes. */
		if (!value)
			return weft_round_robin_next(enabled, last_thread);
		break;
	case WEFT_POLICY_RANDOM:
		return uniform(enabled);
	case WEFT_POLICY_PCT:
		if (value)
			return uniform(enabled);
		for (uint32_t i = 0; i < nchange; i++) {
			/* At change point i (each at its own step, in whatever order
			 * the steps come) the thread that ran drops to priority i + 2,
			 * below every initial priority (Burckhardt et al.: the i-th
			 * change point's priority is i; 1 is the spinners'). */
			if (change_points[i] == step && last_thread < 64)
				priority[last_thread] = i + 2;
		}
		/* The PCT paper's yield rule: a thread that spins (it yielded, or
		 * an atomic found its location unchanged again) drops to the
		 * lowest priority for good, so it cannot starve the thread it
		 * waits for; giving way for one decision is not enough when two
		 * spinners take turns. */
		for (uint32_t t = 0; t < weft__rt.nthreads && t < WEFT_MAX_THREADS; t++)
			if (weft__rt.threads[t]->yielded) /* out of `enabled` for this decision */
				priority[t] = 1;
		return highest(enabled);
	case WEFT_POLICY_POS:
		if (value)
			return uniform(enabled);
		return highest(enabled);
	default:
		break;
	}
	return (uint32_t)__builtin_ctzll(enabled);
}

void weft__policy_ran(const struct weft_thread *t)
{
	last_thread = t->id;
	if (weft__rt.shm->policy != WEFT_POLICY_POS)
		return;
	/* POS: the events that race with the one that ran (the same object)
	 * draw new priorities, and so does the thread that ran. */
	priority[t->id] = 0;
	if (!t->obj)
		return;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (weft__rt.threads[i]->obj == t->obj)
			priority[i] = 0;
}
