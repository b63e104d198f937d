/* The conventions of the SV-COMP concurrency benchmarks, so that such a
 * program runs under weft unchanged (linked with -lweft):
 * __VERIFIER_nondet_* return a value from a small explored domain (0 and 1
 * by default; WEFT_NONDET_VALUES=K explores 0..K-1, K <= 64; _Bool always
 * 0 and 1), __VERIFIER_assume(0) ends the execution as infeasible (not a
 * bug), __VERIFIER_atomic_begin/end make a section run without other
 * threads while it can, and __VERIFIER_error() is an assertion failure.
 * reach_error() is the program's own function (usually assert(0)). weft
 * tests these programs; it does not prove them: values outside the domain
 * are never tried. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "race.h"
#include "runtime.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

static unsigned domain(void)
{
	const char *v = getenv("WEFT_NONDET_VALUES");
	long k = v ? atol(v) : 2;
	return k >= 1 && k <= 64 ? (unsigned)k : 2;
}

static unsigned nondet(unsigned n, uintptr_t pc)
{
	if (!weft__controlled() || weft__rt.exiting)
		return 0;
	weft__sched_point(WEFT_OP_CHOOSE, NULL, pc);
	return weft__choose_value(n, pc);
}

#define NONDET(type, name) \
	type __VERIFIER_nondet_##name(void) { return (type)nondet(domain(), CALLER); }
NONDET(int, int)
NONDET(unsigned int, uint)
NONDET(long, long)
NONDET(unsigned long, ulong)
NONDET(short, short)
NONDET(unsigned short, ushort)
NONDET(char, char)
NONDET(unsigned char, uchar)
NONDET(long long, longlong)
NONDET(unsigned long long, ulonglong)
NONDET(unsigned int, unsigned)
#undef NONDET

void *__VERIFIER_nondet_pointer(void)
{
	return (void *)(uintptr_t)nondet(domain(), CALLER);
}

_Bool __VERIFIER_nondet_bool(void)
{
	return nondet(2, CALLER) != 0;
}

void __VERIFIER_assume(int cond)
{
	if (cond)
		return;
	if (weft__controlled()) {
		/* Infeasible path: end quietly, with no leak to report. */
		weft__rt.pruned = true;
		weft__process_end(0, CALLER);
	}
	_exit(0);
}

/* The happens-before order of the atomic sections, for the race detector. */
static char atomic_sections;

void __VERIFIER_atomic_begin(void)
{
	if (!weft__controlled() || weft__rt.exiting)
		return;
	weft__sched_point(WEFT_OP_ATOMIC_BEGIN, NULL, CALLER);
	weft__rt.atomic_owner = weft__self();
	/* Sections run one at a time, so each is ordered after the last one
	 * (instrumented builds: their accesses do not race). */
	if (weft__race_thread())
		weft__race_acquire(weft__object_get(&atomic_sections, WEFT_OBJECT_ATOMIC));
}

void __VERIFIER_atomic_end(void)
{
	if (!weft__controlled() || weft__rt.exiting)
		return;
	weft__rt.atomic_owner = NULL;
	if (weft__race_thread())
		weft__race_release(weft__object_get(&atomic_sections, WEFT_OBJECT_ATOMIC));
	weft__sched_point(WEFT_OP_ATOMIC_END, NULL, CALLER);
}

void __VERIFIER_error(void)
{
	if (weft__controlled())
		weft__fail(WEFT_BUG_ASSERTION, "__VERIFIER_error() was reached");
	fprintf(stderr, "__VERIFIER_error() was reached\n");
	abort();
}
