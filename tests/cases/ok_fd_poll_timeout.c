/* poll() with a timeout follows the virtual clock, as weft's other timed
 * waits do: main polls a pipe with a 50 ms timeout while a worker sleeps
 * 100 ms before writing, so the first poll times out (returns 0) at 50 ms
 * of virtual time, and the second, without a timeout, sees the byte. No
 * real time passes.
 *
 * DFS: 2 executions in both modes (the worker starts before or after
 * main's first poll), 2 distinct traces; DPOR: 2.
 *
 * weft-expect: ok 2
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

static void *worker(void *arg)
{
	(void)arg;
	usleep(100000);
	char c = 'x';
	assert(write(fds[1], &c, 1) == 1);
	return NULL;
}

int main(void)
{
	assert(pipe(fds) == 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	long long start = now_ms();
	struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
	assert(poll(&pfd, 1, 50) == 0);
	assert(now_ms() - start == 50);
	assert(poll(&pfd, 1, -1) == 1 && (pfd.revents & POLLIN));
	assert(now_ms() - start == 100);
	pthread_join(t, NULL);
	return 0;
}
