/* Unit test of the explorer's check of the exchange region
 * (core/exchange_check.c): a region a real execution could leave is
 * trusted; each kind of damage a program can do is refused with an error
 * or a divergence; and tens of thousands of random damages never crash the
 * check, nor what reads the region once it is trusted (the verdict).
 * Expected: the last line is "test_exchange_check: N checks, 0 failed". */
#include "exchange_check.h"
#include "unit_check.h"
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 64

static struct weft_shm *region;
static size_t region_size;

/* What an execution of "main creates T1, T1 locks and unlocks m, both
 * exit" leaves, with the plan choosing T1 at step 1. */
static void good_region(void)
{
	memset(region, 0, region_size);
	region->magic = WEFT_SHM_MAGIC;
	region->version = WEFT_PROTOCOL_VERSION;
	region->size = sizeof *region;
	region->max_steps = MAX_STEPS;
	region->plan_len = 1;
	weft_shm_plan(region)[0] = (struct weft_choice){.step = 1, .thread = 1};
	region->loaded = 1;
	region->claimed_pid = 1234;
	region->nthreads = 2;
	region->exited = 1;
	region->nobjects = 2;
	region->nmodules = 1;
	region->modules[0] = (struct weft_module){.start = 4096, .end = 8192, .path = "prog"};
	region->objects[1] =
	    (struct weft_object_info){.kind = WEFT_OBJECT_MUTEX, .module = UINT32_MAX};
	region->threads[0].status = WEFT_THREAD_LIVE;
	region->threads[1].status = WEFT_THREAD_EXITED;
	struct weft_event *e = weft_shm_events(region);
	e[0] = (struct weft_event){.thread = 0, .op = WEFT_OP_CREATE, .object = 1, .enabled = 1};
	e[1] = (struct weft_event){
	    .thread = 1, .op = WEFT_OP_START, .flags = WEFT_EVENT_CHOICE, .enabled = 3};
	e[2] =
	    (struct weft_event){.thread = 1, .op = WEFT_OP_MUTEX_LOCK, .object = 1, .enabled = 2};
	e[3] =
	    (struct weft_event){.thread = 1, .op = WEFT_OP_MUTEX_UNLOCK, .object = 1, .enabled = 2};
	e[4] = (struct weft_event){.thread = 1, .op = WEFT_OP_THREAD_EXIT, .enabled = 2};
	e[5] = (struct weft_event){.thread = 0, .op = WEFT_OP_JOIN, .object = 1, .enabled = 1};
	e[6] = (struct weft_event){.thread = 0, .op = WEFT_OP_PROCESS_EXIT, .enabled = 1};
	region->nsteps = 7;
}

static const struct weft_run_outcome clean_exit = {.exit_status = 0};

/* check() after damage(): refused, as an error (corruption) or a divergence. */
static int verdict(struct weft_exchange_guard *g, const struct weft_run_outcome *out)
{
	struct weft_verdict_info v;
	if (weft_exchange_guard_check(g, region, out, &v))
		return 0;
	if (getenv("VERBOSE"))
		fprintf(stderr, "%s\n", v.message);
	return v.error ? 2 : v.kind == WEFT_BUG_DIVERGED ? 1 : 3;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	region_size = weft_shm_size(MAX_STEPS);
	region = aligned_alloc(64, (region_size + 63) / 64 * 64);
	struct weft_exchange_guard *g = weft_exchange_guard_new(MAX_STEPS);
	CHECK(region && g);
	if (!region || !g)
		return 1;

	good_region();
	weft_exchange_guard_arm(g, region);
	CHECK(verdict(g, &clean_exit) == 0);

	/* Each kind of damage. */
	struct {
		const char *what;
		int want; /* 1 diverged, 2 error */
	} cases[] = {
	    {"max_steps", 2}, {"plan", 2},      {"nthreads", 2}, {"nmodules", 2},  {"thread", 2},
	    {"enabled", 2},   {"uncreated", 2}, {"cycle", 2},    {"object id", 2}, {"bug", 2},
	    {"no steps", 1},  {"choice", 1},    {"short", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		good_region();
		weft_exchange_guard_arm(g, region);
		struct weft_event *e = weft_shm_events(region);
		struct weft_run_outcome out = clean_exit;
		const char *w = cases[i].what;
		if (!strcmp(w, "max_steps"))
			region->max_steps = 0xffffffffu;
		else if (!strcmp(w, "plan"))
			weft_shm_plan(region)[0].thread = 0;
		else if (!strcmp(w, "nthreads"))
			region->nthreads = 1u << 30;
		else if (!strcmp(w, "nmodules"))
			region->nmodules = WEFT_MAX_MODULES + 1;
		else if (!strcmp(w, "thread"))
			e[3].thread = 40000;
		else if (!strcmp(w, "enabled"))
			e[3].enabled = 1ull << 40;
		else if (!strcmp(w, "uncreated"))
			e[0].op = WEFT_OP_YIELD;
		else if (!strcmp(w, "cycle"))
			region->objects[1].previous = 1;
		else if (!strcmp(w, "object id"))
			e[2].object = 0xfffffff0u;
		else if (!strcmp(w, "bug"))
			region->bug = WEFT_BUG_MISUSE; /* but the process exited with 0 */
		else if (!strcmp(w, "no steps"))
			region->nsteps = 1;
		else if (!strcmp(w, "choice"))
			e[1].thread = 0, e[1].op = WEFT_OP_JOIN;
		else if (!strcmp(w, "short"))
			region->nsteps = 1,
			e[0] = (struct weft_event){.op = WEFT_OP_PROCESS_EXIT, .enabled = 1},
			region->nthreads = 1;
		int got = verdict(g, &out);
		if (got != cases[i].want)
			fprintf(stderr, "damage '%s': got %d, want %d\n", w, got, cases[i].want);
		CHECK(got == cases[i].want);
	}

	/* The explorer's part is restored after damage, for later executions. */
	good_region();
	weft_exchange_guard_arm(g, region);
	region->max_steps = 7;
	verdict(g, &clean_exit);
	CHECK(region->max_steps == MAX_STEPS);

	/* The functions wrapped: one named is guarded, the unused entries of
	 * the table are not (nobody reads them). */
	good_region();
	region->nwrapped = 1;
	strcpy(region->wrapped[0].name, "lock");
	weft_exchange_guard_arm(g, region);
	region->wrapped[0].name[0] = 'b';
	CHECK(verdict(g, &clean_exit) == 2);
	CHECK(region->wrapped[0].name[0] == 'l');
	region->wrapped[1].name[0] = 'x';
	CHECK(verdict(g, &clean_exit) == 0);
	region->nwrapped = 2;
	CHECK(verdict(g, &clean_exit) == 2);
	CHECK(region->nwrapped == 1);
	region->nwrapped = 0;
	memset(region->wrapped, 0, sizeof region->wrapped);

	/* Random damage: never a crash, and the verdict reads only what was
	 * checked. */
	char *argv[] = {"prog", NULL};
	struct weft_config config;
	weft_config_defaults(&config);
	config.argv = argv;
	unsigned long trusted = 0;
	size_t from = offsetof(struct weft_shm, loaded);
	for (int round = 0; round < 20000; round++) {
		good_region();
		if (round % 2)
			region->plan_len = 0; /* a first execution, for the strategy below */
		weft_exchange_guard_arm(g, region);
		int flips = 1 + (int)(next_random() % 16);
		/* Where the events are before the damage (it may hit max_steps,
		 * which places them). */
		size_t events = (size_t)((char *)weft_shm_events(region) - (char *)region);
		for (int k = 0; k < flips; k++) {
			/* Mostly where an execution writes what is read: the scalars,
			 * the first threads and objects, the first events. */
			size_t at, pick = next_random() % 8;
			if (pick == 0)
				at = next_random() % region_size;
			else if (pick < 4)
				at = from + next_random() % (offsetof(struct weft_shm, threads) +
				                             2 * sizeof region->threads[0] - from);
			else if (pick < 5)
				at = offsetof(struct weft_shm, objects) +
				     next_random() % (3 * sizeof region->objects[0]);
			else
				at = events + next_random() % (8 * sizeof(struct weft_event));
			((unsigned char *)region)[at] = (unsigned char)next_random();
		}
		struct weft_run_outcome out = {.exit_status = (int)(next_random() % 3 ? 0 : 86)};
		struct weft_verdict_info v;
		if (weft_exchange_guard_check(g, region, &out, &v)) {
			trusted++;
			weft_classify(&config, region, &out, &v);
			CHECK(strlen(v.message) < sizeof v.message);
			/* The strategies read the trace next: DPOR, the most demanding,
			 * takes it as the first execution's and plans the next ones. */
			if (region->plan_len == 0) {
				void *dpor = weft_strategy_dpor.create(&config);
				struct weft_choice choices[MAX_STEPS];
				struct weft_plan plan = {.choices = choices, .cap = MAX_STEPS};
				uint32_t n =
				    region->nsteps < MAX_STEPS ? region->nsteps : MAX_STEPS;
				struct weft_trace trace = {.events = weft_shm_events(region),
				                           .nevents = n,
				                           .threads = region->threads,
				                           .nthreads = region->nthreads};
				if (dpor && weft_strategy_dpor.next_plan(dpor, &plan)) {
					weft_strategy_dpor.observe(dpor, &trace);
					for (int k = 0;
					     k < 4 && weft_strategy_dpor.next_plan(dpor, &plan);
					     k++)
						CHECK(plan.len <= MAX_STEPS);
				}
				if (dpor)
					weft_strategy_dpor.destroy(dpor);
			}
		} else {
			CHECK(v.error || v.kind == WEFT_BUG_DIVERGED);
		}
	}
	printf("random damage: %lu of 20000 regions still trusted\n", trusted);

	weft_exchange_guard_free(g);
	free(region);
	printf("test_exchange_check: %lu checks, %lu failed\n", checks, failures);
	return failures != 0;
}
