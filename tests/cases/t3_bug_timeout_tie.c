/* A consumer waits up to 1 s for a delivery; the producer needs exactly
 * 1 s to deliver. Natively the outcome depends on microseconds and on the
 * kernel's choice when both timers expire; under weft both happen at the
 * same virtual instant, the timeout wins in one of the orders explored (the
 * first one, as it happens), on every run.
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int delivered;

static void *producer(void *arg)
{
	(void)arg;
	sleep(1);
	pthread_mutex_lock(&m);
	delivered = 1;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1;
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	pthread_mutex_lock(&m);
	int rc = 0;
	while (!delivered && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&c, &m, &deadline);
	int got = delivered;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	assert(got && "the delivery came in time");
	return 0;
}
