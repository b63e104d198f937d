/* The checks of a unit test: CHECK(cond) counts one, and reports its file,
 * line and text to stderr when it fails; the test prints the counts and
 * exits non-zero when any failed. */
#ifndef WEFT_UNIT_CHECK_H
#define WEFT_UNIT_CHECK_H

#include <stdio.h>

static unsigned long checks, failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#endif
