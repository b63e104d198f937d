/* Two workers each send a two-byte message over one pipe, but write it in
 * two calls with a step in between (a log line under a mutex). The reader,
 * main, expects each message whole: when the other worker's message lands
 * between the two halves, it reads a torn message and the assertion fails.
 * The reads of the empty pipe are descriptor waits (interpose/fiber_io.c),
 * so the workers run meanwhile, and weft finds the tear with kernel
 * threads and with fibers; its token replays it.
 *
 * weft-expect: bug assertion
 * weft-expect-dpor: bug assertion
 */
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int logged;

static void *worker(void *arg)
{
	char id = (char)(long)arg;
	assert(write(fds[1], &id, 1) == 1);
	pthread_mutex_lock(&log_lock);
	logged++;
	pthread_mutex_unlock(&log_lock);
	assert(write(fds[1], &id, 1) == 1);
	return NULL;
}

int main(void)
{
	assert(pipe(fds) == 0);
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)('a' + i));
	for (int m = 0; m < 2; m++) {
		char msg[2];
		for (int k = 0; k < 2; k++)
			assert(read(fds[0], &msg[k], 1) == 1);
		assert(msg[0] == msg[1]); /* a whole message */
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
