/* A check-then-act under a correct futex mutex (futex_mutex.h): two
 * customers book the last seat of a flight. Each looks at the number of
 * seats left under the lock, lets go of the lock, and books under the
 * lock again if a seat was left. The lock is right; the booking is not:
 * both can see one seat left before either books, and the flight is
 * overbooked. futex_mutex_fixed.c checks and books in one critical section.
 *
 * Built with -fsanitize=thread (against libweft-tsan), so that weft sees
 * the mutex's atomics as well as its futex calls: each is a scheduling
 * point, and weft finds the interleaving.
 *
 *   weft run -- build/examples/futex/futex_mutex
 *
 * weft-expect: bug assertion
 * weft-expect-dpor: bug assertion
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
	int left = seats_left;
	futex_mutex_unlock(&lock);
	if (left > 0) {
		futex_mutex_lock(&lock);
		seats_left--;
		booked++;
		futex_mutex_unlock(&lock);
	}
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
