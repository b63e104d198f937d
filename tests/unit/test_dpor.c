/* Unit test of the Optimal DPOR strategy without any process. A simulated
 * program (threads running small scripts of mutex, trylock, condition
 * variable, create, join and yield operations; main's end is the process
 * exit, which freezes the others) produces traces the way the runtime does,
 * with its plan checks and its yield fairness, following the strategy's
 * plans. Two oracles:
 *   - exact execution counts, derived by hand in the comments below;
 *   - for small programs, every execution is also enumerated with DFS and
 *     sorted into classes of equivalent executions (a canonical order of
 *     each trace's dependence graph): DPOR must visit every class exactly
 *     once.
 * Build: the test is tests/unit/test_dpor.c, picked up by tests/CMakeLists.txt
 * like every test_*.c; run build/tests/unit/test_dpor (or ctest -R dpor). */
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

#define MAX_STEPS 512
#define MAX_THREADS 8
#define MAX_CODE 24
#define MUTEX(i) (1 + (i))  /* object ids of mutexes */
#define COND(i) (20 + (i))  /* of condition variables */
#define SEM(i) (40 + (i))   /* and of semaphores */

enum instr_op {
	LOCK = 1,   /* a: mutex */
	UNLOCK,     /* a: mutex */
	TRY,        /* a: mutex; a later UNLOCK_IF releases it if taken */
	UNLOCK_IF,  /* a: mutex */
	WAIT_UNTIL, /* a: flag, b: cond, c: mutex: while (!flag) cond_wait(b, c) */
	SET,        /* a: flag = 1 (plain memory: no event) */
	SIGNAL,     /* a: cond */
	BROADCAST,  /* a: cond */
	CREATE,     /* a: thread */
	JOIN,       /* a: thread */
	YIELD,
	POST,      /* a: semaphore (an operation dependence.c does not know) */
	SEM_WAIT,  /* a: semaphore: waits while its value is 0 */
	SLEEP,     /* virtual time: ends only when no other thread can run */
	CHOOSE,    /* a: weft_choose(a), a value explored like a schedule choice */
	SKIP_IF_ZERO, /* a: skip the next a instructions if the last value chosen was 0 */
};

struct instr {
	uint8_t op, a, b, c;
};

struct program {
	const char *name;
	int nthreads; /* thread 0 is main; the others start when created */
	struct instr code[MAX_THREADS][MAX_CODE];
};

struct sim_thread {
	int pc;
	bool created, exited, yielded, signalled, waiting, choosing;
	uint32_t chosen;
	bool took[8]; /* trylocks that succeeded */
	uint8_t op;   /* pending operation */
	uint32_t object, object2;
};

struct sim {
	const struct program *p;
	struct sim_thread t[MAX_THREADS];
	int owner[8];
	uint8_t queue[8][MAX_THREADS], nqueued[8];
	bool flag[8], frozen;
	int sem[8];
};

/* Run thread i's invisible code up to its next operation. */
static void advance(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	for (;;) {
		const struct instr *in = &s->p->code[i][t->pc];
		t->object = t->object2 = 0;
		switch (in->op) {
		case 0:
			t->op = i == 0 ? WEFT_OP_PROCESS_EXIT : WEFT_OP_THREAD_EXIT;
			return;
		case SET:
			s->flag[in->a] = true;
			t->pc++;
			continue;
		case UNLOCK_IF:
			if (!t->took[in->a]) {
				t->pc++;
				continue;
			}
			t->op = WEFT_OP_MUTEX_UNLOCK, t->object = MUTEX(in->a);
			return;
		case WAIT_UNTIL:
			if (!t->waiting && s->flag[in->a]) {
				t->pc++;
				continue;
			}
			t->op = t->waiting ? WEFT_OP_COND_WAKE : WEFT_OP_COND_WAIT;
			t->object = COND(in->b);
			t->object2 = t->waiting ? MUTEX(in->c) : 0;
			return;
		case LOCK:
			t->op = WEFT_OP_MUTEX_LOCK, t->object = MUTEX(in->a);
			return;
		case UNLOCK:
			t->op = WEFT_OP_MUTEX_UNLOCK, t->object = MUTEX(in->a);
			return;
		case TRY:
			t->op = WEFT_OP_MUTEX_TRYLOCK, t->object = MUTEX(in->a);
			return;
		case SIGNAL:
		case BROADCAST:
			t->op = in->op == SIGNAL ? WEFT_OP_COND_SIGNAL : WEFT_OP_COND_BROADCAST;
			t->object = COND(in->a);
			return;
		case CREATE:
			t->op = WEFT_OP_CREATE, t->object = in->a;
			return;
		case JOIN:
			t->op = WEFT_OP_JOIN, t->object = in->a;
			return;
		case YIELD:
			t->op = WEFT_OP_YIELD;
			return;
		case POST:
		case SEM_WAIT:
			t->op = in->op == POST ? WEFT_OP_SEM_POST : WEFT_OP_SEM_WAIT;
			t->object = SEM(in->a);
			return;
		case SLEEP:
			t->op = WEFT_OP_SLEEP;
			return;
		case CHOOSE:
			t->op = WEFT_OP_CHOOSE;
			return;
		case SKIP_IF_ZERO:
			t->pc += 1 + (t->chosen == 0 ? in->a : 0);
			continue;
		}
	}
}

static bool enabled(const struct sim *s, int i)
{
	const struct sim_thread *t = &s->t[i];
	if (!t->created || t->exited || (s->frozen && i != 0))
		return false;
	const struct instr *in = &s->p->code[i][t->pc];
	switch (t->op) {
	case WEFT_OP_MUTEX_LOCK:
		return s->owner[in->a] < 0;
	case WEFT_OP_COND_WAKE:
		return t->signalled && s->owner[in->c] < 0;
	case WEFT_OP_JOIN:
		return s->t[in->a].exited;
	case WEFT_OP_SEM_WAIT:
		return s->sem[in->a] > 0;
	default:
		return true;
	}
}

/* Apply thread i's pending operation. */
static void execute(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	const struct instr *in = &s->p->code[i][t->pc];
	switch (t->op) {
	case WEFT_OP_START:
		break;
	case WEFT_OP_THREAD_EXIT:
		t->exited = true;
		return;
	case WEFT_OP_PROCESS_EXIT:
		s->frozen = true;
		t->exited = true;
		return;
	case WEFT_OP_MUTEX_LOCK:
		s->owner[in->a] = i;
		t->pc++;
		break;
	case WEFT_OP_MUTEX_UNLOCK:
		s->owner[in->a] = -1;
		t->took[in->a] = false;
		t->pc++;
		break;
	case WEFT_OP_MUTEX_TRYLOCK:
		if (s->owner[in->a] < 0) {
			s->owner[in->a] = i;
			t->took[in->a] = true;
		} else {
			t->yielded = true;
		}
		t->pc++;
		break;
	case WEFT_OP_COND_WAIT:
		s->owner[in->c] = -1;
		s->queue[in->b][s->nqueued[in->b]++] = (uint8_t)i;
		t->waiting = true;
		t->signalled = false;
		break;
	case WEFT_OP_COND_WAKE:
		s->owner[in->c] = i;
		t->waiting = false;
		break;
	case WEFT_OP_COND_SIGNAL:
	case WEFT_OP_COND_BROADCAST: {
		uint8_t c = in->a, k = t->op == WEFT_OP_COND_SIGNAL && s->nqueued[c] ? 1 : s->nqueued[c];
		for (uint8_t q = 0; q < k; q++)
			s->t[s->queue[c][q]].signalled = true;
		memmove(s->queue[c], s->queue[c] + k, s->nqueued[c] - k);
		s->nqueued[c] -= k;
		t->pc++;
		break;
	}
	case WEFT_OP_CREATE:
		s->t[in->a].created = true;
		s->t[in->a].op = WEFT_OP_START;
		t->pc++;
		break;
	case WEFT_OP_YIELD:
		t->yielded = true;
		t->pc++;
		break;
	case WEFT_OP_SEM_POST:
		s->sem[in->a]++;
		t->pc++;
		break;
	case WEFT_OP_SEM_WAIT:
		s->sem[in->a]--;
		t->pc++;
		break;
	case WEFT_OP_CHOOSE:
		t->choosing = true; /* run() records the value next, then goes on */
		return;
	default:
		t->pc++;
		break;
	}
	advance(s, i);
}

/* One execution under `plan`; returns the number of events, or 0 when the
 * plan could not be followed (counted as a failure). */
static uint32_t run(const struct program *p, const struct weft_plan *plan,
                    struct weft_event *events, struct weft_thread_state *states,
                    bool *deadlocked)
{
	struct sim s = {.p = p};
	memset(s.owner, -1, sizeof s.owner);
	s.t[0].created = true;
	advance(&s, 0);
	uint32_t pos = 0, n = 0;
	*deadlocked = false;
	for (;;) {
		/* Sleepers are due only when nobody else is eager (sched.c
		 * moves the clock then); all of them at once, a tie. */
		uint64_t all = 0, eager = 0, sleepers = 0;
		for (int i = 0; i < p->nthreads; i++) {
			if (!enabled(&s, i))
				continue;
			if (s.t[i].op == WEFT_OP_SLEEP)
				sleepers |= 1ull << i;
			else if (!s.t[i].yielded)
				eager |= 1ull << i;
			else
				all |= 1ull << i;
		}
		uint64_t set = eager ? eager : sleepers ? sleepers : all;
		if (!set) {
			for (int i = 0; i < p->nthreads; i++)
				*deadlocked |= s.t[i].created && !s.t[i].exited && !s.frozen;
			break;
		}
		if (n == MAX_STEPS)
			break;
		bool choice = (set & (set - 1)) != 0;
		int id = __builtin_ctzll(set);
		if (pos < plan->len && plan->choices[pos].step == n) {
			id = (int)plan->choices[pos++].thread;
			if (id >= 64 || !((set >> id) & 1)) {
				fprintf(stderr, "FAIL %s: the plan runs thread %d at step %u, which cannot run\n",
				        p->name, id, n);
				for (uint32_t i = 0; getenv("TEST_DPOR_VERBOSE") && i < plan->len; i++)
					fprintf(stderr, "  plan %u: %u\n", plan->choices[i].step,
					        plan->choices[i].thread);
				for (uint32_t i = 0; getenv("TEST_DPOR_VERBOSE") && i < n; i++)
					fprintf(stderr, "  ran %u: t%u %s %s\n", i, events[i].thread,
					        weft_op_name(events[i].op),
					        events[i].flags & WEFT_EVENT_VALUE ? "(value)" : "");
				failures++;
				return 0;
			}
		} else if (pos < plan->len && (plan->choices[pos].step < n || choice)) {
			fprintf(stderr, "FAIL %s: the plan misses the choice at step %u\n", p->name, n);
			failures++;
			return 0;
		}
		for (int i = 0; i < p->nthreads; i++)
			if (i != id)
				s.t[i].yielded = false;
		struct sim_thread *t = &s.t[id];
		events[n++] = (struct weft_event){.thread = (uint16_t)id, .op = t->op,
		                                  .flags = choice ? WEFT_EVENT_CHOICE : 0,
		                                  .object = t->object, .object2 = t->object2,
		                                  .enabled = set};
		execute(&s, id);
		if (t->choosing && n < MAX_STEPS) {
			/* The value, recorded right away as the runtime does, planned
			 * like a thread (sched.c weft__choose_value). */
			uint32_t k = p->code[id][t->pc].a;
			uint64_t values = (1ull << k) - 1;
			uint32_t v = 0;
			if (pos < plan->len && plan->choices[pos].step == n) {
				v = plan->choices[pos++].thread;
				if (v >= k) {
					fprintf(stderr, "FAIL %s: the plan chooses value %u of %u\n", p->name,
					        v, k);
					failures++;
					return 0;
				}
			}
			events[n++] = (struct weft_event){.thread = (uint16_t)id, .op = WEFT_OP_CHOSEN,
			                                  .flags = (uint8_t)(WEFT_EVENT_VALUE |
			                                                     (k > 1 ? WEFT_EVENT_CHOICE : 0)),
			                                  .object = v, .enabled = values};
			t->choosing = false;
			t->chosen = v;
			t->pc++;
			advance(&s, id);
		}
	}
	for (int i = 0; i < p->nthreads; i++) {
		const struct sim_thread *t = &s.t[i];
		states[i] = (struct weft_thread_state){
			.status = !t->created  ? WEFT_THREAD_UNUSED
			          : t->exited ? WEFT_THREAD_EXITED
			          : enabled(&s, i) || s.frozen ? WEFT_THREAD_LIVE
			                                       : WEFT_THREAD_BLOCKED,
			.op = t->op, .object = t->object};
	}
	return n;
}

/* Classes of executions: the trace's events in the canonical order of its
 * dependence graph (repeatedly the lowest thread whose next event has no
 * unplaced dependent event before it), hashed. */
static bool print_classes; /* TEST_DPOR_ONLY with TEST_DPOR_VERBOSE=2 */

static uint64_t class_of(const struct weft_event *events, uint32_t n)
{
	static struct weft_dep_event d[MAX_STEPS], pending[WEFT_MAX_THREADS];
	struct weft_dep_context context = {0};
	struct weft_dep_annotator *a = weft_dep_annotator_new(&context);
	uint64_t mask, hash = 1469598103934665603ull;
	weft_dep_annotate(a, events, n, NULL, 0, d, pending, &mask);
	weft_dep_annotator_free(a);
	static bool dep[MAX_STEPS][MAX_STEPS];
	uint32_t waiting[MAX_STEPS] = {0}; /* earlier dependent events not yet placed */
	bool placed[MAX_STEPS] = {0};
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t m = 0; m < i; m++)
			waiting[i] += dep[m][i] = weft_dep_dependent(&d[m], &d[i]);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t best = n;
		for (uint32_t i = 0; i < n; i++)
			if (!placed[i] && !waiting[i] && (best == n || d[i].thread < d[best].thread))
				best = i;
		placed[best] = true;
		for (uint32_t i = best + 1; i < n; i++)
			waiting[i] -= dep[best][i];
		uint64_t word = (uint64_t)d[best].thread << 40 | (uint64_t)d[best].op << 32 |
		                events[best].object;
		if (print_classes)
			fprintf(stderr, " %u:%s%s", d[best].thread, weft_op_name(d[best].op),
			        (d[best].flags & WEFT_DEP_FAILED) ? "(fail)" : "");
		for (int b = 0; b < 8; b++)
			hash = (hash ^ ((word >> (8 * b)) & 0xff)) * 1099511628211ull;
	}
	if (print_classes)
		fprintf(stderr, "\n");
	return hash ? hash : 1;
}

struct class_set {
	uint64_t *keys; /* open addressing, 0 = empty */
	uint32_t n, cap;
};

static bool has_class(const struct class_set *set, uint64_t key)
{
	if (!set->cap)
		return false;
	uint32_t i = (uint32_t)(key % set->cap);
	while (set->keys[i] && set->keys[i] != key)
		i = (i + 1) % set->cap;
	return set->keys[i] == key;
}

/* Record a class; false when it was already there. */
static bool add_class(struct class_set *set, uint64_t key)
{
	if (has_class(set, key))
		return false;
	if (2 * (set->n + 1) > set->cap) {
		struct class_set bigger = {.cap = set->cap ? 2 * set->cap : 1024};
		bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
		for (uint32_t i = 0; i < set->cap; i++)
			if (set->keys[i])
				add_class(&bigger, set->keys[i]);
		free(set->keys);
		*set = bigger;
	}
	uint32_t i = (uint32_t)(key % set->cap);
	while (set->keys[i])
		i = (i + 1) % set->cap;
	set->keys[i] = key;
	set->n++;
	return true;
}

/* DFS beyond this is not a usable oracle (smaller for the random programs
 * of the default run, to keep it quick) */
static unsigned long long max_executions = 300000;

struct outcome {
	unsigned long long executions, deadlocks, repeats, foreign;
	bool complete;
};

/* Explore p with a strategy; each execution's class goes into `set`, and
 * those not in `reference` (when given) are counted as foreign. */
static struct outcome explore(const struct program *p, const char *strategy,
                              struct class_set *set, const struct class_set *reference)
{
	const struct weft_strategy_ops *ops = weft_strategy_find(strategy);
	struct weft_config config;
	weft_config_defaults(&config);
	void *state = ops->create(&config);
	static struct weft_choice choices[MAX_STEPS];
	static struct weft_event events[MAX_STEPS];
	struct weft_thread_state states[MAX_THREADS];
	struct weft_plan plan = {.choices = choices, .cap = MAX_STEPS};
	struct outcome o = {0};
	for (;;) {
		if (o.executions == (strcmp(strategy, "dfs") == 0 ? max_executions : 2000000))
			break;
		if (!ops->next_plan(state, &plan)) {
			o.complete = true;
			break;
		}
		bool deadlocked;
		struct weft_trace trace = {.events = events, .threads = states,
		                           .nthreads = (uint32_t)p->nthreads};
		trace.nevents = run(p, &plan, events, states, &deadlocked);
		if (!trace.nevents)
			break;
		o.executions++;
		o.deadlocks += deadlocked;
		if (set) {
			uint64_t key = class_of(events, trace.nevents);
			o.repeats += !add_class(set, key);
			o.foreign += reference && !has_class(reference, key);
		}
		ops->observe(state, &trace);
	}
	ops->destroy(state);
	return o;
}

/* DPOR must visit every class that DFS visits, each once (`exact`), or at
 * least once where DPOR is knowingly conservative. */
static void check_against_dfs(const struct program *p, bool exact)
{
	const char *only = getenv("TEST_DPOR_ONLY");
	if (only && strcmp(only, p->name) != 0)
		return;
	bool verbose = getenv("TEST_DPOR_VERBOSE") != NULL;
	if (verbose && only) {
		static const char *const names[] = {"",       "LOCK",   "UNLOCK", "TRY",
		                                    "UNLOCK_IF", "WAIT_UNTIL", "SET", "SIGNAL",
		                                    "BROADCAST", "CREATE", "JOIN", "YIELD",
		                                    "POST",   "SEM_WAIT", "SLEEP", "CHOOSE",
		                                    "SKIP_IF_ZERO"};
		for (int t = 0; t < p->nthreads; t++) {
			fprintf(stderr, "T%d:", t);
			for (int k = 0; p->code[t][k].op; k++)
				fprintf(stderr, " %s(%u)", names[p->code[t][k].op], p->code[t][k].a);
			fprintf(stderr, "\n");
		}
	}
	print_classes = verbose && only && strcmp(getenv("TEST_DPOR_VERBOSE"), "2") == 0;
	struct class_set all = {0}, seen = {0};
	struct outcome dfs = explore(p, "dfs", &all, NULL);
	if (verbose)
		fprintf(stderr, "=== %s: dpor\n", p->name);
	struct outcome dpor = explore(p, "dpor", &seen, &all);
	if (verbose)
		fprintf(stderr, "%s: dfs %llu executions, %u classes; dpor %llu executions, %u classes\n",
		        p->name, dfs.executions, all.n, dpor.executions, seen.n);
	char what[128];
	if (dfs.complete) {
		snprintf(what, sizeof what, "%s: classes DPOR missed", p->name);
		EXPECT_EQ(what, all.n - (seen.n - dpor.foreign), 0);
		snprintf(what, sizeof what, "%s: classes DPOR found and DFS did not", p->name);
		EXPECT_EQ(what, dpor.foreign, 0);
		snprintf(what, sizeof what, "%s: DPOR executions vs classes", p->name);
		if (exact)
			EXPECT_EQ(what, dpor.executions, all.n);
		snprintf(what, sizeof what, "%s: DPOR found a deadlock", p->name);
		EXPECT_EQ(what, dpor.deadlocks > 0, dfs.deadlocks > 0);
	}
	snprintf(what, sizeof what, "%s: DPOR completes", p->name);
	EXPECT_EQ(what, dpor.complete, true);
	free(all.keys);
	free(seen.keys);
}

static unsigned long long count(const struct program *p)
{
	return explore(p, "dpor", NULL, NULL).executions;
}

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
	}

	if (failures)
		return 1;
	printf("test_dpor: all passed\n");
	return 0;
}
