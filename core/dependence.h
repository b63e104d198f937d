/* Dependence between the events of an execution: the one place that says
 * which operations commute, used by every partial-order reduction.
 *
 * An event is described by what it does to shared objects: at most two
 * accesses, each an object and the role the event plays on it (a condition
 * wait plays "wait" on its condition variable and "release" on its mutex).
 * Two events of different threads are dependent when they access the same
 * object and the table of role pairs in dependence.c says the pair does not
 * commute; an operation the table does not know plays the "unknown" role,
 * dependent with everything on the same object. Program order ties the
 * events of one thread. Time-dependent events, process exit, weft_yield,
 * calls of functions wrapped with --yield-at, __VERIFIER_atomic sections,
 * events that may leave their thread yielded (sched_yield, trylocks, a
 * spinning atomic: fairness lets the thread run again only after another
 * one did) and unknown operations without an object are "global":
 * dependent with everything. A value choice (weft_choose) commutes with
 * everything.
 *
 * Locks of every kind are described alike: an acquisition ("acquire", or
 * "acquire shared" for a read lock, which commutes with other read locks
 * and their unlocks), a try, a release. A semaphore's wait takes a unit and
 * its post gives one (two posts commute); a barrier's arrivals and wake-ups;
 * pthread_once is a lock its first caller takes for writing (released when
 * the initialiser returns) and later callers take for reading. Initialising
 * or destroying an object is dependent with every access to it, and with
 * the event that brought a thread to a wait for it (a destroy while a
 * thread is about to lock the mutex is misuse): that event plays "await"
 * on the object.
 *
 * The descriptions are built from a trace by weft_dep_annotate
 * (dpor_annotate.c), which replays mutexes, read-write locks, condition
 * variables and barriers to learn what the trace does not say outright
 * (whether a trylock succeeded, which waiter a signal woke, which mutex a
 * condition wait released, whether an unlock released a read or the write
 * lock). */
#ifndef WEFT_DEPENDENCE_H
#define WEFT_DEPENDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"

enum weft_dep_role {
	WEFT_ROLE_UNKNOWN = 0, /* an operation this file does not know */
	WEFT_ROLE_START,       /* a thread's first event, on its own thread object */
	WEFT_ROLE_EXIT,        /* a thread's last event, on its own thread object */
	WEFT_ROLE_CREATE,      /* on the child's thread object */
	WEFT_ROLE_JOIN,
	WEFT_ROLE_DETACH,
	WEFT_ROLE_ACQUIRE, /* takes a lock, waiting while another thread holds it */
	WEFT_ROLE_TRY,     /* trylock: takes a free lock, else fails at once */
	WEFT_ROLE_RELEASE,
	WEFT_ROLE_WAIT,           /* joins a condition variable's queue */
	WEFT_ROLE_WAKE,           /* a signalled waiter leaves the wait (the queue is untouched) */
	WEFT_ROLE_SIGNAL,         /* signal or broadcast: dequeues the waiters it wakes */
	WEFT_ROLE_LOAD,           /* reads an atomic location (so does a failed compare-exchange),
	                             or a semaphore's value */
	WEFT_ROLE_STORE,          /* writes it */
	WEFT_ROLE_RMW,            /* reads and writes it (a compare-exchange not known to fail) */
	WEFT_ROLE_ACQUIRE_SHARED, /* a read lock (waits while a writer holds the lock) */
	WEFT_ROLE_TRY_SHARED,
	WEFT_ROLE_RELEASE_SHARED, /* the unlock of a read lock */
	WEFT_ROLE_TAKE,           /* sem_wait: takes a unit, waiting while there is none */
	WEFT_ROLE_TRY_TAKE,       /* sem_trywait */
	WEFT_ROLE_GIVE,           /* sem_post */
	WEFT_ROLE_ARRIVE,         /* a barrier arrival; the last of a round wakes the others */
	WEFT_ROLE_LEAVE,          /* a barrier wake-up, once the round has ended */
	WEFT_ROLE_RESET,          /* initialises or destroys the object */
	WEFT_ROLE_AWAIT,          /* on the lock or semaphore its thread goes on to wait for:
	                             initialising or destroying it then is misuse */
	WEFT_ROLE_FUTEX,          /* any operation on a futex word (wait, wake, wake-up): it reads
	                             the word or changes its queue */
	WEFT_ROLE_COUNT
};

/* Flags of a described event. */
#define WEFT_DEP_GLOBAL 1u     /* dependent with every event of another thread */
#define WEFT_DEP_BLOCKING 2u   /* may have to wait for another thread or for time */
#define WEFT_DEP_TIMED 4u      /* its being enabled depends on time or a budget */
#define WEFT_DEP_FAILED 8u     /* a trylock that failed: it took nothing */
#define WEFT_DEP_FROM_FREE 16u /* took a mutex nobody held (see weft_dep_acquired) */
#define WEFT_DEP_MAY_YIELD 32u /* may leave its thread yielded (sched.c fairness) */
#define WEFT_DEP_VALUE 64u     /* a value choice (weft_choose): `value` was chosen */
#define WEFT_DEP_UNKNOWN 128u  /* not described (see weft_dep_op_info): explored like DFS */

struct weft_dep_access {
	uint32_t object; /* object id, or thread id + 1 for thread roles; 0 = unused */
	uint8_t role;    /* enum weft_dep_role */
};

/* Accesses of one event: a condition wait's two, and the lock or semaphore
 * its thread then waits for (WEFT_ROLE_AWAIT); beyond that, global. */
#define WEFT_DEP_MAX_ACCESS 3

/* The op of an event known only by its thread: whatever it turns out to be. */
#define WEFT_DEP_ANY_OP 0xff

struct weft_dep_event {
	uint16_t thread;
	uint8_t op; /* enum weft_op */
	uint8_t naccess;
	uint32_t flags;
	struct weft_dep_access access[WEFT_DEP_MAX_ACCESS];
	union {
		uint64_t woken; /* signal, broadcast or the arrival that ends a barrier's
		                   round: the waiters it woke */
		uint64_t value; /* a value choice: the value chosen */
	};
};

/* What the exploration allows, which changes what can race. */
struct weft_dep_context {
	bool adversarial_time;  /* a timed operation may complete at any step */
	bool spurious_wakeups;  /* a condition wait may end without a signal */
};

/* Whether a and b do not commute (always true for one thread's events). */
bool weft_dep_dependent(const struct weft_dep_event *a, const struct weft_dep_event *b);

/* The table behind weft_dep_dependent, for code that applies it object by
 * object (dep_levels.c): whether an access with role `earlier` and a later
 * one with role `later`, to the same object, commute; and whether a role
 * names a thread (an object id and a thread id never name one object). */
enum { WEFT_DEP_RULE_DEPENDENT, WEFT_DEP_RULE_INDEPENDENT, WEFT_DEP_RULE_WOKEN };
uint8_t weft_dep_rule(uint8_t earlier, uint8_t later);
bool weft_dep_thread_role(uint8_t role);

/* The Foata level of each of n described events (fingerprint.c): one
 * more than the highest level of the earlier events it depends on
 * (weft_dep_dependent), 0 when none. Computed object by object, in time
 * linear in the events. Every event's thread must be below
 * WEFT_MAX_THREADS. Returns false when out of memory. */
struct weft_dep_levels;
struct weft_dep_levels *weft_dep_levels_new(void);
void weft_dep_levels_free(struct weft_dep_levels *l);
bool weft_dep_levels(struct weft_dep_levels *l, const struct weft_dep_event *events, uint32_t n,
                     uint32_t *level);

/* What to do about a race between an earlier event k and a later dependent
 * event j of another thread, nothing happening in between that orders them. */
enum weft_dep_race {
	WEFT_RACE_REVERSIBLE, /* j could have run before k: explore that order */
	WEFT_RACE_ENABLING,   /* k is what let j run (release then lock, create then start,
	                         exit then join, signal then wake-up, the last arrival at a
	                         barrier then a wake-up), or j takes a lock or a semaphore's
	                         unit after k took it (its race is with the previous
	                         acquisition, see dpor_races.c): nothing to reverse here */
	WEFT_RACE_UNSURE,     /* unknown whether j could run first: explore conservatively */
};
enum weft_dep_race weft_dep_race_kind(const struct weft_dep_event *k,
                                      const struct weft_dep_event *j);

/* The lock (mutex, read-write lock, once control) or semaphore an event
 * took (lock, relock, signalled wake-up, successful trylock, sem_wait,
 * pthread_once), or 0. */
uint32_t weft_dep_acquired(const struct weft_dep_event *e);
/* Whether e waits to take a lock or a semaphore's unit (the acquisitions
 * that race with the previous conflicting acquisition of the same object
 * rather than with the release that let them run). */
bool weft_dep_blocking_acquire(const struct weft_dep_event *e);
/* Whether two acquisitions of one object exclude each other (not two read
 * locks). */
bool weft_dep_acquisitions_conflict(const struct weft_dep_event *a, const struct weft_dep_event *b,
                                    uint32_t object);
/* Whether the role is an acquisition that does not exclude other ones of
 * its kind (a read lock), and its release. */
bool weft_dep_shared_role(uint8_t role);

/* Describe the events of one execution, in order. `threads` (may be NULL)
 * are the threads' states at the end; for each thread still alive, its
 * pending operation is described into pending[thread] and its bit set in
 * *pending_mask. Returns false when out of memory. */
struct weft_dep_annotator;
struct weft_dep_annotator *weft_dep_annotator_new(const struct weft_dep_context *context);
void weft_dep_annotator_free(struct weft_dep_annotator *a);
bool weft_dep_annotate(struct weft_dep_annotator *a, const struct weft_event *events, uint32_t n,
                       const struct weft_thread_state *threads, uint32_t nthreads,
                       struct weft_dep_event *out, struct weft_dep_event *pending,
                       uint64_t *pending_mask);

/* For the annotator: what the table says of an operation (unknown ones get
 * the conservative description, written into *unknown; `known` is 0). The
 * annotator describes operations on a writer-preferring rwlock as unknown
 * too; an execution with an unknown event is explored like DFS with sleep
 * sets (dpor_races.c). */
struct weft_dep_op {
	uint8_t role;   /* on the event's object */
	uint8_t second; /* on its mutex (condition waits), or 0 */
	uint32_t flags; /* WEFT_DEP_* whatever the outcome */
	uint8_t known;
};
const struct weft_dep_op *weft_dep_op_info(unsigned op, struct weft_dep_op *unknown);

/* "t2 pthread_mutex_lock #3" into buf, for debugging output. */
const char *weft_dep_format(const struct weft_dep_event *e, char *buf, unsigned len);

#endif
