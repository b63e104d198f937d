/* Races of one execution and their reversal (Optimal DPOR, POPL 2014, and
 * "Source sets", JACM 2017). Two events of different threads race when
 * they are dependent and nothing else orders them (vector clocks,
 * dpor_hb.c); if the later one, j, could have run before the earlier one,
 * k, the sequence notdep(k).j (the events after k that do not happen after
 * k, then j) goes into the wakeup tree of the state before k, unless that
 * state's sleep set or tree already covers it.
 *
 * Blocking needs care. A lock cannot overtake the unlock that let it run,
 * so a blocking acquisition races instead with the previous acquisition
 * of its object from free that excludes it, if nothing but that object
 * orders them (as Nidhugg does for pthread mutexes): the previous lock of
 * a mutex, the previous take of a semaphore's unit, the previous write
 * lock of a read-write lock for a read lock, and for a write lock also
 * every read lock since (the readers then may release it first: the
 * reversal checks that the sequence leaves no read lock held).
 * Create/start, exit/join, signal/wake-up and the last arrival at a
 * barrier/wake-up only enable. Where the reversal is not known to be
 * possible (time, a post before a wait that could not run, operations
 * dependence.c does not know), or a race hides behind an event ordered
 * with everything (a yield inside a critical section), the
 * exploration falls back to Flanagan and Godefroid's DPOR: try the waiting
 * thread, or every thread that could run, before k ("blind" branches of the
 * wakeup tree). So does a thread that was enabled while a dependent event
 * ran instead (missed_turns). An execution with an operation the table
 * does not know at all is explored like DFS with sleep sets. Operations
 * still pending at the end (threads frozen by the process exit) are
 * analysed as if they ran just before the exit. None of this ever plans
 * a step the runtime would refuse: sequences are ordered so that it can
 * follow them (wakeup_tree.c), blind branches name a thread the trace
 * shows enabled there. Within a preemption bound (bounded DPOR) races
 * only add blind branches, more of them, each with a conservative one at
 * the last switch between threads before it (strategy_bounded_dpor.c).
 *
 * Inside a __VERIFIER_atomic section no other thread runs while the
 * section's owner can: a race with an event there, of a thread that could
 * not run there, is reversed at the latest node before it where that
 * thread could run (where the section was blocked, or its beginning, an
 * event ordered with everything), as an unsure race. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpor.h"

#define T WEFT_MAX_THREADS

/* The next event of thread q after node k, for a branch added blindly. */
static struct weft_dep_event next_event(const struct dpor *s, uint32_t k, uint32_t q)
{
	const struct dpor_list *l = &s->by_thread[q];
	uint32_t at = dpor_below(l, k + 1);
	if (at < l->len)
		return s->events[l->at[at]];
	if ((s->pending_mask >> q) & 1)
		return s->pending[q];
	return (struct weft_dep_event){.thread = (uint16_t)q, .op = WEFT_DEP_ANY_OP,
	                               .flags = WEFT_DEP_GLOBAL};
}

static void add_thread_here(struct dpor *s, uint32_t k, uint32_t q);

/* Bounded DPOR (Coons, Musuvathi and McKinley, OOPSLA 2013): running q
 * before node k may cost a preemption the bound does not allow, where
 * running it at the last switch between threads before k might not. So
 * every branch for q at k also gets a branch for q at that point, or for
 * every thread that could run there if q could not. */
static void add_conservative(struct dpor *s, uint32_t k, uint32_t q)
{
	if (s->bound == UINT32_MAX)
		return;
	uint32_t c = dpor_conservative_point(s, k);
	if (c == DPOR_NONE)
		return;
	if ((s->nodes[c].enabled >> q) & 1)
		add_thread_here(s, c, q);
	else /* q could not run there: whatever could (as Flanagan and Godefroid) */
		for (uint64_t m = s->nodes[c].enabled; m; m &= m - 1)
			add_thread_here(s, c, (uint32_t)__builtin_ctzll(m));
}

/* Explore thread q from node k (unless it is the one explored now, asleep
 * there or already to be explored): a branch of the thread's next event,
 * with no claim to equivalence (Flanagan and Godefroid's backtrack sets). */
static void add_thread(struct dpor *s, uint32_t k, uint32_t q)
{
	add_conservative(s, k, q);
	add_thread_here(s, k, q);
}

static void add_thread_here(struct dpor *s, uint32_t k, uint32_t q)
{
	struct dpor_node *node = &s->nodes[k];
	if (dpor_value_node(node))
		return; /* no thread is scheduled there */
	bool asleep = q == node->ev.thread || weft_wut_has_child(node->wut, q);
	for (uint32_t i = 0; i < node->nsleep && !asleep; i++)
		asleep = node->sleep[i].thread == q;
	if (asleep)
		return;
	struct weft_dep_event ev = next_event(s, k, q);
	weft_wut_append(&node->wut, &ev, 1, true);
	if (s->debug)
		fprintf(stderr, "dpor:   backtrack at %u: thread %u\n", k, q);
}

/* Whether an atomic section ran alone at node k: its owner could run
 * there, so no other thread could (else the section was blocked). */
static bool section_alone(const struct dpor *s, uint32_t k)
{
	return k < s->nevents && s->section[k] != DPOR_NONE &&
	       ((s->nodes[k].enabled >> s->events[s->section[k]].thread) & 1);
}

/* Where to reverse a race with event k for thread q: k itself, or the
 * latest node before it where no atomic section of another thread kept q
 * out (the section's beginning at the latest). */
static uint32_t reversal_point(const struct dpor *s, uint32_t k, uint32_t q)
{
	while (k > 0 && section_alone(s, k) && s->events[s->section[k]].thread != q)
		k--;
	return k;
}

/* Explore every thread that could run before k (Flanagan-Godefroid); where
 * an atomic section ran alone, also at the latest node before it where the
 * others could run. */
static void fallback(struct dpor *s, uint32_t k)
{
	for (;;) {
		if (!dpor_value_node(&s->nodes[k])) {
			s->fallbacks++;
			for (uint64_t m = s->nodes[k].enabled; m; m &= m - 1)
				add_thread(s, k, (uint32_t)__builtin_ctzll(m));
		}
		if (!section_alone(s, k))
			return;
		while (k > 0 && section_alone(s, k))
			k--;
	}
}

/* Add seq[0..n) to the wakeup tree before event k unless it is covered. */
static void insert(struct dpor *s, uint32_t k, struct weft_dep_event *seq, uint32_t n)
{
	struct dpor_node *node = &s->nodes[k];
	if (s->bound != UINT32_MAX) {
		/* Bounded: Flanagan and Godefroid's step, as BPOR has it. The
		 * wakeup sequence's other initials could cost more preemptions
		 * than its last thread, so that thread runs before k if it can,
		 * else every thread that can. */
		uint32_t q = seq[n - 1].thread;
		if ((node->enabled >> q) & 1)
			add_thread(s, k, q);
		else
			fallback(s, k);
		return;
	}
	for (uint32_t i = 0; i < node->nsleep; i++)
		if (weft_wut_weak_initial(&node->sleep[i], seq, n))
			return;
	/* The branch under exploration covers what starts like it. */
	if (weft_wut_weak_initial(&node->ev, seq, n))
		return;
	struct weft_wut **attach;
	const struct weft_dep_event *last;
	bool blind;
	if (!weft_wut_locate(&node->wut, seq, &n, &attach, &last, &blind))
		return;
	if (!weft_wut_linearize(seq, n, last, node->enabled)) {
		fallback(s, k);
		return;
	}
	weft_wut_append(attach, seq, n, blind);
	if (s->debug) {
		char buf[96];
		fprintf(stderr, "dpor:   insert at %u:", k);
		for (uint32_t i = 0; i < n; i++)
			fprintf(stderr, " [%s]", weft_dep_format(&seq[i], buf, sizeof buf));
		fprintf(stderr, "\n");
	}
}

/* The change in the number of read locks of `object` that e makes. */
static int read_lock_change(const struct weft_dep_event *e, uint32_t object)
{
	for (unsigned a = 0; a < e->naccess; a++) {
		const struct weft_dep_access *x = &e->access[a];
		if (x->object != object || !weft_dep_shared_role(x->role))
			continue;
		if (x->role == WEFT_ROLE_RELEASE_SHARED)
			return -1;
		return (e->flags & WEFT_DEP_FAILED) ? 0 : 1;
	}
	return 0;
}

/* The read locks of `object` held before event k (by `thread` only, unless
 * it is T). */
static int64_t read_locks_before(struct dpor *s, uint32_t k, uint32_t object, uint32_t thread)
{
	const struct dpor_list *l =
	    dpor_object_list(s, &(struct weft_dep_access){object, WEFT_ROLE_ACQUIRE});
	int64_t held = 0;
	for (uint32_t at = 0; l && at < l->len && l->at[at] < k; at++)
		if (thread == T || s->events[l->at[at]].thread == thread)
			held += read_lock_change(&s->events[l->at[at]], object);
	return held;
}

/* Whether, after seq[0..n) from a state where `held` read locks of
 * `object` are held, none is: a write lock can then follow. */
static bool read_locks_released(const struct weft_dep_event *seq, uint32_t n, uint32_t object,
                                int64_t held)
{
	for (uint32_t i = 0; i < n; i++)
		held += read_lock_change(&seq[i], object);
	return held == 0;
}

/* Reverse the race of k with j (at index `limit`, or pending there). When
 * it is unsure whether j could run before k, the trace can still tell if
 * nothing else has to run first: j's thread was enabled before k or not.
 * `exclusive`: j takes that lock for writing after k took it for reading:
 * read locks held then or taken in the sequence and not released in it
 * would keep j out. */
static void reverse(struct dpor *s, uint32_t k, const struct weft_dep_event *j, uint32_t limit,
                    bool unsure, uint32_t exclusive)
{
	if (s->clocks_only)
		return;
	uint32_t at = reversal_point(s, k, j->thread);
	if (at != k) {
		k = at;
		unsure = true;
	}
	uint32_t n = 0, tk = s->events[k].thread % T;
	for (uint32_t m = k + 1; m < limit; m++)
		if (dpor_clock_of(s, m)[tk] < s->seq_number[k])
			s->scratch[n++] = s->events[m];
	if (exclusive &&
	    !read_locks_released(s->scratch, n, exclusive, read_locks_before(s, k, exclusive, T)))
		unsure = true;
	s->scratch[n++] = *j;
	if (unsure && (n > 1 || !((s->nodes[k].enabled >> j->thread) & 1)))
		fallback(s, k);
	else
		insert(s, k, s->scratch, n);
}

static void backtrack_thread(struct dpor *s, uint32_t k, uint32_t p);

static void race(struct dpor *s, uint32_t k, const struct weft_dep_event *j, uint32_t limit)
{
	if (s->clocks_only)
		return;
	enum weft_dep_race kind = weft_dep_race_kind(&s->events[k], j);
	s->races++;
	if (s->debug) {
		char a[96], b[96];
		static const char *const names[] = {"reversible", "enabling", "unsure"};
		fprintf(stderr, "dpor: race %u [%s] -> %u [%s]: %s\n", k,
		        weft_dep_format(&s->events[k], a, sizeof a), limit,
		        weft_dep_format(j, b, sizeof b), names[kind]);
	}
	if (kind != WEFT_RACE_ENABLING)
		reverse(s, k, j, limit, kind == WEFT_RACE_UNSURE, 0);
	else if (s->bound != UINT32_MAX && j->op != WEFT_OP_START)
		/* Bounded: j's thread running before k may block there and let
		 * the others go on without a preemption (a lock taken before
		 * its holder's unlock): a schedule within the bound that no
		 * race of the program shows. A thread cannot start before its
		 * creation. */
		backtrack_thread(s, k, j->thread);
}

/* Flanagan and Godefroid's step for a race with k that cannot be reversed
 * as a sequence: run thread p's next event before k if p could run there,
 * else every thread that could. */
static void backtrack_thread(struct dpor *s, uint32_t k, uint32_t p)
{
	if (s->clocks_only)
		return;
	k = reversal_point(s, k, p);
	if ((s->nodes[k].enabled >> p) & 1)
		add_thread(s, k, p);
	else
		fallback(s, k);
}

/* Whether e took `object` for reading. */
static bool acquired_shared(const struct weft_dep_event *e, uint32_t object)
{
	for (unsigned a = 0; a < e->naccess; a++)
		if (e->access[a].object == object && weft_dep_shared_role(e->access[a].role))
			return true;
	return false;
}

/* Happens-before and races of j against the events before `limit`; its
 * previous event in its thread is `before` (DPOR_NONE: none). Its clock
 * goes to c (its own entry excepted). `hidden`: look for acquisition races
 * hidden behind global events. */
static void analyse_one(struct dpor *s, const struct weft_dep_event *j, uint32_t before,
                        uint32_t limit, uint32_t *c, bool hidden)
{
	uint32_t others[T]; /* what orders j, the mutex it waits for left out */
	uint32_t plain[T];  /* the same without edges through global events */
	if (before != DPOR_NONE)
		memcpy(c, dpor_clock_of(s, before), T * sizeof *c);
	else
		memset(c, 0, T * sizeof *c);
	memcpy(others, c, sizeof others);
	memcpy(plain, c, sizeof plain);
	/* Bounded: every dependent event that does not happen before j's
	 * thread's previous event races with j, as in Flanagan and Godefroid's
	 * check at every state, not only the latest one of a chain: the bound
	 * may cut the reversal of the latest, where the race with an earlier
	 * one would have shown. */
	uint32_t start[T];
	memcpy(start, c, sizeof start);
	const uint32_t *unordered = s->bound != UINT32_MAX ? start : c;
	uint32_t mutex = weft_dep_blocking_acquire(j) ? weft_dep_acquired(j) : 0;
	struct weft_dep_event rest = *j;
	rest.naccess = 0;
	for (unsigned a = 0; a < j->naccess; a++)
		if (j->access[a].object != mutex)
			rest.access[rest.naccess++] = j->access[a];
	uint32_t n = dpor_candidates(s, j, limit);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = s->candidates[i];
		const struct weft_dep_event *ek = &s->events[k];
		if (ek->thread == j->thread || !weft_dep_dependent(ek, j))
			continue;
		if (mutex && !dpor_before(s, k, others) && weft_dep_dependent(ek, &rest))
			dpor_join(others, dpor_clock_of(s, k));
		if (mutex && !(ek->flags & WEFT_DEP_GLOBAL) && !dpor_before(s, k, plain) &&
		    weft_dep_dependent(ek, &rest))
			dpor_join(plain, dpor_clock_of(s, k));
		if (dpor_before(s, k, unordered))
			continue;
		race(s, k, j, limit);
		dpor_join(c, dpor_clock_of(s, k));
	}
	if (!mutex)
		return;
	/* The previous acquisition of the object from free that excludes j (a
	 * read lock does not exclude a read lock; every take of a semaphore's
	 * unit is one): j could have taken the object first if nothing else
	 * orders them. When j is a write lock, so could it every read lock
	 * since the last write lock, from free or not: the readers holding the
	 * lock then may release it before, their unlocks commuting with the
	 * read lock (the reversal checks they do). */
	const struct dpor_list *l = dpor_object_list(s, &(struct weft_dep_access){mutex, WEFT_ROLE_ACQUIRE});
	for (uint32_t at = l ? dpor_below(l, limit) : 0; at-- > 0;) {
		uint32_t x = l->at[at];
		const struct weft_dep_event *ex = &s->events[x];
		bool shared = acquired_shared(ex, mutex);
		if ((!(ex->flags & WEFT_DEP_FROM_FREE) && !shared) ||
		    weft_dep_acquired(ex) != mutex || !weft_dep_acquisitions_conflict(ex, j, mutex))
			continue;
		/* A read lock taken while its own thread held one: that one is
		 * released only after it, so j could not run there. */
		if (shared && !(ex->flags & WEFT_DEP_FROM_FREE) &&
		    read_locks_before(s, x, mutex, ex->thread % T) > 0)
			continue;
		if (ex->thread != j->thread && !dpor_before(s, x, others)) {
			s->races++;
			if (s->debug)
				fprintf(stderr, "dpor: lock race %u -> %u\n", x, limit);
			reverse(s, x, j, limit, false, shared ? mutex : 0);
		} else if (hidden && ex->thread != j->thread && !dpor_before(s, x, plain)) {
			/* Ordered only through an event ordered with everything (a
			 * yield inside x's critical section): the race hides behind
			 * it, and its own race with j behind the unlock that let j
			 * run. */
			s->races++;
			if (s->debug)
				fprintf(stderr, "dpor: hidden lock race %u -> %u\n", x, limit);
			backtrack_thread(s, x, j->thread);
		}
		if (!shared)
			break;
	}
}

/* A blocking event j waited for its turn after its thread's previous event
 * `before`: wherever the trace shows its thread enabled there while a
 * dependent event ran instead, j could have run first (the per-state check
 * of Flanagan and Godefroid's DPOR). This finds the reversals that an event
 * ordered with everything (a sleep) would hide from the race analysis, and
 * those of operations whose enabling this file does not understand. */
static void missed_turns(struct dpor *s, const struct weft_dep_event *j, uint32_t before,
                         uint32_t limit)
{
	if (!(j->flags & WEFT_DEP_BLOCKING) || s->clocks_only)
		return;
	bool understood = !(j->flags & (WEFT_DEP_UNKNOWN | WEFT_DEP_TIMED));
	for (uint32_t m = before == DPOR_NONE ? 0 : before + 1; m < limit; m++) {
		const struct weft_dep_event *em = &s->events[m];
		if (em->thread == j->thread || dpor_value_node(&s->nodes[m]) ||
		    !weft_dep_dependent(em, j))
			continue;
		if (!((s->nodes[m].enabled >> j->thread) & 1)) {
			/* j was waiting when em ran: em may be what it waited for,
			 * or what kept it waiting. For an operation whose enabling
			 * this file does not know, explore what else could run
			 * there, as Flanagan and Godefroid do for a disabled
			 * transition. */
			if (!understood)
				fallback(s, m);
			continue;
		}
		s->races++;
		if (s->debug)
			fprintf(stderr, "dpor: missed turn at %u -> %u\n", m, limit);
		s->scratch[0] = *j;
		insert(s, m, s->scratch, 1);
	}
}

static bool reserve(void **p, size_t n, size_t size)
{
	void *q = realloc(*p, (n ? n : 1) * size);
	if (!q)
		return false;
	*p = q;
	return true;
}

/* The nodes where an __VERIFIER_atomic section ran, replaying the
 * runtime's one section owner (interpose/verifier.c): set by a begin, and
 * cleared as any thread reaches __VERIFIER_atomic_end (before that call's
 * own scheduling point) or when the owner exits. */
static void mark_sections(struct dpor *s)
{
	uint32_t n = s->nevents, begin = DPOR_NONE;
	for (uint32_t i = 0; i < n; i++) {
		const struct weft_dep_event *e = &s->events[i];
		uint32_t t = e->thread % T;
		s->section[i] = begin;
		if (e->op == WEFT_OP_ATOMIC_BEGIN)
			begin = i;
		else if (begin != DPOR_NONE && s->events[begin].thread == e->thread &&
		         (e->op == WEFT_OP_THREAD_EXIT || e->op == WEFT_OP_PROCESS_EXIT))
			begin = DPOR_NONE;
		const struct dpor_list *l = &s->by_thread[t];
		uint32_t next = s->seq_number[i] < l->len ? l->at[s->seq_number[i]] : DPOR_NONE;
		uint8_t next_op = next != DPOR_NONE              ? s->events[next].op
		                  : ((s->pending_mask >> t) & 1) ? s->pending[t].op
		                                                 : WEFT_DEP_ANY_OP;
		if (next_op == WEFT_OP_ATOMIC_END)
			begin = DPOR_NONE;
	}
}

bool dpor_analyse(struct dpor *s, uint32_t from)
{
	uint32_t n = s->nevents;
	if (!reserve((void **)&s->clock, (size_t)n * T, sizeof *s->clock) ||
	    !reserve((void **)&s->seq_number, n, sizeof *s->seq_number) ||
	    !reserve((void **)&s->candidates, n, sizeof *s->candidates) ||
	    !reserve((void **)&s->scratch, (size_t)n + 1, sizeof *s->scratch) ||
	    !reserve((void **)&s->section, n, sizeof *s->section) || !dpor_index_events(s))
		return false;
	mark_sections(s);
	/* An operation the dependence table does not know: what enables it,
	 * what it enables and whether it can be reordered are all unknown, so
	 * the execution is explored like DFS with sleep sets, every thread
	 * that could run at every step (sound for any dependence that does not
	 * call dependent events independent, and never more executions than
	 * DFS); only the clocks are kept. Teach the table the operation to get
	 * the reduction back. */
	bool unknown = false;
	for (uint32_t i = 0; i < n && !unknown; i++)
		unknown = (s->events[i].flags & WEFT_DEP_UNKNOWN) != 0;
	for (uint64_t m = s->pending_mask; m && !unknown; m &= m - 1)
		unknown = (s->pending[__builtin_ctzll(m)].flags & WEFT_DEP_UNKNOWN) != 0;
	s->clocks_only = unknown;
	for (uint32_t i = 0; i < n && unknown; i++)
		fallback(s, i);
	for (uint32_t j = from; j < n; j++) {
		uint32_t t = s->events[j].thread % T, seq = s->seq_number[j];
		uint32_t before = seq > 1 ? s->by_thread[t].at[seq - 2] : DPOR_NONE;
		uint32_t *c = &s->clock[(size_t)j * T];
		analyse_one(s, &s->events[j], before, j, c, true);
		c[t] = seq;
		missed_turns(s, &s->events[j], before, j);
	}
	/* Operations still pending at the end (threads frozen by the process
	 * exit): they race with the exit, and, as if they ran just before it,
	 * with what came before. */
	uint32_t exit_at = n;
	for (uint32_t i = 0; i < n; i++)
		if (s->events[i].op == WEFT_OP_PROCESS_EXIT)
			exit_at = i;
	uint32_t c[T];
	for (uint64_t m = s->pending_mask; m && !unknown; m &= m - 1) {
		uint32_t t = (uint32_t)__builtin_ctzll(m);
		const struct dpor_list *l = &s->by_thread[t];
		uint32_t before = l->len ? l->at[l->len - 1] : DPOR_NONE;
		/* The exit, ordered with everything, hides nothing here: the
		 * second pass looks behind it. */
		analyse_one(s, &s->pending[t], before, n, c, exit_at == n);
		if (exit_at < n)
			analyse_one(s, &s->pending[t], before, exit_at, c, true);
		missed_turns(s, &s->pending[t], before, n);
	}
	s->clocks_only = false;
	return true;
}
