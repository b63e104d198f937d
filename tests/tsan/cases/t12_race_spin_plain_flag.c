/* main waits for its worker by spinning on a plain volatile flag, with no
 * atomic and no call weft sees. Built with -fsanitize=thread, every read of
 * the flag reaches weft: once main has re-read the location
 * WEFT_SPIN_REREADS times with no step and no write in between, it gives
 * way (operation `spin`), deterministically, without any real-time
 * preemption. The worker then raises the flag, a plain write unordered
 * with main's plain reads: a data race, found and replayed exactly.
 *
 * weft-expect: bug data-race
 */
#include <pthread.h>

static volatile int go;

static void *worker(void *arg)
{
	(void)arg;
	go = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!go)
		;
	pthread_join(t, NULL);
	return 0;
}
