/* A worker pool shut down by cancelling its idle workers, which wait for
 * work in pthread_cond_wait. A cancelled condition wait takes its mutex back
 * before the thread unwinds (POSIX), and these workers have no cleanup
 * handler to release it: the first worker cancelled exits holding the
 * pool's mutex, and the second one, whose cancelled wait must take the
 * mutex back too, waits for it for ever while main waits to join it.
 *
 * A plain run just hangs at shutdown, and a test suite's timeout reports
 * nothing more; weft names the waits, the mutex and its dead owner, in the
 * first execution.
 * Fix: pthread_cleanup_push(unlock, &m) around the wait
 * (cancel_shutdown_fixed.c).
 *
 * weft-expect: bug deadlock
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

#define WORKERS 2

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;
static sem_t idle;
static int queued, done;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	sem_post(&idle);
	for (;;) {
		while (queued == 0)
			pthread_cond_wait(&work, &m);
		queued--;
		done++;
	}
	pthread_mutex_unlock(&m); /* never reached when cancelled in the wait */
	return NULL;
}

int main(void)
{
	pthread_t pool[WORKERS];
	sem_init(&idle, 0, 0);
	for (int i = 0; i < WORKERS; i++) {
		pthread_create(&pool[i], NULL, worker, NULL);
		sem_wait(&idle);
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_cancel(pool[i]);
	for (int i = 0; i < WORKERS; i++) {
		void *result;
		pthread_join(pool[i], &result);
		assert(result == PTHREAD_CANCELED);
	}
	pthread_mutex_lock(&m);
	assert(queued == 0 && done == 0);
	pthread_mutex_unlock(&m);
	return 0;
}
