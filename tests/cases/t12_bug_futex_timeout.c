/* A timed futex wait that its author expects to end by the wake: the
 * worker sleeps 1 s, then sets the word and wakes; main waits at most 1 s
 * (FUTEX_WAIT's relative timeout). Both fall on the same virtual instant,
 * and weft explores the timeout as a choice, as for timed condition
 * waits: main times out before the worker's wake, and its assertion
 * fails.
 *
 * weft-expect: bug assertion
 * weft-expect-dpor: bug assertion
 */
#define _GNU_SOURCE
#include <assert.h>
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
	struct timespec limit = {1, 0};
	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, &done, FUTEX_WAIT_PRIVATE, 0, &limit, NULL, 0);
	assert(__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 1);
	pthread_join(t, NULL);
	return 0;
}
