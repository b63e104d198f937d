/* A condition wait guarded by `if` instead of `while`: correct as long as
 * every wake-up comes from a signal, which POSIX does not promise. With
 * --spurious-wakeups main may wake before the worker set `ready`.
 *
 * weft-options: --spurious-wakeups
 * weft-expect: bug assertion
 */
#include <assert.h>
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
	pthread_mutex_lock(&m);
	if (!ready)
		pthread_cond_wait(&c, &m);
	assert(ready && "woken without the worker's signal");
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
