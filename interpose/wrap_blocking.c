/* The blocking role (--yield-at NAME(...)->T=blocking): the call may wait for
 * something weft does not see (a pipe, a socket, a futex of its own), so
 * the calling thread leaves scheduling for the duration of the call, the
 * others run, and it comes back through a scheduling point of its own, the
 * "(return)" event, once the call has returned.
 *
 * The turn: normally exactly one thread holds it. A thread leaving for a
 * blocking call hands it to the next thread the scheduler picks; when nobody
 * can run, the turn is set free and the first thread back from its call
 * takes it (turn_free, a compare-and-swap). A thread holding the turn with
 * nobody able to run waits on `returns` until one comes back. Both sides
 * publish first and look second, with sequentially consistent atomics, so
 * a return is never missed.
 *
 * Determinism: the step at which a returned call is first seen depends on
 * timing. Before the scheduler counts a call as not back, it waits (up to
 * 50 ms) for one that the kernel has already woken
 * (weft__outside_returned), so a call woken by the running thread (a read
 * of what it wrote) comes back at the same step unless the machine is so
 * loaded that it gets no CPU for that long; a call woken from outside the
 * process (a socket, a timer) can come back at any step, and explorations
 * or replays of it may diverge (reported as such). A call that never
 * returns is a hang after --hang-timeout, naming the system call the thread
 * sits in. */
#define _GNU_SOURCE
#include "wrap.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* How long the scheduler waits for a call that the kernel has woken (or
 * that computes) to come back before it counts the call as still running:
 * slices of 1 ms while the thread stays runnable, at most 50 of them. */
#define RETURN_WAIT_SLICE_NS 1000000
#define RETURN_WAIT_SLICES 50

static uint32_t returns; /* futex word: bumped by every thread back from a call */
static int turn_free;    /* 1 while no thread holds the turn */

static bool outside(const struct weft_thread *t, bool returned)
{
	return !t->exited && !t->frozen && t->op == WEFT_OP_CALL_RETURN &&
	       __atomic_load_n(&t->returned, __ATOMIC_SEQ_CST) == returned;
}

/* Whether some thread in a blocking call is in state `returned`; the first
 * not yet returned becomes the "current" thread the hang watchdog names. */
static bool any_outside(bool returned)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (outside(weft__rt.threads[i], returned)) {
			if (!returned)
				weft__rt.shm->current = i;
			return true;
		}
	return false;
}

/* Whether the kernel has the thread runnable (woken, or running), rather
 * than asleep in its call: the state letter of /proc/self/task/TID/stat. */
static bool runnable(const struct weft_thread *t)
{
	char path[64], text[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)t->shared->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	const char *paren = strrchr(text, ')');
	return paren && paren[1] == ' ' && paren[2] == 'R';
}

bool weft__outside_returned(const struct weft_thread *t)
{
	/* A call that what the running thread just did has woken is runnable
	 * but may not have run yet: wait for it (it bumps `returns`), so that
	 * the step at which the return is seen does not depend on when the
	 * kernel gets round to it. The wait is bounded: a call that computes
	 * for long, or spins, is simply not back yet. */
	for (int slice = 0;; slice++) {
		uint32_t seen = __atomic_load_n(&returns, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&t->returned, __ATOMIC_SEQ_CST))
			return true;
		/* Asleep may also mean back already and waiting for its turn. */
		if (slice == RETURN_WAIT_SLICES || !runnable(t))
			return __atomic_load_n(&t->returned, __ATOMIC_SEQ_CST);
		struct timespec limit = {0, RETURN_WAIT_SLICE_NS};
		syscall(SYS_futex, &returns, FUTEX_WAIT_PRIVATE, seen, &limit, NULL, 0);
	}
}

bool weft__outside_pending(void)
{
	return any_outside(false);
}

bool weft__outside_release_turn(void)
{
	__atomic_store_n(&turn_free, 1, __ATOMIC_SEQ_CST);
	if (!any_outside(true))
		return true;
	/* A thread came back meanwhile and may have seen the turn held: take
	 * the turn back, unless it was quicker. */
	int expected = 1;
	return !__atomic_compare_exchange_n(&turn_free, &expected, 0, false, __ATOMIC_SEQ_CST,
	                                    __ATOMIC_SEQ_CST);
}

void weft__outside_wait(void)
{
	uint32_t seen = __atomic_load_n(&returns, __ATOMIC_SEQ_CST);
	if (any_outside(true) || !any_outside(false))
		return;
	syscall(SYS_futex, &returns, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

void weft__outside_enter(struct weft_thread *me)
{
	__atomic_store_n(&me->returned, false, __ATOMIC_SEQ_CST);
	me->op = WEFT_OP_CALL_RETURN;
	me->shared->op = WEFT_OP_CALL_RETURN;
	weft__sched_leave();
}

void weft__outside_return(struct weft_thread *me, struct weft_object *obj, uint32_t func,
                          uintptr_t pc)
{
	__atomic_store_n(&me->returned, true, __ATOMIC_SEQ_CST);
	int expected = 1;
	if (__atomic_compare_exchange_n(&turn_free, &expected, 0, false, __ATOMIC_SEQ_CST,
	                                __ATOMIC_SEQ_CST)) {
		/* Nobody held the turn: take it, and let the scheduler choose. */
		weft__sched_point_func(WEFT_OP_CALL_RETURN, obj, func, pc);
	} else {
		__atomic_add_fetch(&returns, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &returns, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
		weft__wait_first_turn(me);
	}
	/* Running again: no longer a thread in a call. */
	me->op = WEFT_OP_CALL;
	__atomic_store_n(&me->returned, false, __ATOMIC_SEQ_CST);
}
