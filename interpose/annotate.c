/* The annotations of <weft.h> a scenario can use: weft_choose (a value
 * explored like a schedule choice), weft_yield (an extra scheduling point)
 * and weft_assert (a failed check with a message). Outside weft they do the
 * plain thing: 0, nothing, abort. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../include/weft.h"
#include "runtime.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

unsigned weft_choose(unsigned n)
{
	if (!weft__controlled() || weft__rt.exiting)
		return 0;
	weft__sched_point(WEFT_OP_CHOOSE, NULL, CALLER);
	return weft__choose_value(n, CALLER);
}

void weft_yield(void)
{
	if (weft__controlled() && !weft__rt.exiting)
		weft__sched_point(WEFT_OP_USER_YIELD, NULL, CALLER);
}

void weft_assert_fail(const char *cond, const char *file, int line, const char *fmt, ...)
{
	char message[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	if (weft__controlled())
		weft__fail(WEFT_BUG_ASSERTION, "%s:%d: weft_assert(%s) failed: %s", file, line, cond,
		           message);
	fprintf(stderr, "%s:%d: weft_assert(%s) failed: %s\n", file, line, cond, message);
	abort();
}
