/* A waiter that passes a stale expected value: main waits on `stage` with
 * 0 until it reaches 2, but once the worker has set it to 1 every wait
 * fails at once with EAGAIN, and main polls. The second failure in a row
 * on an unchanged word leaves main yielded, as a failed trylock does, so
 * the worker runs, sets 2 and main ends; without that rule main would
 * poll until the step bound and be reported as a livelock.
 *
 * Counted with the atomic instructions on the words unseen (WEFT_TRAP_ATOMICS=0):
 * trapped, each would be a scheduling point of its own.
 * weft-env: WEFT_TRAP_ATOMICS=0
 * weft-expect: ok 12
 * weft-expect-dpor: 11
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t stage;

static void set_stage(uint32_t s)
{
	__atomic_store_n(&stage, s, __ATOMIC_RELEASE);
	syscall(SYS_futex, &stage, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *worker(void *arg)
{
	(void)arg;
	set_stage(1);
	set_stage(2);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (__atomic_load_n(&stage, __ATOMIC_ACQUIRE) != 2)
		syscall(SYS_futex, &stage, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	pthread_join(t, NULL);
	return 0;
}
