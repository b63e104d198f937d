/* A lost update: two workers increment a counter by reading it under the
 * lock, dropping the lock, and writing the incremented copy back under the
 * lock again. If both read before either writes, one increment is lost and
 * main's assert fails: weft reports an assertion (the target aborted).
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	int seen = counter;
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	counter = seen + 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(counter == 2);
	return 0;
}
