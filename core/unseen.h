/* What weft could not see in the program it explored, gathered from every
 * execution (the runtime's side is interpose/unseen.c), so that the
 * summary and the JSON never claim more than was seen: "complete" over
 * everything only when nothing was hidden, otherwise complete "for the
 * operations weft sees", naming what it did not see and the way out. */
#ifndef WEFT_UNSEEN_H
#define WEFT_UNSEEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "protocol.h"

#define WEFT_UNSEEN_NAMED 8 /* untrapped instructions named in the summary */

struct weft_unseen {
	/* A program not built with -fsanitize=thread ran more than one thread:
	 * they may talk through plain memory and atomic loads. */
	bool memory;
	/* Atomic instructions found but not trapped, and the first few named
	 * ("file.c:12 (function)", or the address when that is unknown). */
	uint32_t ninstructions;
	uint32_t nnamed;
	char named[WEFT_UNSEEN_NAMED][160];
	uint32_t trapped; /* atomic instructions trapped, for the summary */
};

/* Takes the execution that just ran; true when it had communication weft
 * does not see. */
bool weft_unseen_note(struct weft_unseen *u, const struct weft_shm *shm);

static inline bool weft_unseen_any(const struct weft_unseen *u)
{
	return u->memory || u->ninstructions;
}

/* The "weft: not seen: ..." lines of the summary. */
void weft_unseen_report_text(FILE *f, const struct weft_unseen *u, const char *program);
/* The JSON members "coverage" and "unseen" (after a comma the caller wrote). */
void weft_unseen_report_json(FILE *f, const struct weft_unseen *u, const char *program);

#endif
