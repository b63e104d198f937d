/* Shutdown that waits for the wrong event: main waits until the worker
 * says it has started its job (which it does while holding the job's
 * mutex), then destroys the job's mutex, although the worker is still
 * inside. Destroying a locked mutex is undefined behaviour; weft reports
 * misuse ("destroys mutex#N while thread 1 holds it").
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t job;                               /* the job's data */
static pthread_mutex_t state = PTHREAD_MUTEX_INITIALIZER; /* guards started */
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int started, result;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&job);
	pthread_mutex_lock(&state);
	started = 1;
	pthread_cond_signal(&changed);
	pthread_mutex_unlock(&state);
	result = 42;
	pthread_mutex_unlock(&job);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_mutex_init(&job, NULL);
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	pthread_mutex_lock(&state);
	while (!started)
		pthread_cond_wait(&changed, &state);
	pthread_mutex_unlock(&state);
	pthread_mutex_destroy(&job); /* wrong: started is not finished */
	return 0;
}
