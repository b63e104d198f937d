/* A thread waits for a flag that another sets with a plain store, spinning
 * with spin_pause() (libspin.so) in its loop. weft serialises threads, so
 * the waiter spins holding the turn and the setter cannot run until weft
 * preempts the spin (milliseconds each time); --yield-at makes each pause
 * a scheduling point instead:
 *
 *   weft run -- ./spin_wait
 *     OK, complete: each spin is preempted, 16 executions
 *   WEFT_SPIN_QUANTUM_MS=0 weft run --hang-timeout 2 -- ./spin_wait
 *     BUG hang: with preemption off, the waiter loops without any call weft sees
 *   weft run --yield-at 'spin_pause(void)->void=yield' -- ./spin_wait
 *     OK, complete: each pause gives way to the setter, at once. */
#include <pthread.h>
#include <stddef.h>

#include "spin.h"

static int flag;

static void *waiter(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&flag, __ATOMIC_ACQUIRE))
		spin_pause();
	return NULL;
}

static void *setter(void *arg)
{
	(void)arg;
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, waiter, NULL);
	pthread_create(&b, NULL, setter, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
