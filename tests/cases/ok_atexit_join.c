/* An atexit handler stops a background thread and joins it. The handler
 * runs after main returns, while the background thread is still scheduled
 * (it used to be frozen at the exit: a false deadlock "T0 waits in
 * pthread_join(T1); T1 waits in start()").
 *
 * Count: main = C (create), then the return from main, X (the process
 * exit), then the handler: P (sem_post), J (join). The background thread
 * = S (start), W (sem_wait, enabled by P), E (exit). J waits for E, W for
 * P; S goes before X, between X and P, or after P: 3 executions.
 *
 * weft-expect: ok 3
 * DPOR: the exit is ordered with everything, S with nothing else: 2
 * traces (S before or after X), which DPOR covers with 3 executions.
 * weft-expect-dpor: 3 2
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

static pthread_t background;
static sem_t stop;

static void *serve(void *arg)
{
	(void)arg;
	sem_wait(&stop);
	return NULL;
}

static void shut_down(void)
{
	sem_post(&stop);
	pthread_join(background, NULL);
}

int main(void)
{
	sem_init(&stop, 0, 0);
	atexit(shut_down);
	pthread_create(&background, NULL, serve, NULL);
	return 0;
}
