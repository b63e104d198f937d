/* A worker sleeping in a loop (nanosleep, usleep, sleep and
 * clock_nanosleep) is cancelled by main after main's own sleep: the
 * request wakes it from the sleep it is in and it acts on it. Virtual time:
 * the worker's sleeps end at 1 s, 2 s, 3 s, ...; main's usleep ends at
 * 2.5 s, during the worker's third sleep.
 *
 * Count: a sleep ends only when the clock reaches its deadline, and the
 * clock moves only when no thread can run, so nothing is left to choose:
 * C; the worker's start and its sleeps at 1 s and 2 s (main's usleep is
 * not due yet); main's usleep at 2.5 s, K (cancel), which wakes the worker
 * from its third sleep; J waits while the worker acts on the request and
 * ends: 1 execution. (Were sleeps not cancellation points, the worker
 * would sleep on and main's join would never return.)
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int slept;

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec one = {1, 0};
		switch (slept % 4) {
		case 0:
			nanosleep(&one, NULL);
			break;
		case 1:
			usleep(1000000);
			break;
		case 2:
			sleep(1);
			break;
		default:
			clock_nanosleep(CLOCK_MONOTONIC, 0, &one, NULL);
		}
		slept++;
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	pthread_create(&t, NULL, worker, NULL);
	usleep(2500000);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	assert(slept == 2);
	return 0;
}
