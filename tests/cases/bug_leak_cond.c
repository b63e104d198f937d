/* A detached worker waits for a "stop" request that main, in some
 * interleavings, never sends: main only signals when it sees the worker has
 * started, and checks that before the worker has set the flag. main returns
 * with the worker blocked in pthread_cond_wait forever: weft reports a leak
 * (a plain run never notices: the process just exits).
 *
 * weft-expect: bug leak
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int started, stop;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	started = 1;
	while (!stop)
		pthread_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &attr, worker, NULL);
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&m);
	if (started) { /* wrong: only stops a worker that is already running */
		stop = 1;
		pthread_cond_signal(&c);
	}
	pthread_mutex_unlock(&m);
	return 0;
}
