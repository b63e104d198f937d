/* The dependence relation: the role each operation plays on the objects it
 * touches, and one table saying, for every pair of roles on one object,
 * whether the two events commute. Everything not listed is dependent, so an
 * operation added to ops.def without an entry here is handled soundly (if
 * wastefully) from the start. */
#include "dependence.h"

#include <stdio.h>

#include "explore.h"

/* Whether each operation can wait for another thread (ops.def column). */
static const uint8_t op_blocks[WEFT_OP_COUNT] = {
#define X(name, text, blocks) [WEFT_OP_##name] = blocks,
#include "ops.def"
#undef X
};

/* The operations this file knows. An entry with no role touches no shared
 * object (sched_yield); `second` is the role on the mutex that a condition
 * wait releases or a wake-up takes back. Flags are the WEFT_DEP_* that hold
 * whatever the event's outcome; the annotator adds the rest. */
static const struct weft_dep_op weft_dep_ops[WEFT_OP_COUNT] = {
	[WEFT_OP_START] = {WEFT_ROLE_START, 0, WEFT_DEP_BLOCKING, 1}, /* waits for its create */
	[WEFT_OP_THREAD_EXIT] = {WEFT_ROLE_EXIT, 0, 0, 1},
	[WEFT_OP_CREATE] = {WEFT_ROLE_CREATE, 0, 0, 1},
	[WEFT_OP_JOIN] = {WEFT_ROLE_JOIN, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_DETACH] = {WEFT_ROLE_DETACH, 0, 0, 1},
	[WEFT_OP_MUTEX_LOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_MUTEX_TIMEDLOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	/* A failed trylock leaves its thread yielded (fairness, sched.c), so
	 * every trylock may: whether one fails depends on the order of other
	 * events, and dependence must not (dpor_annotate.c). */
	[WEFT_OP_MUTEX_TRYLOCK] = {WEFT_ROLE_TRY, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_MUTEX_UNLOCK] = {WEFT_ROLE_RELEASE, 0, 0, 1},
	[WEFT_OP_SPIN_LOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_SPIN_TRYLOCK] = {WEFT_ROLE_TRY, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_SPIN_UNLOCK] = {WEFT_ROLE_RELEASE, 0, 0, 1},
	/* --yield-at lock(N) and unlock(N): the mutex model on the lock. */
	[WEFT_OP_USER_LOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_USER_UNLOCK] = {WEFT_ROLE_RELEASE, 0, 0, 1},
	[WEFT_OP_COND_WAIT] = {WEFT_ROLE_WAIT, WEFT_ROLE_RELEASE, 0, 1},
	[WEFT_OP_COND_TIMEDWAIT] = {WEFT_ROLE_WAIT, WEFT_ROLE_RELEASE, 0, 1},
	[WEFT_OP_COND_WAKE] = {WEFT_ROLE_WAKE, WEFT_ROLE_ACQUIRE, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_COND_TIMEDWAKE] = {WEFT_ROLE_WAKE, WEFT_ROLE_ACQUIRE,
	                            WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	[WEFT_OP_COND_RELOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_COND_SIGNAL] = {WEFT_ROLE_SIGNAL, 0, 0, 1},
	[WEFT_OP_COND_BROADCAST] = {WEFT_ROLE_SIGNAL, 0, 0, 1},
	/* Read-write locks as glibc's default kind, which prefers readers: a read
	 * lock waits only for a writer. The annotator describes the unlock of a
	 * read lock as "release shared", and every operation on a lock that
	 * prefers writers as unknown (a waiting writer holds new readers back:
	 * even two read locks do not commute there). The timed locks stay
	 * unknown, as sem_timedwait does (the annotator still replays what they
	 * took). */
	[WEFT_OP_RWLOCK_RDLOCK] = {WEFT_ROLE_ACQUIRE_SHARED, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_RWLOCK_WRLOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_RWLOCK_TIMEDRDLOCK] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	[WEFT_OP_RWLOCK_TIMEDWRLOCK] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	[WEFT_OP_RWLOCK_TRYRDLOCK] = {WEFT_ROLE_TRY_SHARED, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_RWLOCK_TRYWRLOCK] = {WEFT_ROLE_TRY, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_RWLOCK_UNLOCK] = {WEFT_ROLE_RELEASE, 0, 0, 1},
	/* Semaphores: a wait takes a unit, a post gives one, sem_getvalue
	 * reads; a failed sem_trywait leaves its thread yielded like a failed
	 * trylock. The runtime says which trywaits got nothing
	 * (WEFT_EVENT_FAILED). sem_timedwait stays unknown. */
	[WEFT_OP_SEM_WAIT] = {WEFT_ROLE_TAKE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_SEM_TIMEDWAIT] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	[WEFT_OP_SEM_TRYWAIT] = {WEFT_ROLE_TRY_TAKE, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_SEM_POST] = {WEFT_ROLE_GIVE, 0, 0, 1},
	[WEFT_OP_SEM_GETVALUE] = {WEFT_ROLE_LOAD, 0, 0, 1},
	[WEFT_OP_BARRIER_WAIT] = {WEFT_ROLE_ARRIVE, 0, 0, 1},
	[WEFT_OP_BARRIER_WAKE] = {WEFT_ROLE_LEAVE, 0, WEFT_DEP_BLOCKING, 1},
	/* pthread_once: the call that runs the initialiser (WEFT_EVENT_RAN_INIT)
	 * takes the once control for writing, and releases it in the same step
	 * or, when the initialiser made scheduling points, at its end; the
	 * others take it for reading (they wait while the initialiser runs). */
	[WEFT_OP_ONCE] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_ONCE_END] = {WEFT_ROLE_RELEASE, 0, 0, 1},
	/* Initialising or destroying an object: misuse while another thread
	 * holds it, waits in it, or waits to take it (the annotator gives the
	 * event that brought that thread there an "await" on the object).
	 * Misuse ends the execution with every other thread wherever it was;
	 * whether it happens depends only on the events these are dependent
	 * with, so it is found in every execution of the class. */
	[WEFT_OP_MUTEX_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_MUTEX_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_COND_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_COND_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_RWLOCK_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_RWLOCK_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SEM_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SEM_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_BARRIER_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_BARRIER_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SPIN_INIT] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SPIN_DESTROY] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_YIELD] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_PROCESS_EXIT] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	/* <weft.h>: weft_choose is a scheduling point, then the value (thread
	 * local, explored at its step, strategy_dpor.c); weft_yield marks where
	 * the program touches memory weft does not see: ordered with all. So
	 * does a call of a function wrapped with --yield-at (call or yield). A
	 * blocking call returns when something weft does not see happens: it
	 * stays unknown. */
	[WEFT_OP_CHOOSE] = {WEFT_ROLE_UNKNOWN, 0, 0, 1},
	[WEFT_OP_CHOSEN] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_VALUE, 1},
	[WEFT_OP_USER_YIELD] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_CALL] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_CALL_YIELD] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL | WEFT_DEP_MAY_YIELD, 1},
	/* __VERIFIER_atomic_begin/end: while the section's owner can run, no
	 * other thread runs; both ends ordered with everything keep every other
	 * thread's events outside the section. */
	[WEFT_OP_ATOMIC_BEGIN] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_ATOMIC_END] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	/* Time: a sleep ends when the clock reaches its deadline, and the clock
	 * moves only when no other thread can run, so a sleep is ordered with
	 * everything. Timed operations whose outcome the trace does not show
	 * are global too (the annotator marks every TIMED event it cannot
	 * resolve as global). */
	[WEFT_OP_SLEEP] = {WEFT_ROLE_UNKNOWN, 0,
	                   WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED | WEFT_DEP_MAY_YIELD, 1},
	/* Atomics (sequential consistency). Whether one left its thread yielded
	 * (a spin-wait) is in the event's flags; the annotator adds it. Fences
	 * order nothing more under sequential consistency and are not
	 * scheduling points (interpose/tsan_atomics.c): no event has this op. */
	[WEFT_OP_ATOMIC_LOAD] = {WEFT_ROLE_LOAD, 0, 0, 1},
	[WEFT_OP_ATOMIC_STORE] = {WEFT_ROLE_STORE, 0, 0, 1},
	[WEFT_OP_ATOMIC_RMW] = {WEFT_ROLE_RMW, 0, 0, 1},
	[WEFT_OP_ATOMIC_CAS] = {WEFT_ROLE_RMW, 0, 0, 1},
	[WEFT_OP_ATOMIC_FENCE] = {WEFT_ROLE_UNKNOWN, 0, 0, 1},
	/* Trapped atomic instructions, as the same operations above: every
	 * read-modify-write a write (a cmpxchg that failed only read: its
	 * event says so). */
	[WEFT_OP_TRAPPED_RMW] = {WEFT_ROLE_RMW, 0, 0, 1},
	[WEFT_OP_TRAPPED_STORE] = {WEFT_ROLE_STORE, 0, 0, 1},
	/* Accesses that raced, as atomic loads and stores of their address. */
	[WEFT_OP_RACY_READ] = {WEFT_ROLE_LOAD, 0, 0, 1},
	[WEFT_OP_RACY_WRITE] = {WEFT_ROLE_STORE, 0, 0, 1},
	/* Raw futexes: every operation on one word is dependent with every
	 * other one on it, and with the atomics on the word (an instrumented
	 * build makes them one object). A wait reads the word, which the
	 * program changes with atomics that an uninstrumented build hides in
	 * any step: it is global. A wake-up waits for a wake; one that may end
	 * by its deadline is global, and so are a requeue and a wake-op (which
	 * touch a second word). */
	[WEFT_OP_FUTEX_WAIT] = {WEFT_ROLE_FUTEX, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_FUTEX_WAKEUP] = {WEFT_ROLE_FUTEX, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_FUTEX_TIMEDWAKEUP] = {WEFT_ROLE_FUTEX, 0,
	                               WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	[WEFT_OP_FUTEX_WAKE] = {WEFT_ROLE_FUTEX, 0, 0, 1},
	[WEFT_OP_FUTEX_REQUEUE] = {WEFT_ROLE_FUTEX, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_FUTEX_WAKE_OP] = {WEFT_ROLE_FUTEX, 0, WEFT_DEP_GLOBAL, 1},
	/* Named semaphores: open, close and unlink of one name change what the
	 * others find there; each is dependent with all of them. */
	[WEFT_OP_SEM_OPEN] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SEM_CLOSE] = {WEFT_ROLE_RESET, 0, 0, 1},
	[WEFT_OP_SEM_UNLINK] = {WEFT_ROLE_RESET, 0, 0, 1},
	/* --yield-at trylock(N): a mutex trylock on the program's lock. */
	[WEFT_OP_USER_TRYLOCK] = {WEFT_ROLE_TRY, 0, WEFT_DEP_MAY_YIELD, 1},
	/* A preempted spin reads memory weft does not see (which the others
	 * may write), and gives way: ordered with everything, like a call of a
	 * function wrapped as a yield. */
	[WEFT_OP_SPIN] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL | WEFT_DEP_MAY_YIELD, 1},
	/* Cancellation: a request changes what its target does at any of its
	 * later steps (it may wake it from a wait, or stop it at its next step
	 * in asynchronous mode), so it is ordered with everything, and so is
	 * the step at which the target acts on it instead of its operation;
	 * pthread_testcancel touches nothing shared: only requests, global,
	 * are dependent with it. (dpor_annotate.c takes a waiter the request
	 * woke out of its condition's queue.) */
	[WEFT_OP_CANCEL] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	[WEFT_OP_TESTCANCEL] = {WEFT_ROLE_UNKNOWN, 0, 0, 1},
	[WEFT_OP_CANCEL_ACT] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	/* fiber io: a wait for a descriptor is enabled by writes weft does not
	 * see, in any step of another thread, or by its timeout: global. */
	[WEFT_OP_FD_WAIT] = {WEFT_ROLE_UNKNOWN, 0,
	                     WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	/* Timers: a signal is taken when the clock reaches a timer's expiry,
	 * which moves only when no other thread can run, and its handler may
	 * do anything: ordered with everything, like a sleep. */
	[WEFT_OP_SIGNAL] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL | WEFT_DEP_TIMED, 1},
	[WEFT_OP_PAUSE] = {WEFT_ROLE_UNKNOWN, 0,
	                   WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	[WEFT_OP_SIGWAIT] = {WEFT_ROLE_UNKNOWN, 0,
	                     WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
};

const struct weft_dep_op *weft_dep_op_info(unsigned op, struct weft_dep_op *unknown)
{
	if (op < WEFT_OP_COUNT && weft_dep_ops[op].known)
		return &weft_dep_ops[op];
	/* Not in the table: it may touch its object in any way, wait for
	 * anything, and leave its thread yielded. */
	*unknown = (op < WEFT_OP_COUNT) ? weft_dep_ops[op] : (struct weft_dep_op){0};
	unknown->role = WEFT_ROLE_UNKNOWN;
	unknown->second = WEFT_ROLE_UNKNOWN;
	unknown->flags |= WEFT_DEP_MAY_YIELD;
	if (op >= WEFT_OP_COUNT || op_blocks[op])
		unknown->flags |= WEFT_DEP_BLOCKING;
	return unknown;
}

/* Whether two accesses to one object commute:
 *   D  dependent                       I  independent
 *   W  dependent when the signal woke that waiter (its wake-up needs it)
 * Two trylocks that both fail change nothing, yet stay dependent: whether
 * one fails depends on the order of other events, and a dependence that
 * such an order changes misleads sleep sets (dpor_annotate.c). Thread roles
 * and object roles never name the same object; their cells are D and never
 * read. The table is symmetric (tests/unit/test_dpor.c checks it). */
enum { D = 0, I, W };
#define AWAIT_I [WEFT_ROLE_AWAIT] = I
static const uint8_t pair_rule[WEFT_ROLE_COUNT][WEFT_ROLE_COUNT] = {
	/*            UNK STA EXI CRE JOI DET ACQ TRY REL WAI WAK SIG */
	/* UNKNOWN */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* START   */ {D, I, I, D, I, I, D, D, D, D, D, D, AWAIT_I},
	/* EXIT    */ {D, I, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* CREATE  */ {D, D, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* JOIN    */ {D, I, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* DETACH  */ {D, I, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* ACQUIRE */ {D, D, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* TRY     */ {D, D, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* RELEASE */ {D, D, D, D, D, D, D, D, D, D, D, D, AWAIT_I},
	/* WAIT    */ {D, D, D, D, D, D, D, D, D, D, I, D, AWAIT_I},
	/* WAKE    */ {D, D, D, D, D, D, D, D, D, I, I, W, AWAIT_I},
	/* SIGNAL  */ {D, D, D, D, D, D, D, D, D, D, W, D, AWAIT_I},
	/* The roles below are D with everything above (columns not written
	 * are D), "await" excepted. Atomics: of two accesses to one atomic
	 * location only two loads commute (rows STORE and RMW are all D);
	 * sem_getvalue is a load of the semaphore, so two of them commute and
	 * nothing else does. */
	[WEFT_ROLE_LOAD] = {[WEFT_ROLE_LOAD] = I, AWAIT_I},
	[WEFT_ROLE_STORE] = {AWAIT_I},
	[WEFT_ROLE_RMW] = {AWAIT_I},
	/* Read locks: a read lock waits only for a writer (reader preference),
	 * so it commutes with other read locks and with their unlocks, which
	 * never let a writer in by themselves: a writer's lock is dependent with
	 * each of them. */
	[WEFT_ROLE_ACQUIRE_SHARED] = {[WEFT_ROLE_ACQUIRE_SHARED] = I, [WEFT_ROLE_RELEASE_SHARED] = I,
	                              AWAIT_I},
	[WEFT_ROLE_TRY_SHARED] = {AWAIT_I},
	[WEFT_ROLE_RELEASE_SHARED] = {[WEFT_ROLE_ACQUIRE_SHARED] = I, [WEFT_ROLE_RELEASE_SHARED] = I,
	                              AWAIT_I},
	/* Two posts of one semaphore commute (at SEM_VALUE_MAX one of them
	 * overflows, whichever goes second: misuse either way); waits are
	 * dependent with waits (the last unit) and posts (which let them run). */
	[WEFT_ROLE_TAKE] = {AWAIT_I},
	[WEFT_ROLE_TRY_TAKE] = {AWAIT_I},
	[WEFT_ROLE_GIVE] = {[WEFT_ROLE_GIVE] = I, AWAIT_I},
	/* Barrier wake-ups change nothing: they commute with each other. Which
	 * arrival is the last of its round depends on their order, so arrivals
	 * are dependent with each other and with wake-ups. */
	[WEFT_ROLE_ARRIVE] = {AWAIT_I},
	[WEFT_ROLE_LEAVE] = {[WEFT_ROLE_LEAVE] = I, AWAIT_I},
	/* Initialising or destroying an object is dependent with every access
	 * to it, and with a thread's arrival at a wait for it (whether the
	 * destroy is misuse depends on that order). Arriving changes nothing
	 * else. */
	[WEFT_ROLE_RESET] = {D},
	/* Futex words: dependent with everything on the word. */
	[WEFT_ROLE_FUTEX] = {AWAIT_I},
	[WEFT_ROLE_AWAIT] = {
		[WEFT_ROLE_START] = I, [WEFT_ROLE_EXIT] = I, [WEFT_ROLE_CREATE] = I,
		[WEFT_ROLE_JOIN] = I, [WEFT_ROLE_DETACH] = I, [WEFT_ROLE_ACQUIRE] = I,
		[WEFT_ROLE_TRY] = I, [WEFT_ROLE_RELEASE] = I, [WEFT_ROLE_WAIT] = I,
		[WEFT_ROLE_WAKE] = I, [WEFT_ROLE_SIGNAL] = I, [WEFT_ROLE_LOAD] = I,
		[WEFT_ROLE_STORE] = I, [WEFT_ROLE_RMW] = I, [WEFT_ROLE_ACQUIRE_SHARED] = I,
		[WEFT_ROLE_TRY_SHARED] = I, [WEFT_ROLE_RELEASE_SHARED] = I, [WEFT_ROLE_TAKE] = I,
		[WEFT_ROLE_TRY_TAKE] = I, [WEFT_ROLE_GIVE] = I, [WEFT_ROLE_ARRIVE] = I,
		[WEFT_ROLE_LEAVE] = I, [WEFT_ROLE_AWAIT] = I, [WEFT_ROLE_FUTEX] = I,
	},
};
#undef AWAIT_I

static bool thread_role(uint8_t role)
{
	return role >= WEFT_ROLE_START && role <= WEFT_ROLE_DETACH;
}

static bool same_object(const struct weft_dep_access *x, const struct weft_dep_access *y)
{
	return x->object && x->object == y->object && thread_role(x->role) == thread_role(y->role);
}

static bool woke(const struct weft_dep_event *signal, const struct weft_dep_event *waiter)
{
	return (signal->woken >> waiter->thread) & 1;
}

uint8_t weft_dep_rule(uint8_t earlier, uint8_t later)
{
	return pair_rule[earlier][later] == D   ? WEFT_DEP_RULE_DEPENDENT
	       : pair_rule[earlier][later] == W ? WEFT_DEP_RULE_WOKEN
	                                        : WEFT_DEP_RULE_INDEPENDENT;
}

bool weft_dep_thread_role(uint8_t role)
{
	return thread_role(role);
}

bool weft_dep_dependent(const struct weft_dep_event *a, const struct weft_dep_event *b)
{
	if (a->thread == b->thread)
		return true;
	/* A value choice is the thread's own business, recorded right after
	 * its weft_choose (which carries the scheduling point): it commutes
	 * with everything, even what is ordered with everything. */
	if ((a->flags | b->flags) & WEFT_DEP_VALUE)
		return false;
	if ((a->flags | b->flags) & WEFT_DEP_GLOBAL)
		return true;
	for (unsigned i = 0; i < a->naccess; i++) {
		for (unsigned j = 0; j < b->naccess; j++) {
			const struct weft_dep_access *x = &a->access[i], *y = &b->access[j];
			if (!same_object(x, y))
				continue;
			switch (pair_rule[x->role][y->role]) {
			case D:
				return true;
			case W:
				if (x->role == WEFT_ROLE_SIGNAL ? woke(a, b) : woke(b, a))
					return true;
				break;
			default:
				break;
			}
		}
	}
	return false;
}

static bool acquisition(uint8_t role)
{
	return role == WEFT_ROLE_ACQUIRE || role == WEFT_ROLE_ACQUIRE_SHARED ||
	       role == WEFT_ROLE_TAKE;
}

static bool try_role(uint8_t role)
{
	return role == WEFT_ROLE_TRY || role == WEFT_ROLE_TRY_SHARED || role == WEFT_ROLE_TRY_TAKE;
}

bool weft_dep_shared_role(uint8_t role)
{
	return role == WEFT_ROLE_ACQUIRE_SHARED || role == WEFT_ROLE_TRY_SHARED ||
	       role == WEFT_ROLE_RELEASE_SHARED;
}

enum weft_dep_race weft_dep_race_kind(const struct weft_dep_event *k,
                                      const struct weft_dep_event *j)
{
	if (!(j->flags & WEFT_DEP_BLOCKING))
		return WEFT_RACE_REVERSIBLE; /* j can always run: run it first */
	if (j->flags & (WEFT_DEP_TIMED | WEFT_DEP_GLOBAL))
		return WEFT_RACE_UNSURE;
	for (unsigned a = 0; a < j->naccess; a++) {
		for (unsigned b = 0; b < k->naccess; b++) {
			const struct weft_dep_access *y = &j->access[a], *x = &k->access[b];
			if (!same_object(x, y))
				continue;
			/* An acquisition races with the previous conflicting
			 * acquisition of its object instead (dpor_races.c); a blocked
			 * one (pending at the end) has the holder's acquisition right
			 * before it. A release never runs while j could (the lock is
			 * held, a read lock kept a writer out); nor does a try that
			 * failed (it found the lock held, the semaphore empty), except
			 * a write trylock that failed on readers while j, a read lock,
			 * could run; a try that succeeded is an acquisition. A post
			 * can run while a wait could (the semaphore was not empty):
			 * that race is j's to reverse. */
			bool failed_on_readers = x->role == WEFT_ROLE_TRY &&
			                         (k->flags & WEFT_DEP_FAILED) &&
			                         y->role == WEFT_ROLE_ACQUIRE_SHARED;
			if ((acquisition(y->role) &&
			     (x->role == WEFT_ROLE_RELEASE || x->role == WEFT_ROLE_RELEASE_SHARED ||
			      acquisition(x->role) || (try_role(x->role) && !failed_on_readers))) ||
			    (y->role == WEFT_ROLE_WAKE && x->role == WEFT_ROLE_SIGNAL &&
			     woke(k, j)) ||
			    (y->role == WEFT_ROLE_LEAVE && x->role == WEFT_ROLE_ARRIVE &&
			     woke(k, j)) ||
			    (y->role == WEFT_ROLE_START && x->role == WEFT_ROLE_CREATE) ||
			    (y->role == WEFT_ROLE_JOIN && x->role == WEFT_ROLE_EXIT))
				return WEFT_RACE_ENABLING;
		}
	}
	return WEFT_RACE_UNSURE;
}

uint32_t weft_dep_acquired(const struct weft_dep_event *e)
{
	for (unsigned i = 0; i < e->naccess; i++) {
		uint8_t role = e->access[i].role;
		if (acquisition(role) || (try_role(role) && !(e->flags & WEFT_DEP_FAILED)))
			return e->access[i].object;
	}
	return 0;
}

bool weft_dep_blocking_acquire(const struct weft_dep_event *e)
{
	if (!(e->flags & WEFT_DEP_BLOCKING))
		return false;
	for (unsigned i = 0; i < e->naccess; i++)
		if (acquisition(e->access[i].role))
			return true;
	return false;
}

bool weft_dep_acquisitions_conflict(const struct weft_dep_event *a, const struct weft_dep_event *b,
                                    uint32_t object)
{
	for (unsigned i = 0; i < a->naccess; i++) {
		for (unsigned j = 0; j < b->naccess; j++) {
			const struct weft_dep_access *x = &a->access[i], *y = &b->access[j];
			if (x->object == object && y->object == object && !thread_role(x->role) &&
			    !thread_role(y->role) && pair_rule[x->role][y->role] != I)
				return true;
		}
	}
	return false;
}

const char *weft_dep_format(const struct weft_dep_event *e, char *buf, unsigned len)
{
	int n = snprintf(buf, len, "t%u %s", e->thread, weft_op_name(e->op));
	for (unsigned i = 0; i < e->naccess && n > 0 && (unsigned)n < len; i++)
		n += snprintf(buf + n, len - (unsigned)n, " %s%u", thread_role(e->access[i].role) ? "T" : "#",
		              e->access[i].object - thread_role(e->access[i].role));
	if (e->flags & WEFT_DEP_GLOBAL && n > 0 && (unsigned)n < len)
		snprintf(buf + n, len - (unsigned)n, " (global)");
	return buf;
}
