/* The fixed twin of cancel_shutdown.c: each worker pushes a cleanup
 * handler that unlocks the pool's mutex. A cancelled pthread_cond_wait
 * takes the mutex back before the handlers run (POSIX), so the handler,
 * not the code after the wait, must release it. Every interleaving of the
 * shutdown passes.
 *
 * weft-expect: ok 2736
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
