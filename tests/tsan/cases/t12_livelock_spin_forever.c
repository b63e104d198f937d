/* The instrumented twin of tests/cases/bug_spin_forever.c: a worker spins
 * on a plain flag nobody will raise while main waits to join it. With
 * nobody else to run, giving way would change nothing, so the re-read rule
 * leaves the thread alone; the sampling of spin.c then sees its state
 * repeat and reports a livelock at the loop, not a hang after 10 s.
 *
 * weft-expect: bug livelock
 */
#include <pthread.h>

static volatile int go;

static void *worker(void *arg)
{
	(void)arg;
	while (!go)
		;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
