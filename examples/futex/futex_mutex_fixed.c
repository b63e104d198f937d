/* The fixed twin of futex_mutex.c: each customer checks for a seat and
 * books it in one critical section of the futex mutex, so exactly one of
 * them gets the seat in every interleaving. weft explores them all,
 * including those where a customer waits in the futex for the other to
 * unlock, and finds no bug.
 *
 *   weft run -- build/examples/futex/futex_mutex_fixed
 *
 * weft-expect: ok 2449
 * weft-expect-dpor: 48
 */
#include <assert.h>
#include <pthread.h>

#include "futex_mutex.h"

static struct futex_mutex lock;
static int seats_left = 1, booked;

static void *customer(void *arg)
{
	(void)arg;
	futex_mutex_lock(&lock);
	if (seats_left > 0) {
		seats_left--;
		booked++;
	}
	futex_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, customer, NULL);
	pthread_create(&b, NULL, customer, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(booked == 1 && seats_left == 0); /* one seat, one booking */
	return 0;
}
