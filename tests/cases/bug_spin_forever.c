/* A worker spins on a flag nobody will ever raise while main waits to join
 * it: the spin can never end. weft reports a livelock naming the loop's
 * line and the worker's stack (tests/spin.sh checks the line), not a hang
 * after --hang-timeout: with main blocked for good, the worker's state
 * repeating exactly is proof enough.
 *
 * weft-expect: bug livelock
 */
#include <pthread.h>

static volatile int go;

static void wait_for_go(void)
{
	while (!go) /* the spin */
		;
}

static void *worker(void *arg)
{
	(void)arg;
	wait_for_go();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
