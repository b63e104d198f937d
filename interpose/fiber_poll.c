/* The multiplexers as modelled waits (fiber_io.h): poll, ppoll, select,
 * pselect, epoll_wait, epoll_pwait. Each first makes its real call with a
 * zero timeout, which is the whole call when something is ready (and for
 * epoll's edge-triggered and one-shot events, the one call that consumes
 * them). When nothing is, and the caller would wait, the thread waits as a
 * scheduling point until one of the descriptors is ready, then makes the
 * call again; its timeout runs on the virtual clock, and when it passes
 * the call returns 0 as the kernel's would. An epoll instance is waited for
 * through its own descriptor, which polls readable when events are ready.
 * When nobody else can run, the real call waits, with no timeout: only the
 * outside world can end it (clock.c: virtual time would have moved to the
 * deadline of a timed wait first). */
#define _GNU_SOURCE
#include "fiber_io.h"
#include "clock.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>

#define CALLER ((uintptr_t)__builtin_return_address(0))

static uint64_t deadline_ms(int timeout)
{
	return weft__deadline_after_ns((uint64_t)timeout * 1000000ull);
}

/* poll and ppoll: *timed and *deadline from the timeout; the real call's
 * result, or -2 to go on waiting. */
static int poll_loop(struct weft_thread *me, struct pollfd *fds, nfds_t n, bool timed,
                     uint64_t deadline, const sigset_t *mask, uintptr_t pc)
{
	static const struct timespec zero = {0, 0};
	for (;;) {
		int r = weft__real.ppoll(fds, n, &zero, mask);
		if (r != 0)
			return r;
		switch (weft__fd_wait(me, fds, n, timed, deadline, pc)) {
		case WEFT_FD_READY:
			continue;
		case WEFT_FD_TIMED_OUT:
			return 0;
		case WEFT_FD_FOR_REAL:
			return weft__real.ppoll(fds, n, NULL, mask);
		}
	}
}

static int do_poll(struct pollfd *fds, nfds_t n, int timeout, uintptr_t pc)
{
	struct weft_thread *me = timeout != 0 ? weft__fd_waiter(pc) : NULL;
	if (!me || n > WEFT_FD_WAIT_MAX)
		return weft__real.poll(fds, n, timeout);
	return poll_loop(me, fds, n, timeout > 0, timeout > 0 ? deadline_ms(timeout) : 0, NULL, pc);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	weft__real_init();
	return do_poll(fds, n, timeout, CALLER);
}

int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	weft__real_init();
	if (fdslen / sizeof *fds < n)
		return weft__real.__poll_chk(fds, n, timeout, fdslen); /* glibc reports it */
	return do_poll(fds, n, timeout, CALLER);
}

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask)
{
	weft__real_init();
	bool zero = t && t->tv_sec == 0 && t->tv_nsec == 0;
	struct weft_thread *me = zero ? NULL : weft__fd_waiter(CALLER);
	if (!me || n > WEFT_FD_WAIT_MAX || (t && (!weft__timespec_valid(t) || t->tv_sec < 0)))
		return weft__real.ppoll(fds, n, t, mask);
	return poll_loop(me, fds, n, t != NULL, t ? weft__deadline_after(t) : 0, mask, CALLER);
}

/* select and pselect: the sets as poll descriptors; false when there are
 * more than one wait watches. */
static bool sets_to_fds(int nfds, const fd_set *r, const fd_set *w, const fd_set *e,
                        struct pollfd *fds, nfds_t *n)
{
	*n = 0;
	for (int fd = 0; fd < nfds && fd < FD_SETSIZE; fd++) {
		short events = (short)((r && FD_ISSET(fd, r) ? POLLIN : 0) |
		                       (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
		                       (e && FD_ISSET(fd, e) ? POLLPRI : 0));
		if (!events)
			continue;
		if (*n == WEFT_FD_WAIT_MAX)
			return false;
		fds[(*n)++] = (struct pollfd){.fd = fd, .events = events};
	}
	return true;
}

struct sets {
	fd_set r, w, e;
};

static void save(struct sets *s, const fd_set *r, const fd_set *w, const fd_set *e)
{
	if (r)
		s->r = *r;
	if (w)
		s->w = *w;
	if (e)
		s->e = *e;
}

static void restore(const struct sets *s, fd_set *r, fd_set *w, fd_set *e)
{
	if (r)
		*r = s->r;
	if (w)
		*w = s->w;
	if (e)
		*e = s->e;
}

static int select_loop(struct weft_thread *me, int nfds, fd_set *r, fd_set *w, fd_set *e,
                       bool timed, uint64_t deadline, const sigset_t *mask, uintptr_t pc)
{
	struct pollfd fds[WEFT_FD_WAIT_MAX];
	nfds_t n;
	if (!sets_to_fds(nfds, r, w, e, fds, &n))
		return -2;
	struct sets saved;
	save(&saved, r, w, e);
	static const struct timespec zero = {0, 0};
	for (;;) {
		int got = weft__real.pselect(nfds, r, w, e, &zero, mask);
		if (got != 0)
			return got;
		/* A zero result cleared the sets: the next call needs them. */
		restore(&saved, r, w, e);
		switch (weft__fd_wait(me, fds, n, timed, deadline, pc)) {
		case WEFT_FD_READY:
			continue;
		case WEFT_FD_TIMED_OUT:
			if (r)
				FD_ZERO(r);
			if (w)
				FD_ZERO(w);
			if (e)
				FD_ZERO(e);
			return 0;
		case WEFT_FD_FOR_REAL:
			return weft__real.pselect(nfds, r, w, e, NULL, mask);
		}
	}
}

int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	weft__real_init();
	bool zero = tv && tv->tv_sec == 0 && tv->tv_usec == 0;
	struct weft_thread *me = zero ? NULL : weft__fd_waiter(CALLER);
	if (!me || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)))
		return weft__real.select(nfds, r, w, e, tv);
	uint64_t deadline = 0;
	if (tv) {
		struct timespec rel = {tv->tv_sec, tv->tv_usec * 1000};
		deadline = weft__deadline_after(&rel);
	}
	int got = select_loop(me, nfds, r, w, e, tv != NULL, deadline, NULL, CALLER);
	if (got == -2)
		return weft__real.select(nfds, r, w, e, tv);
	/* Linux leaves the time not slept in the timeval. */
	if (tv && got == 0)
		tv->tv_sec = tv->tv_usec = 0;
	return got;
}

int pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t,
            const sigset_t *mask)
{
	weft__real_init();
	bool zero = t && t->tv_sec == 0 && t->tv_nsec == 0;
	struct weft_thread *me = zero ? NULL : weft__fd_waiter(CALLER);
	if (!me || (t && (!weft__timespec_valid(t) || t->tv_sec < 0)))
		return weft__real.pselect(nfds, r, w, e, t, mask);
	int got = select_loop(me, nfds, r, w, e, t != NULL, t ? weft__deadline_after(t) : 0, mask,
	                      CALLER);
	return got == -2 ? weft__real.pselect(nfds, r, w, e, t, mask) : got;
}

static int epoll_loop(int ep, struct epoll_event *ev, int max, int timeout, const sigset_t *mask,
                      uintptr_t pc)
{
	struct weft_thread *me = timeout != 0 ? weft__fd_waiter(pc) : NULL;
	if (!me)
		return weft__real.epoll_pwait(ep, ev, max, timeout, mask);
	struct pollfd self = {.fd = ep, .events = POLLIN};
	uint64_t deadline = timeout > 0 ? deadline_ms(timeout) : 0;
	for (;;) {
		int got = weft__real.epoll_pwait(ep, ev, max, 0, mask);
		if (got != 0)
			return got;
		switch (weft__fd_wait(me, &self, 1, timeout > 0, deadline, pc)) {
		case WEFT_FD_READY:
			continue;
		case WEFT_FD_TIMED_OUT:
			return 0;
		case WEFT_FD_FOR_REAL:
			return weft__real.epoll_pwait(ep, ev, max, -1, mask);
		}
	}
}

int epoll_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
	weft__real_init();
	return epoll_loop(ep, ev, max, timeout, NULL, CALLER);
}

int epoll_pwait(int ep, struct epoll_event *ev, int max, int timeout, const sigset_t *mask)
{
	weft__real_init();
	return epoll_loop(ep, ev, max, timeout, mask, CALLER);
}
