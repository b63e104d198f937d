/* A bounded buffer built from two counting semaphores (free slots, filled
 * slots) and a mutex, with the classic mistake: the producer takes the
 * mutex before waiting for a free slot. When the buffer is full it sleeps
 * on `slots` holding the mutex, and the consumer, which needs the mutex to
 * take an item and free a slot, waits for it: a deadlock that needs the
 * producer to run ahead, which a native run rarely shows.
 *
 * What weft finds: a deadlock (the producer in sem_wait holding the mutex,
 * the consumer in pthread_mutex_lock).
 *
 * weft-expect: bug deadlock
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

#define CAPACITY 1
#define ITEMS 2

static int buffer[CAPACITY];
static int head, tail;
static sem_t slots, items;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void put(int value)
{
	pthread_mutex_lock(&lock);
	sem_wait(&slots); /* BUG: wait for room before taking the lock */
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

int main(void)
{
	sem_init(&slots, 0, CAPACITY);
	sem_init(&items, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	int sum = 0;
	for (int i = 0; i < ITEMS; i++)
		sum += take();
	pthread_join(t, NULL);
	assert(sum == ITEMS * (ITEMS + 1) / 2);
	return 0;
}
