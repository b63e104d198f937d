/* A bounded channel of ints for the channel_swap examples: a mutex, a
 * condition variable and a ring buffer. A retired channel hands what it
 * still holds to its successor and tells receivers to look for the new
 * one (CHANNEL_MOVED). Header-only, so both examples compile it with
 * their own flags. */
#ifndef CHANNEL_H
#define CHANNEL_H

#include <pthread.h>
#include <stdlib.h>

enum { CHANNEL_OK, CHANNEL_CLOSED, CHANNEL_MOVED };

struct channel {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int buf[8];
	int cap, head, count;
	int closed, retired;
};

static inline struct channel *channel_new(int cap)
{
	struct channel *c = calloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->changed, NULL);
	c->cap = cap;
	return c;
}

static inline void channel_send(struct channel *c, int v)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == c->cap)
		pthread_cond_wait(&c->changed, &c->lock);
	c->buf[(c->head + c->count++) % c->cap] = v;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static inline int channel_receive(struct channel *c, int *v)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == 0 && !c->closed && !c->retired)
		pthread_cond_wait(&c->changed, &c->lock);
	int status = CHANNEL_OK;
	if (c->count) {
		*v = c->buf[c->head];
		c->head = (c->head + 1) % c->cap;
		c->count--;
		pthread_cond_broadcast(&c->changed);
	} else {
		status = c->retired ? CHANNEL_MOVED : CHANNEL_CLOSED;
	}
	pthread_mutex_unlock(&c->lock);
	return status;
}

static inline void channel_close(struct channel *c)
{
	pthread_mutex_lock(&c->lock);
	c->closed = 1;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

/* Move what old holds into next, and send old's receivers to next. The
 * old channel is not freed: a receiver may still be inside it. */
static inline void channel_retire(struct channel *old, struct channel *next)
{
	pthread_mutex_lock(&old->lock);
	while (old->count) {
		channel_send(next, old->buf[old->head]);
		old->head = (old->head + 1) % old->cap;
		old->count--;
	}
	old->retired = 1;
	pthread_cond_broadcast(&old->changed);
	pthread_mutex_unlock(&old->lock);
}

#endif
