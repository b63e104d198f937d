/* Timed waits that nobody ends, on every clock they can use: each returns
 * ETIMEDOUT exactly at its deadline of virtual time. Bad clocks and times
 * are refused with EINVAL before anything else, as in glibc.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>

static long long now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static struct timespec in(clockid_t clock, long long ns)
{
	long long t = now_ns(clock) + ns;
	return (struct timespec){t / 1000000000, t % 1000000000};
}

int main(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t realtime = PTHREAD_COND_INITIALIZER, monotonic;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&monotonic, &attr);
	long long start = now_ns(CLOCK_MONOTONIC);
	pthread_mutex_lock(&m);

	struct timespec at = in(CLOCK_REALTIME, 1500000000);
	assert(pthread_cond_timedwait(&realtime, &m, &at) == ETIMEDOUT);
	assert(now_ns(CLOCK_MONOTONIC) - start == 1500000000);

	/* A condition variable on CLOCK_MONOTONIC reads its deadline there. */
	at = in(CLOCK_MONOTONIC, 2000000000);
	assert(pthread_cond_timedwait(&monotonic, &m, &at) == ETIMEDOUT);
	assert(now_ns(CLOCK_MONOTONIC) - start == 3500000000);

	at = in(CLOCK_MONOTONIC, 500000000);
	assert(pthread_cond_clockwait(&realtime, &m, CLOCK_MONOTONIC, &at) == ETIMEDOUT);
	assert(now_ns(CLOCK_MONOTONIC) - start == 4000000000);

	/* A deadline already past times out at once. */
	at = in(CLOCK_REALTIME, -1000000000);
	assert(pthread_cond_timedwait(&realtime, &m, &at) == ETIMEDOUT);
	assert(now_ns(CLOCK_MONOTONIC) - start == 4000000000);

	assert(pthread_cond_clockwait(&realtime, &m, CLOCK_PROCESS_CPUTIME_ID, &at) == EINVAL);
	at.tv_nsec = 1000000000;
	assert(pthread_cond_timedwait(&realtime, &m, &at) == EINVAL);
	pthread_mutex_unlock(&m);
	return 0;
}
