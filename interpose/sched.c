/* The scheduler: at every scheduling point it computes which threads could
 * run, picks one (the plan's choice while the plan lasts, else the lowest
 * enabled id), records the event into the shared trace and hands the turn
 * over with a futex. It also spots the ends an execution can reach on its
 * own: deadlock (nobody can run), the step bound (livelock) and a plan the
 * program does not follow (divergence). */
#define _GNU_SOURCE
#include "runtime.h"

#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void futex_wait(uint32_t *word, uint32_t expected)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void hand_turn_to(struct weft_thread *t)
{
	__atomic_store_n(&t->turn, 1, __ATOMIC_RELEASE);
	futex_wake(&t->turn);
}

static void wait_for_turn(struct weft_thread *me)
{
	while (__atomic_load_n(&me->turn, __ATOMIC_ACQUIRE) == 0)
		futex_wait(&me->turn, 0);
	me->turn = 0;
}

bool weft__op_enabled(const struct weft_thread *t)
{
	if (t->exited || t->frozen)
		return false;
	switch (t->op) {
	case WEFT_OP_MUTEX_LOCK:
		return weft__mutex_can_lock(t, t->obj);
	case WEFT_OP_JOIN:
		return !t->target || t->target->exited;
	case WEFT_OP_COND_WAKE:
		return weft__cond_can_wake(t);
	default:
		return true;
	}
}

static uint64_t enabled_set(const struct weft_thread *leaving)
{
	uint64_t enabled = 0, eager = 0;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t == leaving || !weft__op_enabled(t))
			continue;
		enabled |= 1ull << i;
		if (!t->yielded)
			eager |= 1ull << i;
	}
	/* Fairness: a thread that yielded (or failed a trylock) gives way to
	 * every thread that has not, so a spin-wait cannot starve the thread
	 * it waits for and the search stays finite. */
	return eager ? eager : enabled;
}

static _Noreturn void deadlock(void)
{
	struct weft_shm *shm = weft__rt.shm;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		struct weft_thread *t = weft__rt.threads[i];
		if (!t->exited)
			t->shared->status = WEFT_THREAD_BLOCKED;
	}
	(void)shm;
	weft__fail(WEFT_BUG_DEADLOCK, "no thread can run");
}

static uint32_t choose(uint64_t enabled, uint32_t step)
{
	struct weft_runtime *rt = &weft__rt;
	bool choice = (enabled & (enabled - 1)) != 0;
	if (rt->plan_pos < rt->shm->plan_len) {
		const struct weft_choice *c = &rt->plan[rt->plan_pos];
		if (c->step == step) {
			rt->plan_pos++;
			if (c->thread >= 64 || !(enabled & (1ull << c->thread))) {
				rt->shm->diverged_step = step;
				weft__fail(WEFT_BUG_DIVERGED,
				           "at step %u the recording runs thread %u, which cannot run "
				           "here (enabled: %#llx)",
				           step, c->thread, (unsigned long long)enabled);
			}
			return c->thread;
		}
		if (c->step < step || (choice && c->step > step)) {
			rt->shm->diverged_step = step;
			weft__fail(WEFT_BUG_DIVERGED,
			           "the recording has a choice at step %u, this run %s at step %u",
			           c->step, choice ? "has one" : "has none", step);
		}
	}
	return (uint32_t)__builtin_ctzll(enabled);
}

/* Pick the next thread, record its event and give it the turn. Returns the
 * chosen thread. */
static struct weft_thread *dispatch(struct weft_thread *leaving)
{
	struct weft_runtime *rt = &weft__rt;
	struct weft_shm *shm = rt->shm;
	uint64_t enabled = enabled_set(leaving);
	if (!enabled) {
		bool anyone_left = false;
		for (uint32_t i = 0; i < rt->nthreads; i++)
			if (rt->threads[i] != leaving && !rt->threads[i]->exited &&
			    !rt->threads[i]->frozen)
				anyone_left = true;
		if (!anyone_left)
			return NULL; /* the last thread is leaving: the process ends */
		deadlock();
	}
	uint32_t step = shm->nsteps;
	if (step >= shm->max_steps)
		weft__fail(WEFT_BUG_LIVELOCK,
		           "the execution passed %u steps (--max-steps) while threads kept running; "
		           "a thread probably waits for another in a loop that makes no progress",
		           shm->max_steps);
	uint32_t id = choose(enabled, step);
	struct weft_thread *next = rt->threads[id];
	struct weft_event *e = &rt->events[step];
	e->thread = (uint16_t)id;
	e->op = (uint8_t)next->op;
	e->flags = (enabled & (enabled - 1)) ? WEFT_EVENT_CHOICE : 0;
	e->object = next->shared->object;
	e->enabled = enabled;
	e->pc = next->shared->pc;
	__atomic_store_n(&shm->nsteps, step + 1, __ATOMIC_RELEASE);
	shm->current = id;
	for (uint32_t i = 0; i < rt->nthreads; i++)
		if (i != id)
			rt->threads[i]->yielded = false;
	return next;
}

static void sched_point(enum weft_op op, struct weft_object *obj, uint32_t object_id,
                        uintptr_t pc)
{
	struct weft_thread *me = weft__self();
	me->op = op;
	me->obj = obj;
	me->shared->op = (uint8_t)op;
	me->shared->object = object_id;
	me->shared->pc = pc;
	struct weft_thread *next = dispatch(NULL);
	if (next == me)
		return;
	hand_turn_to(next);
	wait_for_turn(me);
}

void weft__sched_point(enum weft_op op, struct weft_object *obj, uintptr_t pc)
{
	sched_point(op, obj, weft__object_id(obj), pc);
}

void weft__sched_point_thread(enum weft_op op, uint32_t thread_id, uintptr_t pc)
{
	sched_point(op, NULL, thread_id, pc);
}

void weft__sched_leave(void)
{
	struct weft_thread *me = weft__self();
	struct weft_thread *next = dispatch(me);
	if (next)
		hand_turn_to(next);
}

/* A new thread waits here for its first turn. */
void weft__wait_first_turn(struct weft_thread *me)
{
	wait_for_turn(me);
}
