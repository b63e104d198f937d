/* From a trace to dependence descriptions (dependence.h): replays the state
 * of mutexes (owner, recursion depth), read-write locks (writer, number of
 * read locks), condition variables (the FIFO of waiters) and barriers (who
 * arrived in the current round) along the trace to learn what an event
 * record does not say: a trylock's outcome, the waiters a signal or the
 * last arrival at a barrier woke, the mutex a condition wait released,
 * whether an unlock released a read lock, whether an acquisition took a
 * free lock. The replay mirrors interpose/model_mutex.c, model_rwlock.c,
 * model_cond.c and model_barrier.c; the runtime says the rest in the event
 * flags (a sem_trywait that got nothing, the pthread_once call that runs
 * the initialiser, the last arrival of a barrier round, a rwlock that
 * prefers writers). Where it cannot be sure it describes the event as
 * global, which is always sound. */
#include <stdlib.h>
#include <string.h>

#include "dependence.h"

#define MAX_HELD 16 /* mutexes one thread holds at once, as tracked here */

struct object_state {
	int32_t owner;  /* thread holding the mutex or the write lock, -1 = free */
	uint32_t depth; /* a mutex's recursion depth; a rwlock's number of read locks */
	uint8_t queue[WEFT_MAX_THREADS]; /* condition variable: waiters, oldest first */
	uint8_t nqueued;
	uint64_t arrived; /* barrier: the threads waiting in the current round */
};

struct thread_state {
	uint32_t wait_mutex; /* the mutex of the condition wait in progress */
	uint32_t saved_depth;
	uint32_t held[MAX_HELD];
	uint32_t nheld;
};

struct weft_dep_annotator {
	struct weft_dep_context context;
	struct object_state *objects;
	uint32_t nobjects;
	struct thread_state threads[WEFT_MAX_THREADS];
	uint32_t *next_of_thread; /* index of the same thread's next event, or UINT32_MAX */
	uint32_t next_cap;
};

struct weft_dep_annotator *weft_dep_annotator_new(const struct weft_dep_context *context)
{
	struct weft_dep_annotator *a = calloc(1, sizeof *a);
	if (a)
		a->context = *context;
	return a;
}

void weft_dep_annotator_free(struct weft_dep_annotator *a)
{
	if (!a)
		return;
	free(a->objects);
	free(a->next_of_thread);
	free(a);
}

/* The state of object `id`, NULL when out of memory or absurd. */
static struct object_state *object(struct weft_dep_annotator *a, uint32_t id)
{
	if (id >= a->nobjects) {
		if (id >= (1u << 24))
			return NULL;
		uint32_t n = a->nobjects ? a->nobjects : 64;
		while (n <= id)
			n *= 2;
		struct object_state *o = realloc(a->objects, n * sizeof *o);
		if (!o)
			return NULL;
		for (uint32_t i = a->nobjects; i < n; i++)
			o[i] = (struct object_state){.owner = -1};
		a->objects = o;
		a->nobjects = n;
	}
	return &a->objects[id];
}

static void held_add(struct thread_state *t, uint32_t m)
{
	if (t->nheld < MAX_HELD)
		t->held[t->nheld] = m;
	t->nheld++;
}

static void held_remove(struct thread_state *t, uint32_t m)
{
	uint32_t n = t->nheld < MAX_HELD ? t->nheld : MAX_HELD;
	for (uint32_t i = n; i-- > 0;) {
		if (t->held[i] == m) {
			memmove(&t->held[i], &t->held[i + 1], (n - i - 1) * sizeof t->held[0]);
			t->nheld--;
			return;
		}
	}
}

static void add_access(struct weft_dep_event *e, uint32_t object, uint8_t role)
{
	if (object && e->naccess < WEFT_DEP_MAX_ACCESS)
		e->access[e->naccess++] = (struct weft_dep_access){.object = object, .role = role};
}

static void dequeue(struct object_state *c, uint32_t thread)
{
	for (uint32_t i = 0; i < c->nqueued; i++) {
		if (c->queue[i] == thread) {
			memmove(&c->queue[i], &c->queue[i + 1], c->nqueued - i - 1);
			c->nqueued--;
			return;
		}
	}
}

/* Take mutex m for thread t (from free unless t already holds it). */
static void take(struct weft_dep_annotator *a, struct weft_dep_event *e, uint32_t m,
                 uint32_t depth, bool apply)
{
	struct object_state *o = object(a, m);
	if (!o) {
		e->flags |= WEFT_DEP_GLOBAL;
		return;
	}
	if (o->owner == e->thread) {
		if (apply)
			o->depth++;
		return;
	}
	e->flags |= WEFT_DEP_FROM_FREE;
	if (apply) {
		o->owner = e->thread;
		o->depth = depth ? depth : 1;
		held_add(&a->threads[e->thread], m);
	}
}

/* The mutex thread t released when it began the condition wait at index i. */
static uint32_t wait_mutex(struct weft_dep_annotator *a, const struct weft_event *events,
                           uint32_t n, uint32_t i, uint32_t t)
{
	uint32_t w = i < n ? a->next_of_thread[i] : UINT32_MAX;
	if (w != UINT32_MAX && events[w].object2)
		return events[w].object2; /* the signalled wake-up names it */
	if (w != UINT32_MAX && a->next_of_thread[w] != UINT32_MAX &&
	    events[a->next_of_thread[w]].op == WEFT_OP_COND_RELOCK)
		return events[a->next_of_thread[w]].object;
	return a->threads[t].nheld == 1 ? a->threads[t].held[0] : 0;
}

/* Read-write locks (glibc's default kind, which prefers readers; the other
 * kind is left unknown, see dependence.c). */
static void describe_rwlock(const struct weft_event *ev, struct object_state *o, bool apply,
                            struct weft_dep_event *e)
{
	int32_t t = ev->thread;
	bool free_lock = o->owner < 0 && o->depth == 0;
	switch (ev->op) {
	case WEFT_OP_RWLOCK_RDLOCK:
	case WEFT_OP_RWLOCK_TIMEDRDLOCK:
	case WEFT_OP_RWLOCK_TRYRDLOCK: {
		bool try = ev->op == WEFT_OP_RWLOCK_TRYRDLOCK;
		/* A writer holds it: a try fails, a timed lock timed out (if the
		 * writer is the caller, misuse ends the execution). The timed
		 * locks come here only to be replayed (describe). */
		if (o->owner >= 0 && (try || ev->op == WEFT_OP_RWLOCK_TIMEDRDLOCK)) {
			if (!try) {
				e->flags |= WEFT_DEP_GLOBAL;
				return;
			}
			e->flags |= WEFT_DEP_FAILED;
		} else {
			if (free_lock)
				e->flags |= WEFT_DEP_FROM_FREE;
			if (apply)
				o->depth++;
		}
		add_access(e, ev->object, try ? WEFT_ROLE_TRY_SHARED : WEFT_ROLE_ACQUIRE_SHARED);
		return;
	}
	case WEFT_OP_RWLOCK_WRLOCK:
	case WEFT_OP_RWLOCK_TIMEDWRLOCK:
	case WEFT_OP_RWLOCK_TRYWRLOCK: {
		bool try = ev->op == WEFT_OP_RWLOCK_TRYWRLOCK;
		if (!free_lock && (try || ev->op == WEFT_OP_RWLOCK_TIMEDWRLOCK)) {
			if (!try) {
				e->flags |= WEFT_DEP_GLOBAL;
				return;
			}
			e->flags |= WEFT_DEP_FAILED;
		} else {
			/* A wrlock on a lock that is not free is the caller's
			 * relock or upgrade: misuse ends the execution there. */
			if (free_lock)
				e->flags |= WEFT_DEP_FROM_FREE;
			if (apply && free_lock)
				o->owner = t;
		}
		add_access(e, ev->object, try ? WEFT_ROLE_TRY : WEFT_ROLE_ACQUIRE);
		return;
	}
	case WEFT_OP_RWLOCK_UNLOCK:
		if (o->owner == t) {
			add_access(e, ev->object, WEFT_ROLE_RELEASE);
			if (apply)
				o->owner = -1;
		} else {
			add_access(e, ev->object, WEFT_ROLE_RELEASE_SHARED);
			if (apply && o->depth)
				o->depth--;
		}
		return;
	default:
		return;
	}
}

/* Describe one event (index i of events[], or a pending operation when i is
 * n) and, when `apply`, update the replayed state with its effect. */
static void describe(struct weft_dep_annotator *a, const struct weft_event *events, uint32_t n,
                     uint32_t i, const struct weft_event *ev, bool apply,
                     struct weft_dep_event *e)
{
	struct weft_dep_op unknown;
	const struct weft_dep_op *op = weft_dep_op_info(ev->op, &unknown);
	uint32_t t = ev->thread;
	struct thread_state *ts = &a->threads[t];
	/* Every operation on a read-write lock that prefers writers is unknown
	 * (dependence.c), as if the table had no entry for it. */
	if ((ev->flags & WEFT_EVENT_WRITER_PREFERRED) && op->known && op->role != WEFT_ROLE_RESET) {
		unknown = *op;
		unknown.role = unknown.second = WEFT_ROLE_UNKNOWN;
		unknown.flags |= WEFT_DEP_MAY_YIELD;
		unknown.known = 0;
		op = &unknown;
	}
	*e = (struct weft_dep_event){.thread = (uint16_t)t, .op = ev->op, .flags = op->flags};
	if (!op->known)
		e->flags |= WEFT_DEP_UNKNOWN;
	if (a->context.adversarial_time && (e->flags & WEFT_DEP_TIMED))
		e->flags |= WEFT_DEP_GLOBAL;
	if (e->flags & WEFT_DEP_VALUE)
		e->value = ev->object;
	if (ev->op == WEFT_OP_CANCEL || ev->op == WEFT_OP_CANCEL_ACT) {
		/* A condition waiter leaves the queue when a request wakes it
		 * (the request's object2 names the condition) or, if it was
		 * pending when it began to wait, when it acts on it
		 * (interpose/model_cancel.c). Both are global. */
		uint32_t c = ev->op == WEFT_OP_CANCEL ? ev->object2 : ev->object;
		uint32_t who = ev->op == WEFT_OP_CANCEL ? ev->object : t;
		struct object_state *co = apply && c ? object(a, c) : NULL;
		if (co)
			dequeue(co, who);
		/* A signal it had taken goes on to the next waiter. */
		struct object_state *on =
			apply && ev->op == WEFT_OP_CANCEL_ACT && ev->object2 ? object(a, ev->object2) : NULL;
		if (on && on->nqueued)
			dequeue(on, on->queue[0]);
		e->flags |= WEFT_DEP_GLOBAL;
		return;
	}
	struct object_state *o = ev->object ? object(a, ev->object) : NULL;
	/* A timed rwlock lock is unknown, but what it took still counts for
	 * the operations known after it. */
	if (o && !(ev->flags & WEFT_EVENT_WRITER_PREFERRED) &&
	    (ev->op == WEFT_OP_RWLOCK_TIMEDRDLOCK || ev->op == WEFT_OP_RWLOCK_TIMEDWRLOCK)) {
		struct weft_dep_event replayed = {.thread = (uint16_t)t};
		describe_rwlock(ev, o, apply, &replayed);
	}
	switch (op->role) {
	case WEFT_ROLE_START:
		/* A new thread may start in the slot of one that ended (its held
		 * locks are not the new thread's). */
		if (apply)
			*ts = (struct thread_state){0};
		add_access(e, t + 1, op->role);
		return;
	case WEFT_ROLE_EXIT:
		add_access(e, t + 1, op->role);
		return;
	case WEFT_ROLE_CREATE:
	case WEFT_ROLE_JOIN:
	case WEFT_ROLE_DETACH:
		add_access(e, ev->object + 1, op->role);
		return;
	case WEFT_ROLE_RESET:
		/* The object starts afresh (the next use may be a new object at
		 * the same address, dependence.h). */
		if (!o)
			break;
		add_access(e, ev->object, WEFT_ROLE_RESET);
		if (apply)
			*o = (struct object_state){.owner = -1};
		return;
	case WEFT_ROLE_ACQUIRE_SHARED:
	case WEFT_ROLE_TRY_SHARED:
		if (!o)
			break;
		describe_rwlock(ev, o, apply, e);
		return;
	case WEFT_ROLE_ACQUIRE:
		if (!o)
			break;
		if (ev->op == WEFT_OP_RWLOCK_WRLOCK || ev->op == WEFT_OP_RWLOCK_TIMEDWRLOCK) {
			describe_rwlock(ev, o, apply, e);
			return;
		}
		if (ev->op == WEFT_OP_ONCE) {
			/* The call that runs the initialiser takes the once control
			 * for writing; the others find it done and take it for
			 * reading. A pending call may still be either. */
			if (i == n || (ev->flags & WEFT_EVENT_RAN_INIT)) {
				add_access(e, ev->object, WEFT_ROLE_ACQUIRE);
				e->flags |= WEFT_DEP_FROM_FREE;
			} else {
				add_access(e, ev->object, WEFT_ROLE_ACQUIRE_SHARED);
			}
			return;
		}
		if (ev->op == WEFT_OP_MUTEX_TIMEDLOCK && o->owner >= 0 && o->owner != (int32_t)t) {
			e->flags |= WEFT_DEP_GLOBAL; /* it timed out */
			return;
		}
		add_access(e, ev->object, WEFT_ROLE_ACQUIRE);
		take(a, e, ev->object, ev->op == WEFT_OP_COND_RELOCK ? ts->saved_depth : 1, apply);
		return;
	case WEFT_ROLE_TRY:
		if (!o)
			break;
		if (ev->op == WEFT_OP_RWLOCK_TRYWRLOCK) {
			describe_rwlock(ev, o, apply, e);
			return;
		}
		add_access(e, ev->object, WEFT_ROLE_TRY);
		/* A trylock by the owner is taken to succeed (a recursive
		 * mutex); it changes no other thread's view either way. */
		if (o->owner >= 0 && o->owner != (int32_t)t)
			e->flags |= WEFT_DEP_FAILED;
		else
			take(a, e, ev->object, 1, apply);
		return;
	case WEFT_ROLE_RELEASE:
		if (!o)
			break;
		if (ev->op == WEFT_OP_RWLOCK_UNLOCK) {
			describe_rwlock(ev, o, apply, e);
			return;
		}
		add_access(e, ev->object, WEFT_ROLE_RELEASE);
		if (ev->op == WEFT_OP_ONCE_END)
			return;
		if (apply && o->owner == (int32_t)t && --o->depth == 0) {
			o->owner = -1;
			held_remove(ts, ev->object);
		}
		return;
	case WEFT_ROLE_TAKE:
	case WEFT_ROLE_TRY_TAKE:
		/* Semaphores: every unit taken was there to take, so each take is
		 * "from free" for the races of later waits (dpor_races.c). The
		 * runtime says which tries got nothing; of a pending one that is
		 * not known yet. */
		if (!o)
			break;
		add_access(e, ev->object, op->role);
		if (i < n && (ev->flags & WEFT_EVENT_FAILED))
			e->flags |= WEFT_DEP_FAILED;
		else if (i < n)
			e->flags |= WEFT_DEP_FROM_FREE;
		return;
	case WEFT_ROLE_GIVE:
	case WEFT_ROLE_LEAVE:
		if (!o)
			break;
		add_access(e, ev->object, op->role);
		return;
	case WEFT_ROLE_ARRIVE:
		/* The last arrival of a round (the runtime says which) wakes the
		 * threads that arrived before it. */
		if (!o)
			break;
		add_access(e, ev->object, WEFT_ROLE_ARRIVE);
		if (i < n && (ev->flags & WEFT_EVENT_ENDS_ROUND)) {
			e->woken = o->arrived;
			if (apply)
				o->arrived = 0;
		} else if (apply) {
			o->arrived |= 1ull << t;
		}
		return;
	case WEFT_ROLE_WAIT: {
		uint32_t m = wait_mutex(a, events, n, i, t);
		struct object_state *mo = m ? object(a, m) : NULL;
		if (!o || !mo)
			break;
		add_access(e, ev->object, WEFT_ROLE_WAIT);
		add_access(e, m, WEFT_ROLE_RELEASE);
		if (apply) {
			ts->wait_mutex = m;
			ts->saved_depth = mo->owner == (int32_t)t ? mo->depth : 1;
			mo->owner = -1;
			mo->depth = 0;
			held_remove(ts, m);
			dequeue(o, t);
			o->queue[o->nqueued++] = (uint8_t)t;
		}
		return;
	}
	case WEFT_ROLE_WAKE: {
		bool queued = false;
		for (uint32_t q = 0; o && q < o->nqueued; q++)
			queued |= o->queue[q] == t;
		/* A recorded wake-up names the mutex it re-acquires when it was
		 * signalled; a pending one was signalled when it left the queue. */
		uint32_t m = i < n ? ev->object2 : (queued ? 0 : ts->wait_mutex);
		if (o && !m && i == n && ev->op == WEFT_OP_COND_WAKE && !a->context.spurious_wakeups) {
			/* Still waiting for a signal at the end, with no deadline: it
			 * never ran; the signals it missed race with its wait. */
			add_access(e, ev->object, WEFT_ROLE_WAKE);
			return;
		}
		if (!o || !m) {
			if (o && apply)
				dequeue(o, t); /* a timeout or a spurious wake-up */
			e->flags |= WEFT_DEP_GLOBAL | WEFT_DEP_TIMED;
			return;
		}
		if (a->context.spurious_wakeups)
			e->flags |= WEFT_DEP_GLOBAL | WEFT_DEP_TIMED;
		add_access(e, ev->object, WEFT_ROLE_WAKE);
		add_access(e, m, WEFT_ROLE_ACQUIRE);
		if (apply)
			dequeue(o, t);
		take(a, e, m, ts->saved_depth, apply);
		return;
	}
	case WEFT_ROLE_SIGNAL:
		if (!o)
			break;
		add_access(e, ev->object, WEFT_ROLE_SIGNAL);
		if (o->nqueued) {
			uint32_t k = ev->op == WEFT_OP_COND_BROADCAST ? o->nqueued : 1;
			for (uint32_t q = 0; q < k; q++)
				e->woken |= 1ull << o->queue[q];
			if (apply) {
				memmove(o->queue, o->queue + k, o->nqueued - k);
				o->nqueued -= (uint8_t)k;
			}
		}
		return;
	case WEFT_ROLE_LOAD:
	case WEFT_ROLE_STORE:
	case WEFT_ROLE_RMW:
		if (!ev->object)
			break;
		/* A compare-exchange that failed only read; an atomic that found
		 * its location unchanged left its thread yielded (spin-wait,
		 * interpose/model_atomic.c). Pending operations are taken at their
		 * worst: a compare-exchange that may succeed. */
		add_access(e, ev->object, (ev->flags & WEFT_EVENT_READ_ONLY) ? WEFT_ROLE_LOAD : op->role);
		if (ev->flags & WEFT_EVENT_YIELDED)
			e->flags |= WEFT_DEP_MAY_YIELD;
		return;
	case WEFT_ROLE_FUTEX:
		/* A wait that polled a word nobody changed left its thread
		 * yielded (interpose/model_futex.c). */
		if (!o)
			break;
		add_access(e, ev->object, WEFT_ROLE_FUTEX);
		if (ev->flags & WEFT_EVENT_YIELDED)
			e->flags |= WEFT_DEP_MAY_YIELD;
		return;
	default:
		/* Every role the table gives an operation is handled above. */
		if (op->known && !(op->flags & WEFT_DEP_GLOBAL))
			return; /* touches nothing shared (sched_yield) */
		add_access(e, ev->object, WEFT_ROLE_UNKNOWN);
		add_access(e, ev->object2, WEFT_ROLE_UNKNOWN);
		if (e->naccess == 0 || (e->flags & WEFT_DEP_TIMED))
			e->flags |= WEFT_DEP_GLOBAL;
		return;
	}
	/* The object could not be tracked: assume the worst. */
	e->naccess = 0;
	e->flags |= WEFT_DEP_GLOBAL;
}

/* Whether a thread waiting to run this op counts as using its object for
 * a destroy or init (interpose/model_mutex.c, model_rwlock.c, model_sem.c
 * look at the threads' pending operations). */
static bool awaits(uint8_t op)
{
	switch (op) {
	case WEFT_OP_MUTEX_LOCK:
	case WEFT_OP_RWLOCK_RDLOCK:
	case WEFT_OP_RWLOCK_WRLOCK:
	case WEFT_OP_RWLOCK_TIMEDRDLOCK:
	case WEFT_OP_RWLOCK_TIMEDWRLOCK:
	case WEFT_OP_SEM_WAIT:
	case WEFT_OP_SEM_TIMEDWAIT:
		return true;
	default:
		return false;
	}
}

static void add_to_previous(struct weft_dep_event *b, const struct weft_dep_access *x)
{
	if (b->naccess < WEFT_DEP_MAX_ACCESS)
		b->access[b->naccess++] = *x;
	else
		b->flags |= WEFT_DEP_GLOBAL;
}

/* A thread that reaches an operation may change what others do just by
 * waiting there, before the operation runs, so the event that brought it
 * there (its previous one) is taken to touch the object too: a destroy or
 * init of the lock or semaphore it waits for is misuse ("await"), and a
 * writer waiting for a writer-preferring rwlock holds new readers back (an
 * operation this file does not know: all its accesses). `ev` is the
 * operation's record, whose object counts even when it could not be
 * described. */
static void arrive(struct weft_dep_event *out, uint32_t before, const struct weft_dep_event *e,
                   const struct weft_event *ev)
{
	if (before == UINT32_MAX)
		return;
	struct weft_dep_event *b = &out[before];
	if (awaits(ev->op) && ev->object)
		add_to_previous(
		    b, &(struct weft_dep_access){.object = ev->object, .role = WEFT_ROLE_AWAIT});
	if (!(e->flags & WEFT_DEP_UNKNOWN) || !(e->flags & WEFT_DEP_BLOCKING))
		return;
	for (unsigned i = 0; i < e->naccess; i++)
		if (e->access[i].role == WEFT_ROLE_UNKNOWN)
			add_to_previous(b, &e->access[i]);
	if (e->flags & WEFT_DEP_GLOBAL)
		b->flags |= WEFT_DEP_GLOBAL;
}

bool weft_dep_annotate(struct weft_dep_annotator *a, const struct weft_event *events, uint32_t n,
                       const struct weft_thread_state *threads, uint32_t nthreads,
                       struct weft_dep_event *out, struct weft_dep_event *pending,
                       uint64_t *pending_mask)
{
	if (n > a->next_cap) {
		uint32_t *next = realloc(a->next_of_thread, n * sizeof *next);
		if (!next)
			return false;
		a->next_of_thread = next;
		a->next_cap = n;
	}
	uint32_t last[WEFT_MAX_THREADS];
	for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++)
		last[t] = UINT32_MAX;
	for (uint32_t i = n; i-- > 0;) {
		uint32_t t = events[i].thread % WEFT_MAX_THREADS;
		a->next_of_thread[i] = last[t];
		last[t] = i;
	}
	for (uint32_t i = 0; i < a->nobjects; i++)
		a->objects[i] = (struct object_state){.owner = -1};
	memset(a->threads, 0, sizeof a->threads);
	for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++)
		last[t] = UINT32_MAX;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = events[i].thread % WEFT_MAX_THREADS;
		describe(a, events, n, i, &events[i], true, &out[i]);
		/* Fairness (interpose/sched.c): a thread left yielded runs again
		 * only after another thread has run, whichever it is; so an event
		 * that may yield does not commute with any other thread's. Which
		 * events may yield must not depend on the order of the others
		 * (a trylock fails or not depending on them): the sleep sets and
		 * weak initials assume a dependence that order does not change. */
		if (out[i].flags & WEFT_DEP_MAY_YIELD)
			out[i].flags |= WEFT_DEP_GLOBAL;
		arrive(out, last[t], &out[i], &events[i]);
		last[t] = i;
	}
	*pending_mask = 0;
	for (uint32_t t = 0; threads && t < nthreads && t < WEFT_MAX_THREADS; t++) {
		if (threads[t].status != WEFT_THREAD_LIVE && threads[t].status != WEFT_THREAD_BLOCKED)
			continue;
		struct weft_event ev = {.thread = (uint16_t)t,
		                        .op = threads[t].op,
		                        .flags = threads[t].flags,
		                        .object = threads[t].object};
		describe(a, events, n, n, &ev, false, &pending[t]);
		/* As above: a pending operation is described as it would be once
		 * run, or the event that brought its thread there (which arrive
		 * extends) would differ between the executions where it is
		 * pending and those where it ran, and sleep sets compare them. */
		if (pending[t].flags & WEFT_DEP_MAY_YIELD)
			pending[t].flags |= WEFT_DEP_GLOBAL;
		arrive(out, last[t], &pending[t], &ev);
		*pending_mask |= 1ull << t;
	}
	return true;
}
