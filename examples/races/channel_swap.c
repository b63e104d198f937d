/* A consumer reads from "the current channel" through a shared pointer
 * while the producer swaps in a bigger channel (after "Is it thread-safe to
 * modify the channel that a consumer is reading from?"). Each channel is
 * properly locked, but the pointer to it is not: the consumer's read of
 * `current` and the producer's write race. weft reports it in the first
 * execution.
 * Fixed twin: channel_swap_fixed.c.
 * weft-expect: bug data-race */
#include <pthread.h>
#include <stdlib.h>

#include "channel.h"

static struct channel *current;

static void *consumer(void *arg)
{
	int *sum = arg, v;
	while (channel_receive(current, &v) == CHANNEL_OK)
		*sum += v;
	return NULL;
}

int main(void)
{
	int sum = 0;
	current = channel_new(3);
	pthread_t t;
	pthread_create(&t, NULL, consumer, &sum);
	channel_send(current, 1);
	/* Grow the buffer: move what is pending into a bigger channel. */
	struct channel *old = current, *bigger = channel_new(5);
	current = bigger;
	channel_retire(old, bigger);
	channel_send(current, 2);
	channel_close(current);
	pthread_join(t, NULL);
	return sum == 3 ? 0 : 1;
}
