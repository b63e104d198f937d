/* Unit test of the Optimal DPOR strategy without any process. A simulated
 * program (dpor_sim.h: scripts of mutex, trylock, condition variable,
 * create, join, yield, value choice, semaphore and sleep operations; main's
 * end is the process exit, which freezes the others) produces traces the
 * way the runtime does, following the strategy's plans and refusing a plan
 * as sched.c would. Two oracles:
 *   - exact execution counts, derived by hand in the comments below;
 *   - every execution of a small program is also enumerated with DFS and
 *     sorted into classes of equivalent executions (dpor_oracle.h): DPOR
 *     must visit every class, and exactly once where it claims optimality,
 *     for the programs below and for random ones;
 *   - bounded DPOR against preemption bounding (`bounded`) on the random
 *     programs: within each bound 0, 1, 2, every class that bounded search
 *     reaches (skipped where bounded search is over its budget).
 * Build and run: tests/CMakeLists.txt builds every tests/unit/test_*.c
 * against weft_core, so `make test_dpor` (or the whole build) then
 * build/tests/unit/test_dpor, or ctest -R unit/test_dpor. Environment:
 * TEST_DPOR_FUZZ=N random programs instead of 30; TEST_DPOR_BOUNDS=B
 * bounded DPOR at bounds 0 to B instead of 0 to 2; TEST_DPOR_ONLY="name"
 * checks one program; TEST_DPOR_VERBOSE=1 prints the counts
 * (=2 with TEST_DPOR_ONLY: every class; with TEST_DPOR_ONLY, an execution
 * of every class bounded DPOR missed); WEFT_DPOR_DEBUG=1 or 2 traces the
 * strategy itself. */
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

/* A random small program: main creates two or three workers (joining
 * them, or not), every thread runs a few critical sections on two mutexes,
 * perhaps nested, with trylocks, signals and guarded condition waits. The
 * flag the waits test is only touched under mutex 0: no data race. */
static uint64_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static void random_section(struct instr *code, int *len, bool yields)
{
	if (rng(6) == 0) {
		/* A value choice guarding a section. */
		int at = *len;
		*len += 2;
		random_section(code, len, yields);
		code[at] = (struct instr){CHOOSE, 2, 0, 0};
		code[at + 1] = (struct instr){SKIP_IF_ZERO, (uint8_t)(*len - at - 2), 0, 0};
		return;
	}
	uint8_t m = (uint8_t)rng(2);
	if (rng(4) == 0) {
		code[(*len)++] = (struct instr){TRY, m, 0, 0};
		code[(*len)++] = (struct instr){UNLOCK_IF, m, 0, 0};
		return;
	}
	code[(*len)++] = (struct instr){LOCK, m, 0, 0};
	switch (rng(yields ? 6 : 5)) {
	case 0:
		/* The flag is plain memory: only under its mutex, as DPOR (any
		 * DPOR over the operations it sees) assumes of shared data. */
		if (m == 0)
			code[(*len)++] = (struct instr){SET, 0, 0, 0};
		code[(*len)++] = (struct instr){rng(2) ? SIGNAL : BROADCAST, 0, 0, 0};
		break;
	case 1:
		if (m == 0)
			code[(*len)++] = (struct instr){WAIT_UNTIL, 0, 0, 0};
		break;
	case 2:
		code[(*len)++] = (struct instr){LOCK, (uint8_t)(1 - m), 0, 0};
		code[(*len)++] = (struct instr){UNLOCK, (uint8_t)(1 - m), 0, 0};
		break;
	case 5:
		code[(*len)++] = (struct instr){YIELD, 0, 0, 0};
		break;
	}
	code[(*len)++] = (struct instr){UNLOCK, m, 0, 0};
}

static struct program random_program(bool yields)
{
	struct program p = {.name = "random", .nthreads = 2 + (int)rng(2)};
	int len[MAX_THREADS] = {0};
	for (int i = 1; i < p.nthreads; i++)
		p.code[0][len[0]++] = (struct instr){CREATE, (uint8_t)i, 0, 0};
	for (int i = 0; i < p.nthreads; i++) {
		int sections = 1 + (int)rng(i == 0 ? 2 : 3);
		for (int k = 0; k < sections; k++)
			random_section(p.code[i], &len[i], yields);
	}
	bool join = rng(4) != 0;
	for (int i = 1; i < p.nthreads && join; i++)
		p.code[0][len[0]++] = (struct instr){JOIN, (uint8_t)i, 0, 0};
	return p;
}

static unsigned long long factorial(int n)
{
	return n <= 1 ? 1 : (unsigned long long)n * factorial(n - 1);
}

int main(void)
{
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
	EXPECT_EQ("ABBA deadlock found", explore(&abba, "dpor", NULL, NULL).deadlocks, 1);
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

	/* Operations dependence.c does not know (semaphores) and time: DPOR
	 * is conservative there (more executions than classes: semaphores 50
	 * classes in 125 executions, sleeps 5 in 44, against 7114 and 17232
	 * for DFS); it must still find every class. A semaphore handoff
	 * between two waiters and a poster: */
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

	if (failures)
		return 1;
	printf("test_dpor: all passed\n");
	return 0;
}
