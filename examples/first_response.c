/* "First response wins", and the losers leak.
 *
 * Scenario: first() asks two replicas of a service the same query, each
 * from a thread of its own (detached, like goroutines), and returns the
 * first reply. The replies travel over an unbuffered channel built from a
 * mutex and a condition variable: a send completes only when a receiver
 * has taken the value. first() receives once and returns. The replica that
 * answers second blocks in chan_send forever: nobody will ever receive its
 * value. This is the C shape of a Go question ("Is there a resource leak
 * here?" about Rob Pike's First(query, replicas...)).
 *
 * What weft finds: a leak. At process exit the losing replica is blocked in
 * pthread_cond_wait inside chan_send, and weft names it.
 *
 * Why a plain run never shows it: main returns, exit() tears the process
 * down and the blocked thread silently disappears with it. The exit status
 * is 0 and nothing is printed; in a long-running server the blocked threads
 * (and everything they hold) pile up one per query instead.
 * Natively: 1000 of 1000 runs pass, measured twice on a 2-CPU machine with
 *   for i in $(seq 1000); do timeout 5 build/examples/first_response >/dev/null 2>&1 ||
 *   echo FAIL; done | grep -c FAIL
 * which printed 0.
 *
 * The fix (first_response_fixed.c): give the channel room for every reply,
 * so that no send ever waits (Go's `make(chan Result, len(replicas))`).
 *
 * weft-expect: bug leak
 */
#include <pthread.h>

#define NREPLICAS 2

/* An unbuffered channel of ints: `full` says a value is waiting to be
 * taken; a sender waits until its own value has been received (tickets
 * tell whose value that was). */
struct chan {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int full, value;
	unsigned sent, received;
};

static void chan_send(struct chan *c, int value)
{
	pthread_mutex_lock(&c->lock);
	while (c->full)
		pthread_cond_wait(&c->changed, &c->lock);
	c->value = value;
	c->full = 1;
	unsigned ticket = ++c->sent;
	pthread_cond_broadcast(&c->changed);
	while (c->received < ticket) /* the rendezvous: wait for a receiver */
		pthread_cond_wait(&c->changed, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

static int chan_recv(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	while (!c->full)
		pthread_cond_wait(&c->changed, &c->lock);
	int value = c->value;
	c->full = 0;
	c->received++;
	pthread_cond_broadcast(&c->changed);
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
	                              .changed = PTHREAD_COND_INITIALIZER};
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
