/* A thread cancelled inside a pthread_once initialiser (at a sem_wait in
 * it): as in glibc, the once control goes back to "not run", and the next
 * caller runs the initialiser itself instead of waiting for ever.
 *
 * Count: main = C, K (cancel), J, then P (post) and its own pthread_once,
 * which runs the initialiser; the worker = S, O (pthread_once: it runs the
 * initialiser), then the initialiser's sem_wait, replaced by acting on the
 * request, the end of the unwound initialiser, E. K falls before S,
 * between S and O, or after O: 3 executions.
 *
 * weft-expect: ok 3
 * weft-expect-dpor: 3
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sem_t go;
static int initialised;

static void init(void)
{
	sem_wait(&go);
	initialised++;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_once(&once, init);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *result;
	sem_init(&go, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	sem_post(&go);
	pthread_once(&once, init);
	assert(initialised == 1);
	return 0;
}
