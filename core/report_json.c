/* The JSON report:
 * {"verdict": "ok"|"bug"|"error", "complete": bool, "executions": N,
 *  "elapsed_seconds": x, "stop_reason": "...", "program": [argv...],
 *  "bugs": [{"kind", "message", "token", "replay", "execution",
 *            "trace": [{"step", "thread", "op", "object", "choice", "enabled", "at",
 *                       "stack" (when the execution kept stacks)}],
 *            "threads": [{"id", "state", "op", "object", "holds", "at", "stack",
 *                         "stopped": "crashed"|"aborted"|"stuck" when the stack is
 *                         where the thread stopped rather than its operation's}],
 *            where "at" is the first frame in the program's own code and a
 *            "stack" is [{"at", "file", "line", "own"}, ...], innermost first,
 *            "race": {"address", "object", "accesses": [{"thread", "kind", "size",
 *                     "after_step", "stack": ["file:line (function)", ...]}, ...]}
 *                    (data-race bugs only: the later access, then the earlier),
 *            "output"}],
 *  "fingerprints": ["hex", ...] (with --fingerprints and in sharded runs)}
 * where "stats" (strategy, counts, coverage) has, for bounded and delay when
 * not sharded, "bound": {"kind": "preemption"|"delay", "explored": the
 * largest bound finished or null, "in_progress": the bound stopped in or null}.
 * Written by hand: writing JSON needs only string escaping. */
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "race_report.h"
#include "report.h"
#include "stack_report.h"
#include "sanitize.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
			} else if (*p < 0x80) {
				fputc(*p, f);
			} else {
				/* The program's text may be anything: the report stays UTF-8. */
				size_t n = weft_utf8_sequence(p);
				if (n == 0) {
					fputs("\\ufffd", f);
				} else {
					fwrite(p, 1, n, f);
					p += n - 1;
				}
			}
		}
	}
	fputc('"', f);
}

static void json_bound(FILE *f, const char *name, int64_t bound)
{
	if (bound < 0)
		fprintf(f, ", \"%s\": null", name);
	else
		fprintf(f, ", \"%s\": %lld", name, (long long)bound);
}

/* ", "stack": [{"at", "file", "line", "own"}, ...]" innermost first. */
static void json_stack(FILE *f, struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n)
{
	struct weft_frame frames[48];
	uint32_t k = sym ? weft_stack_frames(sym, pcs, n, frames, 48) : 0;
	fputs(", \"stack\": [", f);
	for (uint32_t i = 0; i < k; i++) {
		fputs(i ? ", {\"at\": " : "{\"at\": ", f);
		json_string(f, frames[i].where);
		fputs(", \"file\": ", f);
		json_string(f, frames[i].path);
		fprintf(f, ", \"line\": %d, \"own\": %s}", frames[i].line,
		        frames[i].own ? "true" : "false");
	}
	fputc(']', f);
}

static void json_trace(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym)
{
	fputs("\"trace\": [", f);
	for (uint32_t i = 0; i < bug->nevents; i++) {
		const struct weft_event *e = &bug->events[i];
		char object[192], where[512] = "";
		weft_describe_object(bug->snapshot, sym, e->op, e->object, object, sizeof object);
		uint64_t pcs[WEFT_STACK_MAX];
		uint32_t npcs = weft_step_stack(bug, i, pcs);
		if (sym)
			weft_step_at(sym, bug, i, pcs, npcs, where, sizeof where);
		fprintf(f, "%s\n      {\"step\": %u, \"thread\": %u, \"op\": ", i ? "," : "", i,
		        e->thread);
		char op[WEFT_WRAP_NAME_LEN + 16];
		weft_describe_op(bug->snapshot, e->op, e->func, op, sizeof op);
		json_string(f, op);
		fputs(", \"object\": ", f);
		json_string(f, object);
		fprintf(f, ", \"choice\": %s, \"enabled\": [",
		        (e->flags & WEFT_EVENT_CHOICE) ? "true" : "false");
		bool first = true;
		for (uint32_t t = 0; t < 64; t++)
			if (e->enabled & (1ull << t)) {
				fprintf(f, "%s%u", first ? "" : ", ", t);
				first = false;
			}
		fputs("], \"at\": ", f);
		json_string(f, where);
		if (bug->stacks)
			json_stack(f, sym, pcs, npcs);
		fputc('}', f);
	}
	fputs("]", f);
}

static void json_threads(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym)
{
	static const char *const states[] = {"unused", "live", "blocked", "exited"};
	const struct weft_shm *snap = bug->snapshot;
	fputs("\"threads\": [", f);
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		const struct weft_thread_state *s = &snap->threads[t];
		char object[192], where[512] = "";
		weft_describe_object(snap, sym, s->op, s->object, object, sizeof object);
		uint64_t pcs[WEFT_STACK_MAX];
		uint32_t npcs = weft_thread_stack(bug, t, pcs);
		if (sym)
			weft_stack_at(sym, pcs, npcs, where, sizeof where);
		fprintf(f, "%s\n      {\"id\": %u, \"state\": \"%s\", \"op\": ", t ? "," : "", t,
		        s->status < 4 ? states[s->status] : "unknown");
		char op[WEFT_WRAP_NAME_LEN + 16];
		weft_describe_op(snap, s->op, s->func, op, sizeof op);
		json_string(f, op);
		fputs(", \"object\": ", f);
		json_string(f, object);
		fputs(", \"holds\": [", f);
		uint32_t n = s->nheld < WEFT_MAX_HELD ? s->nheld : WEFT_MAX_HELD;
		for (uint32_t i = 0; i < n; i++) {
			weft_describe_object(snap, sym, WEFT_OP_MUTEX_LOCK, s->held[i], object,
			                     sizeof object);
			if (i)
				fputs(", ", f);
			json_string(f, object);
		}
		fputs("], \"at\": ", f);
		json_string(f, where);
		const char *stopped = weft_thread_stopped(bug, t);
		if (stopped)
			fprintf(f, ", \"stopped\": \"%s\"", stopped);
		json_stack(f, sym, pcs, npcs);
		fputc('}', f);
	}
	fputs("]", f);
}

static void json_bug(FILE *f, const struct weft_config *config, const struct weft_bug *bug)
{
	struct weft_symbolizer *sym =
		weft_symbolizer_new(bug->snapshot->modules, bug->snapshot->nmodules);
	fputs("\n    {\"kind\": ", f);
	json_string(f, weft_bug_kind_name(bug->kind));
	fputs(", \"message\": ", f);
	json_string(f, bug->message);
	fputs(", \"token\": ", f);
	json_string(f, bug->token);
	char *cmd = weft_replay_command(config, bug->token, bug->race_points);
	fputs(", \"replay\": ", f);
	json_string(f, cmd);
	free(cmd);
	fprintf(f, ", \"execution\": %llu, \"occurrences\": %llu, \"shrunk\": %s",
	        (unsigned long long)bug->execution, (unsigned long long)bug->occurrences,
	        bug->shrunk ? "true" : "false");
	if (bug->signal)
		fprintf(f, ", \"signal\": %d", bug->signal);
	else
		fprintf(f, ", \"exit_status\": %d", bug->exit_status);
	fputs(",\n     ", f);
	json_trace(f, bug, sym);
	fputs(",\n     ", f);
	json_threads(f, bug, sym);
	if (bug->snapshot->race.found) {
		fputs(",\n     ", f);
		weft_race_json(f, bug->snapshot, sym, json_string);
	}
	fputs(",\n     \"output\": ", f);
	json_string(f, bug->output);
	fputs("}", f);
	if (sym)
		weft_symbolizer_free(sym);
}

bool weft_report_json(const char *path, const struct weft_config *config,
                      const struct weft_result *result, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write the JSON report to %s", path);
		return false;
	}
	static const char *const verdicts[] = {"ok", "bug", "error"};
	fprintf(f, "{\"verdict\": \"%s\", \"complete\": %s, \"executions\": %llu, "
	           "\"elapsed_seconds\": %.6f,\n \"stop_reason\": ",
	        verdicts[result->verdict], result->complete ? "true" : "false",
	        (unsigned long long)result->executions, result->elapsed_seconds);
	json_string(f, result->verdict == WEFT_VERDICT_ERROR ? result->error : result->stop_reason);
	/* "complete" holds only where weft saw everything; "seen_complete" says
	 * the same of the operations it sees, "coverage" which of the two. */
	fprintf(f, ",\n \"seen_complete\": %s, ", result->seen_complete ? "true" : "false");
	weft_unseen_report_json(f, &result->unseen, config->argv[0]);
	fprintf(f, ",\n \"stats\": {\"strategy\": ");
	json_string(f, config->is_replay ? "replay" : config->strategy);
	fprintf(f, ", \"threads\": \"%s\"", config->fiber_threads ? "fiber" : "kernel");
	weft_exec_models_report_json(f, &result->models, json_string);
	fprintf(f, ", \"executions\": %llu, \"executions_per_second\": %.1f, "
	           "\"distinct_traces\": %llu, \"distinct_bugs\": %u, \"shrink_executions\": %u",
	        (unsigned long long)result->executions,
	        result->elapsed_seconds > 0 ? (double)result->executions / result->elapsed_seconds : 0.0,
	        (unsigned long long)result->distinct_traces, result->nbugs, result->shrink_runs);
	if (result->seeded)
		fprintf(f, ", \"seed\": %llu", (unsigned long long)result->seed);
	if (config->shard_count > 1)
		fprintf(f, ", \"shard\": [%u, %u], \"skipped_executions\": %llu", config->shard_index,
		        config->shard_count, (unsigned long long)result->skipped_executions);
	fputs(", \"coverage\": ", f);
	json_string(f, result->coverage);
	if (result->bound.kind) {
		fputs(", \"bound\": {\"kind\": ", f);
		json_string(f, result->bound.kind);
		json_bound(f, "explored", result->bound.explored);
		json_bound(f, "in_progress", result->bound.in_progress);
		fputs("}", f);
	}
	fputs("}", f);
	fputs(",\n \"program\": [", f);
	for (char *const *a = config->argv; *a; a++) {
		if (a != config->argv)
			fputs(", ", f);
		json_string(f, *a);
	}
	fputs("],\n \"bugs\": [", f);
	for (uint32_t i = 0; i < result->nbugs; i++) {
		if (i)
			fputc(',', f);
		json_bug(f, config, result->bugs[i]);
	}
	fputs("]", f);
	if (config->fingerprints || config->shard_count > 1) {
		fputs(",\n \"fingerprints\": [", f);
		for (uint64_t i = 0; i < result->nfingerprints; i++)
			fprintf(f, "%s\"%016llx\"", i ? (i % 4 ? ", " : ",\n  ") : "",
			        (unsigned long long)result->fingerprints[i]);
		fputs("]", f);
	}
	fputs("}\n", f);
	bool ok = !ferror(f);
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		fflush(f);
	if (!ok)
		snprintf(err, errlen, "cannot write the JSON report to %s", path);
	return ok;
}
