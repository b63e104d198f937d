/* A worker signals an eventfd twice, taking a mutex before each; main
 * waits on it with eventfd_read until both counts arrived (a read returns
 * the sum so far and resets it), then takes the mutex. An empty eventfd is
 * a descriptor wait weft models.
 *
 * DFS: 12 executions in both modes, 6 distinct traces; DPOR: 6.
 *
 * weft-expect: ok 12
 * weft-expect-dpor: 6
 */
#include <assert.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int efd;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int done;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		pthread_mutex_lock(&m);
		done++;
		pthread_mutex_unlock(&m);
		assert(eventfd_write(efd, 1) == 0);
	}
	return NULL;
}

int main(void)
{
	efd = eventfd(0, 0);
	assert(efd >= 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	eventfd_t total = 0;
	while (total < 2) {
		eventfd_t v;
		assert(eventfd_read(efd, &v) == 0);
		total += v;
	}
	pthread_mutex_lock(&m);
	assert(done == 2);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
