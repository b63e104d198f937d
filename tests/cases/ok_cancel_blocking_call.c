/* A call named with --yield-at ...=blocking (here read() from a pipe) is a
 * cancellation point: a request pending when the worker reaches it is acted
 * on at its entry, and the worker never blocks in the pipe. The worker
 * keeps cancellation disabled while it waits for main's go, so the request
 * always comes before the read. (A request that came while the thread is
 * inside such a call would stop the execution with exit status 2: weft
 * does not model that.)
 *
 * Count: main = C, K (cancel), P (post), J; the worker = S, W (sem_wait,
 * enabled by P), then the read, replaced by acting on the request (A), E.
 * S falls before K, between K and P, or after P: 3 executions.
 *
 * weft-options: --yield-at read(int,void*,size_t)->ssize_t=blocking
 * weft-expect: ok 3
 * weft-expect-dpor: 3 2
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

static int fds[2];
static sem_t go;
static int read_returned;

static void *worker(void *arg)
{
	(void)arg;
	char c;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	sem_wait(&go);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	if (read(fds[0], &c, 1) >= 0)
		read_returned = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	assert(pipe(fds) == 0);
	sem_init(&go, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	sem_post(&go);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED && !read_returned);
	return 0;
}
