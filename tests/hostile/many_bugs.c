/* A search space far too large to finish, with a failed assertion in a
 * great many of its executions: four workers each update a shared
 * counter in several locked steps, and main asserts an order that most
 * interleavings break. With --keep-going every bug is shrunk and reported
 * and the search goes on; --time-limit must still end the whole run,
 * shrinking included (tests/hostile.sh). */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int last, order[16], n;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	for (int i = 0; i < 4; i++) {
		pthread_mutex_lock(&m);
		last = id;
		order[n++ % 16] = id;
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert(last == 3 || order[0] == 0);
	return 0;
}
