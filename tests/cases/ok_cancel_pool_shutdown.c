/* A thread pool's shutdown cancels its idle workers, blocked in
 * pthread_cond_wait for work that never comes, and joins them. Each
 * worker's cleanup handler unlocks the pool's mutex, which the cancelled
 * wait took back before the handler ran, so the other worker's cancelled
 * wait and main can take it afterwards. Main starts the workers one at a
 * time and waits until each is idle (it posts `idle` with the mutex held,
 * just before its wait), so a request may reach a worker before or after
 * it waits. (Without the handler: bug_cancel_lock_held.c, and the example
 * cancel_shutdown.c.)
 *
 * Counted by weft: 2,736 executions; DPOR covers the same 90 traces with
 * one execution each.
 *
 * weft-expect: ok 2736
 * weft-expect-dpor: 90
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

#define WORKERS 2

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;
static sem_t idle;
static int queued, done;

static void unlock(void *arg)
{
	pthread_mutex_unlock(arg);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock, &m);
	sem_post(&idle);
	for (;;) {
		while (queued == 0)
			pthread_cond_wait(&work, &m);
		queued--;
		done++;
	}
	pthread_cleanup_pop(1);
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
