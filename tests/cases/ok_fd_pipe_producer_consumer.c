/* A producer and a consumer over a pipe: the producer writes three bytes,
 * each after taking a mutex the consumer also takes, and the consumer reads
 * them one by one. A read() of an empty pipe would block the thread that
 * holds the turn; weft makes it a descriptor wait, enabled once the pipe
 * has data, so the producer runs meanwhile, with kernel threads and with
 * fibers alike (the same counts in both modes).
 *
 * DFS: 83 executions in both modes, 21 distinct traces; DPOR: 21.
 *
 * weft-expect: ok 83
 * weft-expect-dpor: 21
 */
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int produced, consumed;

static void *producer(void *arg)
{
	(void)arg;
	for (char c = 'a'; c < 'd'; c++) {
		pthread_mutex_lock(&m);
		produced++;
		pthread_mutex_unlock(&m);
		assert(write(fds[1], &c, 1) == 1);
	}
	return NULL;
}

int main(void)
{
	assert(pipe(fds) == 0);
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	for (char want = 'a'; want < 'd'; want++) {
		char c = 0;
		assert(read(fds[0], &c, 1) == 1);
		assert(c == want);
		pthread_mutex_lock(&m);
		consumed++;
		assert(consumed <= produced);
		pthread_mutex_unlock(&m);
	}
	pthread_join(t, NULL);
	return 0;
}
