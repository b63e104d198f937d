/* A lost update behind a hand-written spin lock (libspin.so): each worker
 * reads the counter in one critical section and writes it back in another,
 * so both can read 0 and both write 1.
 *
 *   weft run -- ./lost_update
 *     OK, complete: weft sees no synchronisation inside the workers, so each
 *     runs from start to end in one step and the bug cannot show.
 *   weft run --yield-at 'spin_lock(int*)->void=lock(1)' \
 *            --yield-at 'spin_unlock(int*)->void=unlock(1)' -- ./lost_update
 *     BUG assertion: `counter == 2' failed, each spin_lock/spin_unlock a step
 *     of the interleaving with its line in this file.
 *
 * Built three ways, with the same result: lazy binding (lost_update), -z now
 * (lost_update_now) and -fno-plt (lost_update_noplt). */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>

#include "spin.h"

static int lock;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	spin_lock(&lock);
	int seen = counter;
	spin_unlock(&lock);
	spin_lock(&lock);
	counter = seen + 1;
	spin_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(counter == 2);
	return 0;
}
