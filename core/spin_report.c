/* The headline of a livelock found in a spin-wait. The runtime cannot read
 * debugging information, so it leaves the spinner's stack as addresses in
 * the exchange region and the explorer names them here with libdw. */
#include "spin_report.h"

#include <stdio.h>
#include <string.h>

#include "symbolize.h"

/* One frame with the calls inlined into it, innermost first:
 * "a.c:5 (inner) <- a.c:9 (outer)". */
static void name_frame(struct weft_symbolizer *sym, uint64_t pc, char *buf, size_t len)
{
	char lines[512];
	if (!sym || !weft_symbolize_code_inlined(sym, pc, lines, sizeof lines) || !lines[0]) {
		snprintf(buf, len, "%#llx", (unsigned long long)(pc - 1));
		return;
	}
	size_t used = 0;
	for (const char *p = lines; *p && used + 5 < len; p++) {
		if (*p == '\n') {
			memcpy(buf + used, " <- ", 4);
			used += 4;
		} else {
			buf[used++] = *p;
		}
	}
	buf[used] = '\0';
}

bool weft_spin_describe(const struct weft_shm *shm, char *buf, size_t len)
{
	if (shm->bug != WEFT_BUG_LIVELOCK || shm->spin_nframes == 0)
		return false;
	uint32_t n = shm->spin_nframes < WEFT_SPIN_FRAMES ? shm->spin_nframes : WEFT_SPIN_FRAMES;
	struct weft_symbolizer *sym = weft_symbolizer_new(shm->modules, shm->nmodules);
	char where[256] = "", frame[512];
	if (!sym || !weft_symbolize_code(sym, shm->spin_frames[0], where, sizeof where) ||
	    !where[0])
		snprintf(where, sizeof where, "%#llx",
		         (unsigned long long)(shm->spin_frames[0] - 1));
	name_frame(sym, shm->spin_frames[0], frame, sizeof frame);
	int used = snprintf(buf, len, "T%u spins forever at %s: %s; its stack: %s",
	                    shm->spin_thread, where, shm->message, frame);
	for (uint32_t i = 1; i < n && used > 0 && (size_t)used < len; i++) {
		name_frame(sym, shm->spin_frames[i], frame, sizeof frame);
		used += snprintf(buf + used, len - (size_t)used, " <- %s", frame);
	}
	if (sym)
		weft_symbolizer_free(sym);
	return true;
}
