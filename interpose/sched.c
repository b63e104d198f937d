/* The scheduler: at every scheduling point it computes which threads could
 * run, picks one (the plan's choice while the plan lasts, else the lowest
 * enabled id), records the event into the shared trace and hands the turn
 * over through the execution layer (exec_layer.h). It also spots the ends
 * an execution can reach on its own: deadlock (nobody can run), livelock
 * (no progress, progress.c), the step bound (a limit of weft's) and a plan
 * the program does not follow (divergence).
 *
 * Time: a thread with a deadline (sleeping, or in a timed wait) is "due"
 * once the virtual clock reaches it, which enables its operation. When no
 * thread can run, or only threads that gave way (yield, failed trylock),
 * the clock jumps to the earliest deadline; threads due at the same instant
 * are enabled together, an ordinary choice point. With --time=adversarial
 * every thread with a deadline is due at every step: choosing one that was
 * not moves the clock to its deadline. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"
#include "model_futex.h"
#include "signals.h"
#include "spin.h"
#include "model_cancel.h"
#include "timers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool weft__op_enabled(const struct weft_thread *t)
{
	if (t->exited || t->frozen)
		return false;
	switch (t->op) {
	case WEFT_OP_CALL_RETURN: /* back from a blocking call (wrap_blocking.c) */
		return weft__outside_returned(t);
	case WEFT_OP_USER_LOCK:
	case WEFT_OP_MUTEX_LOCK:
	case WEFT_OP_SPIN_LOCK:
		return weft__mutex_can_lock(t, t->obj);
	case WEFT_OP_MUTEX_TIMEDLOCK:
		return t->due || weft__mutex_can_lock(t, t->obj);
	case WEFT_OP_JOIN:
		return !t->target || t->target->exited;
	case WEFT_OP_COND_WAKE:
	case WEFT_OP_COND_TIMEDWAKE:
		return weft__cond_can_wake(t);
	case WEFT_OP_COND_RELOCK:
		return weft__mutex_can_lock(t, t->wait_mutex);
	case WEFT_OP_RWLOCK_RDLOCK:
	case WEFT_OP_RWLOCK_TIMEDRDLOCK:
		return t->due || weft__rwlock_can_rdlock(t, t->obj);
	case WEFT_OP_RWLOCK_WRLOCK:
	case WEFT_OP_RWLOCK_TIMEDWRLOCK:
		return t->due || weft__rwlock_can_wrlock(t, t->obj);
	case WEFT_OP_SEM_WAIT:
	case WEFT_OP_SEM_TIMEDWAIT:
		return t->due || weft__sem_can_wait(t->obj);
	case WEFT_OP_BARRIER_WAKE:
		return weft__barrier_can_leave(t);
	case WEFT_OP_ONCE:
	case WEFT_OP_CXA_GUARD:
		return weft__once_can_enter(t, t->obj);
	case WEFT_OP_SLEEP:
		return t->due;
	case WEFT_OP_FUTEX_WAKEUP:
	case WEFT_OP_FUTEX_TIMEDWAKEUP:
		return weft__futex_can_wake(t);
	case WEFT_OP_FD_WAIT: /* fiber_io.c */
		return t->due || weft__fd_ready(t);
	case WEFT_OP_PAUSE: /* only a signal ends it (timers.c) */
		return weft__pause_ready(t);
	case WEFT_OP_SIGWAIT:
		return t->due || weft__sigwait_ready(t);
	default:
		return true;
	}
}

bool weft__blocked_forever(const struct weft_thread *t)
{
	/* A thread inside a blocking call weft does not see may still return. */
	return !t->exited && !t->has_deadline && !weft__op_enabled(t) &&
	       t->op != WEFT_OP_CALL_RETURN;
}

static bool live(const struct weft_thread *t, const struct weft_thread *leaving)
{
	return t != leaving && !t->exited && !t->frozen;
}

/* Which threads could run; *progress gets those of them that make progress
 * of their own (they did not give way, and are not a spurious wake-up). */
static uint64_t enabled_set(const struct weft_thread *leaving, uint64_t *progress)
{
	struct weft_runtime *rt = &weft__rt;
	uint64_t enabled = 0, eager = 0, spurious = 0;
	/* Only the live threads: an exited thread's record need not be read. */
	for (uint64_t m = rt->live; m; m &= m - 1) {
		uint32_t i = (uint32_t)__builtin_ctzll(m);
		struct weft_thread *t = rt->threads[i];
		if (!live(t, leaving))
			continue;
		t->due = t->has_deadline && (t->deadline <= rt->now || rt->adversarial_time);
		/* A waiting thread may also be chosen to take a timer's signal. */
		if (!weft__op_enabled(t) && !weft__timers_can_interrupt(t))
			continue;
		enabled |= 1ull << i;
		if (!t->yielded)
			eager |= 1ull << i;
		if ((t->op == WEFT_OP_COND_WAKE || t->op == WEFT_OP_COND_TIMEDWAKE) &&
		    weft__cond_spurious_only(t))
			spurious |= 1ull << i;
	}
	*progress = eager & ~spurious;
	/* A spurious wake-up is explored beside every step some other thread
	 * could take, never as the only way on: otherwise it would stand in for
	 * a timeout or hide a deadlock. */
	if (!(enabled & ~spurious))
		return 0;
	/* Fairness: at the next decision, a thread that yielded (or failed a
	 * trylock) gives way to every thread that has not, so a spin-wait
	 * cannot starve the thread it waits for and the search stays finite. */
	/* __VERIFIER_atomic_begin/end: the section's owner runs alone while
	 * it can; a section that blocks lets the others in. */
	if (rt->atomic_owner && !rt->atomic_owner->exited &&
	    (enabled & (1ull << rt->atomic_owner->id))) {
		*progress = 1ull << rt->atomic_owner->id;
		return *progress;
	}
	return *progress ? eager : enabled;
}

/* Move the clock to the earliest deadline still ahead of it among threads
 * that cannot run yet; false when no such thread waits for one. */
static bool advance_clock(const struct weft_thread *leaving, uint64_t enabled)
{
	struct weft_runtime *rt = &weft__rt;
	uint64_t next = UINT64_MAX;
	for (uint32_t i = 0; i < rt->nthreads; i++) {
		const struct weft_thread *t = rt->threads[i];
		if (live(t, leaving) && !(enabled & (1ull << i)) && t->has_deadline &&
		    t->deadline > rt->now && t->deadline < next)
			next = t->deadline;
	}
	uint64_t timer = weft__timers_next();
	if (timer > rt->now && timer < next)
		next = timer;
	if (next == UINT64_MAX)
		return false;
	rt->now = next;
	weft__timers_fire();
	return true;
}

/* The chosen thread has a deadline still ahead. With adversarial time, and
 * unless it can proceed by itself, it was chosen to wake early: a timeout,
 * and the clock moves to its deadline. Otherwise it is not due. */
static void take_early_wakeup(struct weft_thread *t)
{
	if (!t->has_deadline || t->deadline <= weft__rt.now)
		return;
	t->due = false;
	bool by_itself = weft__op_enabled(t) && !weft__cond_spurious_only(t);
	if (!by_itself && weft__rt.adversarial_time) {
		weft__rt.now = t->deadline;
		t->due = true;
	}
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
	weft__signals_before_deadlock();
	weft__fail(WEFT_BUG_DEADLOCK, "no thread can run");
}

static uint32_t choose(uint64_t enabled, uint32_t step, bool value)
{
	struct weft_runtime *rt = &weft__rt;
	bool choice = (enabled & (enabled - 1)) != 0;
	if (rt->plan_pos < rt->shm->plan_len) {
		const struct weft_choice *c = &rt->plan[rt->plan_pos];
		bool off_plan = c->step == step
		                    ? c->thread >= 64 || !(enabled & (1ull << c->thread))
		                    : c->step < step || (choice && c->step > step);
		if (off_plan && (rt->shm->options & WEFT_OPT_PLAN_ADVISORY)) {
			rt->plan_pos =
			    rt->shm->plan_len; /* the strategy sees where it left the plan */
			return weft__policy_choose(enabled, step, value);
		}
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
	return weft__policy_choose(enabled, step, value);
}

/* The number of the step about to be recorded, within the step bound. */
static uint32_t next_step(void)
{
	struct weft_shm *shm = weft__rt.shm;
	uint32_t step = shm->nsteps;
	if (step >= shm->max_steps)
		weft__progress_step_limit(); /* a fuse: livelocks are judged by progress */
	return step;
}

/* What an event of t's pending operation says beyond its object, for
 * partial-order reduction (core/dependence.h), as its outcome is decided
 * when the thread is chosen: the kind of read-write lock, whether a
 * pthread_once call runs the initialiser, whether a sem_trywait gets
 * nothing, whether an arrival at a barrier ends the round. */
static uint8_t op_flags(const struct weft_thread *t)
{
	const struct weft_object *o = t->obj;
	if (!o)
		return 0;
	switch (t->op) {
	case WEFT_OP_ONCE:
		return !o->u.once.done && !o->u.once.runner ? WEFT_EVENT_RAN_INIT : 0;
	case WEFT_OP_SEM_TRYWAIT:
		return o->u.sem.value == 0 ? WEFT_EVENT_FAILED : 0;
	case WEFT_OP_BARRIER_WAIT:
		return o->u.barrier.arrived + 1 >= o->u.barrier.count ? WEFT_EVENT_ENDS_ROUND : 0;
	default:
		return o->kind == WEFT_OBJECT_RWLOCK && o->u.rwlock.prefer_writer
		           ? WEFT_EVENT_WRITER_PREFERRED
		           : 0;
	}
}

/* Pick the next thread, record its event and give it the turn. Returns the
 * chosen thread. */
static struct weft_thread *dispatch(struct weft_thread *leaving)
{
	struct weft_runtime *rt = &weft__rt;
	struct weft_shm *shm = rt->shm;
	weft__timers_fire(); /* the clock may have moved since the last decision */
	uint64_t progress, enabled = enabled_set(leaving, &progress);
	/* Nobody can make progress without time passing: let it pass. */
	while (!progress && advance_clock(leaving, enabled))
		enabled = enabled_set(leaving, &progress);
	rt->clock_reads = 0;
	/* Only a thread coming back from a blocking call (--yield-at
	 * NAME=blocking) can run next: wait for it, or, when the caller is
	 * leaving anyway, let that thread take the turn itself. */
	while (!enabled && weft__outside_pending()) {
		if (leaving && weft__outside_release_turn())
			return NULL;
		weft__outside_wait();
		enabled = enabled_set(leaving, &progress);
	}
	/* Threads waiting for descriptors that nobody here can make ready:
	 * they wait for the outside world, for real (fiber_io.c). */
	if (!enabled)
		enabled = weft__fd_waiting(leaving);
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
	uint32_t step = next_step();
	weft__progress_note(step);
	if (enabled & (enabled - 1))
		weft__exec_branch_point(step);
	uint32_t id = choose(enabled, step, false);
	struct weft_thread *next = rt->threads[id];
	weft__policy_ran(next);
	/* Chosen, though its operation cannot proceed: to take a signal. */
	next->interrupted = !weft__op_enabled(next);
	if (!next->interrupted)
		take_early_wakeup(next);
	/* The slot a thread creates into is known only now: another thread may
	 * have taken the one free when this one reached its call. */
	if (next->op == WEFT_OP_CREATE)
		next->shared->object = weft__thread_slot_next();
	struct weft_event *e = &rt->events[step];
	e->thread = (uint16_t)id;
	e->op = (uint8_t)(next->interrupted ? WEFT_OP_SIGNAL : next->op);
	e->flags = (uint8_t)(((enabled & (enabled - 1)) ? WEFT_EVENT_CHOICE : 0) | op_flags(next));
	e->object = next->shared->object;
	e->enabled = enabled;
	e->pc = next->shared->pc;
	e->func = next->shared->func;
	if (shm->options & WEFT_OPT_STACKS)
		memcpy(weft_shm_stacks(shm) + (size_t)step * WEFT_STACK_DEPTH, next->shared->stack,
		       sizeof next->shared->stack);
	/* Partial-order reduction needs to see a signalled wake-up as a mutex
	 * acquisition (core/dependence.h). */
	e->object2 = (next->op == WEFT_OP_COND_WAKE || next->op == WEFT_OP_COND_TIMEDWAKE) &&
	                             next->signalled && next->wait_mutex
	                     ? weft__object_id(next->wait_mutex)
	                     : 0;
	__atomic_store_n(&shm->nsteps, step + 1, __ATOMIC_RELEASE);
	shm->current = id;
	/* A yield gives way for one decision only: a flag that outlived it
	 * would hide interleavings from threads that appear later. */
	for (uint64_t m = rt->live; m; m &= m - 1)
		rt->threads[__builtin_ctzll(m)]->yielded = false;
	return next;
}

static void sched_point(enum weft_op op, struct weft_object *obj, uint32_t object_id,
                        uint32_t func, uintptr_t pc)
{
	struct weft_thread *me = weft__self();
	int saved_errno = errno;
	struct weft_signal_state signals;
	weft__signals_enter(&signals); /* pending signals land here, then wait */
	weft__timers_at_point(me, &signals);
	me->op = op;
	me->obj = obj;
	me->shared->op = (uint8_t)op;
	me->shared->object = object_id;
	me->shared->pc = pc;
	weft__stack_capture(pc, me->shared->stack);
	me->shared->func = func;
	me->shared->flags = op_flags(me) & WEFT_EVENT_WRITER_PREFERRED;
	weft__cancel_announce(me);
	struct weft_thread *next = dispatch(NULL);
	if (next != me)
		weft__exec_switch(me, next);
	/* Chosen to run a timer signal's handler inside this wait. */
	while (me->interrupted && weft__timers_take(me)) {
		next = dispatch(NULL);
		if (next != me)
			weft__exec_switch(me, next);
	}
	weft__signals_leave(&signals);
	errno = saved_errno;
	weft__cancel_after_point(me);
}

void weft__sched_point(enum weft_op op, struct weft_object *obj, uintptr_t pc)
{
	sched_point(op, obj, weft__object_id(obj), 0, pc);
}

void weft__sched_point_func(enum weft_op op, struct weft_object *obj, uint32_t func, uintptr_t pc)
{
	sched_point(op, obj, weft__object_id(obj), func, pc);
}

void weft__sched_point_thread(enum weft_op op, uint32_t thread_id, uintptr_t pc)
{
	sched_point(op, NULL, thread_id, 0, pc);
}

uint32_t weft__choose_value(uint32_t n, uintptr_t pc)
{
	struct weft_runtime *rt = &weft__rt;
	struct weft_thread *me = weft__self();
	if (n == 0 || n > 64)
		weft__fail(WEFT_BUG_MISUSE,
		           "weft_choose(%u): the number of values must be from 1 to 64", n);
	uint64_t values = n == 64 ? ~0ull : (1ull << n) - 1;
	uint32_t step = next_step();
	if (n > 1)
		weft__exec_branch_point(step);
	/* The plan names values exactly as it names threads. */
	uint32_t v = choose(values, step, true);
	rt->events[step] = (struct weft_event){
		.thread = (uint16_t)me->id,
		.op = WEFT_OP_CHOSEN,
		.flags = (uint8_t)((n > 1 ? WEFT_EVENT_CHOICE : 0) | WEFT_EVENT_VALUE),
		.object = v,
		.enabled = values,
		.pc = pc,
	};
	weft__stack_capture(pc, weft_shm_stacks(rt->shm) + (size_t)step * WEFT_STACK_DEPTH);
	__atomic_store_n(&rt->shm->nsteps, step + 1, __ATOMIC_RELEASE);
	rt->shm->current = me->id;
	return v;
}

void weft__sched_leave(void)
{
	struct weft_thread *me = weft__self();
	weft__exec_leave(dispatch(me));
}

/* A new thread waits here for its first turn. */
void weft__wait_first_turn(struct weft_thread *me)
{
	/* Not even a new thread takes a signal inside the runtime. */
	struct weft_signal_state signals;
	weft__signals_enter(&signals);
	weft__exec_wait_turn(me);
	weft__signals_leave(&signals);
}
