/* A timed futex wait done right: main waits for the worker's word with an
 * absolute deadline (FUTEX_WAIT_BITSET on CLOCK_MONOTONIC) 1 s ahead, and
 * on a timeout gives up waiting and reads the word again after joining.
 * The worker sleeps 1 s, then sets the word and wakes: the timeout and the
 * wake fall on the same virtual instant, and weft explores the timeout,
 * the wake-up and the orders around them; every one passes. With
 * --time=adversarial the timeout may also come at any earlier step (12
 * executions then).
 *
 * Count: main = C, W (wait: it queues, or finds the word set), K (timed
 * wake-up: woken, or timed out), J; worker = S, Z (sleep 1 s), K' (wake),
 * E. 8 executions, each its own trace (a timed wake-up that may end by
 * its deadline is ordered with everything).
 *
 * Counted with the atomic instructions on the words unseen (WEFT_TRAP_ATOMICS=0):
 * trapped, each would be a scheduling point of its own.
 * weft-env: WEFT_TRAP_ATOMICS=0
 * weft-expect: ok 8
 * weft-expect-dpor: 8
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint32_t done;

static void *worker(void *arg)
{
	(void)arg;
	sleep(1);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &done, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	bool timed_out = false;
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 0 && !timed_out) {
		long rc = syscall(SYS_futex, &done, FUTEX_WAIT_BITSET_PRIVATE, 0, &deadline, NULL,
		                  FUTEX_BITSET_MATCH_ANY);
		timed_out = rc == -1 && errno == ETIMEDOUT;
	}
	pthread_join(t, NULL);
	assert(__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 1);
	return 0;
}
