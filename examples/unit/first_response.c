/* Unit test of examples/first_response.c (and first_response_fixed.c) with
 * weft_check. Self-checking: exits 0 when the buggy variant is found (a
 * "leak": first() returns after one reply over an unbuffered channel and
 * the losing replica stays blocked in its send when the scenario ends) and
 * the fixed one (a channel with room for every reply) passes over a
 * complete exploration. weft_assert checks the reply is one of the
 * replicas'. */
#include <pthread.h>

#include "unit_expect.h"

#define NREPLICAS 2

/* A channel of ints: capacity 0 is a rendezvous (the sender waits until
 * its value was taken), capacity NREPLICAS never makes a sender wait. */
struct chan {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int values[NREPLICAS];
	int head, count, capacity;
	unsigned sent, received;
};

static struct chan replies;

static void reset(int capacity)
{
	replies = (struct chan){.lock = PTHREAD_MUTEX_INITIALIZER,
	                        .changed = PTHREAD_COND_INITIALIZER,
	                        .capacity = capacity};
}

static void chan_send(struct chan *c, int value)
{
	pthread_mutex_lock(&c->lock);
	int room = c->capacity ? c->capacity : 1;
	while (c->count == room)
		pthread_cond_wait(&c->changed, &c->lock);
	c->values[(c->head + c->count) % room] = value;
	c->count++;
	unsigned ticket = ++c->sent;
	pthread_cond_broadcast(&c->changed);
	while (c->capacity == 0 && c->received < ticket) /* the rendezvous */
		pthread_cond_wait(&c->changed, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

static int chan_recv(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == 0)
		pthread_cond_wait(&c->changed, &c->lock);
	int room = c->capacity ? c->capacity : 1;
	int value = c->values[c->head];
	c->head = (c->head + 1) % room;
	c->count--;
	c->received++;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
	return value;
}

static void *search_replica(void *arg)
{
	chan_send(&replies, 100 + (int)(long)arg);
	return NULL;
}

static void first(void)
{
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < NREPLICAS; i++) {
		pthread_t t;
		pthread_create(&t, &detached, search_replica, (void *)i);
	}
	pthread_attr_destroy(&detached);
	int result = chan_recv(&replies);
	weft_assert(result >= 100 && result < 100 + NREPLICAS, "reply %d", result);
}

static void buggy(void *arg)
{
	(void)arg;
	reset(0);
	first();
}

static void fixed_version(void *arg)
{
	(void)arg;
	reset(NREPLICAS);
	first();
}

int main(void)
{
	int ok = expect_check(buggy, "first_response", "leak");
	ok &= expect_check(fixed_version, "first_response_fixed", NULL);
	return ok ? 0 : 1;
}
