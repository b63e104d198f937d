/* A thread is detached and later joined: POSIX makes that undefined. weft
 * reports misuse.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	pthread_join(t, NULL); /* wrong: t is detached */
	return 0;
}
