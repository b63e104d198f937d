/* A worker waits on a condition variable with no cleanup handler. When it
 * is cancelled in pthread_cond_wait, it acts on the request with the mutex
 * taken back (POSIX) and exits still holding it: main, shutting down,
 * deadlocks on the mutex. pthread_cleanup_push(unlock, &m) around the wait
 * is the fix (see ok_cancel_pool_shutdown.c).
 *
 * weft-expect: bug deadlock
 * weft-expect-dpor: bug deadlock
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int stop;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	while (!stop)
		pthread_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	pthread_join(t, NULL);
	pthread_mutex_lock(&m);
	stop = 1;
	pthread_mutex_unlock(&m);
	return 0;
}
