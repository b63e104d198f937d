/* FUTEX_WAKE_BITSET and FUTEX_WAKE_OP. One waiter waits on `a` with bitset
 * 1 (FUTEX_WAIT_BITSET), another on `b` (FUTEX_WAIT); main sleeps, so that
 * both are waiting (the clock moves only when nobody else can run). A
 * wake of `a` with bitset 2 matches nobody; a wake of `b` with a zero
 * count still wakes one, as the kernel's does (the waiter finds `b` still
 * 0 and waits again). Then main sets `a` and makes one FUTEX_WAKE_OP call
 * that sets `b` to 1, wakes the waiter of `a`, and, `b` having been 0,
 * the waiter of `b`: 2 woken. Its return values are the same in every
 * interleaving.
 *
 * Count: 100 executions (the waiters' starts and waits around each other,
 * then the orders of the wake-ups, exits and joins); 5 traces.
 *
 * Counted with the atomic instructions on the words unseen (WEFT_TRAP_ATOMICS=0):
 * trapped, each would be a scheduling point of its own.
 * weft-env: WEFT_TRAP_ATOMICS=0
 * weft-expect: ok 100
 * weft-expect-dpor: 5
 */
#define _GNU_SOURCE
#include <assert.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t a, b;

static void *waiter_a(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&a, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, &a, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 1);
	return NULL;
}

static void *waiter_b(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&b, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, &b, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	pthread_t ta, tb;
	pthread_create(&ta, NULL, waiter_a, NULL);
	pthread_create(&tb, NULL, waiter_b, NULL);
	usleep(1000);
	assert(syscall(SYS_futex, &a, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 2) == 0);
	assert(syscall(SYS_futex, &b, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0) == 1);
	usleep(1000);
	__atomic_store_n(&a, 1, __ATOMIC_RELEASE);
	long woken = syscall(SYS_futex, &a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &b,
	                     FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
	assert(woken == 2 && b == 1);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	return 0;
}
