/* The human-readable report. Its first line is fixed and greppable:
 * "weft: BUG <kind>: <message>" for a bug, "weft: OK ..." otherwise. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "race_report.h"
#include "report.h"
#include "stack_report.h"

/* Shell-quote one word when it needs it. */
static void append_word(char **buf, size_t *len, size_t *cap, const char *word)
{
	bool plain = *word != '\0';
	for (const char *p = word; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%",
		            *p))
			plain = false;
	size_t need = *len + strlen(word) * 4 + 4;
	if (need > *cap) {
		*cap = need * 2;
		*buf = realloc(*buf, *cap);
	}
	char *out = *buf + *len;
	if (*len)
		*out++ = ' ';
	if (plain) {
		out = stpcpy(out, word);
	} else {
		*out++ = '\'';
		for (const char *p = word; *p; p++) {
			if (*p == '\'')
				out = stpcpy(out, "'\\''");
			else
				*out++ = *p;
		}
		*out++ = '\'';
		*out = '\0';
	}
	*len = (size_t)(out - *buf);
}

char *weft_replay_command(const struct weft_config *config, const char *token,
                          const char *race_points)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	buf[0] = '\0';
	if (config->launch) {
		/* weft_check: the test binary replays its own check. */
		char *assignment = NULL;
		if (asprintf(&assignment, "WEFT_CHECK=%s", config->check_name ? config->check_name : "")
		    >= 0) {
			append_word(&buf, &len, &cap, assignment);
			free(assignment);
		}
		if (asprintf(&assignment, "WEFT_REPLAY=%s", token ? token : "?") >= 0) {
			append_word(&buf, &len, &cap, assignment);
			free(assignment);
		}
		if (config->max_steps != WEFT_DEFAULT_MAX_STEPS &&
		    asprintf(&assignment, "WEFT_MAX_STEPS=%u", config->max_steps) >= 0) {
			append_word(&buf, &len, &cap, assignment);
			free(assignment);
		}
		if (config->adversarial_time)
			append_word(&buf, &len, &cap, "WEFT_TIME=adversarial");
		if (config->spurious_wakeups &&
		    asprintf(&assignment, "WEFT_SPURIOUS_WAKEUPS=%u", config->spurious_wakeups) >= 0) {
			append_word(&buf, &len, &cap, assignment);
			free(assignment);
		}
		for (char *const *a = config->argv; *a; a++)
			append_word(&buf, &len, &cap, *a);
		return buf;
	}
	append_word(&buf, &len, &cap, "weft");
	append_word(&buf, &len, &cap, "replay");
	if (config->max_steps != WEFT_DEFAULT_MAX_STEPS) {
		char steps[32];
		snprintf(steps, sizeof steps, "--max-steps=%u", config->max_steps);
		append_word(&buf, &len, &cap, steps);
	}
	if (config->hang_timeout != WEFT_DEFAULT_HANG_TIMEOUT) {
		char hang[48];
		snprintf(hang, sizeof hang, "--hang-timeout=%g", config->hang_timeout);
		append_word(&buf, &len, &cap, hang);
	}
	if (config->adversarial_time)
		append_word(&buf, &len, &cap, "--time=adversarial");
	if (config->spurious_wakeups) {
		char bound[48];
		snprintf(bound, sizeof bound, "--spurious-wakeups=%u", config->spurious_wakeups);
		append_word(&buf, &len, &cap, bound);
	}
	if (config->time_start_ns) {
		char start[64];
		snprintf(start, sizeof start, "--time-start=%lld.%09lld",
		         (long long)(config->time_start_ns / 1000000000),
		         (long long)(config->time_start_ns % 1000000000));
		append_word(&buf, &len, &cap, start);
	}
	/* The same functions wrapped, or the replay takes other steps. */
	for (uint32_t i = 0; i < config->nwrapped; i++) {
		char *option = NULL;
		if (asprintf(&option, "--yield-at=%s", config->wrapped_text[i]) >= 0) {
			append_word(&buf, &len, &cap, option);
			free(option);
		}
	}
	/* The accesses that had become scheduling points (--keep-going past a
	 * race), or the replay takes other steps. */
	if (race_points) {
		char *option = NULL;
		if (asprintf(&option, "--race-points=%s", race_points) >= 0) {
			append_word(&buf, &len, &cap, option);
			free(option);
		}
	}
	append_word(&buf, &len, &cap, token ? token : "?");
	append_word(&buf, &len, &cap, "--");
	for (char *const *a = config->argv; *a; a++)
		append_word(&buf, &len, &cap, *a);
	return buf;
}

/* Show at most this many steps of a long interleaving: the first few and
 * the last ones, where the bug is. */
#define SHOWN_HEAD 10
#define SHOWN_TAIL 60

static void print_step(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym,
                       uint32_t i)
{
	const struct weft_event *e = &bug->events[i];
	char object[192], where[512] = "";
	weft_describe_object(bug->snapshot, sym, e->op, e->object, object, sizeof object);
	uint64_t pcs[WEFT_STACK_MAX];
	if (sym)
		weft_step_at(sym, bug, i, pcs, weft_step_stack(bug, i, pcs), where, sizeof where);
	char op[WEFT_WRAP_NAME_LEN + 16];
	weft_describe_op(bug->snapshot, e->op, e->func, op, sizeof op);
	fprintf(f, "  %c %5u  T%-3u %-28s %-24s %s\n", (e->flags & WEFT_EVENT_CHOICE) ? '*' : ' ', i,
	        e->thread, op, object, where);
}

static void print_threads(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym)
{
	const struct weft_shm *snap = bug->snapshot;
	fprintf(f, "\n  threads at the end:\n");
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		const struct weft_thread_state *s = &snap->threads[t];
		char pending[256], where[512] = "", held[256] = "";
		weft_describe_pending(snap, sym, t, pending, sizeof pending);
		uint64_t pcs[WEFT_STACK_MAX];
		if (sym)
			weft_stack_at(sym, pcs, weft_thread_stack(bug, t, pcs), where,
			              sizeof where);
		uint32_t n = s->nheld < WEFT_MAX_HELD ? s->nheld : WEFT_MAX_HELD;
		for (uint32_t i = 0; i < n; i++) {
			char name[192];
			weft_describe_object(snap, sym, WEFT_OP_MUTEX_LOCK, s->held[i], name, sizeof name);
			size_t used = strlen(held);
			snprintf(held + used, sizeof held - used, "%s%s", i ? ", " : "; holds ", name);
		}
		const char *state;
		if (s->status == WEFT_THREAD_EXITED)
			state = "exited";
		else if (s->status == WEFT_THREAD_BLOCKED)
			state = "blocked in";
		else if (weft_thread_stopped(bug, t))
			state = bug->kind == WEFT_BUG_HANG        ? "stuck (see above) after"
			        : bug->kind == WEFT_BUG_ASSERTION ? "aborted after"
			                                          : "crashed after";
		else if (t == snap->current)
			state = "running after";
		else
			state = "ready at";
		if (s->status == WEFT_THREAD_EXITED)
			fprintf(f, "    T%-3u exited\n", t);
		else
			fprintf(f, "    T%-3u %s %s%s%s%s\n", t, state, pending, held, where[0] ? "  at " : "",
			        where);
	}
}

/* The whole stacks of the steps that matter: each live thread's pending
 * or last operation, where it blocked, failed or stuck. */
static void print_stacks(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym)
{
	const struct weft_shm *snap = bug->snapshot;
	bool header = false;
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		uint64_t pcs[WEFT_STACK_MAX];
		uint32_t n = weft_thread_stack(bug, t, pcs);
		if (snap->threads[t].status == WEFT_THREAD_EXITED || n < 2)
			continue;
		if (!header)
			fprintf(f, "\n  stacks (innermost first; > the program's own code):\n");
		header = true;
		char pending[256];
		weft_describe_pending(snap, sym, t, pending, sizeof pending);
		const char *stopped = weft_thread_stopped(bug, t);
		if (stopped)
			fprintf(f, "    T%u, %s:\n", t, stopped);
		else
			fprintf(f, "    T%u, %s:\n", t, pending);
		weft_stack_print(f, sym, pcs, n, "      ");
	}
}

static void print_output(FILE *f, const char *output)
{
	if (!output || !*output)
		return;
	fprintf(f, "\n  the program's last output (stdout and stderr, as written):\n");
	const char *line = output;
	while (*line) {
		const char *end = strchr(line, '\n');
		int n = end ? (int)(end - line) : (int)strlen(line);
		fprintf(f, "    | %.*s\n", n, line);
		line = end ? end + 1 : line + n;
	}
}

static void print_bug(FILE *f, const struct weft_config *config, const struct weft_bug *bug)
{
	const struct weft_shm *snap = bug->snapshot;
	fprintf(f, "weft: BUG %s: %s\n", weft_bug_kind_name(bug->kind), bug->message);
	fprintf(f, "  (%s; found in execution %llu", weft_bug_kind_meaning(bug->kind),
	        (unsigned long long)bug->execution);
	if (bug->occurrences > 1)
		fprintf(f, "; shown by %llu executions", (unsigned long long)bug->occurrences);
	if (bug->shrunk)
		fprintf(f, "; the smallest reproduction found is shown");
	fprintf(f, ")\n");
	struct weft_symbolizer *sym = weft_symbolizer_new(snap->modules, snap->nmodules);
	weft_race_print(f, snap, sym);
	fprintf(f, "\n  interleaving, %u steps (* = a choice weft explored):\n", bug->nevents);
	fprintf(f, "    %5s  %-4s %-28s %-24s %s\n", "step", "thr", "operation", "object", "at");
	for (uint32_t i = 0; i < bug->nevents; i++) {
		if (bug->nevents > SHOWN_HEAD + SHOWN_TAIL && i == SHOWN_HEAD) {
			fprintf(f, "    ... %u steps not shown (see --json) ...\n",
			        bug->nevents - SHOWN_HEAD - SHOWN_TAIL);
			i = bug->nevents - SHOWN_TAIL;
		}
		print_step(f, bug, sym, i);
	}
	print_threads(f, bug, sym);
	if (sym)
		print_stacks(f, bug, sym);
	if (sym)
		weft_symbolizer_free(sym);
	print_output(f, bug->output);
	char *cmd = weft_replay_command(config, bug->token, bug->race_points);
	fprintf(f, "\n  replay: %s\n", cmd);
	free(cmd);
}

void weft_report_text(FILE *f, const struct weft_config *config, const struct weft_result *result)
{
	if (result->verdict == WEFT_VERDICT_ERROR) {
		fprintf(f, "weft: error: %s\n", result->error);
		return;
	}
	for (uint32_t i = 0; i < result->nbugs; i++) {
		if (i)
			fputc('\n', f);
		print_bug(f, config, result->bugs[i]);
	}
	if (result->nbugs > 1 || (result->bug && result->bug->occurrences > 1))
		fprintf(f, "weft: %u distinct bug%s\n", result->nbugs, result->nbugs == 1 ? "" : "s");
	if (result->seeded)
		fprintf(f, "weft: seed %llu (repeat this run with --seed %llu)\n",
		        (unsigned long long)result->seed, (unsigned long long)result->seed);
	if (result->coverage[0])
		fprintf(f, "weft: coverage: %s\n", result->coverage);
	if (!config->is_replay && result->distinct_traces)
		fprintf(f, "weft: %llu distinct trace%s (happens-before orders) among the executions\n",
		        (unsigned long long)result->distinct_traces,
		        result->distinct_traces == 1 ? "" : "s");
	if (result->never_controlled && result->verdict != WEFT_VERDICT_ERROR)
		fprintf(f, "weft: note: %s made no call weft controls (no threads, or they run in a "
		           "program weft could not load into, such as a static one started by a script)\n",
		        config->argv[0]);
	if (!config->is_replay)
		weft_unseen_report_text(f, &result->unseen, config->argv[0]);
	if (config->fiber_threads)
		fprintf(f, "weft: the program's threads ran as fibers (--threads=fiber)\n");
	weft_exec_models_report_text(f, &result->models, config->fiber_threads);
	const char *what = config->is_replay ? "replayed" : "explored";
	if (result->verdict == WEFT_VERDICT_BUG)
		fprintf(f, "weft: %s %llu execution%s in %.2f s; %s\n", what,
		        (unsigned long long)result->executions, result->executions == 1 ? "" : "s",
		        result->elapsed_seconds, result->stop_reason);
	else if (config->is_replay)
		fprintf(f, "weft: OK: the replayed execution showed no bug (%.2f s)\n",
		        result->elapsed_seconds);
	else if (!result->complete && result->seen_complete)
		/* Complete, but only over what weft sees: the lines above name the rest. */
		fprintf(
		    f,
		    "weft: OK: no bug in %llu execution%s in %.2f s; complete for the operations "
		    "weft sees (every interleaving of them was explored; not seen: see above)\n",
		    (unsigned long long)result->executions, result->executions == 1 ? "" : "s",
		    result->elapsed_seconds);
	else
		fprintf(f, "weft: OK: no bug in %llu execution%s in %.2f s; %s (%s)\n",
		        (unsigned long long)result->executions, result->executions == 1 ? "" : "s",
		        result->elapsed_seconds,
		        result->complete ? "complete" : "INCOMPLETE", result->stop_reason);
}
