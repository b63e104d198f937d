/* A mutex of the program's own on a raw futex: mutex 2 of Ulrich
 * Drepper's "Futexes Are Tricky", written out again. The word is 0 when
 * the mutex is free, 1 when it is locked and nobody waits, 2 when it is
 * locked and threads may wait; only the contended paths enter the kernel.
 * Shared by futex_mutex.c and its fixed twin. */
#ifndef FUTEX_MUTEX_H
#define FUTEX_MUTEX_H

#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Zero-initialised: free. */
struct futex_mutex {
	_Atomic uint32_t word;
};

static inline uint32_t futex_mutex_cmpxchg(struct futex_mutex *m, uint32_t expected,
                                           uint32_t desired)
{
	atomic_compare_exchange_strong(&m->word, &expected, desired);
	return expected; /* the value found */
}

static inline void futex_mutex_lock(struct futex_mutex *m)
{
	uint32_t c = futex_mutex_cmpxchg(m, 0, 1);
	if (c == 0)
		return; /* it was free: locked without waiters */
	/* Announce a waiter (2) before sleeping, so the unlock wakes someone. */
	if (c != 2)
		c = atomic_exchange(&m->word, 2);
	while (c != 0) {
		/* Sleeps only while the word is still 2: a wake between the
		 * exchange and the wait makes the wait return at once. */
		syscall(SYS_futex, &m->word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = atomic_exchange(&m->word, 2);
	}
}

static inline void futex_mutex_unlock(struct futex_mutex *m)
{
	if (atomic_fetch_sub(&m->word, 1) != 1) {
		/* It was 2: there may be waiters. Free it and wake one. */
		atomic_store(&m->word, 0);
		syscall(SYS_futex, &m->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

#endif
