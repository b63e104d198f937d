/* pthread_cond_wait called without holding the mutex it names: the check
 * of the predicate and the wait are no longer atomic, and POSIX calls it
 * undefined. weft reports misuse.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!ready)
		pthread_cond_wait(&c, &m); /* wrong: m is not held */
	pthread_join(t, NULL);
	return 0;
}
