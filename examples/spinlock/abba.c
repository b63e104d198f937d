/* Two threads take two hand-written spin locks (libspin.so) in opposite
 * orders. Without --yield-at each thread runs through at once and weft
 * finds nothing; with the lock roles weft explores the interleaving where
 * each holds one lock and spins on the other:
 *
 *   weft run --yield-at 'spin_lock(int*)->void=lock(1)' \
 *            --yield-at 'spin_unlock(int*)->void=unlock(1)' -- ./abba
 *     BUG deadlock: T1 waits in spin_lock(lock#2 (lock_b)) held by T2; ... */
#include <pthread.h>
#include <stddef.h>

#include "spin.h"

static int lock_a, lock_b;

static void *forward(void *arg)
{
	(void)arg;
	spin_lock(&lock_a);
	spin_lock(&lock_b);
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
	return NULL;
}

static void *backward(void *arg)
{
	(void)arg;
	spin_lock(&lock_b);
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, forward, NULL);
	pthread_create(&b, NULL, backward, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
