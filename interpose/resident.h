/* The resident execution (resident.c): under fibers, the fork server's
 * child restores itself in place after each execution instead of ending. */
#ifndef WEFT_RESIDENT_H
#define WEFT_RESIDENT_H

#include <stdint.h>

struct weft_shm;

/* Shared by the fork server and its resident child (a MAP_SHARED page). */
enum {
	WEFT_RESIDENT_NONE = 0, /* not resident (yet): the server answers for it */
	WEFT_RESIDENT_RUNNING,  /* resident, running an execution */
	WEFT_RESIDENT_IDLE,     /* resident, its last execution answered */
};
#define WEFT_RESIDENT_WHY_LEN 160
struct weft_resident_board {
	int32_t state;
	int32_t pid_sent;  /* the server wrote the child's pid (a futex word) */
	uint32_t restored; /* executions it served restored in place */
	uint32_t reserved;
	char why[WEFT_RESIDENT_WHY_LEN]; /* why it is not, or no longer, resident */
};

/* In the fork server's child, before main: when the process can restore
 * in place, become resident: take the snapshot, and after each execution
 * restore it and serve the next request on the explorer's own pipes
 * (control, status_fd) as the fork server would. Without `board` (or when
 * it cannot), close the pipes and run one execution; `why_not` is the
 * server's reason not to try. `region` is the exchange region, which
 * weft_check's scenario adopts only after the snapshot. Returns at once in
 * the first execution, and after each restore once the next execution is
 * asked for. */
void weft__resident_child(struct weft_resident_board *board, int control, int status_fd,
                          const char *why_not, struct weft_shm *region);

/* weft_check: write how the execution started into the region it has
 * just adopted. */
void weft__resident_note_model(void);

/* The execution ends with exit status `code`: a resident process reports
 * it and restores itself; any other process exits. */
_Noreturn void weft__execution_end(int code);

/* The program's own exit has run its handlers (the last is the loader's
 * destructor pass): a resident process flushes stdio and ends the
 * execution as above; otherwise this returns and glibc exits. */
void weft__execution_end_normal(int code);

#endif
