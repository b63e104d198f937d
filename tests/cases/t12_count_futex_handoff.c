/* A one-shot flag on a raw futex: the worker publishes a value, sets the
 * flag and wakes; main waits on the flag while it is 0. Whether main's wait
 * finds the flag still 0 (it joins the queue and the wake ends its wait) or
 * already 1 (EAGAIN) depends on the order, and every order passes.
 *
 * Count: main = C (create), W (wait), K (wake-up, when W joined the
 * queue), J; worker = S (start, then the store), K' (wake), E.
 *   W before S: W queues; S K' wake it; K and E in either order, J:  2
 *   S first: W (EAGAIN) before K', between K' and E, or after E:     3
 * 5 executions. K and E commute (a wake-up and a thread's exit touch
 * different objects), so the two orders after W S K' are one trace:
 * DPOR runs 4.
 *
 * Counted with the atomic instructions on the words unseen (WEFT_TRAP_ATOMICS=0):
 * trapped, each would be a scheduling point of its own.
 * weft-env: WEFT_TRAP_ATOMICS=0
 * weft-expect: ok 5
 * weft-expect-dpor: 4
 */
#define _GNU_SOURCE
#include <assert.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t ready;
static int data;

static void *producer(void *arg)
{
	(void)arg;
	data = 42;
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &ready, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, &ready, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	assert(data == 42);
	pthread_join(t, NULL);
	return 0;
}
