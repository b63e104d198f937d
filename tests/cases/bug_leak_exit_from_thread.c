/* A worker that ends the whole process with exit() (a "fatal error" path)
 * while main is blocked waiting for its result on a condition variable.
 * exit() runs with main still blocked in pthread_cond_wait: weft reports a
 * leak naming main's wait. (Had the worker finished first, main would not
 * be blocked; weft's first, lowest-id-first execution has main waiting.)
 *
 * weft-expect: bug leak
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
