/* The oracle of tests/unit/test_dpor.c: sorts executions into classes of
 * equivalent executions (a canonical order of each trace's dependence
 * graph), explores a simulated program with a strategy, and checks DPOR
 * against DFS class by class, and outcome by outcome: the classes come
 * from the dependence relation under test, the outcomes (dpor_sim.h) from
 * the program alone, so a relation that calls dependent events independent
 * shows as an outcome DPOR never reaches. Included only by test_dpor.c (see
 * dpor_sim.h). */
#ifndef WEFT_TEST_DPOR_ORACLE_H
#define WEFT_TEST_DPOR_ORACLE_H

/* Classes of executions: the trace's events in the canonical order of its
 * dependence graph (repeatedly the lowest thread whose next event has no
 * unplaced dependent event before it), hashed. */
static bool print_classes; /* TEST_DPOR_ONLY with TEST_DPOR_VERBOSE=2 */

static uint64_t class_of(const struct weft_event *events, uint32_t n,
                         const struct weft_thread_state *states, uint32_t nthreads)
{
	static struct weft_dep_event d[MAX_STEPS], pending[WEFT_MAX_THREADS];
	struct weft_dep_context context = {0};
	struct weft_dep_annotator *a = weft_dep_annotator_new(&context);
	uint64_t mask, hash = 1469598103934665603ull;
	weft_dep_annotate(a, events, n, states, nthreads, d, pending, &mask);
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

/* TEST_DPOR_VERBOSE=3 with TEST_DPOR_ONLY: the DFS executions whose class
 * or outcome DPOR missed are printed. */
static const struct class_set *missed_classes, *missed_outcomes;

static void print_execution(const char *why, const struct weft_event *events, uint32_t n)
{
	fprintf(stderr, "%s:", why);
	for (uint32_t i = 0; i < n; i++)
		fprintf(stderr, " %u:%s#%u%s", events[i].thread, weft_op_name(events[i].op),
		        events[i].object, (events[i].flags & WEFT_EVENT_FAILED) ? "(failed)" : "");
	fprintf(stderr, "\n");
}

/* DFS (or bounded search) beyond this is not a usable oracle (smaller for the random programs
 * of the default run, to keep it quick) */
static unsigned long long max_executions = 300000;

/* --max-bound for the bounded strategies */
static uint32_t explore_max_bound = WEFT_NO_MAX_BOUND;

/* TEST_DPOR_ONLY with TEST_DPOR_VERBOSE: executions of classes not in this
 * set are printed */
static const struct class_set *show_missed;

struct outcome {
	unsigned long long executions, deadlocks, misuses, repeats, foreign;
	bool complete;
};

/* Explore p with a strategy; each execution's class goes into `set`, and
 * those not in `reference` (when given) are counted as foreign; its
 * outcome goes into `outcomes` (when given). */
static struct outcome explore(const struct program *p, const char *strategy, struct class_set *set,
                              const struct class_set *reference, struct class_set *outcomes)
{
	const struct weft_strategy_ops *ops = weft_strategy_find(strategy);
	struct weft_config config;
	weft_config_defaults(&config);
	config.max_bound = explore_max_bound;
	void *state = ops->create(&config);
	static struct weft_choice choices[MAX_STEPS];
	static struct weft_event events[MAX_STEPS];
	struct weft_thread_state states[MAX_THREADS];
	struct weft_plan plan = {.choices = choices, .cap = MAX_STEPS};
	struct outcome o = {0};
	for (;;) {
		bool oracle = strcmp(strategy, "dfs") == 0 || strcmp(strategy, "bounded") == 0;
		if (o.executions == (oracle ? max_executions : 20 * max_executions))
			break;
		if (!ops->next_plan(state, &plan)) {
			o.complete = true;
			break;
		}
		bool deadlocked, misused;
		uint64_t end;
		struct weft_trace trace = {.events = events, .threads = states,
		                           .nthreads = (uint32_t)p->nthreads};
		trace.nevents = run(p, &plan, events, states, &deadlocked, &misused, &end);
		if (!trace.nevents)
			break;
		o.executions++;
		o.deadlocks += deadlocked;
		o.misuses += misused;
		if (outcomes)
			add_class(outcomes, end);
		if (show_missed && !misused &&
		    !has_class(show_missed, class_of(events, trace.nevents, states, trace.nthreads)))
			/* an execution of a class the other strategy missed */
			print_execution("missed", events, trace.nevents);
		if (missed_outcomes && !has_class(missed_outcomes, end))
			print_execution("missed outcome", events, trace.nevents);
		else if (missed_classes && !misused &&
		         !has_class(missed_classes,
		                    class_of(events, trace.nevents, states, trace.nthreads)))
			print_execution("missed class", events, trace.nevents);
		/* An execution cut short by misuse is not a class of its own: the
		 * threads it stopped did not run on to the end, and DPOR may stop
		 * them elsewhere. Its outcome, the misuse, is what counts. */
		if (set && !misused) {
			uint64_t key = class_of(events, trace.nevents, states, trace.nthreads);
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
		static const char *const names[OP_LIMIT] = {
		    "",           "LOCK",         "UNLOCK",      "TRY",         "UNLOCK_IF",
		    "WAIT_UNTIL", "SET",          "SIGNAL",      "BROADCAST",   "CREATE",
		    "JOIN",       "YIELD",        "POST",        "SEM_WAIT",    "SLEEP",
		    "CHOOSE",     "SKIP_IF_ZERO", "RDLOCK",      "WRLOCK",      "RWUNLOCK",
		    "TRYRD",      "TRYWR",        "RWUNLOCK_IF", "TRYWAIT",     "GETVALUE",
		    "BARRIER",    "ONCE",         "USER_LOCK",   "USER_UNLOCK", "ATOMIC_BEGIN",
		    "ATOMIC_END", "DESTROY"};
		for (int t = 0; t < p->nthreads; t++) {
			fprintf(stderr, "T%d:", t);
			for (int k = 0; p->code[t][k].op; k++)
				fprintf(stderr, " %s(%u,%u)", names[p->code[t][k].op],
				        p->code[t][k].a, p->code[t][k].b);
			fprintf(stderr, "\n");
		}
	}
	print_classes = verbose && only && strcmp(getenv("TEST_DPOR_VERBOSE"), "2") == 0;
	struct class_set all = {0}, seen = {0}, dfs_ends = {0}, dpor_ends = {0};
	struct outcome dfs = explore(p, "dfs", &all, NULL, &dfs_ends);
	if (verbose)
		fprintf(stderr, "=== %s: dpor\n", p->name);
	struct outcome dpor = explore(p, "dpor", &seen, &all, &dpor_ends);
	if (verbose)
		fprintf(
		    stderr,
		    "%s: dfs %llu executions, %u classes, %u outcomes; dpor %llu executions, %u "
		    "classes, %u outcomes\n",
		    p->name, dfs.executions, all.n, dfs_ends.n, dpor.executions, seen.n,
		    dpor_ends.n);
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
		snprintf(what, sizeof what, "%s: DPOR found a misuse", p->name);
		EXPECT_EQ(what, dpor.misuses > 0, dfs.misuses > 0);
		uint32_t missed = 0;
		for (uint32_t i = 0; i < dfs_ends.cap; i++)
			missed += dfs_ends.keys[i] && !has_class(&dpor_ends, dfs_ends.keys[i]);
		snprintf(what, sizeof what, "%s: outcomes DPOR missed", p->name);
		EXPECT_EQ(what, missed, 0);
		if (only && verbose && strcmp(getenv("TEST_DPOR_VERBOSE"), "3") == 0) {
			missed_classes = &seen;
			missed_outcomes = &dpor_ends;
			explore(p, "dfs", NULL, NULL, NULL);
			missed_classes = missed_outcomes = NULL;
		}
	}
	/* Where DFS could not finish, neither may DPOR (an operation it does
	 * not know is explored like DFS). */
	snprintf(what, sizeof what, "%s: DPOR completes", p->name);
	if (dfs.complete)
		EXPECT_EQ(what, dpor.complete, true);
	free(all.keys);
	free(seen.keys);
	free(dfs_ends.keys);
	free(dpor_ends.keys);
}

/* Bounded DPOR within bound b must visit every class that bounded search
 * (every schedule with at most b preemptions) visits. */
static void check_bounded(const struct program *p, uint32_t b)
{
	const char *only = getenv("TEST_DPOR_ONLY");
	if (only && strcmp(only, p->name) != 0)
		return;
	explore_max_bound = b;
	struct class_set all = {0}, seen = {0};
	struct outcome bounded = explore(p, "bounded", &all, NULL, NULL);
	struct outcome bpor = explore(p, "bounded-dpor", &seen, NULL, NULL);
	explore_max_bound = WEFT_NO_MAX_BOUND;
	if (getenv("TEST_DPOR_VERBOSE"))
		fprintf(stderr,
		        "%s, bound %u: bounded %llu executions, %u classes; bounded-dpor %llu "
		        "executions, %u classes\n",
		        p->name, b, bounded.executions, all.n, bpor.executions, seen.n);
	if (!bounded.complete) {
		/* too large to be a usable oracle */
		free(all.keys);
		free(seen.keys);
		return;
	}
	uint32_t missed = 0;
	for (uint32_t i = 0; i < all.cap; i++)
		missed += all.keys[i] && !has_class(&seen, all.keys[i]);
	if (missed && only && getenv("TEST_DPOR_VERBOSE")) {
		show_missed = &seen;
		explore_max_bound = b;
		explore(p, "bounded", NULL, NULL, NULL);
		explore_max_bound = WEFT_NO_MAX_BOUND;
		show_missed = NULL;
	}
	char what[128];
	snprintf(what, sizeof what, "%s: classes bounded-dpor missed within bound %u", p->name, b);
	EXPECT_EQ(what, missed, 0);
	snprintf(what, sizeof what, "%s: bounded-dpor found a deadlock within bound %u", p->name, b);
	EXPECT_EQ(what, bpor.deadlocks > 0, bounded.deadlocks > 0);
	free(all.keys);
	free(seen.keys);
}

static unsigned long long count(const struct program *p)
{
	return explore(p, "dpor", NULL, NULL, NULL).executions;
}


#endif
