/* "First response wins" without the leak: the twin of first_response.c.
 *
 * The replies now go into a channel with room for every reply (capacity
 * NREPLICAS, Go's `make(chan Result, len(replicas))`), so a send never
 * waits: the losing replica leaves its reply in the buffer and finishes.
 * first() still returns as soon as the first reply is there.
 *
 * What weft finds: nothing, over a complete exploration. At exit a replica
 * may still be running (detached), but none is blocked.
 * Count: 5491 executions, too many to add up in a comment; an independent
 * enumerator of weft's counting rules gives the same number. Three threads
 * (main = C C L [W K] U X, each replica = S L G U E) are expensive for plain
 * DFS, which tries every order of steps that commute: this example takes
 * seconds, not milliseconds, until weft has DPOR.
 *
 * weft-expect: ok 5491
 */
#include <pthread.h>

#define NREPLICAS 2

/* A buffered channel of ints with room for CAPACITY values. */
#define CAPACITY NREPLICAS
struct chan {
	pthread_mutex_t lock;
	pthread_cond_t not_empty;
	int values[CAPACITY];
	int head, count;
};

static void chan_send(struct chan *c, int value)
{
	pthread_mutex_lock(&c->lock);
	/* CAPACITY covers every sender, so count < CAPACITY here: no wait. */
	c->values[(c->head + c->count) % CAPACITY] = value;
	c->count++;
	pthread_cond_signal(&c->not_empty);
	pthread_mutex_unlock(&c->lock);
}

static int chan_recv(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == 0)
		pthread_cond_wait(&c->not_empty, &c->lock);
	int value = c->values[c->head];
	c->head = (c->head + 1) % CAPACITY;
	c->count--;
	pthread_mutex_unlock(&c->lock);
	return value;
}

struct query {
	struct chan *replies;
	int replica;
};

static void *search_replica(void *arg)
{
	struct query *q = arg;
	int result = 100 + q->replica; /* the replica's answer */
	chan_send(q->replies, result);
	return NULL;
}

static int first(void)
{
	static struct chan replies = {.lock = PTHREAD_MUTEX_INITIALIZER,
	                              .not_empty = PTHREAD_COND_INITIALIZER};
	static struct query queries[NREPLICAS];
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < NREPLICAS; i++) {
		pthread_t t;
		queries[i] = (struct query){&replies, i};
		pthread_create(&t, &detached, search_replica, &queries[i]);
	}
	pthread_attr_destroy(&detached);
	return chan_recv(&replies);
}

int main(void)
{
	int result = first();
	return result >= 100 ? 0 : 1;
}
