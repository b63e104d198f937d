/* The exploration loop: ask the strategy for a plan, run one execution,
 * judge its outcome, feed the trace back, and stop at the first bug, when
 * the strategy has nothing left (complete) or when a budget runs out. */
#define _GNU_SOURCE
#include "explore.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "bug_stacks.h"
#include "bugs.h"
#include "classify.h"
#include "exchange_check.h"
#include "executor.h"
#include "fingerprint.h"
#include "interrupt.h"
#include "object_keys.h"
#include "race_points.h"
#include "sanitize.h"
#include "shard.h"
#include "strategy.h"
#include "token.h"
#include "token_program.h"

void weft_config_defaults(struct weft_config *config)
{
	memset(config, 0, sizeof *config);
	config->strategy = "auto";
	config->max_steps = WEFT_DEFAULT_MAX_STEPS;
	config->hang_timeout = WEFT_DEFAULT_HANG_TIMEOUT;
	config->fork_server = true;
	/* The runtime reads the same variable in the target (exec_layer.c). */
	const char *threads = getenv("WEFT_THREADS");
	config->fiber_threads = threads && strcmp(threads, "fiber") == 0;
	config->max_bound = WEFT_NO_MAX_BOUND;
}

static void settle_fingerprint(void *fingerprints)
{
	if (fingerprints)
		weft_fingerprints_settle(fingerprints);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(const struct weft_config *config, double start, uint64_t executions,
                     double *last)
{
	double t = now();
	if (!config->progress || t - start < 1.0 || t - *last < 0.25)
		return;
	*last = t;
	fprintf(stderr, "\rweft: %llu executions, %.0f/s ...", (unsigned long long)executions,
	        (double)executions / (t - start));
	fflush(stderr);
}

static void clear_progress(const struct weft_config *config, double start)
{
	if (config->progress && now() - start >= 1.0)
		fprintf(stderr, "\r\033[K");
}

/* An abort from assert() says which assertion failed on stderr; that line
 * is the best headline the report can have. */
static void use_assertion_text(struct weft_bug *bug)
{
	const char *hit = strstr(bug->output, "Assertion `");
	if (!hit)
		return;
	const char *start = hit;
	while (start > bug->output && start[-1] != '\n')
		start--;
	const char *end = strchr(hit, '\n');
	int n = end ? (int)(end - start) : (int)strlen(start);
	snprintf(bug->message, sizeof bug->message, "%.*s", n, start);
}

/* identity: the program's (token_program.h), appended to the token; 0 for
 * none (weft_check, whose replays read plain tokens). */
static struct weft_bug *capture_bug(struct weft_executor *ex, const struct weft_verdict_info *v,
                                    uint64_t execution, uint64_t identity)
{
	struct weft_shm *shm = weft_executor_shm(ex);
	struct weft_bug *bug = calloc(1, sizeof *bug);
	if (!bug)
		return NULL;
	bug->kind = v->kind;
	snprintf(bug->message, sizeof bug->message, "%s", v->message);
	bug->execution = execution;
	bug->exit_status = v->exit_status;
	bug->signal = v->signal;
	bug->snapshot = malloc(sizeof *shm);
	uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
	bug->events = malloc((n ? n : 1) * sizeof *bug->events);
	if (!bug->snapshot || !bug->events) {
		free(bug->snapshot);
		free(bug->events);
		free(bug);
		return NULL;
	}
	memcpy(bug->snapshot, shm, sizeof *shm);
	memcpy(bug->events, weft_shm_events(shm), n * sizeof *bug->events);
	bug->nevents = n;
	weft_bug_take_stacks(bug, shm);
	/* The token lists every choice point of the execution, so a replay does
	 * not depend on any strategy's default policy. */
	uint32_t nchoices = 0;
	for (uint32_t i = 0; i < n; i++)
		nchoices += (bug->events[i].flags & WEFT_EVENT_CHOICE) != 0;
	struct weft_choice *choices = malloc((nchoices ? nchoices : 1) * sizeof *choices);
	if (choices) {
		uint32_t k = 0;
		for (uint32_t i = 0; i < n; i++)
			if (bug->events[i].flags & WEFT_EVENT_CHOICE)
				choices[k++] = (struct weft_choice){
				    .step = i, .thread = weft_event_choice(&bug->events[i])};
		bug->token = weft_token_encode(choices, nchoices);
		if (identity)
			bug->token = weft_token_with_program(bug->token, identity);
		free(choices);
	}
	bug->output = weft_executor_output_tail(ex, 4096);
	bug->race_points = weft_race_points_text(shm);
	weft_text_sanitize(bug->output, true); /* no escape sequence reaches a terminal */
	if (bug->kind == WEFT_BUG_ASSERTION && bug->output)
		use_assertion_text(bug);
	weft_text_sanitize(bug->message, false);
	return bug;
}

void weft_explore_note_interrupt(struct weft_result *result)
{
	result->interrupted = weft_interrupted();
	result->stop_reason =
	    result->interrupted == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT";
}

static void fail(struct weft_result *result, const char *message)
{
	result->verdict = WEFT_VERDICT_ERROR;
	snprintf(result->error, sizeof result->error, "%s", message);
}

static void apply_plan(struct weft_shm *shm, const struct weft_plan *plan)
{
	shm->plan_len = plan->len;
	shm->policy = plan->policy;
	shm->seed = plan->seed;
	shm->pct_depth = plan->pct_depth;
	shm->pct_steps = plan->pct_steps;
}

/* Shorter reproductions: cut the bug's schedule at each preemption and let
 * the rest run without preempting; keep any run that shows the same bug
 * with fewer preemptions (or as many and fewer steps). Bounded by
 * SHRINK_RUNS executions per bug. */
#define SHRINK_RUNS 64

static void shrink(struct weft_executor *ex, const struct weft_config *config,
                   struct weft_result *result, uint32_t index, double start,
                   struct weft_exchange_guard *guard, uint64_t identity)
{
	struct weft_shm *shm = weft_executor_shm(ex);
	struct weft_plan plan = {.choices = weft_shm_plan(shm), .cap = config->max_steps};
	uint32_t runs = 0;
	bool improved = true;
	while (improved && runs < SHRINK_RUNS) {
		improved = false;
		struct weft_bug *bug = result->bugs[index];
		for (uint32_t i = 1; i < bug->nevents && runs < SHRINK_RUNS; i++) {
			const struct weft_event *e = &bug->events[i];
			uint32_t prev = bug->events[i - 1].thread;
			if (!(e->flags & WEFT_EVENT_CHOICE) || (e->flags & WEFT_EVENT_VALUE) ||
			    !(e->enabled & (1ull << prev)) || e->thread == prev)
				continue;
			/* the choices before step i, then no preemption at all */
			plan.len = 0;
			for (uint32_t j = 0; j < i; j++)
				if (bug->events[j].flags & WEFT_EVENT_CHOICE)
					plan.choices[plan.len++] = (struct weft_choice){
					    j, weft_event_choice(&bug->events[j])};
			plan.policy = WEFT_POLICY_STICKY;
			plan.seed = 0;
			plan.pct_depth = plan.pct_steps = 0;
			apply_plan(shm, &plan);
			/* --time-limit bounds the whole run, shrinking included. */
			if (weft_interrupted() ||
			    (config->time_limit > 0 && now() - start >= config->time_limit))
				break;
			struct weft_run_outcome out;
			char err[256];
			runs++;
			weft_exchange_guard_arm(guard, shm);
			if (!weft_executor_run(ex, &out, err, sizeof err))
				return;
			struct weft_verdict_info v;
			if (!weft_exchange_guard_check(guard, shm, &out, &v))
				continue;
			weft_classify(config, shm, &out, &v);
			if (v.error || v.kind != bug->kind)
				continue;
			struct weft_bug *candidate = capture_bug(ex, &v, bug->execution, identity);
			if (!candidate)
				continue;
			candidate->signature = weft_bug_signature(candidate);
			if (candidate->signature == bug->signature &&
			    weft_bug_smaller(candidate, bug)) {
				candidate->occurrences = bug->occurrences;
				candidate->shrunk = true;
				result->bugs[index] = candidate;
				weft_bug_free(bug);
				improved = true;
				break;
			}
			weft_bug_free(candidate);
		}
	}
	result->shrink_runs += runs;
	result->bug = result->bugs[0];
}

int weft_explore(const struct weft_config *config, struct weft_result *result)
{
	memset(result, 0, sizeof *result);
	double start = now(), last_progress = 0;
	char err[1024];
	const struct weft_strategy_ops *ops =
	    config->is_replay ? &weft_strategy_replay : weft_strategy_find(config->strategy);
	if (!ops) {
		snprintf(err, sizeof err, "unknown strategy '%s' (known: %s)", config->strategy,
		         weft_strategy_names());
		fail(result, err);
		return result->verdict;
	}
	if (config->is_replay && config->replay_len > config->max_steps) {
		snprintf(err, sizeof err,
		         "the token's schedule has %u choices, more than --max-steps %u allows; "
		         "replay with --max-steps %u or more",
		         config->replay_len, config->max_steps, config->replay_len);
		fail(result, err);
		return result->verdict;
	}
	struct weft_executor *ex = weft_executor_open(config, err, sizeof err);
	struct weft_exchange_guard *guard = ex ? weft_exchange_guard_new(config->max_steps) : NULL;
	if (!ex || !guard) {
		fail(result, ex ? "out of memory" : err);
		weft_executor_close(ex);
		return result->verdict;
	}
	if (config->race_points &&
	    !weft_race_points_parse(weft_executor_shm(ex), config->race_points)) {
		snprintf(err, sizeof err,
		         "--race-points '%s': expected MODULE:HEXOFFSET,... as weft writes it into "
		         "a replay command",
		         config->race_points);
		fail(result, err);
		weft_executor_close(ex);
		return result->verdict;
	}
	/* A randomised strategy draws from the run's seed: the user's, or a
	 * fresh one that the summary prints so the run can be repeated. */
	struct weft_config seeded = *config;
	if (ops->seeded) {
		if (!seeded.has_seed) {
			uint64_t fresh = 0;
			if (getrandom(&fresh, sizeof fresh, 0) != (ssize_t)sizeof fresh)
				fresh = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
			seeded.seed = fresh;
		}
		result->seed = seeded.seed;
		result->seeded = true;
	}
	bool sharded = config->shard_count > 1 && !config->is_replay;
	if (sharded)
		ops = &weft_strategy_shard;
	void *state = ops->create(&seeded);
	struct weft_object_keys *keys = weft_object_keys_new();
	struct weft_fingerprints *fingerprints =
	    weft_fingerprints_new(config->adversarial_time, config->spurious_wakeups != 0);
	struct weft_shm *shm = weft_executor_shm(ex);
	/* A replay is one execution, and the one reported. WEFT_STACKS=all
	 * walks every execution's stacks: bench/stacks.sh measures the cost. */
	const char *stacks = getenv("WEFT_STACKS");
	if (config->is_replay || (stacks && strcmp(stacks, "all") == 0))
		shm->options |= WEFT_OPT_STACKS;
	struct weft_plan plan = {.choices = weft_shm_plan(shm), .cap = config->max_steps};
	if (config->time_limit > 0) /* bounds every execution, shrinking included */
		weft_executor_set_deadline(ex, start + config->time_limit);
	uint64_t identity = !config->launch && config->program
	                        ? weft_program_identity(config->program, config->argv)
	                        : 0;
	result->stop_reason = "every interleaving was explored";

	for (;;) {
		if (config->max_executions && result->executions >= config->max_executions) {
			result->stop_reason = "the --max-executions budget ran out";
			break;
		}
		if (config->time_limit > 0 && now() - start >= config->time_limit) {
			result->stop_reason = "the --time-limit budget ran out";
			break;
		}
		if (weft_interrupted()) {
			weft_explore_note_interrupt(result);
			break;
		}
		plan.policy = WEFT_POLICY_LOWEST;
		plan.seed = 0;
		plan.pct_depth = plan.pct_steps = 0;
		if (!ops->next_plan(state, &plan)) {
			const char *short_of =
			    ops->stopped_short ? ops->stopped_short(state) : NULL;
			if (short_of)
				result->stop_reason = short_of;
			else
				result->complete = !config->is_replay;
			break;
		}
		apply_plan(shm, &plan);
		weft_exchange_guard_arm(guard, shm);
		struct weft_run_outcome out;
		/* The previous execution is fingerprinted while this one runs. */
		if (!weft_executor_run_beside(ex, &out, err, sizeof err, settle_fingerprint,
		                              fingerprints)) {
			if (weft_interrupted())
				weft_explore_note_interrupt(result);
			else if (config->time_limit > 0 && now() - start >= config->time_limit)
				result->stop_reason = "the --time-limit budget ran out";
			else
				fail(result, err);
			break;
		}
		/* Nothing reads the region before it is checked. */
		struct weft_verdict_info v;
		bool trusted = weft_exchange_guard_check(guard, shm, &out, &v);
		if (sharded && trusted && !weft_shard_claim(state, shm)) {
			result->skipped_executions++;
			continue;
		}
		result->executions++;
		result->never_controlled = result->executions == 1
		                               ? shm->claimed_pid == 0
		                               : result->never_controlled && shm->claimed_pid == 0;
		if (trusted)
			weft_exec_models_note(&result->models, shm);
		bool hidden = trusted && weft_unseen_note(&result->unseen, shm);
		if (trusted)
			weft_classify(config, shm, &out, &v);
		if (v.error) {
			fail(result, v.message);
			break;
		}
		if (v.kind != WEFT_BUG_NONE) {
			result->verdict = WEFT_VERDICT_BUG;
			struct weft_bug *bug = capture_bug(ex, &v, result->executions, identity);
			if (!bug) {
				/* weft's own limit, never a bug without its report */
				fail(result, "weft ran out of memory while recording a bug");
				break;
			}
			weft_bugs_add(result, bug);
			/* Go on past the race to what it leads to: its accesses are
			 * scheduling points from now on, a new space that the
			 * strategy starts over (the executions so far count). */
			if (trusted && config->keep_going && !sharded &&
			    v.kind == WEFT_BUG_DATA_RACE && weft_race_points_note(shm)) {
				ops->destroy(state);
				state = ops->create(&seeded);
				continue;
			}
			/* A record that cannot be right is never observed, unless the
			 * search goes on past it. */
			if (!trusted && (!config->keep_going || config->is_replay)) {
				result->stop_reason = "a bug was found";
				break;
			}
		}
		uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
		struct weft_trace trace = {.events = weft_shm_events(shm),
		                           .nevents = n,
		                           .threads = shm->threads,
		                           .nthreads = shm->nthreads,
		                           .hidden = hidden};
		weft_object_keys_trace(keys, shm, &trace); /* numbers that hold across executions */
		if (fingerprints)
			weft_fingerprints_defer(fingerprints, trace.events, n, trace.threads,
			                        trace.nthreads);
		ops->observe(state, &trace);
		progress(config, start, result->executions, &last_progress);
		/* Stop only now: the execution that showed the bug counts in the
		 * coverage and the distinct traces like any other. */
		if (v.kind != WEFT_BUG_NONE && (!config->keep_going || config->is_replay)) {
			result->stop_reason = "a bug was found";
			break;
		}
	}
	clear_progress(config, start);
	if (fingerprints)
		result->distinct_traces = weft_fingerprints_settle(fingerprints);
	/* Never claim more than was seen. */
	result->seen_complete = result->complete;
	if (weft_unseen_any(&result->unseen) && result->complete) {
		result->complete = false;
		result->stop_reason = "every interleaving of the operations weft sees was explored";
	}
	if (!config->is_replay && !config->no_shrink && result->verdict == WEFT_VERDICT_BUG)
		for (uint32_t i = 0; i < result->nbugs; i++)
			/* A hang takes --hang-timeout to show each time: not worth it. */
			if (result->bugs[i]->kind != WEFT_BUG_HANG)
				shrink(ex, config, result, i, start, guard, identity);
	for (uint32_t i = 0; i < result->nbugs; i++)
		weft_bug_add_stacks(ex, config, result->bugs[i]);
	if (ops->describe)
		ops->describe(state, result->coverage, sizeof result->coverage);
	if (ops->bound)
		ops->bound(state, &result->bound);
	if (config->fingerprints || sharded)
		result->fingerprints =
		    weft_fingerprints_values(fingerprints, &result->nfingerprints);
	weft_fingerprints_free(fingerprints);
	weft_object_keys_free(keys);
	ops->destroy(state);
	weft_executor_close(ex);
	weft_exchange_guard_free(guard);
	result->elapsed_seconds = now() - start;
	return result->verdict;
}

void weft_result_free(struct weft_result *result)
{
	for (uint32_t i = 0; i < result->nbugs; i++)
		weft_bug_free(result->bugs[i]);
	result->nbugs = 0;
	result->bug = NULL;
	free(result->fingerprints);
	result->fingerprints = NULL;
}
