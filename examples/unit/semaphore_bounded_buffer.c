/* Unit test of examples/semaphore_bounded_buffer.c with weft_check.
 * Self-checking: exits 0 when the buggy variant is found (a "deadlock":
 * the producer takes the mutex before waiting for a free slot, so with the
 * buffer full it sleeps holding the mutex the consumer needs) and the fixed
 * one (wait for a slot, then take the mutex) passes over a complete
 * exploration. weft_assert checks every item arrives, in order. */
#include <pthread.h>
#include <semaphore.h>

#include "unit_expect.h"

#define CAPACITY 1
#define ITEMS 2

static int buffer[CAPACITY];
static int head, tail;
static sem_t slots, items;
static pthread_mutex_t lock;
static int fixed;

static void reset(void)
{
	head = tail = 0;
	lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	sem_init(&slots, 0, CAPACITY);
	sem_init(&items, 0, 0);
}

static void put(int value)
{
	if (fixed)
		sem_wait(&slots);
	pthread_mutex_lock(&lock);
	if (!fixed)
		sem_wait(&slots); /* wrong: waits for room holding the lock */
	buffer[tail] = value;
	tail = (tail + 1) % CAPACITY;
	pthread_mutex_unlock(&lock);
	sem_post(&items);
}

static int take(void)
{
	sem_wait(&items);
	pthread_mutex_lock(&lock);
	int value = buffer[head];
	head = (head + 1) % CAPACITY;
	pthread_mutex_unlock(&lock);
	sem_post(&slots);
	return value;
}

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++)
		put(i);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	reset();
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	for (int i = 1; i <= ITEMS; i++) {
		int value = take();
		weft_assert(value == i, "took %d, expected %d", value, i);
	}
	pthread_join(t, NULL);
	sem_destroy(&slots);
	sem_destroy(&items);
}

static void buggy(void *arg)
{
	fixed = 0;
	scenario(arg);
}

static void fixed_version(void *arg)
{
	fixed = 1;
	scenario(arg);
}

int main(void)
{
	int ok = expect_check(buggy, "semaphore_bounded_buffer", "deadlock");
	ok &= expect_check(fixed_version, "semaphore_bounded_buffer_fixed", NULL);
	return ok ? 0 : 1;
}
