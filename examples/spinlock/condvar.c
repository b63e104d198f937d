/* A lost wake-up with the condition variable of libspin.so: the producer
 * sets `ready` and signals without holding the lock, so it can do both
 * between the consumer's check and its wait, and the consumer waits for
 * ever. With the argument "fixed" the producer holds the lock.
 *
 *   weft run --yield-at 'spin_lock(int*)->void=lock(1)' \
 *            --yield-at 'spin_unlock(int*)->void=unlock(1)' \
 *            --yield-at 'spin_cond_wait(struct spin_cond*, int*)->int=wait(1,2)' \
 *            --yield-at 'spin_cond_signal(struct spin_cond*)->void=signal(1)' -- ./condvar
 *     BUG deadlock: main waits in pthread_join for the consumer, which waits
 *     in spin_cond_wait for a signal that came before it.
 *   the same with "fixed": OK, complete.
 *
 * Without the specs the consumer spins in spin_cond_wait holding weft's
 * turn: a hang. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "spin.h"

static int lock;
static struct spin_cond cond;
static bool ready, fixed;

static void *consumer(void *arg)
{
	spin_lock(&lock);
	while (!ready)
		spin_cond_wait(&cond, &lock);
	spin_unlock(&lock);
	return arg;
}

static void *producer(void *arg)
{
	if (fixed)
		spin_lock(&lock);
	ready = true;
	spin_cond_signal(&cond);
	if (fixed)
		spin_unlock(&lock);
	return arg;
}

int main(int argc, char **argv)
{
	(void)argv;
	fixed = argc > 1;
	pthread_t c, p;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(c, NULL);
	pthread_join(p, NULL);
	return 0;
}
