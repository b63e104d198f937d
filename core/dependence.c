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
	[WEFT_OP_COND_WAIT] = {WEFT_ROLE_WAIT, WEFT_ROLE_RELEASE, 0, 1},
	[WEFT_OP_COND_TIMEDWAIT] = {WEFT_ROLE_WAIT, WEFT_ROLE_RELEASE, 0, 1},
	[WEFT_OP_COND_WAKE] = {WEFT_ROLE_WAKE, WEFT_ROLE_ACQUIRE, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_COND_TIMEDWAKE] = {WEFT_ROLE_WAKE, WEFT_ROLE_ACQUIRE,
	                            WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 1},
	[WEFT_OP_COND_RELOCK] = {WEFT_ROLE_ACQUIRE, 0, WEFT_DEP_BLOCKING, 1},
	[WEFT_OP_COND_SIGNAL] = {WEFT_ROLE_SIGNAL, 0, 0, 1},
	[WEFT_OP_COND_BROADCAST] = {WEFT_ROLE_SIGNAL, 0, 0, 1},
	[WEFT_OP_YIELD] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_PROCESS_EXIT] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	/* <weft.h>: weft_choose is a scheduling point, then the value (thread
	 * local, explored at its step, strategy_dpor.c); weft_yield marks where
	 * the program touches memory weft does not see: ordered with all. */
	[WEFT_OP_CHOOSE] = {WEFT_ROLE_UNKNOWN, 0, 0, 1},
	[WEFT_OP_CHOSEN] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_VALUE, 1},
	[WEFT_OP_USER_YIELD] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_GLOBAL, 1},
	/* Time: a sleep ends when the clock reaches its deadline, and the clock
	 * moves only when no other thread can run, so a sleep is ordered with
	 * everything. Timed operations whose outcome the trace does not show
	 * are global too (the annotator marks every TIMED event it cannot
	 * resolve as global). */
	[WEFT_OP_SLEEP] = {WEFT_ROLE_UNKNOWN, 0,
	                   WEFT_DEP_GLOBAL | WEFT_DEP_BLOCKING | WEFT_DEP_TIMED | WEFT_DEP_MAY_YIELD, 1},
	[WEFT_OP_RWLOCK_TIMEDRDLOCK] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	[WEFT_OP_RWLOCK_TIMEDWRLOCK] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	[WEFT_OP_SEM_TIMEDWAIT] = {WEFT_ROLE_UNKNOWN, 0, WEFT_DEP_BLOCKING | WEFT_DEP_TIMED, 0},
	/* Atomics (sequential consistency). Whether one left its thread yielded
	 * (a spin-wait) is in the event's flags; the annotator adds it. */
	[WEFT_OP_ATOMIC_LOAD] = {WEFT_ROLE_LOAD, 0, 0, 1},
	[WEFT_OP_ATOMIC_STORE] = {WEFT_ROLE_STORE, 0, 0, 1},
	[WEFT_OP_ATOMIC_RMW] = {WEFT_ROLE_RMW, 0, 0, 1},
	[WEFT_OP_ATOMIC_CAS] = {WEFT_ROLE_RMW, 0, 0, 1},
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
 * read. */
enum { D = 0, I, W };
static const uint8_t pair_rule[WEFT_ROLE_COUNT][WEFT_ROLE_COUNT] = {
	/*            UNK STA EXI CRE JOI DET ACQ TRY REL WAI WAK SIG */
	/* UNKNOWN */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* START   */ {D, I, I, D, I, I, D, D, D, D, D, D},
	/* EXIT    */ {D, I, D, D, D, D, D, D, D, D, D, D},
	/* CREATE  */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* JOIN    */ {D, I, D, D, D, D, D, D, D, D, D, D},
	/* DETACH  */ {D, I, D, D, D, D, D, D, D, D, D, D},
	/* ACQUIRE */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* TRY     */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* RELEASE */ {D, D, D, D, D, D, D, D, D, D, D, D},
	/* WAIT    */ {D, D, D, D, D, D, D, D, D, D, I, D},
	/* WAKE    */ {D, D, D, D, D, D, D, D, D, I, I, W},
	/* SIGNAL  */ {D, D, D, D, D, D, D, D, D, D, W, D},
	/* Atomics, never on the objects above: of two accesses to one atomic
	 * location only two loads commute (rows STORE and RMW are all D). */
	[WEFT_ROLE_LOAD] = {[WEFT_ROLE_LOAD] = I},
};

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
			/* An acquisition races with the previous acquisition of its
			 * mutex instead (dpor_races.c); a blocked one (pending at the
			 * end) has the holder's lock right before it. */
			if ((y->role == WEFT_ROLE_ACQUIRE &&
			     (x->role == WEFT_ROLE_RELEASE || x->role == WEFT_ROLE_ACQUIRE ||
			      x->role == WEFT_ROLE_TRY)) ||
			    (y->role == WEFT_ROLE_WAKE && x->role == WEFT_ROLE_SIGNAL && woke(k, j)) ||
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
		if (role == WEFT_ROLE_ACQUIRE ||
		    (role == WEFT_ROLE_TRY && !(e->flags & WEFT_DEP_FAILED)))
			return e->access[i].object;
	}
	return 0;
}

bool weft_dep_blocking_acquire(const struct weft_dep_event *e)
{
	if (!(e->flags & WEFT_DEP_BLOCKING))
		return false;
	for (unsigned i = 0; i < e->naccess; i++)
		if (e->access[i].role == WEFT_ROLE_ACQUIRE)
			return true;
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
