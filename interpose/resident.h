/* The resident execution (resident.c): under fibers, the fork server's
 * child restores itself in place after each execution instead of ending. */
#ifndef WEFT_RESIDENT_H
#define WEFT_RESIDENT_H

/* What the resident child says besides wait statuses; a reason of
 * WEFT_RESIDENT_WHY_LEN bytes follows the last two. */
enum {
	WEFT_RESIDENT_READY = 1,       /* back at the snapshot */
	WEFT_RESIDENT_REFUSED = 2,     /* cannot put itself back: it ends */
	WEFT_RESIDENT_NO_SNAPSHOT = 3, /* cannot take one (before its status) */
};
#define WEFT_RESIDENT_WHY_LEN 160

/* In the fork server's child, before main: become resident on `fd` (the
 * child's end of its socket pair with the server) when the process can
 * restore in place; `why_not` is the server's reason not to try (fd is
 * then -1). Returns at once in the first execution, and after each restore
 * once the next execution is asked for. */
void weft__resident_child(int fd, const char *why_not);

/* The execution ends with exit status `code`: a resident process reports
 * it and restores itself; any other process exits. */
_Noreturn void weft__execution_end(int code);

/* The program's own exit has run its handlers (the last is the loader's
 * destructor pass): a resident process flushes stdio and ends the
 * execution as above; otherwise this returns and glibc exits. */
void weft__execution_end_normal(int code);

#endif
