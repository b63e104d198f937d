/* A thread joins itself (a shutdown routine run from the thread it shuts
 * down): pthread_join would return EDEADLK. weft reports misuse rather
 * than a deadlock.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_t worker_thread;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void shutdown_worker(void)
{
	pthread_join(worker_thread, NULL); /* wrong when called by the worker */
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	shutdown_worker();
	return NULL;
}

int main(void)
{
	pthread_mutex_lock(&m);
	pthread_create(&worker_thread, NULL, worker, NULL);
	pthread_mutex_unlock(&m);
	pthread_exit(NULL);
}
