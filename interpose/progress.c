/* Progress, which tells a long run from a livelock. A program may take
 * millions of steps and be correct (a million items through a queue), so
 * the step bound (--max-steps) is only a fuse: reaching it is a limit of
 * weft's, reported as an error with the option that raises it, not a bug.
 * A livelock is judged instead by the lack of progress: a step makes none
 * when it left its thread giving way (sched_yield, a failed trylock or
 * sem_trywait, an atomic load that found its location unchanged, a sleep
 * of no time, a preempted spin) and the virtual clock stood still. Every
 * other step (an object's state changed, a thread started or exited, time
 * passed) is progress. WEFT_IDLE_STEPS_LIMIT idle steps in a row are a
 * livelock: the visible state cycles through give-ways only.
 *
 * Preempted spins are the exception: a thread spinning on plain memory in
 * an uninstrumented build may read values another spinner writes, which
 * weft cannot see, so a run of spins alone proves nothing either way. */
#define _GNU_SOURCE
#include "resident.h"
#include "spin.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

WEFT_HOT static uint32_t idle;         /* idle steps in a row */
WEFT_HOT static uint32_t idle_spins;   /* preempted spins among them */
WEFT_HOT static uint64_t idle_threads; /* the threads that took the idle steps */
WEFT_HOT static uint64_t last_now;
static uint32_t spin_rounds = WEFT_SPIN_ROUNDS_LIMIT;
static uint32_t idle_limit = WEFT_IDLE_STEPS_LIMIT; /* WEFT_IDLE_STEPS overrides it */

/* Whether the event before step `step` made no progress: its thread has
 * been running since, so the operation's outcome is known now. */
static bool idle_step(uint32_t step)
{
	const struct weft_event *e = &weft__rt.events[step - 1];
	if (e->flags & WEFT_EVENT_VALUE)
		return false;
	if (e->op == WEFT_OP_SPIN || e->op == WEFT_OP_YIELD)
		return true;
	if (e->thread >= weft__rt.nthreads)
		return false;
	const struct weft_thread *t = weft__rt.threads[e->thread];
	/* A thread that gave way after its operation (fairness, sched.c) and
	 * is still the one about to decide: its operation changed nothing. */
	return t->yielded && !t->exited;
}

static void name_threads(char *who, size_t len)
{
	size_t used = 0;
	who[0] = '\0';
	for (uint32_t t = 0; t < 64 && used + 8 < len; t++)
		if (idle_threads & (1ull << t))
			used +=
			    (size_t)snprintf(who + used, len - used, "%sT%u", used ? ", " : "", t);
}

static _Noreturn void limit_error(void)
{
	weft__rt.shm->limit_error = 1;
	weft__execution_end(WEFT_RUNTIME_EXIT_STATUS);
}

/* Threads that only spin on plain memory, preempted in turn: weft cannot
 * see whether the memory they read changes (a hand-off back and forth) or
 * not (they wait for each other forever), so it stops with an error rather
 * than guess either verdict. */
static _Noreturn void spin_limit(void)
{
	char who[96];
	name_threads(who, sizeof who);
	snprintf(weft__rt.shm->message, sizeof weft__rt.shm->message,
	         "%s spun %u times in a row (preempted spin-waits on plain memory) with no visible "
	         "progress: they may wait for each other forever (a livelock) or pass values back "
	         "and forth through memory weft cannot see in this build; to let weft tell, build "
	         "the test with -fsanitize=thread or put sched_yield() in the loops (a limit of "
	         "weft's own: WEFT_SPIN_ROUNDS=N raises it)",
	         who, idle_spins);
	limit_error();
}

/* The limits the environment sets, read once: by the fork server for all
 * its executions, or at the first step of a process started for one. */
void weft__progress_prepare(void)
{
	static bool read;
	if (read)
		return;
	read = true;
	const char *v = getenv("WEFT_SPIN_ROUNDS");
	if (v && atol(v) > 0)
		spin_rounds = (uint32_t)atol(v);
	v = getenv("WEFT_IDLE_STEPS");
	if (v && atol(v) > 0)
		idle_limit = (uint32_t)atol(v);
}

void weft__progress_note(uint32_t step)
{
	struct weft_runtime *rt = &weft__rt;
	if (step == 0) {
		idle = idle_spins = 0;
		idle_threads = 0;
		last_now = rt->now;
		weft__progress_prepare();
		return;
	}
	bool moved = rt->now != last_now;
	last_now = rt->now;
	if (moved || !idle_step(step)) {
		idle = idle_spins = 0;
		idle_threads = 0;
		return;
	}
	const struct weft_event *e = &rt->events[step - 1];
	idle_threads |= 1ull << (e->thread & 63);
	if (e->op == WEFT_OP_SPIN && ++idle_spins >= spin_rounds)
		spin_limit();
	if (++idle < idle_limit)
		return;
	char who[96];
	name_threads(who, sizeof who);
	weft__fail(WEFT_BUG_LIVELOCK,
	           "for %u steps in a row no thread made progress: %s only gave way to each "
	           "other (sched_yield, failed trylocks, unchanged atomic loads) while no "
	           "modelled state changed and no time passed",
	           idle_limit, who);
}

void weft__progress_step_limit(void)
{
	struct weft_shm *shm = weft__rt.shm;
	snprintf(shm->message, sizeof shm->message,
	         "the execution reached %u steps (--max-steps), a limit of weft's own, while its "
	         "threads still made progress; the program may simply run long: raise the limit "
	         "with --max-steps N (or WEFT_MAX_STEPS=N), or shorten the test",
	         shm->max_steps);
	limit_error();
}
