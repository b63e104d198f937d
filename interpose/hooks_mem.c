/* Interceptors for the memory functions that -fsanitize=thread leaves to
 * the runtime: memcpy, memmove and memset (neither gcc nor clang
 * instruments them, and clang turns struct copies into memcpy calls) are
 * checked as a read of the source and a write of the destination when
 * instrumented code calls them; free and realloc make the race detector
 * forget the block, whose address malloc may hand to another thread next.
 * Each is guard, detector, real call; in programs that are not instrumented
 * only the guard runs. The runtime's own calls of these functions come from
 * code that is not instrumented and pass straight through. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "race.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

/* glibc's own entry points, for calls that arrive before weft__real is
 * resolved (weft__real_init runs in the first constructor). */
extern void __libc_free(void *p);
extern void *__libc_realloc(void *p, size_t n);

static void copy_bytes(void *d, const void *s, size_t n, bool backwards)
{
	volatile unsigned char *to = d;
	const volatile unsigned char *from = s;
	if (backwards)
		while (n--)
			to[n] = from[n];
	else
		for (size_t i = 0; i < n; i++)
			to[i] = from[i];
}

static void check(void *d, const void *s, size_t n, uintptr_t pc)
{
	if (!n || !weft__race_instrumented || !weft__race_from_instrumented(pc))
		return;
	struct weft_race_thread *t = weft__race_thread();
	if (!t)
		return;
	if (s)
		weft__race_access(t, (uintptr_t)s, n, false, pc);
	weft__race_access(t, (uintptr_t)d, n, true, pc);
}

void *memcpy(void *d, const void *s, size_t n)
{
	check(d, s, n, CALLER);
	if (__builtin_expect(!weft__real.memcpy, 0)) {
		copy_bytes(d, s, n, false);
		return d;
	}
	return weft__real.memcpy(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	check(d, s, n, CALLER);
	if (__builtin_expect(!weft__real.memmove, 0)) {
		copy_bytes(d, s, n, (uintptr_t)d > (uintptr_t)s);
		return d;
	}
	return weft__real.memmove(d, s, n);
}

void *memset(void *d, int c, size_t n)
{
	check(d, NULL, n, CALLER);
	if (__builtin_expect(!weft__real.memset, 0)) {
		volatile unsigned char *to = d;
		for (size_t i = 0; i < n; i++)
			to[i] = (unsigned char)c;
		return d;
	}
	return weft__real.memset(d, c, n);
}

/* Only the thread holding the turn may touch the shadow memory: a thread
 * that has exited runs its last destructors beside the others. */
static void forget_block(void *p)
{
	if (p && weft__race_instrumented && weft__race_thread())
		weft__race_forget((uintptr_t)p, malloc_usable_size(p));
}

void free(void *p)
{
	forget_block(p);
	if (__builtin_expect(!weft__real.free, 0))
		__libc_free(p);
	else
		weft__real.free(p);
}

void *realloc(void *p, size_t n)
{
	forget_block(p);
	if (__builtin_expect(!weft__real.realloc, 0))
		return __libc_realloc(p, n);
	return weft__real.realloc(p, n);
}
