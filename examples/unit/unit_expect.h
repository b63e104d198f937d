/* Shared helper of the unit tests in examples/unit/: runs weft_check on one
 * scenario under a name and compares the verdict with the expected one.
 * Every test is self-checking: main exits 0 when the buggy variant is found
 * with the expected bug kind and the fixed variant passes over a complete
 * exploration, 1 otherwise.
 *
 * Replay (WEFT_REPLAY=TOKEN WEFT_CHECK=NAME): weft_check skips the checks
 * with another name (it returns WEFT_OK with an empty result), so those are
 * not judged; the replayed one must bring its bug kind back. */
#ifndef UNIT_EXPECT_H
#define UNIT_EXPECT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <weft.h>

/* kind NULL: the scenario must pass (WEFT_OK, complete); otherwise it must
 * fail with a bug of that kind. Returns 1 when the expectation holds. */
static int expect_check(void (*body)(void *), const char *name, const char *kind)
{
	const char *replay = getenv("WEFT_REPLAY"), *only = getenv("WEFT_CHECK");
	int skipped = replay && *replay && only && *only && strcmp(only, name) != 0;
	struct weft_options options = WEFT_OPTIONS_INIT;
	options.name = name;
	struct weft_result_summary result;
	enum weft_check_verdict verdict = weft_check(body, NULL, &options, &result);
	if (skipped)
		return 1;
	int ok;
	if (kind)
		ok = verdict == WEFT_BUG && strcmp(result.kind, kind) == 0;
	else
		ok = verdict == WEFT_OK && result.complete_seen;
	fprintf(stderr, "%s %s: expected %s, got verdict %d%s%s (%llu executions%s)\n",
	        ok ? "ok" : "FAIL", name, kind ? kind : "no bug", (int)verdict,
	        result.kind[0] ? " " : "", result.kind, result.executions,
	        result.complete        ? ", complete"
	        : result.complete_seen ? ", complete for the operations weft sees"
	                               : "");
	return ok;
}

#endif
