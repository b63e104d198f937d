/* Threads that wait in the kernel for each other: a read of a pipe another
 * thread writes, a socketpair, an eventfd, poll, select, epoll_wait. Only
 * one thread of the program runs at a time, so such a call, made for real,
 * would block the thread that holds the turn while the one that would make
 * the descriptor ready never runs: with fibers the one kernel thread
 * blocks, with kernel threads the turn is never handed on. Both ended as a
 * `hang`.
 *
 * Instead, a call that would block becomes a wait weft models: the thread
 * checks its descriptors without blocking (poll with no timeout, or the
 * multiplexer itself with a zero timeout); when they are ready the real
 * call runs and returns at once. Otherwise it makes a scheduling point,
 * the operation `descriptor wait`, enabled once one of its descriptors is
 * ready (the scheduler polls them, sched.c) or its timeout has passed on
 * the virtual clock (poll's milliseconds, select's timeval, ...), as every
 * timed wait of weft's (clock.c). Then it makes the call again.
 *
 * When no thread can run, the descriptors wait for the outside world (a
 * child process, a server, a file): the scheduler then lets a waiter make
 * its real call, which blocks for real until the world answers; one that
 * never does is a `hang`, as before, naming the call.
 *
 * Left as they are: standard input, output and error (the outside world;
 * the explorer drains the program's output at its own pace), descriptors
 * in non-blocking mode and MSG_DONTWAIT calls (they never block), the
 * runtime's own reads and writes, threads inside a call wrapped with the
 * blocking role (--yield-at), and a multiplexer over more than WEFT_FD_WAIT_MAX
 * descriptors (a real wait). The multiplexers are in fiber_poll.c. */
#define _GNU_SOURCE
#include "fiber_io.h"
#include "clock.h"
#include "wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define CALLER ((uintptr_t)__builtin_return_address(0))

/* What each waiting thread waits for, polled by the scheduler. */
static struct {
	nfds_t n;
	struct pollfd fds[WEFT_FD_WAIT_MAX];
} waits[WEFT_MAX_THREADS];

static uintptr_t own_lo, own_hi;
static bool own_known;

struct weft_thread *weft__fd_waiter(uintptr_t caller)
{
	struct weft_runtime *rt = &weft__rt;
	if (!rt->active || !rt->shm || rt->wrapping || rt->exiting)
		return NULL;
	struct weft_thread *me = weft__self();
	if (!me || me->exited || me->frozen || me->op == WEFT_OP_CALL_RETURN ||
	    rt->shm->current != me->id)
		return NULL;
	if (!own_known) {
		weft__object_range((const void *)weft__fd_waiter, &own_lo, &own_hi);
		own_known = true;
	}
	if (caller >= own_lo && caller < own_hi)
		return NULL;
	return me;
}

static bool poll_ready(struct pollfd *fds, nfds_t n)
{
	for (nfds_t i = 0; i < n; i++)
		fds[i].revents = 0;
	/* An error (a descriptor closed meanwhile) counts as ready: the call
	 * itself then says what is wrong. */
	return weft__real.poll(fds, n, 0) != 0;
}

bool weft__fd_call(const char *name)
{
	static const char *const names[] = {
	    "read",       "__read_chk",  "readv",        "write",        "writev",  "recv",
	    "recvfrom",   "recvmsg",     "send",         "sendto",       "sendmsg", "accept",
	    "accept4",    "poll",        "__poll_chk",   "ppoll",        "select",  "pselect",
	    "epoll_wait", "epoll_pwait", "eventfd_read", "eventfd_write"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

bool weft__fd_ready(const struct weft_thread *t)
{
	uint32_t id = t->id % WEFT_MAX_THREADS;
	return poll_ready(waits[id].fds, waits[id].n);
}

uint64_t weft__fd_waiting(const struct weft_thread *leaving)
{
	uint64_t mask = 0;
	for (uint32_t i = 0; i < weft__rt.nthreads && i < 64; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t != leaving && !t->exited && !t->frozen && t->op == WEFT_OP_FD_WAIT)
			mask |= 1ull << i;
	}
	return mask;
}

enum weft_fd_wait_end weft__fd_wait(struct weft_thread *me, const struct pollfd *fds, nfds_t n,
                                    bool timed, uint64_t deadline, uintptr_t pc)
{
	uint32_t id = me->id % WEFT_MAX_THREADS;
	waits[id].n = n;
	memcpy(waits[id].fds, fds, n * sizeof *fds);
	if (timed)
		weft__deadline_arm(deadline);
	weft__sched_point(WEFT_OP_FD_WAIT, NULL, pc);
	if (timed)
		weft__deadline_disarm();
	if (poll_ready(waits[id].fds, waits[id].n))
		return WEFT_FD_READY;
	if (timed && weft__rt.now >= deadline)
		return WEFT_FD_TIMED_OUT;
	/* Chosen while not ready: nobody else could run. */
	return WEFT_FD_FOR_REAL;
}

/* Before a call on one descriptor that blocks until it is ready for
 * `events`: wait as a modelled wait if it would block now. The real call
 * follows either way. */
static void await_fd(int fd, short events, uintptr_t pc)
{
	if (fd <= STDERR_FILENO)
		return;
	struct weft_thread *me = weft__fd_waiter(pc);
	if (!me)
		return;
	struct pollfd one = {.fd = fd, .events = events};
	if (poll_ready(&one, 1))
		return;
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || (flags & O_NONBLOCK))
		return;
	weft__fd_wait(me, &one, 1, false, 0, pc);
}

static ssize_t do_read(int fd, void *buf, size_t n, uintptr_t pc)
{
	await_fd(fd, POLLIN, pc);
	return weft__real.read(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
	weft__real_init();
	return do_read(fd, buf, n, CALLER);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	weft__real_init();
	if (n > buflen)
		return weft__real.__read_chk(fd, buf, n, buflen); /* glibc reports the overflow */
	return do_read(fd, buf, n, CALLER);
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	weft__real_init();
	await_fd(fd, POLLIN, CALLER);
	return weft__real.readv(fd, iov, n);
}

/* A write larger than PIPE_BUF to a pipe may fill it halfway and block:
 * it goes in pieces of PIPE_BUF, each after a wait for room, so that the
 * reader runs in between. */
ssize_t write(int fd, const void *buf, size_t n)
{
	weft__real_init();
	uintptr_t pc = CALLER;
	struct stat st;
	if (n <= PIPE_BUF || fd <= STDERR_FILENO || !weft__fd_waiter(pc) || fstat(fd, &st) != 0 ||
	    !S_ISFIFO(st.st_mode)) {
		await_fd(fd, POLLOUT, pc);
		return weft__real.write(fd, buf, n);
	}
	size_t done = 0;
	while (done < n) {
		await_fd(fd, POLLOUT, pc);
		size_t piece = n - done < PIPE_BUF ? n - done : PIPE_BUF;
		ssize_t k = weft__real.write(fd, (const char *)buf + done, piece);
		if (k < 0)
			return done ? (ssize_t)done : -1;
		done += (size_t)k;
	}
	return (ssize_t)done;
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	weft__real_init();
	await_fd(fd, POLLOUT, CALLER);
	return weft__real.writev(fd, iov, n);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLIN, CALLER);
	return weft__real.recv(fd, buf, n, flags);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLIN, CALLER);
	return weft__real.recvfrom(fd, buf, n, flags, addr, len);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLIN, CALLER);
	return weft__real.recvmsg(fd, msg, flags);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLOUT, CALLER);
	return weft__real.send(fd, buf, n, flags);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
               socklen_t len)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLOUT, CALLER);
	return weft__real.sendto(fd, buf, n, flags, addr, len);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	weft__real_init();
	if (!(flags & MSG_DONTWAIT))
		await_fd(fd, POLLOUT, CALLER);
	return weft__real.sendmsg(fd, msg, flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	weft__real_init();
	await_fd(fd, POLLIN, CALLER);
	return weft__real.accept(fd, addr, len);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	weft__real_init();
	await_fd(fd, POLLIN, CALLER);
	return weft__real.accept4(fd, addr, len, flags);
}

int eventfd_read(int fd, eventfd_t *value)
{
	weft__real_init();
	await_fd(fd, POLLIN, CALLER);
	return weft__real.eventfd_read(fd, value);
}

int eventfd_write(int fd, eventfd_t value)
{
	weft__real_init();
	await_fd(fd, POLLOUT, CALLER);
	return weft__real.eventfd_write(fd, value);
}
