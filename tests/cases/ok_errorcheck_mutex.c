/* An error-checking mutex used correctly: main and a worker each lock and
 * unlock it once; main checks every return value.
 *
 * Count: the same as count_main_and_worker_one_mutex.c, the mutex type
 * changes nothing when it is used correctly: 3 orders with main's section
 * first, 3 with the worker's first, 6 executions.
 *
 * weft-expect: ok 6
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static pthread_mutex_t m;
static int counter, errors;

static void *worker(void *arg)
{
	(void)arg;
	if (pthread_mutex_lock(&m) != 0)
		errors++;
	counter++;
	if (pthread_mutex_unlock(&m) != 0)
		errors++;
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	worker(NULL);
	pthread_join(t, NULL);
	pthread_mutex_destroy(&m);
	return counter == 2 && errors == 0 ? 0 : 1;
}
