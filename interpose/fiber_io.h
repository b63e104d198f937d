/* Calls that wait in the kernel for a descriptor (fiber_io.c, fiber_poll.c):
 * a call that would block becomes a modelled wait, the operation
 * `descriptor wait`, enabled when a descriptor is ready. */
#ifndef WEFT_FIBER_IO_H
#define WEFT_FIBER_IO_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"

/* The most descriptors one wait watches; a multiplexer over more makes
 * its real call. */
#define WEFT_FD_WAIT_MAX 64

enum weft_fd_wait_end {
	WEFT_FD_READY,     /* a descriptor is ready: the call will not block */
	WEFT_FD_TIMED_OUT, /* the timeout passed on the virtual clock */
	WEFT_FD_FOR_REAL,  /* nobody else could run: the real call waits */
};

/* The calling thread when a call on a descriptor from `caller` is one weft
 * models (a controlled thread holding the turn, called from the program);
 * NULL when the call is to be made as it is. */
struct weft_thread *weft__fd_waiter(uintptr_t caller);

/* Waits until one of fds (n <= WEFT_FD_WAIT_MAX) is ready, or deadline
 * when timed, as a scheduling point at pc. */
enum weft_fd_wait_end weft__fd_wait(struct weft_thread *me, const struct pollfd *fds, nfds_t n,
                                    bool timed, uint64_t deadline, uintptr_t pc);

/* Whether `name` is one of the calls fiber_io.c and fiber_poll.c define. */
bool weft__fd_call(const char *name);

#endif
