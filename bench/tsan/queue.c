/* An instrumented test of the usual shape: two producers and a consumer
 * pass 64-byte messages through a mutex-protected ring buffer with
 * condition variables, copying them in and out with memcpy, and the
 * consumer checks every message. No race and no bug: the benchmark times
 * one run of it under ThreadSanitizer and executions of it under weft.
 * usage: queue [MESSAGES_PER_PRODUCER] */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4
#define SIZE 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static char ring[SLOTS][SIZE];
static int head, count;
static long per_producer;

static void *producer(void *arg)
{
	char message[SIZE];
	for (long i = 0; i < per_producer; i++) {
		memset(message, (int)(intptr_t)arg, sizeof message);
		message[0] = (char)i;
		pthread_mutex_lock(&lock);
		while (count == SLOTS)
			pthread_cond_wait(&changed, &lock);
		memcpy(ring[(head + count) % SLOTS], message, SIZE);
		count++;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	char message[SIZE];
	for (long i = 0; i < 2 * per_producer; i++) {
		pthread_mutex_lock(&lock);
		while (count == 0)
			pthread_cond_wait(&changed, &lock);
		memcpy(message, ring[head], SIZE);
		head = (head + 1) % SLOTS;
		count--;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
		assert(message[1] == 'a' || message[1] == 'b');
		assert(message[SIZE - 1] == message[1]);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	per_producer = argc > 1 ? atol(argv[1]) : 3;
	pthread_t t[3];
	pthread_create(&t[0], NULL, consumer, NULL);
	pthread_create(&t[1], NULL, producer, (void *)(intptr_t)'a');
	pthread_create(&t[2], NULL, producer, (void *)(intptr_t)'b');
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
