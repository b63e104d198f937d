/* What weft could not see (unseen.h): noted from each execution's region,
 * reported as text and JSON. */
#include "unseen.h"

#include <string.h>

#include "symbolize.h"

bool weft_unseen_note(struct weft_unseen *u, const struct weft_shm *shm)
{
	if (shm->claimed_pid == 0)
		return false;
	/* One thread cannot race with itself: memory it does not share is no
	 * hidden communication. */
	bool memory = (shm->unseen & WEFT_UNSEEN_MEMORY) && shm->nthreads > 1;
	bool instructions = (shm->unseen & WEFT_UNSEEN_INSTRUCTIONS) && shm->nunseen_sites;
	u->memory |= memory;
	if (shm->trapped > u->trapped)
		u->trapped = shm->trapped;
	if (instructions && !u->ninstructions) {
		/* The same instructions in every execution: name them once. */
		u->ninstructions = shm->nunseen_sites;
		struct weft_symbolizer *sym = weft_symbolizer_new(shm->modules, shm->nmodules);
		uint32_t n = shm->nunseen_sites < WEFT_MAX_UNSEEN_SITES ? shm->nunseen_sites
		                                                        : WEFT_MAX_UNSEEN_SITES;
		for (uint32_t i = 0; i < n && u->nnamed < WEFT_UNSEEN_NAMED; i++) {
			char *out = u->named[u->nnamed++];
			/* The symbolizer looks at pc - 1 (a return address); the site is
			 * the instruction itself. */
			if (!sym || !weft_symbolize_code(sym, shm->unseen_sites[i] + 1, out,
			                                 sizeof u->named[0]))
				snprintf(out, sizeof u->named[0], "0x%llx",
				         (unsigned long long)shm->unseen_sites[i]);
		}
		if (sym)
			weft_symbolizer_free(sym);
	}
	return memory || instructions;
}

void weft_unseen_report_text(FILE *f, const struct weft_unseen *u, const char *program)
{
	if (u->memory)
		fprintf(
		    f,
		    "weft: not seen: %s is not built with -fsanitize=thread, so its threads may "
		    "also communicate through plain memory and atomic loads, which weft does not "
		    "see%s; rebuild it with the weft_instrument() CMake helper "
		    "(-fsanitize=thread) to explore those too\n",
		    program,
		    u->trapped ? " (its atomic read-modify-write instructions were trapped)" : "");
	if (u->ninstructions) {
		fprintf(f, "weft: not seen: %u atomic instruction%s weft could not trap:",
		        u->ninstructions, u->ninstructions == 1 ? "" : "s");
		for (uint32_t i = 0; i < u->nnamed; i++)
			fprintf(f, "%s %s", i ? "," : "", u->named[i]);
		fprintf(f, "%s\n", u->ninstructions > u->nnamed ? ", ..." : "");
	}
}

static void json_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void weft_unseen_report_json(FILE *f, const struct weft_unseen *u, const char *program)
{
	fprintf(f, "\"coverage\": \"%s\", \"unseen\": {\"memory\": ",
	        weft_unseen_any(u) ? "synchronisation-calls" : "all");
	if (u->memory)
		json_text(f, program);
	else
		fputs("null", f);
	fprintf(f, ", \"trapped_instructions\": %u, \"untrapped_instructions\": %u, \"sites\": [",
	        u->trapped, u->ninstructions);
	for (uint32_t i = 0; i < u->nnamed; i++) {
		if (i)
			fputs(", ", f);
		json_text(f, u->named[i]);
	}
	fputs("]}", f);
}
