/* main tears down a mutex a detached worker is about to use: it joins
 * nothing before pthread_mutex_destroy. In the interleavings where the
 * worker has reached its pthread_mutex_lock (or holds the mutex) at that
 * moment, the worker goes on to use a destroyed mutex; weft reports misuse
 * ("destroys mutex#N while another thread is about to lock it ...").
 *
 * DPOR finds it too: the destroy is a scheduling point, dependent with the
 * worker's lock and with the worker's start, the event that brings it to
 * its pthread_mutex_lock.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m;
static int value;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	value++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_mutex_init(&m, NULL);
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	pthread_mutex_destroy(&m); /* wrong: the worker may hold it */
	return 0;
}
