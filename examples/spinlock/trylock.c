/* spin_trylock (libspin.so) used two ways: a worker that takes the lock
 * with a trylock retry loop is correct; one that gives up when the trylock
 * fails and updates the counter anyway loses an update when the other
 * holds the lock.
 *
 *   weft run --yield-at 'spin_trylock(int*)->int=trylock(1)' \
 *            --yield-at 'spin_unlock(int*)->void=unlock(1)' \
 *            --yield-at 'spin_pause(void)->void=yield' -- ./trylock
 *     BUG assertion: `counter == 2' failed: a trylock failed while the other
 *     worker held the lock between its read and its write, and the update
 *     made without the lock was lost.
 *   the same with the argument "retry": OK, complete (each failed trylock
 *     gives way to the holder, so the retry loop ends).
 *
 * spin_trylock returns 1 when it took the lock: trylock(1), or with the
 * value spelt out, trylock(1)==1. A function that returns 0 on success is
 * trylock(N)==0. */
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "spin.h"

static int lock;
static int counter;
static bool retry;

static void *worker(void *arg)
{
	(void)arg;
	if (retry) {
		while (!spin_trylock(&lock))
			continue;
	} else if (!spin_trylock(&lock)) {
		counter++; /* wrong: the other worker holds the lock */
		return NULL;
	}
	int seen = counter;
	spin_pause(); /* the other worker may run here */
	counter = seen + 1;
	spin_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	retry = argc > 1;
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(counter == 2 || retry);
	return 0;
}
