/* Data-race reports, from the race record the runtime wrote (the earlier
 * access in access[0], the later one, whose thread found the race, in
 * access[1]). Reports show the later access first, as ThreadSanitizer does:
 * it is where the program was when the race was found. Each frame of a
 * call stack is a return address, named at pc - 1 by the symbolizer. */
#define _GNU_SOURCE
#include "race_report.h"

#include <string.h>

static const char *verb(const struct weft_race_access *a, bool present)
{
	if (present)
		return a->is_write ? "writes" : "reads";
	return a->is_write ? "wrote" : "read";
}

/* "counter", "cache+16", or the address when no symbol covers it. */
static void name_of(const struct weft_shm *snap, struct weft_symbolizer *sym, char *buf, size_t len)
{
	uint64_t addr = snap->race.access[1].addr;
	if (!sym || !weft_symbolize_data(sym, addr, buf, len))
		snprintf(buf, len, "%#llx", (unsigned long long)addr);
}

static void where(struct weft_symbolizer *sym, const struct weft_race_access *a, uint32_t frame,
                  char *buf, size_t len)
{
	buf[0] = '\0';
	if (frame < a->nframes && sym)
		weft_symbolize_code(sym, a->frames[frame], buf, len);
	if (!buf[0] && frame < a->nframes)
		snprintf(buf, len, "%#llx", (unsigned long long)a->frames[frame]);
	if (!buf[0])
		snprintf(buf, len, "an unknown place");
}

/* The frames of an access, each expanded into the calls the compiler
 * inlined there, innermost first. */
#define MAX_LINES 48
#define LINE_LEN 256
static uint32_t stack_of(struct weft_symbolizer *sym, const struct weft_race_access *a,
                         char lines[][LINE_LEN])
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < a->nframes && n < MAX_LINES; i++) {
		char chain[MAX_LINES * 64];
		if (!sym || !weft_symbolize_code_inlined(sym, a->frames[i], chain, sizeof chain)) {
			where(sym, a, i, lines[n++], LINE_LEN);
			continue;
		}
		for (char *line = chain, *end; line && n < MAX_LINES; line = end ? end + 1 : NULL) {
			end = strchr(line, '\n');
			if (end)
				*end = '\0';
			snprintf(lines[n++], LINE_LEN, "%.*s", LINE_LEN - 1, line);
		}
	}
	return n;
}

void weft_race_headline(const struct weft_shm *snap, char *buf, size_t len)
{
	const struct weft_race_access *now = &snap->race.access[1], *before = &snap->race.access[0];
	struct weft_symbolizer *sym = weft_symbolizer_new(snap->modules, snap->nmodules);
	char object[160], at_now[256], at_before[256];
	name_of(snap, sym, object, sizeof object);
	where(sym, now, 0, at_now, sizeof at_now);
	where(sym, before, 0, at_before, sizeof at_before);
	snprintf(buf, len,
	         "T%u %s %u byte%s of %s at %s, which T%u %s at %s, and nothing orders the two "
	         "accesses (no happens-before)",
	         now->thread, verb(now, true), now->size, now->size == 1 ? "" : "s", object, at_now,
	         before->thread, verb(before, false), at_before);
	if (sym)
		weft_symbolizer_free(sym);
}

static void print_access(FILE *f, struct weft_symbolizer *sym, const struct weft_race_access *a,
                         bool previous)
{
	char step[48] = "";
	if (a->step != UINT32_MAX)
		snprintf(step, sizeof step, " (after step %u)", a->step);
	fprintf(f, "    %s%s by T%u%s:\n", previous ? "previous " : "",
	        a->is_write ? "write" : "read", a->thread, step);
	char frames[MAX_LINES][LINE_LEN];
	uint32_t n = stack_of(sym, a, frames);
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "      #%u %s\n", i, frames[i]);
	if (n == 0)
		fprintf(f, "      (no call stack)\n");
}

void weft_race_print(FILE *f, const struct weft_shm *snap, struct weft_symbolizer *sym)
{
	if (!snap->race.found)
		return;
	char object[160];
	name_of(snap, sym, object, sizeof object);
	const struct weft_race_access *now = &snap->race.access[1];
	fprintf(f, "\n  data race on %s (%#llx), %u byte%s accessed:\n", object,
	        (unsigned long long)now->addr, now->size, now->size == 1 ? "" : "s");
	print_access(f, sym, now, false);
	print_access(f, sym, &snap->race.access[0], true);
}

static void json_access(FILE *f, struct weft_symbolizer *sym, const struct weft_race_access *a,
                        void (*json_string)(FILE *f, const char *s))
{
	fprintf(f, "{\"thread\": %u, \"kind\": \"%s\", ", a->thread,
	        a->is_write ? "write" : "read");
	if (a->size)
		fprintf(f, "\"size\": %u, ", a->size);
	if (a->step != UINT32_MAX)
		fprintf(f, "\"after_step\": %u, ", a->step);
	fputs("\"stack\": [", f);
	char frames[MAX_LINES][LINE_LEN];
	uint32_t n = stack_of(sym, a, frames);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, frames[i]);
	}
	fputs("]}", f);
}

void weft_race_json(FILE *f, const struct weft_shm *snap, struct weft_symbolizer *sym,
                    void (*json_string)(FILE *f, const char *s))
{
	if (!snap->race.found)
		return;
	char object[160];
	name_of(snap, sym, object, sizeof object);
	fprintf(f, "\"race\": {\"address\": \"%#llx\", \"object\": ",
	        (unsigned long long)snap->race.access[1].addr);
	json_string(f, object);
	fputs(", \"accesses\": [", f);
	json_access(f, sym, &snap->race.access[1], json_string);
	fputs(", ", f);
	json_access(f, sym, &snap->race.access[0], json_string);
	fputs("]}", f);
}
