/* pthread_cond_signal wakes the waiter that has waited longest (weft's
 * model is FIFO). Two workers queue up on one condition variable, noting
 * their arrival order; once both wait, main signals once and joins the
 * worker that arrived first, then signals again and joins the other. If a
 * signal woke any other waiter than the oldest, the first join would wait
 * for a thread nobody wakes: a deadlock instead of this count.
 *
 * Count: 170 executions. The arrival order, main's wait for the arrivals
 * and the interleavings of the workers' starts, exits and the two hand-offs
 * make it too long to add up in a comment; an independent enumerator of
 * weft's counting rules (FIFO signals included) gives 170.
 *
 * weft-expect: ok 170
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 8.
 * weft-expect-dpor: 8
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int queue[2], nqueued;

static void *worker(void *arg)
{
	int id = *(int *)arg;
	pthread_mutex_lock(&m);
	queue[nqueued++] = id;
	pthread_cond_signal(&arrived);
	/* No predicate loop: good enough under weft's model, which has no
	 * spurious wake-ups; a real program would loop on a flag. */
	pthread_cond_wait(&go, &m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	static int ids[2] = {0, 1};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &ids[i]);
	pthread_mutex_lock(&m);
	while (nqueued < 2)
		pthread_cond_wait(&arrived, &m);
	pthread_cond_signal(&go);
	pthread_mutex_unlock(&m);
	pthread_join(t[queue[0]], NULL);
	pthread_mutex_lock(&m);
	pthread_cond_signal(&go);
	pthread_mutex_unlock(&m);
	pthread_join(t[queue[1]], NULL);
	return 0;
}
