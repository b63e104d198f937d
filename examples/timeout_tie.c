/* A client sends a request and waits for the reply with a 1 s timeout; the
 * server takes exactly 1 s to answer. The timeout and the reply fall on the
 * same instant. Natively which one wins depends on the microseconds between
 * the client reading the clock and the server starting its sleep, and on
 * which thread the kernel wakes first: the test passes or fails from run to
 * run. Under weft the two deadlines are the same virtual instant, both
 * orders are explored, and the one where the timeout fires first fails on
 * every run of weft, with a replay token that brings it back.
 *
 * What weft finds: an assertion failure.
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t replied = PTHREAD_COND_INITIALIZER;
static int request, reply;

static void *server(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	int question = request;
	pthread_mutex_unlock(&lock);
	sleep(1); /* computing the answer */
	pthread_mutex_lock(&lock);
	reply = question * 2;
	pthread_cond_signal(&replied);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* The reply, or -1 when none came within the timeout. */
static int call(int question, int timeout_seconds)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_seconds;
	pthread_mutex_lock(&lock);
	request = question;
	pthread_mutex_unlock(&lock);
	pthread_t t;
	pthread_create(&t, NULL, server, NULL);
	pthread_mutex_lock(&lock);
	int rc = 0;
	while (reply == 0 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&replied, &lock, &deadline);
	int answer = reply ? reply : -1;
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return answer;
}

int main(void)
{
	assert(call(21, 1) == 42);
	return 0;
}
