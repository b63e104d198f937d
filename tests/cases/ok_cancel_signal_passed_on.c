/* A waiter whose cancellation request was pending when it began to wait
 * can still be at the head of the condition's queue when a signal comes:
 * it takes the signal, then acts on the request and passes the signal on to
 * the next waiter, as glibc's cancelled wait does, so the job still reaches
 * the other worker (a signal lost there was a false deadlock). Main
 * cancels the first worker before it runs, starts the workers one at a
 * time, each waiting for work, and posts one job.
 *
 * Counted by weft: 27,352 executions, 188 traces, which DPOR covers with
 * one execution each.
 *
 * weft-expect: ok 27352
 * weft-expect-dpor: 188
 */
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t waiting;
static int jobs, done;

static void unlock(void *arg)
{
	pthread_mutex_unlock(arg);
}

/* Cancelled before it starts: it waits for work, and acts on the request
 * at its wake-up. */
static void *cancelled_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock, &m);
	sem_post(&waiting);
	while (jobs == 0)
		pthread_cond_wait(&c, &m);
	jobs--;
	done++;
	pthread_cleanup_pop(1);
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	sem_post(&waiting);
	while (jobs == 0)
		pthread_cond_wait(&c, &m);
	jobs--;
	done++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	void *result;
	sem_init(&waiting, 0, 0);
	pthread_create(&a, NULL, cancelled_worker, NULL);
	pthread_cancel(a);
	sem_wait(&waiting);
	pthread_create(&b, NULL, worker, NULL);
	sem_wait(&waiting);
	pthread_mutex_lock(&m);
	jobs = 1;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	pthread_join(a, &result);
	assert(result == PTHREAD_CANCELED);
	pthread_join(b, NULL);
	assert(done == 1);
	return 0;
}
