/* The fixed twin of lost_update.c: read and write in one critical section.
 *
 *   weft run --yield-at 'spin_lock(int*)->void=lock(1)' \
 *            --yield-at 'spin_unlock(int*)->void=unlock(1)' -- ./lost_update_fixed
 *     OK, complete. */
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
	counter++;
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
