/* Unit test of the Optimal DPOR strategy without any process. A simulated
 * program (dpor_sim.h: scripts of mutex, trylock, condition variable,
 * create, join, yield, value choice, semaphore, read-write lock, barrier,
 * pthread_once, --yield-at lock, atomic section, mutex destroy and sleep
 * operations; main's end is the process exit, which freezes the others)
 * produces traces the way the runtime does, following the strategy's plans
 * and refusing a plan as sched.c would. Three oracles:
 *   - exact execution counts, derived by hand in the comments below;
 *   - every execution of a small program is also enumerated with DFS and
 *     sorted into classes of equivalent executions (dpor_oracle.h): DPOR
 *     must visit every class, and exactly once where it claims optimality,
 *     for the programs below and for random ones;
 *   - the same executions' outcomes (what each thread observed, where it
 *     stopped, deadlock, misuse), which do not depend on the dependence
 *     relation under test: DPOR must reach every outcome DFS reaches;
 *   - bounded DPOR against preemption bounding (`bounded`) on the random
 *     programs: within each bound 0, 1, 2, every class that bounded search
 *     reaches (skipped where bounded search is over its budget).
 * Build and run: tests/CMakeLists.txt builds every tests/unit/test_*.c
 * against weft_core, so `make test_dpor` (or the whole build) then
 * build/tests/unit/test_dpor, or ctest -R unit/test_dpor. Environment:
 * TEST_DPOR_FUZZ=N random programs instead of 30; TEST_DPOR_FUZZ_OTHER=N
 * random programs over the other primitives instead of 12 of each kind;
 * TEST_DPOR_BOUNDS=B bounded DPOR at bounds 0 to B instead of 0 to 2;
 * TEST_DPOR_ONLY="name" checks one program; TEST_DPOR_VERBOSE=1 prints the
 * counts (=2 with TEST_DPOR_ONLY: every class; =3: the DFS executions whose
 * class or outcome DPOR missed; with TEST_DPOR_ONLY, an execution of every
 * class bounded DPOR missed); WEFT_DPOR_DEBUG=1 or 2 traces the strategy
 * itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dependence.h"
#include "strategy.h"

static int failures;

#define EXPECT_EQ(what, got, want)                                                           \
	do {                                                                                 \
		unsigned long long g_ = (got), w_ = (want);                                  \
		if (g_ != w_) {                                                              \
			fprintf(stderr, "FAIL %s: got %llu, want %llu\n", what, g_, w_);     \
			failures++;                                                          \
		}                                                                            \
	} while (0)

#include "dpor_sim.h"
#include "dpor_oracle.h"
#include "dpor_random.h"

/* main creates workers 1..n and joins them; each worker runs `code`
 * (a mutex index of 0xff in it stands for the worker's own mutex). */
static struct program workers(const char *name, int n, const struct instr *code, int len)
{
	struct program p = {.name = name, .nthreads = n + 1};
	for (int i = 1; i <= n; i++) {
		p.code[0][i - 1] = (struct instr){CREATE, (uint8_t)i, 0, 0};
		p.code[0][n + i - 1] = (struct instr){JOIN, (uint8_t)i, 0, 0};
		for (int k = 0; k < len; k++) {
			p.code[i][k] = code[k];
			if (code[k].a == 0xff)
				p.code[i][k].a = (uint8_t)(i - 1);
		}
	}
	return p;
}

static unsigned long long factorial(int n)
{
	return n <= 1 ? 1 : (unsigned long long)n * factorial(n - 1);
}

/* The dependence relation itself: symmetric for every pair of roles on one
 * object, and every operation the table gives a role is described with an
 * access to its object (or as global), so that no operation silently
 * commutes with everything. */
static void check_relation(void)
{
	for (unsigned x = 0; x < WEFT_ROLE_COUNT; x++) {
		for (unsigned y = 0; y < WEFT_ROLE_COUNT; y++) {
			bool thread_x = x >= WEFT_ROLE_START && x <= WEFT_ROLE_DETACH;
			bool thread_y = y >= WEFT_ROLE_START && y <= WEFT_ROLE_DETACH;
			if (thread_x != thread_y)
				continue; /* never the same object */
			struct weft_dep_event a = {
			    .thread = 1, .naccess = 1, .access = {{7, (uint8_t)x}}};
			struct weft_dep_event b = {
			    .thread = 2, .naccess = 1, .access = {{7, (uint8_t)y}}};
			char what[64];
			snprintf(what, sizeof what, "roles %u and %u commute both ways or neither",
			         x, y);
			EXPECT_EQ(what, weft_dep_dependent(&a, &b), weft_dep_dependent(&b, &a));
		}
	}
	struct weft_dep_context context = {0};
	struct weft_dep_annotator *annotator = weft_dep_annotator_new(&context);
	for (unsigned op = 0; op < WEFT_OP_COUNT; op++) {
		struct weft_dep_op scratch;
		const struct weft_dep_op *info = weft_dep_op_info(op, &scratch);
		if (!info->known || info->role == WEFT_ROLE_UNKNOWN)
			continue;
		struct weft_event ev = {.thread = 1, .op = (uint8_t)op, .object = 5, .object2 = 6};
		struct weft_dep_event d, pending[WEFT_MAX_THREADS];
		uint64_t mask;
		weft_dep_annotate(annotator, &ev, 1, NULL, 0, &d, pending, &mask);
		char what[96];
		snprintf(what, sizeof what, "%s is described with its object", weft_op_name(op));
		EXPECT_EQ(what, d.naccess > 0 || (d.flags & WEFT_DEP_GLOBAL), 1);
	}
	weft_dep_annotator_free(annotator);
}

int main(void)
{
	check_relation();

	static const struct instr section[] = {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}};
	static const struct instr own[] = {{LOCK, 0xff, 0, 0}, {UNLOCK, 0xff, 0, 0}};
	static const struct instr two[] = {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {LOCK, 1, 0, 0}, {UNLOCK, 1, 0, 0}};

	/* N workers each lock and unlock one shared mutex (a_mutex_counter.c).
	 * Dependent events: the four mutex operations of different workers,
	 * create -> start and exit -> join. Once the order in which the
	 * workers take the mutex is fixed, everything else commutes or is
	 * forced: N! classes, and DPOR runs exactly one execution each. */
	for (int n = 2; n <= 6; n++) {
		char what[64];
		snprintf(what, sizeof what, "%d workers, one mutex", n);
		struct program p = workers(what, n, section, 2);
		EXPECT_EQ(what, count(&p), factorial(n));
		if (n <= 3)
			check_against_dfs(&p, true);
	}
	/* Each worker locks only its own mutex: no two workers' events are
	 * dependent, so every interleaving is equivalent: 1. */
	for (int n = 2; n <= 6; n++) {
		char what[64];
		snprintf(what, sizeof what, "%d workers, own mutexes", n);
		struct program p = workers(what, n, own, 2);
		EXPECT_EQ(what, count(&p), 1);
		if (n <= 2)
			check_against_dfs(&p, true);
	}
	/* Two workers: lock(a) unlock(a) lock(b) unlock(b). The class is fixed
	 * by who takes a first and who takes b first; all four combinations
	 * can happen (the worker that took a first may be overtaken before
	 * b): 2 * 2 = 4. */
	struct program ab = workers("two mutexes in turn", 2, two, 4);
	EXPECT_EQ(ab.name, count(&ab), 4);
	check_against_dfs(&ab, true);

	/* A condition-variable handshake (tests/cases/count_cond_handshake.c):
	 * main = C, L0, [W K], U0, J, exit; worker = S, L1, set ready, G
	 * (signal), U1, E. If main locks first it sees ready == 0 and waits;
	 * the worker can then only lock after W, and its signal wakes main:
	 * one class (S, E and the wake-up commute with the rest or are
	 * forced). If the worker locks first, main sees ready == 1 and never
	 * waits: one class. 2 in all (DFS: 12). */
	struct program handshake = {
		.name = "cond handshake",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {WAIT_UNTIL, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{LOCK, 0, 0, 0}, {SET, 0, 0, 0}, {SIGNAL, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(handshake.name, count(&handshake), 2);
	check_against_dfs(&handshake, true);

	/* Threads creating threads: main creates T1 and takes the mutex, T1
	 * creates T2 and takes it, T2 takes it; every order of the three
	 * critical sections can happen: 3! = 6. */
	struct program nested = {
		.name = "nested create/join",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{CREATE, 2, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 2, 0, 0}},
		         {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(nested.name, count(&nested), 6);
	check_against_dfs(&nested, true);

	/* main creates T1, locks and unlocks, and exits without joining:
	 * the exit freezes T1 wherever it is. T1 = S, L, U, E. Classes: T1
	 * ran nothing; S only; S L (L after main's unlock: before main's
	 * lock it would have to unlock too); S L U with L before main's lock
	 * or after its unlock (2); all of T1, the same 2. 1+1+1+2+2 = 7. */
	struct program no_join = {
		.name = "exit without join",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}, {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(no_join.name, count(&no_join), 7);
	check_against_dfs(&no_join, true);

	/* A worker's trylock against main's critical section: before it
	 * (succeeds), inside it (fails), after it (succeeds): 3. */
	struct program trylock = {
		.name = "trylock",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{TRY, 0, 0, 0}, {UNLOCK_IF, 0, 0, 0}}},
	};
	EXPECT_EQ(trylock.name, count(&trylock), 3);
	check_against_dfs(&trylock, true);

	/* Opposite lock orders: T1 a then b, T2 b then a. Either worker's two
	 * sections go first (2), or each holds its first mutex and both wait
	 * for ever (1, the deadlock): 3. */
	struct program abba = {
		.name = "ABBA",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}},
		         {{LOCK, 0, 0, 0}, {LOCK, 1, 0, 0}, {UNLOCK, 1, 0, 0}, {UNLOCK, 0, 0, 0}},
		         {{LOCK, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {UNLOCK, 1, 0, 0}}},
	};
	EXPECT_EQ(abba.name, count(&abba), 3);
	EXPECT_EQ("ABBA deadlock found", explore(&abba, "dpor", NULL, NULL, NULL).deadlocks, 1);
	check_against_dfs(&abba, true);

	/* Fairness: a thread that yielded runs again only after another one
	 * did, so a yield does not commute with other threads' events (which
	 * of them separates the yield from the thread's next step matters).
	 * Every yield is thus ordered with everything, and each of the 6
	 * executions DFS finds is a class of its own: 6. DPOR must never plan
	 * what the runtime refuses (a thread right after its own yield). */
	struct program yields = {
		.name = "yields",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {YIELD, 0, 0, 0}, {LOCK, 0, 0, 0}, {YIELD, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{YIELD, 0, 0, 0}, {LOCK, 0, 0, 0}, {YIELD, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {YIELD, 0, 0, 0}}},
	};
	EXPECT_EQ(yields.name, count(&yields), 6);
	check_against_dfs(&yields, true);

	/* Two waiters and a broadcast, and two waiters with two signals:
	 * checked against DFS only. */
	struct program broadcast = {
		.name = "broadcast",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {LOCK, 0, 0, 0}, {SET, 0, 0, 0}, {BROADCAST, 0, 0, 0}, {UNLOCK, 0, 0, 0},
		          {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}},
		         {{LOCK, 0, 0, 0}, {WAIT_UNTIL, 0, 0, 0}, {UNLOCK, 0, 0, 0}},
		         {{LOCK, 0, 0, 0}, {WAIT_UNTIL, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	check_against_dfs(&broadcast, true);
	struct program signals = {
		.name = "two signals",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {LOCK, 0, 0, 0}, {SET, 0, 0, 0}, {SIGNAL, 0, 0, 0}, {UNLOCK, 0, 0, 0},
		          {LOCK, 0, 0, 0}, {SIGNAL, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}},
		         {{LOCK, 0, 0, 0}, {WAIT_UNTIL, 0, 0, 0}, {UNLOCK, 0, 0, 0}},
		         {{LOCK, 0, 0, 0}, {WAIT_UNTIL, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	check_against_dfs(&signals, true);

	/* Value choices (weft_choose): every value is explored, each with its
	 * own interleavings. A worker picks 0 or 1 and only with 1 takes the
	 * mutex main takes: value 0 gives 1 class, value 1 gives the 2 orders
	 * of the critical sections: 3. Main chooses too, between its two
	 * sections: values 0/1 for main times the worker's: main with 1
	 * takes the mutex twice, so the worker's section goes before, between
	 * or after: (1 + 2) + (1 + 3) = 7. */
	struct program values = {
		.name = "value choices",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{CHOOSE, 2, 0, 0}, {SKIP_IF_ZERO, 2, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(values.name, count(&values), 3);
	check_against_dfs(&values, true);
	struct program values2 = {
		.name = "value choices in two threads",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {CHOOSE, 2, 0, 0}, {SKIP_IF_ZERO, 2, 0, 0},
		          {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{CHOOSE, 2, 0, 0}, {SKIP_IF_ZERO, 2, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(values2.name, count(&values2), 7);
	check_against_dfs(&values2, true);

	/* Semaphores and time: DPOR is conservative there (more executions
	 * than classes: semaphores 8 classes in 24 executions, sleeps 5 in 44,
	 * against 7114 and 17232 for DFS); it must still find every class. A
	 * semaphore handoff between two waiters and a poster: */
	struct program sems = {
		.name = "semaphores",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {SEM_WAIT, 0, 0, 0}, {LOCK, 0, 0, 0},
		          {UNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}},
		         {{POST, 0, 0, 0}, {POST, 0, 0, 0}},
		         {{SEM_WAIT, 0, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	check_against_dfs(&sems, false);
	/* A sleep, ordered with everything, between two lock acquisitions. */
	struct program sleeps = {
		.name = "sleeps",
		.nthreads = 4,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {CREATE, 3, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}, {JOIN, 3, 0, 0}},
		         {{LOCK, 0, 0, 0}, {SLEEP, 0, 0, 0}, {UNLOCK, 0, 0, 0}},
		         {{SLEEP, 0, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}},
		         {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	check_against_dfs(&sleeps, false);

	/* Read-write locks (glibc's default kind: a read lock waits only for a
	 * writer). N workers that each take one rwlock for reading: read locks
	 * commute with read locks and their unlocks, so every interleaving is
	 * one class: 1, against N! for a mutex. */
	static const struct instr read_section[] = {{RDLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}};
	for (int n = 2; n <= 5; n++) {
		char what[64];
		snprintf(what, sizeof what, "%d readers, one rwlock", n);
		struct program p = workers(what, n, read_section, 2);
		EXPECT_EQ(what, count(&p), 1);
		if (n <= 2)
			check_against_dfs(&p, true);
	}
	/* One writer (worker 1) and two readers: each reader's section goes
	 * before or after the writer's (the readers commute with each other):
	 * 2 * 2 = 4. */
	struct program writer_readers = {
		.name = "writer and readers",
		.nthreads = 4,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {CREATE, 3, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}, {JOIN, 3, 0, 0}},
		         {{WRLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}},
		         {{RDLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}},
		         {{RDLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ(writer_readers.name, count(&writer_readers), 4);
	check_against_dfs(&writer_readers, true);
	/* A lock that prefers writers: every operation on it is unknown to
	 * dependence.c (a waiting writer holds new readers back), so the
	 * execution is explored like DFS; every class is still found. main
	 * reads twice around a writer's attempt (the second read lock waits
	 * for the writer that waits for the first: a deadlock). */
	struct program writer_first = {
		.name = "writer-preferring rwlock",
		.nthreads = 2,
		.code = {{{RDLOCK, 0, 0, 0}, {CREATE, 1, 0, 0}, {RDLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{WRLOCK, 0, 0, 0}, {RWUNLOCK, 0, 0, 0}}},
		.prefer_writer = {true},
	};
	check_against_dfs(&writer_first, false);

	/* Semaphores: two workers post, main waits once. Posts commute; the
	 * wait follows P1 only, P2 only, or both: 3 classes. Where the wait
	 * could not run before a post (the semaphore empty), DPOR also tries
	 * the other poster there (dpor_races.c): 5 executions, as for
	 * tests/cases/count_sem_two_posters.c. */
	struct program posters = {
		.name = "two posters, one waiter",
		.nthreads = 3,
		.code = {{{CREATE, 1, 0, 0}, {CREATE, 2, 0, 0}, {SEM_WAIT, 0, 0, 0}, {JOIN, 1, 0, 0}, {JOIN, 2, 0, 0}},
		         {{POST, 0, 0, 0}},
		         {{POST, 0, 0, 0}}},
	};
	EXPECT_EQ(posters.name, count(&posters), 5);
	check_against_dfs(&posters, false);

	/* --yield-at lock(N) locks are mutexes: N workers on one, N!. */
	static const struct instr user_section[] = {{USER_LOCK, 0, 0, 0}, {USER_UNLOCK, 0, 0, 0}};
	for (int n = 2; n <= 4; n++) {
		char what[64];
		snprintf(what, sizeof what, "%d workers, one user lock", n);
		struct program p = workers(what, n, user_section, 2);
		EXPECT_EQ(what, count(&p), factorial(n));
		if (n <= 3)
			check_against_dfs(&p, true);
	}

	/* Three workers meet at a barrier of 3: arrivals are dependent (the
	 * last one ends the round), wake-ups commute: the 3! orders of the
	 * arrivals. */
	static const struct instr meet[] = {{BARRIER_WAIT, 0, 0, 0}};
	struct program barrier = workers("barrier of 3", 3, meet, 1);
	barrier.barrier_count[0] = 3;
	EXPECT_EQ(barrier.name, count(&barrier), 6);
	check_against_dfs(&barrier, true);

	/* Two workers call pthread_once, whose initialiser takes a mutex
	 * (events of its own, so its end is an event too): the classes are
	 * who runs the initialiser, 2. */
	static const struct instr once_init[] = {{ONCE, 0, 2, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}};
	struct program once = workers("once", 2, once_init, 3);
	EXPECT_EQ(once.name, count(&once), 2);
	check_against_dfs(&once, true);

	/* Atomic sections: two workers each lock and unlock a mutex inside
	 * one. Both ends are ordered with everything; no other thread runs
	 * inside a section: the classes are the orders of the sections (2),
	 * with the other worker's start and exit before or after... checked
	 * against DFS. */
	static const struct instr atomic_section[] = {{ATOMIC_BEGIN, 0, 0, 0}, {LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}, {ATOMIC_END, 0, 0, 0}};
	struct program atomic = workers("atomic sections", 2, atomic_section, 4);
	check_against_dfs(&atomic, true);

	/* main destroys the mutex a worker uses, without joining first: misuse
	 * when the worker holds it or waits to lock it at that moment. */
	struct program destroy = {
		.name = "destroy while in use",
		.nthreads = 2,
		.code = {{{CREATE, 1, 0, 0}, {DESTROY, 0, 0, 0}, {JOIN, 1, 0, 0}},
		         {{LOCK, 0, 0, 0}, {UNLOCK, 0, 0, 0}}},
	};
	EXPECT_EQ("destroy misuse found", explore(&destroy, "dpor", NULL, NULL, NULL).misuses > 0,
	          1);
	check_against_dfs(&destroy, false);

	/* Random programs, DPOR against DFS (TEST_DPOR_FUZZ=N for more; 1000
	 * passed when this was written). */
	const char *fuzz = getenv("TEST_DPOR_FUZZ");
	int programs = fuzz ? atoi(fuzz) : 30;
	const char *bounds_env = getenv("TEST_DPOR_BOUNDS");
	uint32_t bounds = bounds_env ? (uint32_t)atoi(bounds_env) : 2;
	if (!fuzz)
		max_executions = 20000;
	for (int i = 0; i < programs; i++) {
		rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
		struct program p = random_program(i % 4 == 3);
		char name[32];
		snprintf(name, sizeof name, "random %d", i);
		p.name = name;
		/* Trylocks and yields are handled conservatively (fairness),
		 * and threads left running at the exit can make a class come
		 * twice: there, every class, perhaps more than once. */
		bool exact = false;
		for (int k = 0; p.code[0][k].op; k++)
			exact |= p.code[0][k].op == JOIN;
		for (int t = 0; t < p.nthreads; t++)
			for (int k = 0; p.code[t][k].op; k++)
				exact &= p.code[t][k].op != TRY && p.code[t][k].op != YIELD;
		check_against_dfs(&p, exact);
		for (uint32_t b = 0; b <= bounds; b++)
			check_bounded(&p, b);
	}

	/* The other primitives: each on its own with mutexes, then all of
	 * them together (TEST_DPOR_FUZZ_OTHER=N programs of each kind). */
	static const unsigned kinds[] = {F_RWLOCK | F_MUTEX,
	                                 F_RWLOCK,
	                                 F_SEM | F_MUTEX,
	                                 F_BARRIER | F_MUTEX | F_SEM,
	                                 F_ONCE | F_MUTEX | F_SEM,
	                                 F_USER | F_MUTEX,
	                                 F_ATOMIC | F_MUTEX | F_SEM,
	                                 F_DESTROY | F_MUTEX,
	                                 F_RWLOCK | F_SEM | F_BARRIER | F_ONCE | F_USER | F_ATOMIC |
	                                     F_DESTROY | F_MUTEX,
	                                 F_FUTEX | F_MUTEX,
	                                 F_FUTEX | F_SEM | F_ONCE};
	const char *fuzz_other = getenv("TEST_DPOR_FUZZ_OTHER");
	int others = fuzz_other ? atoi(fuzz_other) : 12;
	if (!fuzz)
		max_executions = 60000;
	for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		for (int i = 0; i < others; i++) {
			rng_state = 0x2545f4914f6cdd1dull * (uint64_t)(i + 1) + k;
			struct program p = random_other_program(kinds[k]);
			char name[48];
			snprintf(name, sizeof name, "random other %u/%d", k, i);
			p.name = name;
			check_against_dfs(&p, false);
		}
	}

	if (failures)
		return 1;
	printf("test_dpor: all passed\n");
	return 0;
}
