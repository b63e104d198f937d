/* A worker unlocks a mutex that main holds ("it's just a flag, anyone may
 * release it"). For a normal mutex POSIX leaves this undefined; weft
 * reports misuse.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_mutex_lock(&m);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
