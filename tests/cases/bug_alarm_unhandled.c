/* An alarm nobody handles ends the process, as without weft: the virtual
 * clock reaches it while main sleeps, and the run reports the death by
 * SIGALRM (a crash), not a hang or a deadlock.
 *
 * weft-expect: bug crash
 */
#include <pthread.h>
#include <unistd.h>

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
	alarm(2);
	pthread_mutex_lock(&m);
	sleep(5); /* the alarm comes first */
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
