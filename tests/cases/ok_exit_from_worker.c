/* A worker that ends the whole process with exit() (a "fatal error" path)
 * while main is blocked waiting for its result on a condition variable.
 * exit() called by any thread ends the process on purpose, whatever the
 * other threads are doing: main, blocked then, is not a leak. (A leak is a
 * thread blocked forever when the process ends because main returned; this
 * case was a leak under an older rule that treated every exit alike.)
 *
 * Count: main = C, then L (lock), W (the wait, after which it is blocked
 * for good); the worker = S (start), X (exit), and X ends the execution.
 * After C, X comes after 0, 1 or 2 of main's steps, with S anywhere
 * before it: 1 + 2 + 3 = 6 executions.
 *
 * weft-expect: ok 6
 * DPOR: one execution per number of main's steps before the exit (global).
 * weft-expect-dpor: 3
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int have_result;

static void *worker(void *arg)
{
	(void)arg;
	/* the input is bad: give up, forgetting that main waits for us */
	exit(0);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	while (!have_result)
		pthread_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
