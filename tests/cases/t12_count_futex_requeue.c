/* A mutex and a condition variable of the program's own, built on raw
 * futexes the way GLib and the old glibc built theirs: the mutex is the
 * three-state futex lock (0 free, 1 locked, 2 locked with waiters); a
 * condition wait records the condition's sequence number, unlocks, waits
 * on the sequence word, then takes the mutex back in the contended state;
 * a broadcast bumps the sequence and wakes one waiter while moving the
 * others onto the mutex word (FUTEX_CMP_REQUEUE), so that they wake one by
 * one as the mutex is handed on instead of all at once. Two waiters wait
 * for `ready`; main sleeps (so that both are waiting: the clock moves only
 * when nobody else can run), sets `ready` and broadcasts: one waiter is
 * woken, the other moved onto the mutex word, and the woken one's unlock
 * wakes it there. Every interleaving passes: nobody is lost in the requeue.
 *
 * Count: 80 executions, the orders of the two waiters' steps around each
 * other and around main's; 5 traces (DPOR runs one each): the atomics on
 * the words are invisible in this build, and the futex calls of the two
 * waiters are ordered by the words they share.
 *
 * Counted with the atomic instructions on the words unseen (WEFT_TRAP_ATOMICS=0):
 * trapped, each would be a scheduling point of its own.
 * weft-env: WEFT_TRAP_ATOMICS=0
 * weft-expect: ok 80
 * weft-expect-dpor: 5
 */
#define _GNU_SOURCE
#include <assert.h>
#include <limits.h>
#include <stdbool.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

struct fmutex {
	uint32_t state;
};

struct fcond {
	uint32_t seq;
};

static long futex(uint32_t *w, int op, uint32_t val, long val2, uint32_t *w2, uint32_t val3)
{
	return syscall(SYS_futex, w, op, val, val2, w2, val3);
}

static void lock_contended(struct fmutex *m)
{
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		futex(&m->state, FUTEX_WAIT_PRIVATE, 2, 0, NULL, 0);
}

static void fmutex_lock(struct fmutex *m)
{
	uint32_t c = 0;
	if (!__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE,
	                                 __ATOMIC_RELAXED))
		lock_contended(m);
}

static void fmutex_unlock(struct fmutex *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		futex(&m->state, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
	}
}

static void fcond_wait(struct fcond *c, struct fmutex *m)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	fmutex_unlock(m);
	futex(&c->seq, FUTEX_WAIT_PRIVATE, seq, 0, NULL, 0);
	/* Perhaps requeued onto the mutex: others may wait there too. */
	lock_contended(m);
}

static void fcond_broadcast(struct fcond *c, struct fmutex *m)
{
	uint32_t seq = __atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	/* EAGAIN when the sequence moved meanwhile: wake everybody then. */
	if (futex(&c->seq, FUTEX_CMP_REQUEUE_PRIVATE, 1, INT_MAX, &m->state, seq) < 0)
		futex(&c->seq, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0);
}

static struct fmutex m;
static struct fcond c;
static int ready, seen;

static void *waiter(void *arg)
{
	(void)arg;
	fmutex_lock(&m);
	while (!ready)
		fcond_wait(&c, &m);
	seen++;
	fmutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, waiter, NULL);
	pthread_create(&b, NULL, waiter, NULL);
	usleep(1000); /* the waiters start waiting first */
	fmutex_lock(&m);
	ready = 1;
	fcond_broadcast(&c, &m);
	fmutex_unlock(&m);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(seen == 2);
	return 0;
}
