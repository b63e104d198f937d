/* The HTML report: one self-contained file (no network, no external
 * script) that shows a bug's interleaving as a timeline, one lane per
 * thread. This file writes the data, as JSON inside the page, and the
 * page's own script (report_html.js, with report_html.css, embedded at
 * build time) draws it: lanes, boxes, the choices, arrows for a deadlock's
 * wait-for cycle or a race's two accesses, each thread's end, and on a
 * click a step's stack with the source lines around each of the program's
 * own frames, read now from the files the debug information names. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "report.h"
#include "stack_report.h"

extern const char weft_report_html_js[], weft_report_html_css[];

/* Steps drawn at most: the first and the last ones, where the bug is. */
#define HTML_HEAD 100
#define HTML_TAIL 1900
#define CONTEXT_LINES 3 /* source lines shown on each side of a frame's line */
#define MAX_FRAMES 48

/* JSON string, safe inside <script>: no "</script>" can end it early. */
static void js_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* The source lines the report needs: (file, line) pairs, each file read once. */
struct wanted {
	char (*path)[WEFT_PATH_LEN];
	int *line;
	size_t n, cap;
};

static void want(struct wanted *w, const char *path, int line)
{
	if (!path[0] || line <= 0)
		return;
	for (size_t i = 0; i < w->n; i++)
		if (w->line[i] == line && strcmp(w->path[i], path) == 0)
			return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		void *p = realloc(w->path, cap * sizeof *w->path),
		     *l = realloc(w->line, cap * sizeof(int));
		if (p)
			w->path = p;
		if (l)
			w->line = l;
		if (!p || !l)
			return;
		w->cap = cap;
	}
	snprintf(w->path[w->n], WEFT_PATH_LEN, "%s", path);
	w->line[w->n++] = line;
}

/* A stack as an array of frames; the program's own ones ask for their lines. */
static void html_stack(FILE *f, struct weft_symbolizer *sym, const uint64_t *pcs, uint32_t n,
                       struct wanted *w)
{
	struct weft_frame frames[MAX_FRAMES];
	uint32_t k = sym ? weft_stack_frames(sym, pcs, n, frames, MAX_FRAMES) : 0;
	fputc('[', f);
	for (uint32_t i = 0; i < k; i++) {
		fputs(i ? ",{\"at\":" : "{\"at\":", f);
		js_string(f, frames[i].where);
		fputs(",\"file\":", f);
		js_string(f, frames[i].path);
		fprintf(f, ",\"line\":%d,\"own\":%s}", frames[i].line,
		        frames[i].own ? "true" : "false");
		if (frames[i].own)
			want(w, frames[i].path, frames[i].line);
	}
	fputc(']', f);
}

static void html_steps(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym,
                       struct wanted *w)
{
	fputs("\"steps\":[", f);
	bool first = true;
	for (uint32_t i = 0; i < bug->nevents; i++) {
		if (bug->nevents > HTML_HEAD + HTML_TAIL && i == HTML_HEAD)
			i = bug->nevents - HTML_TAIL;
		const struct weft_event *e = &bug->events[i];
		char object[192], op[WEFT_WRAP_NAME_LEN + 16], at[512] = "";
		weft_describe_object(bug->snapshot, sym, e->op, e->object, object, sizeof object);
		weft_describe_op(bug->snapshot, e->op, e->func, op, sizeof op);
		uint64_t pcs[WEFT_STACK_MAX];
		uint32_t n = weft_step_stack(bug, i, pcs);
		if (sym)
			weft_step_at(sym, bug, i, pcs, n, at, sizeof at);
		fprintf(f, "%s\n{\"i\":%u,\"t\":%u,\"op\":", first ? "" : ",", i, e->thread);
		first = false;
		js_string(f, op);
		fputs(",\"obj\":", f);
		js_string(f, object);
		fputs(",\"at\":", f);
		js_string(f, at);
		fprintf(f, ",\"choice\":%s,\"enabled\":[",
		        (e->flags & WEFT_EVENT_CHOICE) ? "true" : "false");
		bool comma = false;
		for (uint32_t t = 0; t < 64; t++)
			if (e->enabled & (1ull << t)) {
				fprintf(f, "%s%u", comma ? "," : "", t);
				comma = true;
			}
		fputs("],\"stack\":", f);
		html_stack(f, sym, pcs, n, w);
		fputc('}', f);
	}
	fputs("]", f);
}

static const char *state_name(const struct weft_bug *bug, uint32_t t)
{
	const struct weft_thread_state *s = &bug->snapshot->threads[t];
	if (s->status == WEFT_THREAD_EXITED)
		return "exited";
	if (s->status == WEFT_THREAD_BLOCKED)
		return "blocked";
	const char *stopped = weft_thread_stopped(bug, t);
	if (stopped)
		return stopped;
	return t == bug->snapshot->current ? "running" : "ready";
}

static void html_threads(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym,
                         struct wanted *w)
{
	const struct weft_shm *snap = bug->snapshot;
	fputs("\"threads\":[", f);
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		const struct weft_thread_state *s = &snap->threads[t];
		char pending[256], at[512] = "", held[256] = "";
		weft_describe_pending(snap, sym, t, pending, sizeof pending);
		uint32_t nheld = s->nheld < WEFT_MAX_HELD ? s->nheld : WEFT_MAX_HELD;
		for (uint32_t i = 0; i < nheld; i++) {
			char name[192];
			weft_describe_object(snap, sym, WEFT_OP_MUTEX_LOCK, s->held[i], name,
			                     sizeof name);
			size_t used = strlen(held);
			snprintf(held + used, sizeof held - used, "%s%s", i ? ", " : "", name);
		}
		uint64_t pcs[WEFT_STACK_MAX];
		uint32_t n = weft_thread_stack(bug, t, pcs);
		if (sym)
			weft_stack_at(sym, pcs, n, at, sizeof at);
		int waits = s->status == WEFT_THREAD_BLOCKED ? weft_waits_for(snap, t) : -1;
		fprintf(f, "%s\n{\"id\":%u,\"state\":\"%s\",\"pending\":", t ? "," : "", t,
		        state_name(bug, t));
		js_string(f, pending);
		fputs(",\"holds\":", f);
		js_string(f, held);
		fputs(",\"at\":", f);
		js_string(f, at);
		fprintf(f, ",\"waits_for\":%d,\"stack\":", waits);
		html_stack(f, sym, pcs, n, w);
		fputc('}', f);
	}
	fputs("]", f);
}

static void html_race(FILE *f, const struct weft_bug *bug, struct weft_symbolizer *sym,
                      struct wanted *w)
{
	const struct weft_race *race = &bug->snapshot->race;
	if (bug->kind != WEFT_BUG_DATA_RACE || !race->found) {
		fputs("\"race\":null", f);
		return;
	}
	char object[160] = "";
	if (!sym || !weft_symbolize_data(sym, race->access[1].addr, object, sizeof object))
		snprintf(object, sizeof object, "%#llx", (unsigned long long)race->access[1].addr);
	fputs("\"race\":{\"object\":", f);
	js_string(f, object);
	fputs(",\"accesses\":[", f);
	for (int k = 0; k < 2; k++) {
		const struct weft_race_access *a = &race->access[k];
		uint64_t pcs[WEFT_RACE_FRAMES];
		uint32_t n = a->nframes < WEFT_RACE_FRAMES ? a->nframes : WEFT_RACE_FRAMES;
		memcpy(pcs, a->frames, n * sizeof *pcs);
		char at[512] = "";
		if (sym)
			weft_stack_at(sym, pcs, n, at, sizeof at);
		fprintf(f, "%s{\"thread\":%u,\"kind\":\"%s%s\",\"size\":%u,\"after_step\":",
		        k ? "," : "", a->thread, a->is_atomic ? "atomic " : "",
		        a->is_write ? "write" : "read", a->size);
		if (a->step == UINT32_MAX)
			fputs("null", f);
		else
			fprintf(f, "%u", a->step);
		fputs(",\"at\":", f);
		js_string(f, at);
		fputs(",\"stack\":", f);
		html_stack(f, sym, pcs, n, w);
		fputc('}', f);
	}
	fputs("]}", f);
}

static int by_path(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

/* "sources": {"path": {"line": "text", ...}, ...}: the lines around each
 * wanted line, from the files as they are now (a file edited since the
 * build shows its new text; missing files show nothing). */
static void html_sources(FILE *f, const struct wanted *w)
{
	fputs("\"sources\":{", f);
	const char **paths = malloc((w->n ? w->n : 1) * sizeof *paths);
	size_t npaths = 0;
	for (size_t i = 0; paths && i < w->n; i++) {
		bool seen = false;
		for (size_t j = 0; j < npaths && !seen; j++)
			seen = strcmp(paths[j], w->path[i]) == 0;
		if (!seen)
			paths[npaths++] = w->path[i];
	}
	if (paths)
		qsort(paths, npaths, sizeof *paths, by_path);
	bool first_file = true;
	for (size_t p = 0; p < npaths; p++) {
		FILE *src = fopen(paths[p], "r");
		if (!src)
			continue;
		fprintf(f, "%s\n", first_file ? "" : ",");
		first_file = false;
		js_string(f, paths[p]);
		fputs(":{", f);
		char *line = NULL;
		size_t cap = 0;
		bool first_line = true;
		for (int number = 1; getline(&line, &cap, src) > 0; number++) {
			bool needed = false;
			for (size_t i = 0; i < w->n && !needed; i++)
				needed = strcmp(w->path[i], paths[p]) == 0 &&
				         number >= w->line[i] - CONTEXT_LINES &&
				         number <= w->line[i] + CONTEXT_LINES;
			if (!needed)
				continue;
			line[strcspn(line, "\n")] = '\0';
			fprintf(f, "%s\"%d\":", first_line ? "" : ",", number);
			first_line = false;
			js_string(f, line);
		}
		free(line);
		fclose(src);
		fputc('}', f);
	}
	free(paths);
	fputs("}", f);
}

static void html_bug(FILE *f, const struct weft_config *config, const struct weft_bug *bug)
{
	struct weft_symbolizer *sym =
	    weft_symbolizer_new(bug->snapshot->modules, bug->snapshot->nmodules);
	struct wanted w = {0};
	fputs("{\"kind\":", f);
	js_string(f, weft_bug_kind_name(bug->kind));
	fputs(",\"meaning\":", f);
	js_string(f, weft_bug_kind_meaning(bug->kind));
	fputs(",\"message\":", f);
	js_string(f, bug->message);
	char *cmd = weft_replay_command(config, bug->token, bug->race_points);
	fputs(",\"replay\":", f);
	js_string(f, cmd);
	free(cmd);
	fprintf(f, ",\"execution\":%llu,\"nsteps\":%u,\"current\":%u,\"stacks\":%s,\n",
	        (unsigned long long)bug->execution, bug->nevents, bug->snapshot->current,
	        bug->stacks ? "true" : "false");
	html_steps(f, bug, sym, &w);
	fputs(",\n", f);
	html_threads(f, bug, sym, &w);
	fputs(",\n", f);
	html_race(f, bug, sym, &w);
	fputs(",\n\"output\":", f);
	js_string(f, bug->output);
	fputs(",\n", f);
	html_sources(f, &w);
	fputs("}", f);
	free(w.path);
	free(w.line);
	if (sym)
		weft_symbolizer_free(sym);
}

bool weft_report_html(const char *path, const struct weft_config *config,
                      const struct weft_result *result, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write the HTML report to %s", path);
		return false;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>weft: ",
	      f);
	const char *title = result->verdict == WEFT_VERDICT_BUG && result->bug
	                        ? weft_bug_kind_name(result->bug->kind)
	                    : result->verdict == WEFT_VERDICT_OK ? "no bug"
	                                                         : "error";
	fprintf(f, "%s in ", title);
	/* the program's name, escaped for the title */
	for (const char *p = config->argv[0]; *p; p++)
		if (*p == '<' || *p == '>' || *p == '&')
			fprintf(f, "&#%d;", *p);
		else
			fputc(*p, f);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head><body>\n", weft_report_html_css);
	fputs("<script type=\"application/json\" id=\"weft-data\">\n{\"program\":[", f);
	for (char *const *a = config->argv; *a; a++) {
		if (a != config->argv)
			fputc(',', f);
		js_string(f, *a);
	}
	static const char *const verdicts[] = {"ok", "bug", "error"};
	fprintf(f,
	        "],\"verdict\":\"%s\",\"executions\":%llu,\"summary\":", verdicts[result->verdict],
	        (unsigned long long)result->executions);
	js_string(f, result->verdict == WEFT_VERDICT_ERROR ? result->error : result->stop_reason);
	fputs(",\"coverage\":", f);
	js_string(f, result->coverage);
	fputs(",\"bugs\":[", f);
	for (uint32_t i = 0; i < result->nbugs; i++) {
		if (i)
			fputs(",\n", f);
		html_bug(f, config, result->bugs[i]);
	}
	fputs("]}\n</script>\n", f);
	fprintf(f, "<div id=\"app\"></div>\n<script>\n%s</script>\n</body></html>\n",
	        weft_report_html_js);
	bool ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok)
		snprintf(err, errlen, "cannot write the HTML report to %s", path);
	return ok;
}
