/* channel_swap.c with the fix: the pointer to the current channel is read
 * and swapped under a lock of its own, and a receiver that finds its
 * channel retired looks the pointer up again. Every interleaving delivers
 * 1 and 2, and no access races. (Plain DFS takes minutes here: the
 * channel's waits multiply the interleavings; DPOR explores one per class.)
 * weft-expect: ok 208
 * weft-options: --strategy dpor
 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

#include "channel.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct channel *current;

static struct channel *current_channel(void)
{
	pthread_mutex_lock(&current_lock);
	struct channel *c = current;
	pthread_mutex_unlock(&current_lock);
	return c;
}

static void *consumer(void *arg)
{
	int *sum = arg, v, status;
	while ((status = channel_receive(current_channel(), &v)) != CHANNEL_CLOSED)
		if (status == CHANNEL_OK)
			*sum += v;
	return NULL;
}

int main(void)
{
	int sum = 0;
	current = channel_new(3);
	pthread_t t;
	pthread_create(&t, NULL, consumer, &sum);
	channel_send(current_channel(), 1);
	struct channel *old = current_channel(), *bigger = channel_new(5);
	pthread_mutex_lock(&current_lock);
	current = bigger;
	pthread_mutex_unlock(&current_lock);
	channel_retire(old, bigger);
	channel_send(bigger, 2);
	channel_close(bigger);
	pthread_join(t, NULL);
	assert(sum == 3);
	return 0;
}
