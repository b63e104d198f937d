/* Source locations for the addresses in a report: call sites become
 * "file.c:12 (function)" and synchronisation objects become "lock_a" or
 * "locks+40", read with elfutils libdwfl from the files of the modules a
 * target had loaded. It works offline, after the target has exited, and
 * answers repeated questions from a cache. */
#ifndef WEFT_SYMBOLIZE_H
#define WEFT_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

struct weft_symbolizer;

/* Reads the modules' files (the vDSO and files that cannot be read are
 * left out; their addresses stay unknown). Separate debug files are found
 * the standard elfutils way (/usr/lib/debug, by build id or debuglink), and
 * also downloaded when DEBUGINFOD_URLS is set. Returns NULL only when out of
 * memory. A symbolizer is not safe to share between threads. */
struct weft_symbolizer *weft_symbolizer_new(const struct weft_module *modules, uint32_t n);

/* A return address (the pc of weft_event and weft_thread_state), looked up
 * at pc - 1 so the call, not the next line, is named. Writes
 * "file.c:12 (function)", the file as a basename and the function the
 * innermost one, inlined or not; with symbols but no line information,
 * "function+0x1c (libfoo.so)", the offset being that of pc itself as in a
 * backtrace. Returns false and writes "" when the address is unknown. */
bool weft_symbolize_code(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len);

/* The same, followed by the calls that the compiler inlined into the
 * function, one per line, innermost first: "cache.c:30 (put)\ncache.c:52
 * (worker)" when put was inlined into worker. Not cached: for the few
 * addresses of a race report. */
bool weft_symbolize_code_inlined(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len);

/* The address of an object: "lock_a", or "locks+40" (a decimal byte offset)
 * inside a larger one. Returns false and writes "" when no symbol covers the
 * address (heap, stack, thread-local storage, stripped files). */
bool weft_symbolize_data(struct weft_symbolizer *s, uint64_t addr, char *buf, size_t len);

/* One frame of a call stack. */
struct weft_frame {
	char where[256];          /* as weft_symbolize_code words it */
	char path[WEFT_PATH_LEN]; /* the source file the debug information names, "" if none */
	int line;                 /* 0 when unknown */
	/* The program's own code: a line in a module that is not a system
	 * library (libc, libstdc++, anything under /lib or /usr/lib) nor weft's,
	 * from a source file outside the system's headers (/usr/include). */
	bool own;
	bool weft; /* in weft's runtime (libweft*.so): the thread trampoline, main's wrapper */
};

/* The frames at return address pc, innermost first: the calls the
 * compiler inlined there, then the function that holds them. Returns how
 * many were written (at most max); an unknown address gives one frame
 * holding the address. Cached. */
uint32_t weft_symbolize_frames(struct weft_symbolizer *s, uint64_t pc, struct weft_frame *out,
                               uint32_t max);

void weft_symbolizer_free(struct weft_symbolizer *s);

#endif
