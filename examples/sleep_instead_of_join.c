/* A test that waits for its worker with a sleep instead of a join: the
 * worker needs 10 ms, the test gives it a whole second, and natively it
 * always passes. Under plain virtual time it passes too (the clock only
 * moves when nobody can run, so the worker always finishes first). With
 * --time=adversarial a sleeping thread may wake at any step, as if the
 * other threads were slow, and weft finds the schedule where the test
 * checks the result before the worker has stored it.
 *
 * What weft finds: an assertion failure, with --time=adversarial.
 *
 * weft-options: --time=adversarial
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int result;

static void *worker(void *arg)
{
	(void)arg;
	usleep(10000); /* the work */
	pthread_mutex_lock(&lock);
	result = 42;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	sleep(1); /* "plenty of time for the worker" */
	pthread_mutex_lock(&lock);
	int seen = result;
	pthread_mutex_unlock(&lock);
	assert(seen == 42 && "the worker finished within the second");
	return 0;
}
